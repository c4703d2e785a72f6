// One busy worker of a cpuStress step: spins for `share` of every 20 ms period until its
// deadline, and ends as soon as its parent goes (stdin closes), whatever killed the parent.
// Plain JavaScript, so it starts with no loader: node cpu-burner.js SHARE DEADLINE_EPOCH_MS
import './end-with-parent.js';
const share = Number(process.argv[2]);
const deadline = Number(process.argv[3]);
const PERIOD_MS = 20;

function cycle() {
  const start = Date.now();
  if (start >= deadline) process.exit(0);
  while (Date.now() - start < share * PERIOD_MS);
  // The pause, even of 0 ms, lets the event loop see the parent go.
  setTimeout(cycle, PERIOD_MS * (1 - share));
}
cycle();
