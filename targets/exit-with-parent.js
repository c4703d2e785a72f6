// Preloaded (`node --import`) into every process launchProcess starts: the parent holds the
// other end of this process's stdin, so stdin ends when the parent exits by any path, kill -9
// included, and this process follows it instead of living on as an orphan (a demo service,
// or a proxy still holding a fault).
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
// Not a reason to stay alive by itself.
process.stdin.unref();
