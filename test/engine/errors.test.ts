import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLoad } from '../../lib/engine/index.ts';
import { resolveScenario } from '../../lib/scenario/index.ts';
import { freeListenPort, startCountingServer } from '../helpers/net.ts';
import { points, readSamples, samplesPath } from './support.ts';

// Each way a request can fail, classified as k6 does (status, error_code, error, expected_response).

test('timeouts, resets, closed connections, refusals and 5xx get k6 error codes', async () => {
  const server = await startCountingServer((req, res) => {
    if (req.url === '/hang') return; // never answers: the request's timeout must fire
    if (req.url === '/reset') return void req.socket.resetAndDestroy();
    if (req.url === '/close') return void req.socket.destroy();
    if (req.url === '/busy') { res.statusCode = 503; return void res.end('busy'); }
    res.statusCode = 404;
    res.end('nope');
  });
  const closedPort = await freeListenPort();
  try {
    const file = await samplesPath();
    const { scenario } = resolveScenario({
      name: 'errors', target: { baseUrl: server.url },
      load: { executor: 'constant-arrival-rate', rate: 100, timeUnit: '1s', duration: '500ms', preAllocatedVUs: 50, maxVUs: 60 },
      requests: [
        { name: 'hang', path: '/hang', timeout: '300ms' },
        { name: 'reset', path: '/reset' },
        { name: 'close', path: '/close' },
        { name: 'busy', path: '/busy' },
        { name: 'refused', url: `http://127.0.0.1:${closedPort}/` },
        { name: 'missing', path: '/missing', expect: { status: [404] } },
      ],
    }, { env: {} });
    const started = performance.now();
    const result = await runLoad({ scenario, samplesFile: file });
    assert.ok(performance.now() - started < 3000, 'timed-out requests do not hold the load open');
    assert.equal(result.sent, 51);
    assert.equal(result.completed, 51);
    const reqs = points(readSamples(file), 'http_reqs');
    const durations = points(readSamples(file), 'http_req_duration');
    const blocked = points(readSamples(file), 'http_req_blocked');
    const expect: Record<string, { status: string; error_code?: string; error?: string; expected_response: string }> = {
      hang: { status: '0', error_code: '1050', error: 'request timeout', expected_response: 'false' },
      reset: { status: '0', error_code: '1220', error: 'read: connection reset by peer', expected_response: 'false' },
      close: { status: '0', error_code: '1000', error: 'EOF', expected_response: 'false' },
      busy: { status: '503', error_code: '1503', expected_response: 'false' },
      refused: { status: '0', error_code: '1212', error: 'dial: connection refused', expected_response: 'false' },
      missing: { status: '404', error_code: '1404', expected_response: 'true' },
    };
    const seen = new Set<string>();
    reqs.forEach((p, i) => {
      const tags = p.data.tags!;
      const want = expect[tags.name!]!;
      seen.add(tags.name!);
      assert.equal(tags.status, want.status, `${tags.name} status`);
      assert.equal(tags.error_code, want.error_code, `${tags.name} error_code`);
      assert.equal(tags.error, want.error, `${tags.name} error`);
      assert.equal(tags.expected_response, want.expected_response, `${tags.name} expected_response`);
      assert.equal('proto' in tags, want.status !== '0', `${tags.name}: proto only with a response`);
      if (tags.name === 'hang') {
        // The timeout covers the whole request: waiting for a connection, then the exchange.
        const d = durations[i]!.data.value! + blocked[i]!.data.value!;
        assert.ok(d >= 299 && d < 1500, `timeout after ~300 ms, got ${d}`);
      }
      if (tags.name === 'refused') assert.equal(durations[i]!.data.value, 0, 'no connection: every phase 0, as in k6');
    });
    assert.ok(seen.size >= 5, `most kinds seen in 50 picks: ${[...seen].join(', ')}`);
    const failed = points(readSamples(file), 'http_req_failed').filter((p) => p.data.value === 1).length;
    assert.equal(failed, result.failed);
    assert.equal(result.failed, reqs.filter((p) => p.data.tags!.name !== 'missing').length);
  } finally {
    await server.close();
  }
});
