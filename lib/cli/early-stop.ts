/**
 * SIGINT/SIGTERM that arrive while the CLI is still loading (bin.js listens from its first
 * line): remembered so that `run` honours a Ctrl-C pressed during start-up instead of
 * acknowledging it and going on. `release()` removes bin.js's listeners once a command
 * has its own.
 */
export interface EarlyStop {
  readonly signal: NodeJS.Signals | null;
  release(): void;
}

export const NO_EARLY_STOP: EarlyStop = { signal: null, release: () => undefined };
