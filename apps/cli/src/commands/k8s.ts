import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { Hyper } from '@lnsgd/trainer';
import { renderOverlay, type OverlaySpec } from '../k8s/render_overlay';
import { expandGrid, gridRunId, parseGridAxis, type GridAxis } from '../k8s/grid';

interface RenderOptions {
  workers: string;
  shards: string;
  preset: string;
  run?: string;
  namespace?: string;
  gpu?: boolean;
  curve?: boolean;
  image?: string;
  out: string;
  base?: string;
  grid: string[];
  steps?: string;
  lr?: string;
  batch?: string;
  sigma?: string;
  flipProb?: string;
  momentum?: string;
  seed?: string;
}

/** deploy/k8s/base of this checkout (apps/cli/dist/commands → repository root). */
const DEFAULT_BASE = resolve(__dirname, '..', '..', '..', '..', 'deploy', 'k8s', 'base');

const number = (flag: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new Error(`k8s render: ${flag} '${v}' is not a number`);
  return x;
};

/** `lnsgd k8s render`: one kustomize overlay per run (per grid point of a scaling study). */
export function registerK8sCommand(program: Command): void {
  const k8s = program.command('k8s').description('Kubernetes deployment: render runs as kustomize overlays of deploy/k8s/base');
  k8s
    .command('render')
    .description('write a kustomize overlay for a run (or one per grid point); start it with kubectl apply -k <dir>')
    .requiredOption('--workers <N>', 'workers N (Indexed Job parallelism = completions)')
    .requiredOption('--shards <S>', 'parameter-server shards S (StatefulSet replicas)')
    .requiredOption('--preset <name>', 'training preset')
    .option('--run <id>', 'run id and namespace, a DNS label (default <preset>-n<N>-s<S>)')
    .option('--namespace <ns>', 'namespace (default: the run id)')
    .option('--gpu', 'GPU workers: lnsgd:gpu image, tensorflow-gpu, nvidia.com/gpu: 1 each')
    .option('--curve', 'mount the CURVE Secret lnsgd-curve (create it first: deploy/k8s/curve-secret.template.yaml)')
    .option('--image <repo>', 'image repository replacing lnsgd (tags cpu and gpu are kept)')
    .option('--steps <n>').option('--lr <eta>').option('--batch <B>').option('--sigma <s>')
    .option('--flip-prob <p>').option('--momentum <beta>').option('--seed <n>')
    .option('--grid <key=v1,v2,…>', 'scaling study axis over lr|batch|sigma|momentum|workers|seed (repeatable; one run per point)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--base <dir>', 'deploy/k8s/base to build on (default: this checkout\'s)')
    .requiredOption('--out <dir>', 'directory to write the overlay (a grid: one sub-directory per point)')
    .addHelpText(
      'after',
      `
Examples:
  $ lnsgd k8s render --workers 8 --shards 2 --preset mlp-fashion --gpu --curve --out runs/k8s/mlp
  $ lnsgd k8s render --workers 4 --shards 1 --preset uv-toy --grid lr=0.05,0.1 --grid batch=64,256 --out runs/k8s/study`,
    )
    .action((o: RenderOptions) => {
      const workers = number('--workers', o.workers) ?? 0;
      const shards = number('--shards', o.shards) ?? 0;
      const hyper: Partial<Hyper> = {
        steps: number('--steps', o.steps),
        lr: number('--lr', o.lr),
        batch: number('--batch', o.batch),
        sigma: number('--sigma', o.sigma),
        flipProb: number('--flip-prob', o.flipProb),
        momentum: number('--momentum', o.momentum),
        seed: number('--seed', o.seed),
      };
      const defined = Object.fromEntries(Object.entries(hyper).filter(([, v]) => v !== undefined)) as Partial<Hyper>;
      // Repeated --grid (or several axes in one quoted value) merge; an axis given twice is an error.
      const axes: GridAxis[] = o.grid.flatMap((g) => g.trim().split(/\s+/).filter((t) => t !== '')).map(parseGridAxis);
      const twice = axes.find((a, i) => axes.findIndex((b) => b.key === a.key) !== i);
      if (twice !== undefined) throw new InvalidArgumentError(`--grid: axis '${twice.key}' is given twice`);
      const base = resolve(o.base ?? DEFAULT_BASE);
      const runBase = o.run ?? `${o.preset}-n${workers}-s${shards}`;
      for (const point of expandGrid(axes)) {
        const dir = axes.length === 0 ? resolve(o.out) : join(resolve(o.out), gridRunId(runBase, point));
        const runId = axes.length === 0 ? runBase : gridRunId(runBase, point);
        const { workers: w, ...pointHyper } = point;
        const spec: OverlaySpec = {
          runId,
          namespace: axes.length === 0 ? o.namespace : undefined,
          preset: o.preset,
          hyper: { ...defined, ...pointHyper },
          workers: w ?? workers,
          shards,
          gpu: o.gpu === true,
          curve: o.curve === true,
          image: o.image,
          basePath: relative(dir, base),
        };
        const files = renderOverlay(spec);
        mkdirSync(dir, { recursive: true });
        for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
        process.stdout.write(`${JSON.stringify({ event: 'rendered', run: runId, dir, workers: spec.workers, shards, apply: `kubectl apply -k ${dir}` })}\n`);
      }
    });
}
