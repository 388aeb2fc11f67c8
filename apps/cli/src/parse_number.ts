import { InvalidArgumentError } from 'commander';

/** A commander argument parser that accepts finite numbers only and names the flag otherwise. */
export function num(flag: string): (v: string) => number {
  return (v: string) => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError(`${flag} expects a number, got '${v}'`);
    return x;
  };
}
