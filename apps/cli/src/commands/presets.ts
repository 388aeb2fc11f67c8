import type { Command } from 'commander';
import { PRESETS } from '@lnsgd/trainer';

/** `lnsgd presets`: the presets and their default hyper-parameters. */
export function registerPresetsCommand(program: Command): void {
  program
    .command('presets')
    .description('list the training presets and their defaults')
    .option('--json', 'one JSON object per preset')
    .action((opts: { json?: boolean }) => {
      for (const p of PRESETS) {
        if (opts.json === true) {
          process.stdout.write(`${JSON.stringify({ name: p.name, description: p.description, model: p.model, data: p.data, defaults: p.defaults })}\n`);
        } else {
          const d = p.defaults;
          const noise = d.flipProb > 0 ? `flip-prob ${d.flipProb}` : `sigma ${d.sigma} (${d.noise})`;
          process.stdout.write(
            `${p.name.padEnd(18)} ${p.description}\n${''.padEnd(18)} steps ${d.steps}, lr ${d.lr}, batch ${d.batch}, ${noise}, momentum ${d.momentum}, weight-decay ${d.weightDecay}\n`,
          );
        }
      }
    });
}
