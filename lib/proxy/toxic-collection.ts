import { ErrInvalidStream, ErrInvalidToxicType, ErrToxicAlreadyExists, ErrToxicNotFound } from './errors.ts';
import { decodeAttributes, type ToxicFields } from './input.ts';
import type { Link } from './link.ts';
import { toxicKind, type ToxicKind } from './toxics/index.ts';

/** `upstream`: client -> server data; `downstream`: server -> client data. */
export type Direction = 'upstream' | 'downstream';

/** The API's view of a toxic: Toxiproxy's JSON, field for field and in its order. */
export interface ToxicJson {
  attributes: Record<string, number>;
  name: string;
  type: string;
  stream: string;
  toxicity: number;
}

/** One toxic on a proxy: its settings, shared by every link's stage (which reads them live). */
export class Toxic {
  constructor(
    readonly name: string,
    readonly type: string,
    /** As given (Toxiproxy keeps the caller's spelling); `direction` is what it means. */
    readonly stream: string,
    readonly direction: Direction,
    public toxicity: number,
    readonly attributes: Record<string, number>,
    readonly kind: ToxicKind,
  ) {}

  toJSON(): ToxicJson {
    return { attributes: this.attributes, name: this.name, type: this.type, stream: this.stream, toxicity: this.toxicity };
  }
}

/**
 * A proxy's toxics, one ordered chain per direction, and the links they act on. Adding,
 * updating or removing a toxic changes every open link of its direction at once, so data
 * flowing from that moment on sees the change (as in Toxiproxy).
 */
export class ToxicCollection {
  private readonly chains: Record<Direction, Toxic[]> = { upstream: [], downstream: [] };
  private readonly links = new Set<Link>();

  /** Upstream toxics first, then downstream, each in the order added. */
  list(): Toxic[] {
    return [...this.chains.upstream, ...this.chains.downstream];
  }

  chain(direction: Direction): readonly Toxic[] {
    return this.chains[direction];
  }

  get(name: string): Toxic {
    const toxic = this.find(name);
    if (!toxic) throw ErrToxicNotFound;
    return toxic;
  }

  /** Checks in Toxiproxy's order: stream, type, duplicate name, then attributes. */
  add(fields: ToxicFields): Toxic {
    const stream = fields.stream ?? 'downstream';
    const direction = parseDirection(stream);
    const type = fields.type ?? '';
    const name = fields.name ? fields.name : `${type}_${stream}`;
    const kind = toxicKind(type);
    if (!kind) throw ErrInvalidToxicType;
    if (this.find(name)) throw ErrToxicAlreadyExists;
    const attributes = decodeAttributes(kind, fields.attributes, undefined);
    const toxic = new Toxic(name, type, stream, direction, fields.toxicity ?? 1, attributes, kind);
    this.chains[direction].push(toxic);
    for (const link of this.links) if (link.direction === direction) link.addToxic(toxic);
    return toxic;
  }

  /** Merges the given attributes into the toxic's and sets its toxicity; name, type and stream stay. */
  update(name: string, fields: Pick<ToxicFields, 'toxicity' | 'attributes'>): Toxic {
    const toxic = this.get(name);
    const merged = decodeAttributes(toxic.kind, fields.attributes, toxic.attributes);
    Object.assign(toxic.attributes, merged);
    if (fields.toxicity !== undefined) toxic.toxicity = fields.toxicity;
    for (const link of this.links) if (link.direction === toxic.direction) link.updateToxic(toxic);
    return toxic;
  }

  remove(name: string): void {
    const toxic = this.get(name);
    const chain = this.chains[toxic.direction];
    chain.splice(chain.indexOf(toxic), 1);
    for (const link of this.links) if (link.direction === toxic.direction) link.removeToxic(toxic);
  }

  /** Removes every toxic (`POST /reset`). */
  clear(): void {
    for (const toxic of this.list()) this.remove(toxic.name);
  }

  /** A new link starts with this direction's chain and follows every later change. */
  attach(link: Link): void {
    this.links.add(link);
  }

  detach(link: Link): void {
    this.links.delete(link);
  }

  private find(name: string): Toxic | undefined {
    return this.chains.upstream.find((t) => t.name === name) ?? this.chains.downstream.find((t) => t.name === name);
  }
}

function parseDirection(stream: string): Direction {
  // Toxiproxy compares case-insensitively.
  const lower = stream.toLowerCase();
  if (lower === 'upstream' || lower === 'downstream') return lower;
  throw ErrInvalidStream;
}
