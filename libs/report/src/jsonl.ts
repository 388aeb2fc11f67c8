import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Formats values as JSON lines (one compact JSON value per line).
 *
 * @param rows the values.
 * @example toJsonl([{ a: 1 }, { a: 2 }]) // '{"a":1}\n{"a":2}\n'
 */
export function toJsonl(rows: readonly unknown[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/**
 * Appends one JSON line to a results file so that a crash leaves either the whole
 * line or none of it visible to {@link readJsonLines}: the line is written with a
 * single write on an O_APPEND descriptor and fsynced before this returns. A torn
 * line (power loss mid-write) can only be the last one, and readers drop it.
 *
 * @param file the JSONL file (created with its directory if missing).
 * @param value the value to append.
 * @example appendJsonLine('study/results.jsonl', { run_id: 'lr=0.1', test_metric: 0.02 });
 */
export function appendJsonLine(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const line = Buffer.from(`${JSON.stringify(value)}\n`);
  const fd = fs.openSync(file, 'a');
  try {
    // A previous crash may have left a torn line without its newline: start a fresh one.
    const size = fs.fstatSync(fd).size;
    let prefix = Buffer.alloc(0);
    if (size > 0) {
      const last = Buffer.alloc(1);
      const rfd = fs.openSync(file, 'r');
      try {
        fs.readSync(rfd, last, 0, 1, size - 1);
      } finally {
        fs.closeSync(rfd);
      }
      if (last[0] !== 0x0a) prefix = Buffer.from('\n');
    }
    fs.writeSync(fd, Buffer.concat([prefix, line]));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads a JSONL file written by {@link appendJsonLine}. Blank lines and lines that
 * do not parse (a torn write) are skipped; a missing file reads as empty.
 *
 * @param file the JSONL file.
 * @returns the parsed values and how many lines were skipped as unreadable.
 * @example const { values } = readJsonLines('study/results.jsonl');
 */
export function readJsonLines(file: string): { values: unknown[]; skipped: number } {
  if (!fs.existsSync(file)) return { values: [], skipped: 0 };
  const values: unknown[] = [];
  let skipped = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      values.push(JSON.parse(line));
    } catch {
      skipped++;
    }
  }
  return { values, skipped };
}
