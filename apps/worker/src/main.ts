import { curveConfigFromEnv } from '@lnsgd/transport';
import { parseWorkerConfig } from './config';
import { runWorker } from './run_worker';

/**
 * Entry of one worker process. Configuration comes from flags and LNSGD_* variables;
 * rank 0 with --events prints JSON lines (start, progress, summary) on stdout; logs
 * go to stderr. The parameter server ends the run, so a first SIGINT (a terminal's
 * Ctrl-C reaches the whole process group) is left to it; SIGTERM or a second SIGINT
 * leaves at once.
 *
 * @param argv arguments after the script name.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const config = parseWorkerConfig(argv, process.env);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
  });
  process.on('SIGTERM', () => process.exit(143));
  if (config.exitWithParent) {
    process.stdin.on('end', () => process.exit(1));
    process.stdin.on('error', () => process.exit(1));
    process.stdin.resume();
  }
  await runWorker({
    config,
    curve: curveConfigFromEnv(process.env, 'client'),
    log,
    onEvent: (e) => void process.stdout.write(`${JSON.stringify(e)}\n`),
  });
  process.exit(0);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`worker: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
