import assert from 'node:assert/strict';
import { Agent, get } from 'node:http';
import { after, before, test } from 'node:test';
import { startHttpServer, type TestHttpServer } from '../helpers/net.ts';
import { addProxy, portOf, startApi, type TestApi } from './helpers.ts';

// Bad requests are answered with Toxiproxy's status and message, one after another, while a
// client keeps sending keep-alive HTTP requests through a proxy of the same server: the
// forwarding never stops and nothing errors.

let api: TestApi;
let target: TestHttpServer;
before(async () => {
  api = await startApi();
  target = await startHttpServer((_req, res) => res.end('ok'));
});
after(async () => { await api.close(); await target.close(); });

/** Keeps one keep-alive client busy through `port` until stopped; counts answers and errors. */
function keepForwarding(port: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const stats = { ok: 0, errors: [] as string[] };
  let running = true;
  const loop = (async () => {
    while (running) {
      await new Promise<void>((resolve) => {
        get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => { body += d; });
          res.on('end', () => {
            if (res.statusCode === 200 && body === 'ok') stats.ok += 1;
            else stats.errors.push(`${res.statusCode} ${body}`);
            resolve();
          });
        }).on('error', (error) => { stats.errors.push(error.message); resolve(); });
      });
    }
  })();
  return { stats, stop: async () => { running = false; await loop; agent.destroy(); } };
}

const error = (message: string, status: number) => ({ status, text: `${JSON.stringify({ error: message, status })}\n` });

test('at least 12 bad requests, each answered with the right status, while forwarding goes on', async () => {
  const port = await addProxy(api, 'work', target.port);
  const other = await api.call('POST', '/proxies', { name: 'other', listen: '127.0.0.1:0', upstream: 'localhost:1' });
  await api.call('POST', '/proxies/other/toxics', { type: 'latency', attributes: { latency: 1 } });
  const forwarding = keepForwarding(port);

  const cases: Array<[string, string, unknown, { status: number; text?: string; match?: RegExp }]> = [
    ['POST', '/proxies', '{"name": "x",', { status: 400, match: /^\{"error":"bad request body: .+","status":400\}\n$/ }],
    ['POST', '/proxies', '', error('bad request body: EOF', 400)],
    ['POST', '/proxies', { name: 'x', listen: '127.0.0.1:0' }, error('missing required field: upstream', 400)],
    ['POST', '/proxies', { listen: '127.0.0.1:0', upstream: 'x:1' }, error('missing required field: name', 400)],
    ['POST', '/proxies', { name: 'work', listen: '127.0.0.1:0', upstream: 'x:1' }, error('proxy already exists', 409)],
    ['POST', '/proxies', { name: 'clash', listen: `127.0.0.1:${port}`, upstream: 'x:1' }, error(`listen tcp 127.0.0.1:${port}: bind: address already in use`, 500)],
    ['POST', '/proxies', { name: 5, upstream: 'x:1' }, { status: 400, match: /bad request body: json: cannot unmarshal number/ }],
    ['POST', '/proxies/other/toxics', { type: 'nope' }, error('invalid toxic type', 400)],
    ['POST', '/proxies/other/toxics', { attributes: { latency: 1 } }, error('invalid toxic type', 400)],
    ['POST', '/proxies/other/toxics', { type: 'latency', stream: 'sideways' }, error('stream was invalid, can be either upstream or downstream', 400)],
    ['POST', '/proxies/other/toxics', { type: 'latency', attributes: { latency: 1 } }, error('toxic already exists', 409)],
    ['POST', '/proxies/other/toxics', { type: 'latency', stream: 'upstream', attributes: { latency: -5 } }, error('bad request body: attribute latency must not be negative, got -5', 400)],
    ['POST', '/proxies/other/toxics', { type: 'bandwidth', attributes: { rate: 'fast' } }, { status: 400, match: /bad request body: json: cannot unmarshal string/ }],
    ['POST', '/proxies/other/toxics', { type: 'slicer', attributes: { delay: 1.5 } }, { status: 400, match: /cannot unmarshal number 1.5/ }],
    ['POST', '/proxies/other/toxics', { type: 'timeout', toxicity: 2 }, { status: 400, match: /toxicity must be a number from 0 to 1/ }],
    ['POST', '/proxies/other/toxics', '[1', { status: 400, match: /bad request body/ }],
    ['POST', '/proxies/other/toxics/latency_downstream', { attributes: { jitter: -1 } }, error('bad request body: attribute jitter must not be negative, got -1', 400)],
    ['POST', '/proxies/nope/toxics', { type: 'latency' }, error('proxy not found', 404)],
    ['GET', '/proxies/nope', undefined, error('proxy not found', 404)],
    ['DELETE', '/proxies/nope', undefined, error('proxy not found', 404)],
    ['GET', '/proxies/other/toxics/nope', undefined, error('toxic not found', 404)],
    ['DELETE', '/proxies/other/toxics/nope', undefined, error('toxic not found', 404)],
    ['POST', '/populate', { name: 'x' }, { status: 400, match: /"error":"bad request body: json: cannot unmarshal object/ }],
    ['POST', '/populate', [{ name: 'x', upstream: 'x:1' }, { upstream: 'y:1' }], { status: 400, text: '{"error":"missing required field: name at proxy 2","status":400,"proxies":null}' }],
    ['GET', '/toxics', undefined, { status: 404, text: '404 page not found\n' }],
  ];
  for (const [method, path, body, want] of cases) {
    const answer = await api.call(method, path, body);
    const label = `${method} ${path} ${typeof body === 'string' ? body : JSON.stringify(body)}`;
    assert.equal(answer.status, want.status, `${label}: ${answer.text}`);
    if (want.text !== undefined) assert.equal(answer.text, want.text, label);
    if (want.match) assert.match(answer.text, want.match, label);
  }
  assert.ok(cases.length >= 12);

  // A listen address in use on update: answered 500; that proxy is left disabled, others go on.
  const clash = await api.call('POST', '/proxies/other', { listen: `127.0.0.1:${port}` });
  assert.equal(clash.status, 500);
  assert.equal((await api.call('GET', '/proxies/other')).json.enabled, false);

  const before = forwarding.stats.ok;
  await new Promise((resolve) => setTimeout(resolve, 200));
  await forwarding.stop();
  assert.deepEqual(forwarding.stats.errors, []);
  assert.ok(forwarding.stats.ok > before, 'forwarding went on after the bad requests');
  assert.ok(forwarding.stats.ok >= 20, `${forwarding.stats.ok} requests forwarded`);
  // Nothing the bad requests named was created.
  assert.deepEqual(Object.keys((await api.call('GET', '/proxies')).json), ['other', 'work']);
  assert.equal(portOf((await api.call('GET', '/proxies/work')).json.listen), port);
  assert.equal(other.status, 201);
});
