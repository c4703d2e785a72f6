// k6's exit codes (errext/exitcodes, k6 v0.49), and what each means for a faultline run.
export const K6_EXIT: Record<number, string> = {
  0: 'finished',
  97: 'cloud test run failed',
  98: 'cloud test run timed out',
  99: 'thresholds failed',
  100: 'setup() timed out',
  101: 'teardown() timed out',
  103: 'stopped from the REST API',
  104: 'invalid config',
  105: 'aborted by a signal',
  106: 'the REST API could not start (address in use?)',
  107: 'script exception (a syntax error in the bundle included)',
  108: 'aborted by the script (test.abort())',
  109: 'k6 panicked',
};

/** Runs that measured what they were asked to: thresholds are judged again by faultline's analysis. */
export const completedRun = (code: number) => code === 0 || code === 99;

export const describeK6Exit = (code: number | null, signal: NodeJS.Signals | null) =>
  code === null ? `killed by ${signal}` : `exit ${code}: ${K6_EXIT[code] ?? 'unknown k6 exit code'}`;
