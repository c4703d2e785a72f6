// A process for the vitals tests to watch: `node child.js <mode> [token]`. The token only
// puts a unique word on its command line (for `match`). Prints each stage as it starts:
// `<stage> <epoch ms> <CPU ms used so far, by its own count>`.
//   burn-then-idle: about 1 s of busy CPU, then 64 MiB allocated and touched, then idle
//   burn:           busy CPU until killed
//   idle:           nothing until killed
//   serve:          an HTTP server on 127.0.0.1 (prints `port <n>`), answering each request with a little work
import { createServer } from 'node:http';

const mode = process.argv[2];
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const say = (word) => process.stdout.write(`${word} ${Date.now()} ${cpuMs().toFixed(1)}\n`);
const spin = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };
const keep = [];

say('ready');
if (mode === 'burn') {
  spin(Infinity);
} else if (mode === 'burn-then-idle') {
  spin(1100);
  for (let i = 0; i < 4; i++) keep.push(Buffer.alloc(16 * 1024 * 1024, 1));
  say('idle');
  setInterval(() => keep.length, 60_000);
} else if (mode === 'serve') {
  const server = createServer((req, res) => { spin(0.2); res.end('ok'); });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${server.address().port}\n`));
} else {
  setInterval(() => undefined, 60_000);
}
