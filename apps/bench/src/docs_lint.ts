import * as fs from 'node:fs';
import * as path from 'node:path';

/** The product docs: README.md, every Markdown file under docs/, and the wire contract. */
export function productDocs(root: string): string[] {
  const under = (dir: string): string[] =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { withFileTypes: true })
          .flatMap((e) => (e.isDirectory() ? under(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []))
      : [];
  return [path.join(root, 'README.md'), ...under(path.join(root, 'docs')).sort(), path.join(root, 'proto', 'README.md')];
}

/**
 * Text that dates a document or tells how it was written instead of what the product
 * is: clock times, calendar dates, tracker references and diary phrases.
 */
const DIARY: readonly (readonly [RegExp, string])[] = [
  [/\b([01]?\d|2[0-3]):[0-5]\d\s*(UTC|GMT|CET|am|pm)\b/i, 'a clock time'],
  [/\b([01]?\d|2[0-3]):[0-5]\d(,| and| or| to|–|-)\s*([01]?\d|2[0-3]):[0-5]\d\b/, 'clock times'],
  [/\b(19|20)\d\d-(0[1-9]|1[0-2])-([0-2]\d|3[01])\b/, 'a date'],
  [/\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? [0-3]?\d(st|nd|rd|th)?,? (19|20)\d\d\b/, 'a date'],
  [/\b[0-3]?\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]* (19|20)\d\d\b/, 'a date'],
  [/\b(issue|pull request|PR|ticket|bug)\s*#\s*\d+/i, 'a tracker reference'],
  [/(^|[\s(])#\d+\b/, 'a tracker reference'],
  [/\b(second|third|first|this|last|next) (pass|session|iteration)\b/i, 'a diary phrase'],
  [/\b(of mine|yesterday|today|tonight|last night|this morning|this afternoon)\b/i, 'a diary phrase'],
  [/\b(since then|earlier figures|earlier runs|before this pass|after this pass|at the time of writing)\b/i, 'a diary phrase'],
  [/\bI (measured|ran|tried|found|wrote|timed|think|noticed)\b/, 'a diary phrase'],
  [/^Then \(/m, 'a diary phrase'],
];

/** One finding: file, line number, what it is, and the offending text. */
export interface DocFinding {
  readonly file: string;
  readonly line: number;
  readonly what: string;
  readonly text: string;
}

/** Dated or diary text in a document (code blocks included: examples must not be dated either). */
export function diaryFindings(file: string, text: string): DocFinding[] {
  const out: DocFinding[] = [];
  text.split('\n').forEach((line, i) => {
    for (const [re, what] of DIARY) {
      const m = re.exec(line);
      if (m !== null) out.push({ file, line: i + 1, what, text: m[0].trim() });
    }
  });
  return out;
}

/**
 * The anchor GitHub gives a heading: lower case, punctuation dropped (letters, digits,
 * spaces, '-' and '_' kept), spaces to '-'.
 *
 * @example headingAnchor("Memory over long runs: the processes' V8 flags") // 'memory-over-long-runs-the-processes-v8-flags'
 */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown document's headings (outside code fences), with GitHub's -1, -2 suffixes for repeats. */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (m === null) continue;
    const base = headingAnchor(m[1] ?? '');
    const n = seen.get(base) ?? 0;
    anchors.add(n === 0 ? base : `${base}-${n}`);
    seen.set(base, n + 1);
  }
  return anchors;
}

/** Relative links `[text](target)` of a document, outside code fences and inline code. */
export function relativeLinks(text: string): { readonly line: number; readonly target: string }[] {
  const out: { line: number; target: string }[] = [];
  let fenced = false;
  text.split('\n').forEach((line, i) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) return;
    for (const m of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1] ?? '';
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) out.push({ line: i + 1, target });
    }
  });
  return out;
}

/**
 * Broken relative links of a document: a file that does not exist, or an anchor no
 * heading of the target has. `pending` names documents other work adds: a link to one
 * of them is reported separately while it is absent.
 */
export function brokenLinks(file: string, text: string, pending: ReadonlySet<string>): { broken: DocFinding[]; pending: DocFinding[] } {
  const broken: DocFinding[] = [];
  const waiting: DocFinding[] = [];
  for (const { line, target } of relativeLinks(text)) {
    const [p = '', anchor] = target.split('#');
    const resolved = p === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(p));
    if (!fs.existsSync(resolved)) {
      (pending.has(resolved) ? waiting : broken).push({ file, line, what: 'a link to a missing file', text: target });
      continue;
    }
    if (anchor !== undefined && anchor !== '' && resolved.endsWith('.md') && !anchorsOf(fs.readFileSync(resolved, 'utf8')).has(anchor)) {
      broken.push({ file, line, what: 'a link to a missing heading', text: target });
    }
  }
  return { broken, pending: waiting };
}

/** Repository paths in inline code (`libs/x/src/y.ts`) that do not exist. */
export function missingCodePaths(file: string, text: string, root: string): DocFinding[] {
  const out: DocFinding[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/`((?:libs|apps|tests|deploy|proto|docs)\/[\w./-]+\.[a-z]+)`/g)) {
      const p = m[1] ?? '';
      if (!fs.existsSync(path.join(root, p))) out.push({ file, line: i + 1, what: 'a path that does not exist', text: p });
    }
  });
  return out;
}
