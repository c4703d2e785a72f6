// faultline's built-in Toxiproxy-compatible fault proxy: the Toxiproxy HTTP API over TCP
// proxies with Toxiproxy's toxics. See lib/proxy/api.ts for the routes, and README's "Where it
// deliberately differs" for every deviation (test/real-tools/proxy-differential.test.ts
// checks that list against a real toxiproxy-server).

export { startProxyServer, type ProxyServer, type ProxyServerOptions } from './server.ts';
export { startProxyThread, type ProxyThread } from './thread.ts';
export { TOXIPROXY_VERSION } from './api.ts';
export { TOXICS } from './toxics/index.ts';
export type { ToxicKind, ToxicStage, StageContext, Sink } from './toxics/index.ts';
export type { ProxyJson } from './proxy.ts';
export type { ToxicJson, Direction } from './toxic-collection.ts';
export { splitHostPort, type HostPort } from './address.ts';
