import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerPresetsCommand } from './commands/presets';
import { registerSharpnessCommand } from './commands/sharpness';
import { registerTrainCommand } from './commands/train';
import { registerExperimentCommand } from './commands/experiment';
import { registerStudyCommand } from './commands/study';
import { registerK8sCommand } from './commands/k8s';
import { registerPlanCommand } from './commands/plan';

/** The version of @lnsgd/cli (its package.json, next to dist/). */
function cliVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Builds the `lnsgd` command tree (exported so tests can run help examples). */
export function buildProgram(): Command {
  const program = new Command()
    .name('lnsgd')
    .description('Label-noise SGD training with sharpness monitoring.')
    .version(cliVersion(), '-V, --version', 'print the version of lnsgd')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ lnsgd train --preset uv-toy --workers 2            # local cluster: PS + 2 workers over ZeroMQ
  $ lnsgd train --inprocess --preset uv-toy            # the same run in one process
  $ lnsgd train --inprocess --preset uv-toy --sigma 0  # plain SGD for comparison
  $ lnsgd sharpness --preset linreg-diag --lr 1        # λ_max, tr∇²L and R(θ) with error bars
  $ lnsgd presets                                      # list presets and their defaults`,
    );
  registerTrainCommand(program);
  registerSharpnessCommand(program);
  registerPresetsCommand(program);
  registerExperimentCommand(program);
  registerStudyCommand(program);
  registerK8sCommand(program);
  registerPlanCommand(program);
  return program;
}

/**
 * Runs the CLI on an argv (as process.argv: node, script, args…). Errors become a
 * one-line message on stderr and a non-zero exit code, never a stack trace.
 */
export async function runCli(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (err: unknown) {
    process.stderr.write(`lnsgd: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = process.exitCode === undefined || process.exitCode === 0 ? 1 : process.exitCode;
  }
}
