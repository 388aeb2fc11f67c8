import { CommanderError, InvalidArgumentError, Option, type Command } from 'commander';
import { HYPER_KEYS, PARAM_ROWS, PARAM_TABLE, type ParamKey } from './hyper_table';
import { presetNames } from './presets';

/** Options built from the table, so that a test can tell them from hand-written ones. */
const FROM_TABLE = new WeakMap<Option, ParamKey>();

/** A commander argument parser that accepts finite numbers only and names the flag otherwise. */
export function finiteNumber(flag: string): (v: string) => number {
  return (v: string) => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError(`${flag} expects a number, got '${v}'`);
    return x;
  };
}

/**
 * The commander option of a table row: its flag and value name, its one-line doc, a
 * number parser or the choices. Ranges are checked later, with the preset's defaults
 * merged in (resolveRunConfig), so that every bad field is named in one error.
 *
 * @param key the row.
 * @param options `description` replaces the row's doc where a command means it differently
 *   (e.g. sharpness's --lr is the η of R(θ)); `withDefault` sets the table's default, or a
 *   command's own where it has a reason to differ.
 * @example program.addOption(paramOption('lr'))
 */
export function paramOption(key: ParamKey, options: { readonly description?: string; readonly withDefault?: boolean | string } = {}): Option {
  const row = PARAM_TABLE[key];
  const o = new Option(`${row.flag} <${row.arg}>`, options.description ?? row.doc);
  const type = row.type;
  if (type.kind === 'enum') o.choices([...type.values]);
  else if (type.kind === 'preset') o.choices([...presetNames]);
  else o.argParser(finiteNumber(row.flag));
  if (options.withDefault === true && 'default' in row) o.default(row.default);
  else if (typeof options.withDefault === 'string') o.default(options.withDefault);
  FROM_TABLE.set(o, key);
  return o;
}

/** The options of several rows (every hyper-parameter: `paramOptions(HYPER_KEYS)`). */
export function paramOptions(keys: readonly ParamKey[]): Option[] {
  return keys.map((k) => paramOption(k));
}

/** The row an option was built from, or undefined for a hand-written one (for the contract test). */
export function tableRowOf(option: Option): ParamKey | undefined {
  return FROM_TABLE.get(option);
}

/** Every command of a tree with its path (`lnsgd k8s render`). */
function commandTree(cmd: Command, prefix = ''): [string, Command][] {
  const name = `${prefix}${cmd.name()}`;
  return [[name, cmd], ...cmd.commands.flatMap((c) => commandTree(c, `${name} `))];
}

/**
 * Checks a command tree against the table (each app's tests call it): an option named like
 * a row must be built from that row, with its value name, and keep the table's default
 * (or none: the preset's) unless `ownDefaults` says why not; `wholeRun` commands must take
 * every hyper-parameter.
 *
 * @param root the program.
 * @param options `ownDefaults`: 'lnsgd sharpness --preset' → its default; `wholeRun`: command paths.
 * @returns the problems (empty: in step) and how many table options were seen.
 */
export function tableOptionProblems(
  root: Command,
  options: { readonly ownDefaults?: Readonly<Record<string, unknown>>; readonly wholeRun?: readonly string[] } = {},
): { problems: string[]; seen: number } {
  const byFlag = new Map(PARAM_ROWS.map((r) => [r.flag as string, r]));
  const problems: string[] = [];
  let seen = 0;
  for (const [name, cmd] of commandTree(root)) {
    const keys = new Set<ParamKey>();
    for (const o of cmd.options) {
      const row = o.long === undefined ? undefined : byFlag.get(o.long);
      if (row === undefined) continue;
      seen++;
      keys.add(row.key);
      const where = `${name} ${row.flag}`;
      if (tableRowOf(o) !== row.key) problems.push(`${where} is declared by hand; use paramOption('${row.key}')`);
      if (o.flags !== `${row.flag} <${row.arg}>`) problems.push(`${where}: flags '${o.flags}', the table's are '${row.flag} <${row.arg}>'`);
      const own = options.ownDefaults?.[where];
      const ok = own !== undefined ? o.defaultValue === own : o.defaultValue === undefined || o.defaultValue === row.default;
      if (!ok) problems.push(`${where}: default ${String(o.defaultValue)}, the table's is ${String(row.default)}`);
    }
    if (options.wholeRun?.includes(name) === true) {
      for (const k of ['preset', ...HYPER_KEYS] as ParamKey[]) if (!keys.has(k)) problems.push(`${name} has no ${PARAM_TABLE[k].flag}`);
    }
  }
  for (const w of options.wholeRun ?? []) if (!commandTree(root).some(([n]) => n === w)) problems.push(`no command ${w}`);
  return { problems, seen };
}

/**
 * Parses an app's command line without letting commander print or exit: --help and every
 * usage error become an Error (the app's main prints it and exits 1).
 *
 * @param cmd the app's command (its options declared).
 * @param argv arguments after the script name.
 * @param app the app's name, the first word of the error.
 */
export function parseAppFlags<T extends object>(cmd: Command, argv: readonly string[], app: string): T {
  let out = '';
  cmd.exitOverride().configureOutput({ writeOut: (s) => void (out += s), writeErr: () => undefined });
  try {
    cmd.parse([...argv], { from: 'user' });
  } catch (err: unknown) {
    if (err instanceof CommanderError && err.code === 'commander.helpDisplayed') throw new Error(out);
    throw new Error(`${app}: invalid configuration:\n  - ${err instanceof Error ? err.message : String(err)}`);
  }
  return cmd.opts<T>();
}
