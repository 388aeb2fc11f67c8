import * as path from 'node:path';
import { Argument, Command } from 'commander';
import { experimentNames, ExperimentError, getExperiment, writeExperimentOutputs, type ExperimentProgress } from '@lnsgd/experiments';
import { formatValue } from '@lnsgd/report';
import { checkOutputDir } from '../cluster/preflight';

interface ExperimentFlags {
  quick?: boolean;
  out?: string;
  json?: boolean;
  dataDir?: string;
}

/** `lnsgd experiment <name>`: reproduce one of the paper's effects and write a report. */
export function registerExperimentCommand(program: Command): void {
  program
    .command('experiment')
    .description('run a reproduction experiment in this process; writes results (JSONL, CSV), plots (SVG, PNG) and report.md')
    .addArgument(new Argument('<name>', 'experiment').choices([...experimentNames]))
    .option('--quick', 'the reduced version (minutes on a 2-core CPU)')
    .option('--out <dir>', 'output directory (default runs/experiments/<name>)')
    .option('--data-dir <dir>', 'data directory for experiments that read a data set from disk')
    .option('--json', 'JSON lines on stdout; the last line is {"event":"summary","experiment":…}')
    .addHelpText(
      'after',
      `
Examples:
  $ lnsgd experiment uv-toy --quick
  $ lnsgd experiment sparse-recovery --quick --json     # (long) ~25 s
  $ lnsgd experiment edge-of-stability --quick --out runs/eos
  $ lnsgd experiment fashion-mnist-adversarial --quick  # (long) ~80 s (14 min on busy cores), needs dataset-fashion-mnist
  $ lnsgd experiment large-batch --quick --json         # (long) ~5 min
  $ lnsgd experiment momentum --quick --json            # ~20 s`,
    )
    .action(async (name: string, flags: ExperimentFlags) => {
      const experiment = getExperiment(name);
      const out = path.resolve(flags.out ?? path.join('runs', 'experiments', name));
      // Before the experiment runs (minutes), not after.
      checkOutputDir('--out', out);
      const json = flags.json === true;
      let lastPrint = 0;
      const t0 = Date.now();
      const onProgress = (p: ExperimentProgress): void => {
        const now = Date.now();
        if (now - lastPrint < 1000 && p.done !== p.total) return;
        lastPrint = now;
        if (json) {
          process.stdout.write(
            `${JSON.stringify({ event: 'progress', experiment: name, phase: p.phase, done: p.done, total: p.total, elapsed_s: (now - t0) / 1000 })}\n`,
          );
        } else {
          process.stderr.write(`${name}: ${p.phase}  ${((100 * p.done) / p.total).toFixed(0).padStart(3)}%  elapsed ${((now - t0) / 1000).toFixed(0)}s\n`);
        }
      };
      if (!json) process.stderr.write(`lnsgd: experiment ${name}${flags.quick === true ? ' (quick)' : ''}: ${experiment.description}\n`);
      let outcome;
      try {
        outcome = await experiment.run({ quick: flags.quick === true, onProgress, dataDir: flags.dataDir });
      } catch (err: unknown) {
        if (err instanceof ExperimentError && err.code === 'DATASET_MISSING') {
          // A missing data set is a skip with instructions, not a crash: exit code 2.
          if (json) process.stdout.write(`${JSON.stringify({ event: 'summary', experiment: name, skipped: true, reason: err.message })}\n`);
          process.stderr.write(`lnsgd: experiment ${name} skipped: ${err.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
      await writeExperimentOutputs({ outcome, out });
      const wall = (Date.now() - t0) / 1000;
      if (json) {
        process.stdout.write(`${JSON.stringify({ event: 'summary', experiment: name, quick: flags.quick === true, ...outcome.summary, out, wall_s: wall })}\n`);
      } else {
        const numbers = Object.entries(outcome.summary)
          .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.map(formatValue).join(', ')}]` : formatValue(v as number | string | boolean | null)}`)
          .join('  ');
        process.stdout.write(`${name}: ${numbers}\nreport: ${path.join(out, 'report.md')} (${wall.toFixed(0)}s)\n`);
      }
    });
}
