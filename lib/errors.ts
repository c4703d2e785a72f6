// Errors by meaning. Parts throw these with the field or URL at fault; only the CLI maps
// them to words and exit codes (2 bad input, 3 the run could not complete).

export interface InputProblem {
  /** Where: a field path (`timeline[1].at`), a file, or an option (`--rate`). */
  path: string;
  /** What was found, when there is a value to show. */
  value?: unknown;
  /** What was expected, in words. */
  expected: string;
}

/** Bad input: a scenario, a file, an option. Exit code 2. */
export class InvalidInputError extends Error {
  readonly problems: InputProblem[];
  constructor(subject: string, problems: InputProblem[]) {
    super(`${subject}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'InvalidInputError';
    this.problems = problems;
  }
}

/** The run could not start or complete: target or proxy unreachable, engine failed. Exit 3. */
export class RunFailedError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'RunFailedError';
  }
}

export function formatProblem(p: InputProblem): string {
  const got = p.value === undefined ? '' : `got ${show(p.value)}, `;
  return `${p.path}: ${got}expected ${p.expected}`;
}

function show(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The message of whatever was thrown (an Error's message, or the value as a string). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
