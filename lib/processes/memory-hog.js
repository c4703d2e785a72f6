// The worker of a memoryStress step: takes MB mebibytes of memory and touches every page,
// so it is resident, says "ready", then holds it until its deadline or until its parent goes
// (stdin closes), whatever killed the parent.
// Plain JavaScript, so it starts with no loader: node memory-hog.js MB DEADLINE_EPOCH_MS
import './end-with-parent.js';
const mb = Number(process.argv[2]);
const deadline = Number(process.argv[3]);
const CHUNK_MB = 64;

const held = [];
for (let left = mb; left > 0; left -= CHUNK_MB) {
  // fill() writes every page: allocated but untouched memory would not be resident.
  held.push(Buffer.alloc(Math.min(left, CHUNK_MB) * 1024 * 1024, 1));
}
process.stdout.write('ready\n');
setTimeout(() => process.exit(0), Math.max(0, deadline - Date.now()));
