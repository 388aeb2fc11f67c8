import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';

/**
 * Checks, before any process starts or step runs, that `file` can be written by the
 * flag `flag`: its directory exists and is writable, and it is not a directory.
 *
 * @throws InvalidArgumentError naming the flag and the path.
 */
export function checkOutputFile(flag: string, file: string): void {
  const dir = dirname(resolve(file));
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new InvalidArgumentError(`${flag} ${file}: the directory ${dir} does not exist; create it first or choose another path`);
  }
  if (!st.isDirectory()) throw new InvalidArgumentError(`${flag} ${file}: ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new InvalidArgumentError(`${flag} ${file}: the directory ${dir} is not writable`);
  }
  try {
    if (statSync(file).isDirectory()) throw new InvalidArgumentError(`${flag} ${file}: is a directory; give a file name`);
  } catch (err: unknown) {
    if (err instanceof InvalidArgumentError) throw err;
  }
}

/**
 * Checks a directory the flag will create files in: it is a directory if it exists,
 * otherwise its nearest existing ancestor is a writable directory.
 *
 * @throws InvalidArgumentError naming the flag and the path.
 */
export function checkOutputDir(flag: string, dir: string): void {
  let probe = resolve(dir);
  for (;;) {
    try {
      const st = statSync(probe);
      if (!st.isDirectory()) throw new InvalidArgumentError(`${flag} ${dir}: ${probe} is a file, not a directory`);
      accessSync(probe, constants.W_OK);
      return;
    } catch (err: unknown) {
      if (err instanceof InvalidArgumentError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES') throw new InvalidArgumentError(`${flag} ${dir}: ${probe} is not writable`);
      const parent = dirname(probe);
      if (parent === probe) throw new InvalidArgumentError(`${flag} ${dir}: cannot be created`);
      probe = parent;
    }
  }
}

/**
 * The shard checkpoint files of a `--resume` directory for S shards, checked before
 * anything starts: the directory exists, holds `shard-<s>-of-<S>.step-<v>.ckpt` (or the
 * older `shard-<s>-of-<S>.ckpt`) for every s,
 * and does not hold only another shard count's files.
 *
 * @returns nothing; throws InvalidArgumentError naming --resume / --shards.
 */
export function checkResumeDir(dir: string, shards: number): void {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new InvalidArgumentError(`--resume ${dir}: not a directory; give the --checkpoint-dir of an earlier run`);
    names = readdirSync(dir);
  } catch (err: unknown) {
    if (err instanceof InvalidArgumentError) throw err;
    throw new InvalidArgumentError(`--resume ${dir}: no such directory; give the --checkpoint-dir of an earlier run`);
  }
  const counts = new Map<number, number[]>();
  for (const n of names) {
    const m = /^shard-(\d+)-of-(\d+)(?:\.step-\d+)?\.ckpt$/.exec(n);
    if (m === null) continue;
    const S = Number(m[2]);
    counts.set(S, [...(counts.get(S) ?? []), Number(m[1])]);
  }
  if (counts.size === 0)
    throw new InvalidArgumentError(`--resume ${dir}: holds no shard checkpoints (shard-<s>-of-<S>.step-<v>.ckpt); give the --checkpoint-dir of an earlier run`);
  const mine = counts.get(shards);
  if (mine === undefined) {
    const other = [...counts.keys()].sort((a, b) => a - b);
    throw new InvalidArgumentError(`--resume ${dir}: holds checkpoints of ${other.join(' or ')} shard(s), not ${shards}; pass --shards ${other[0]}`);
  }
  const missing = Array.from({ length: shards }, (_, s) => s).filter((s) => !mine.includes(s));
  if (missing.length > 0)
    throw new InvalidArgumentError(
      `--resume ${dir}: no checkpoint of shard ${missing[0]} of ${shards} (shard-${missing[0]}-of-${shards}.step-<v>.ckpt) (${missing.length} of ${shards} shard checkpoints); it cannot resume`,
    );
}
