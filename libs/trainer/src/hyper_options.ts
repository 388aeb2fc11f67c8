import { InvalidArgumentError, Option } from 'commander';
import { PARAM_TABLE, type ParamKey } from './hyper_table';
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
