// Starts the demo's store as a daemon would start: detached, its pid in a pid file, and
// returns once it accepts connections. The store-restart scenario's `restart` step runs this
// to bring the store back, so it must return (a foreground store would hold the step).
//
//   node --import tsx targets/start-store.ts [--kind kv|redis] [--port 16379] [--pid-file results/demo-store.pid]
//
// Each option defaults to an environment variable (DEMO_STORE_KIND, DEMO_STORE_PORT,
// DEMO_STORE_PID_FILE), which a scenario's restart command inherits from the run.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parsePort } from './cli.ts';

const READY_WITHIN_MS = 5000;
const KV_STORE = fileURLToPath(new URL('./kv-store.ts', import.meta.url));

const { values } = parseArgs({ options: { kind: { type: 'string' }, port: { type: 'string' }, 'pid-file': { type: 'string' } } });
const kind = values.kind ?? process.env.DEMO_STORE_KIND ?? 'kv';
const port = parsePort(values.port ?? process.env.DEMO_STORE_PORT, '--port', 16379);
const pidFile = values['pid-file'] ?? process.env.DEMO_STORE_PID_FILE ?? 'results/demo-store.pid';
if (kind !== 'kv' && kind !== 'redis') throw new Error(`--kind: expected kv or redis, got "${kind}"`);

const [command, args] = kind === 'redis'
  ? ['redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']]
  : [process.execPath, ['--import', 'tsx', KV_STORE, '--port', String(port)]];
const child = spawn(command, args, { detached: true, stdio: 'ignore' });
await new Promise<void>((resolve, reject) => { child.once('spawn', resolve); child.once('error', reject); });
mkdirSync(dirname(pidFile), { recursive: true });
writeFileSync(pidFile, `${child.pid}\n`);
child.unref();

const deadline = Date.now() + READY_WITHIN_MS;
while (!(await accepts(port))) {
  if (Date.now() > deadline || child.exitCode !== null) {
    process.stderr.write(`start-store: the ${kind} store did not accept connections on 127.0.0.1:${port} within ${READY_WITHIN_MS} ms\n`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 25));
}
process.stdout.write(`${kind} store on 127.0.0.1:${port}, pid ${child.pid} (${pidFile})\n`);
process.exit(0);

function accepts(p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(p, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
