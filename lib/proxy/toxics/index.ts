import { bandwidth } from './bandwidth.ts';
import { latency } from './latency.ts';
import { limitData } from './limit-data.ts';
import { resetPeer } from './reset-peer.ts';
import { slicer } from './slicer.ts';
import { slowClose } from './slow-close.ts';
import { timeout } from './timeout.ts';
import type { ToxicKind } from './toxic.ts';

export type { Sink, StageContext, ToxicKind, ToxicStage } from './toxic.ts';

/** Every toxic type, by its Toxiproxy name. Adding a toxic adds its file and one line here. */
export const TOXICS: Readonly<Record<string, ToxicKind>> = {
  latency,
  bandwidth,
  slow_close: slowClose,
  timeout,
  reset_peer: resetPeer,
  slicer,
  limit_data: limitData,
};

export function toxicKind(type: string): ToxicKind | undefined {
  return Object.hasOwn(TOXICS, type) ? TOXICS[type] : undefined;
}
