import { InvalidInputError } from '../errors.ts';

/** Parses a positive number option (`--rate 500`), naming the option when it is not one. */
export function positiveNumber(option: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidInputError(`bad ${option}`, [{ path: option, value, expected: 'a number above 0' }]);
    return n;
  };
}
