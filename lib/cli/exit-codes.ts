/** Exit codes for every command: see README "Exit codes". Only the CLI maps outcomes to these. */
export const EXIT = {
  ok: 0,
  /** An SLO failed, or a regression against the baseline. */
  failed: 1,
  /** Invalid input or usage: nothing was sent, no fault applied. */
  invalid: 2,
  /** The run could not complete, or did not measure its scenario. */
  couldNotComplete: 3,
} as const;
