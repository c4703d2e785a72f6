// Imported by the stress workers: the run holds the other end of the worker's stdin, so
// stdin ends when the run's process goes, by any path (kill -9 included), and the worker
// follows it. Not a reason to stay alive by itself: each worker's own timer is.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
process.stdin.unref();
