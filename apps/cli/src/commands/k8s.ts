import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { HYPER_KEYS, paramOption, paramOptions, type Hyper } from '@lnsgd/trainer';
import { renderOverlay, type OverlaySpec } from '../k8s/render_overlay';
import { expandGrid, gridRunId, parseGridAxis, type GridAxis } from '../k8s/grid';

/** Commander's values: the table's hyper-parameters (parsed by the table's options) and the command's own flags. */
interface RenderOptions extends Partial<Hyper> {
  workers?: string;
  shards?: string;
  preset: string;
  run?: string;
  namespace?: string;
  gpu?: boolean;
  curve?: boolean;
  metricsSharpness?: 'local' | 'distributed';
  image?: string;
  out: string;
  base?: string;
  grid: string[];
}

/** deploy/ of this checkout (apps/cli/dist/commands → repository root). */
const DEPLOY = resolve(__dirname, '..', '..', '..', '..', 'deploy');

/**
 * Whether an image reference names a registry (`ghcr.io/acme/lnsgd`, `localhost:5000/lnsgd`):
 * its first path component has a dot or a port, or is localhost.
 */
export function imageHasRegistry(image: string): boolean {
  const slash = image.indexOf('/');
  if (slash < 0) return false;
  const host = image.slice(0, slash);
  return host.includes('.') || host.includes(':') || host === 'localhost';
}

/**
 * Copies what an overlay builds on (deploy/k8s/base and the prometheus and grafana
 * kustomizations it includes) under `<dir>/deploy`, so the rendered tree can be moved
 * or sent elsewhere whole.
 *
 * @returns the copied base directory.
 */
function copyBase(dir: string): string {
  for (const part of [join('k8s', 'base'), 'prometheus', 'grafana']) cpSync(join(DEPLOY, part), join(dir, 'deploy', part), { recursive: true });
  return join(dir, 'deploy', 'k8s', 'base');
}

const number = (flag: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new Error(`k8s render: ${flag} '${v}' is not a number`);
  return x;
};

/** `lnsgd k8s render`: one kustomize overlay per run (per grid point of a scaling study). */
export function registerK8sCommand(program: Command): void {
  const k8s = program.command('k8s').description('Kubernetes deployment: render runs as kustomize overlays of deploy/k8s/base');
  const render = k8s
    .command('render')
    .description('write a kustomize overlay for a run (or one per grid point); start it with kubectl apply -k <dir>')
    .option('--workers <N>', 'workers N (Indexed Job parallelism = completions; default 1, as `lnsgd train`)')
    .option('--shards <S>', 'parameter-server shards S (StatefulSet replicas; default 1)')
    .addOption(paramOption('preset', { withDefault: true }))
    .option('--run <id>', 'run id and namespace, a DNS label (default <preset>-<cpu|gpu>-n<N>-s<S>)')
    .option('--namespace <ns>', 'namespace (default: the run id)')
    .option('--gpu', 'GPU workers: lnsgd:gpu image, tensorflow-gpu, nvidia.com/gpu: 1 each')
    .addOption(
      new Option(
        '--metrics-sharpness <mode>',
        "where the metrics service's Hessian-vector products run: local (its pod) or distributed (estimation rounds on the workers; default with --gpu)",
      ).choices(['local', 'distributed']),
    )
    .option('--curve', 'mount the CURVE Secret lnsgd-curve (create it first: deploy/k8s/curve-secret.template.yaml)')
    .option('--image <repo>', 'image repository replacing lnsgd, with its registry (e.g. ghcr.io/you/lnsgd; tags cpu and gpu are kept)')
    .option(
      '--grid <key=v1,v2,…>',
      'scaling study axis over lr|batch|sigma|momentum|workers|seed (repeatable; one run per point)',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option(
      '--base <dir>',
      "deploy/k8s/base to build on, referred to by relative path (default: a copy of this checkout's under <out>/deploy, so <out> can be moved)",
    )
    .requiredOption('--out <dir>', 'directory to write the overlay (a grid: one sub-directory per point)');
  // Every hyper-parameter of the table: they go into the run file (run.json) of the overlay.
  for (const o of paramOptions(HYPER_KEYS)) render.addOption(o);
  render
    .addHelpText(
      'after',
      `
Examples:
  $ lnsgd k8s render --workers 8 --shards 2 --preset mlp-fashion --gpu --curve --image ghcr.io/acme/lnsgd --out runs/k8s/mlp
  $ lnsgd k8s render --workers 4 --preset uv-toy --grid lr=0.05,0.1 --grid batch=64,256 --out runs/k8s/study`,
    )
    .action((o: RenderOptions) => {
      const workers = number('--workers', o.workers) ?? 1;
      const shards = number('--shards', o.shards) ?? 1;
      const defined = Object.fromEntries(HYPER_KEYS.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<Hyper>;
      // Repeated --grid (or several axes in one quoted value) merge; an axis given twice is an error.
      const axes: GridAxis[] = o.grid
        .flatMap((g) =>
          g
            .trim()
            .split(/\s+/)
            .filter((t) => t !== ''),
        )
        .map(parseGridAxis);
      const twice = axes.find((a, i) => axes.findIndex((b) => b.key === a.key) !== i);
      if (twice !== undefined) throw new InvalidArgumentError(`--grid: axis '${twice.key}' is given twice`);
      const variant = o.gpu === true ? 'gpu' : 'cpu';
      const image = o.image ?? 'lnsgd';
      if (!imageHasRegistry(image)) {
        process.stderr.write(
          `lnsgd: warning: the image ${image}:${variant} names no registry: nodes pull it from Docker Hub unless it is loaded on them (kind load, minikube image load); push it to a registry the cluster reaches and pass --image <registry>/<repo>\n`,
        );
      }
      const runBase = o.run ?? `${o.preset}-${variant}-n${workers}-s${shards}`;
      const out = resolve(o.out);
      const base = o.base !== undefined ? resolve(o.base) : copyBase(out);
      for (const point of expandGrid(axes)) {
        const dir = axes.length === 0 ? out : join(out, gridRunId(runBase, point));
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
          sharpness: o.metricsSharpness,
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
