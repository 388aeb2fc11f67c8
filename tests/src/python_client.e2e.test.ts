/**
 * The protocol against a client we did not write from the same code: a Python worker
 * (tests/tools/py_client, written from proto/README.md and trainer.proto alone; protoc
 * stubs, pyzmq, numpy) drives real parameter-server shards and a real metrics service
 * over ZeroMQ on loopback. Each scenario prints one JSON report of named checks; this
 * file runs the processes, asserts every check and compares the shards' own counters.
 * Needs /usr/bin/python3 with python3-zmq, python3-protobuf, numpy and torch, and protoc.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '@lnsgd/telemetry/testing';
import { CLUSTER_MALLOC_ENV, PS_NODE_FLAGS } from '@lnsgd/trainer/node-flags';
import { onPath, prerequisite } from '@lnsgd/testing';
import { curveKeyPair } from 'zeromq';
import { runCli } from './run_cli';

const ROOT = join(__dirname, '..', '..');
const PY = '/usr/bin/python3';
const PY_CLIENT = join(ROOT, 'tests', 'tools', 'py_client');
const PS_MAIN = join(ROOT, 'apps', 'parameter-server', 'dist', 'main.js');
const METRICS_BIN = join(ROOT, 'apps', 'metrics', 'bin', 'lnsgd-metrics.js');
// The TypeScript round worker as a process (argv: JSON), as the trainer's round e2e tests run it.
const TS_ROUND_WORKER = join(ROOT, 'libs', 'trainer', 'dist', 'hvp_round_worker_process.js');

/** What is missing for these tests, or false. */
function missing(): string | false {
  if (onPath('protoc') === undefined) return 'protoc not installed (apt-get install protobuf-compiler)';
  // find_spec: importing torch here would cost seconds per run.
  const r = spawnSync(PY, ['-c', 'import importlib.util as u, zmq, google.protobuf, numpy; assert u.find_spec("torch"), "no module named torch"'], {
    timeout: 60_000,
    encoding: 'utf8',
  });
  return r.status === 0
    ? false
    : `${PY} cannot import zmq, google.protobuf, numpy, torch (apt-get install python3-zmq python3-protobuf python3-torch): ${r.stderr.trim().split('\n').at(-1) ?? ''}`;
}
const MISSING = missing();

interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}
interface Report {
  readonly checks: Check[];
  readonly facts: Record<string, unknown>;
}

/** A child process whose stdout lines are collected; `line(pred)` waits for one. */
class Proc {
  readonly lines: string[] = [];
  stderr = '';
  private waiters: { pred: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  readonly exited: Promise<number | null>;
  private readonly child;

  constructor(cmd: string, args: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
    // stdin is a pipe that stays open: the round worker answers until it is closed.
    // No __pycache__ left in the source tree by the Python scripts.
    this.child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env, PYTHONDONTWRITEBYTECODE: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout }).on('line', (l) => {
      this.lines.push(l);
      this.waiters = this.waiters.filter((w) => (w.pred(l) ? (w.resolve(l), false) : true));
    });
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => this.child.on('close', resolve));
  }

  line(pred: (l: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    const seen = this.lines.find(pred);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms; stderr:\n${this.stderr.slice(-2000)}`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }

  async exit(timeoutMs: number): Promise<number | null> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** Closes the child's stdin. */
  endInput(): void {
    this.child.stdin.end();
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

const event = (name: string) => (l: string) => l.startsWith('{') && (JSON.parse(l) as { event?: string }).event === name;

/** Starts shard s of S with the given flags, as the cluster runs a shard (its Node flags: received frames are released); resolves with its process and endpoint. */
async function startShard(flags: readonly string[], s: number, S: number, env: Record<string, string> = {}): Promise<{ proc: Proc; endpoint: string }> {
  const proc = new Proc(process.execPath, [...PS_NODE_FLAGS, PS_MAIN, ...flags, '--shard', String(s), '--shards', String(S), '--exit-with-parent'], {
    env: { ...CLUSTER_MALLOC_ENV, ...env },
  });
  const l = await proc.line(event('listening'), 60_000, `shard ${s} listening line`);
  return { proc, endpoint: (JSON.parse(l) as { endpoint: string }).endpoint };
}

/** Runs a scenario script to its end and parses its report. */
async function scenario(script: string, args: readonly string[]): Promise<Report> {
  const p = new Proc(PY, [join(PY_CLIENT, script), ...args], { cwd: PY_CLIENT });
  const code = await p.exit(120_000);
  assert.equal(code, 0, `${script} exited ${code}:\n${p.stderr.slice(-3000)}`);
  return JSON.parse(p.lines.at(-1) ?? '{}') as Report;
}

/** Asserts that the scenario made checks and that every one passed. */
function assertChecks(t: TestContext, r: Report): void {
  assert.ok(r.checks.length > 0, 'the scenario made no checks');
  t.diagnostic(`${r.checks.length} checks, ${r.checks.filter((c) => !c.ok).length} failed`);
  assert.deepEqual(
    r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`),
    [],
  );
}

interface PsDone {
  counters: Record<string, number>;
}
const psDone = (p: Proc): PsDone => JSON.parse(p.lines.find(event('ps-done')) ?? '{"counters":{}}') as PsDone;

const RUN = { lr: 0.5, momentum: 0.9, weight_decay: 0.01, warmup_steps: 3 };
const runFlags = (o: { batch: number; steps: number; workers: number; partBytes: number; momentum?: number; wd?: number }): string[] => [
  '--preset',
  'linreg-diag',
  '--workers',
  String(o.workers),
  '--batch',
  String(o.batch),
  '--steps',
  String(o.steps),
  '--lr',
  String(RUN.lr),
  '--momentum',
  String(o.momentum ?? RUN.momentum),
  '--weight-decay',
  String(o.wd ?? RUN.weight_decay),
  '--warmup-steps',
  String(RUN.warmup_steps),
  '--part-bytes',
  String(o.partBytes),
];

void test(
  'Python client, pushes in parts: 3 ranks, 2 shards, θ bit-identical to the float64 recipe every step; hostile parts get their documented ErrorCode',
  { timeout: 180_000 },
  async (t) => {
    if (!prerequisite(t, MISSING)) return;
    const flags = runFlags({ batch: 10, steps: 7, workers: 3, partBytes: 400 });
    const shards = await Promise.all([0, 1].map((s) => startShard(flags, s, 2)));
    try {
      const r = await scenario('parts_scenario.py', [JSON.stringify({ endpoints: shards.map((s) => s.endpoint), batch: 10, steps: 7, ...RUN })]);
      const codes = await Promise.all(shards.map((s) => s.proc.exit(30_000)));
      assert.deepEqual(codes, [0, 0], `the shards exit 0 after every goodbye:\n${shards.map((s) => s.proc.stderr.slice(-1500)).join('\n')}`);
      const hostile = r.facts['hostile'] as [string, string, string][];
      t.diagnostic(`refusals: ${hostile.map(([c, , got]) => `${c} → ${got}`).join('; ')}`);
      assert.equal(hostile.length, 8, 'every hostile case ran');
      // The shard counted each refusal under its reason (its own ps-done line).
      const want = r.facts['expected_counts_shard0'] as Record<string, number>;
      const got = psDone(shards[0].proc).counters;
      assert.deepEqual(
        { badShape: got['badShape'], checksumMismatch: got['checksumMismatch'], nonFinite: got['nonFinite'] },
        { badShape: want['bad_shape'], checksumMismatch: want['checksum_mismatch'], nonFinite: want['non_finite'] },
      );
      assert.equal(got['stepsClosed'], 7);
      assertChecks(t, r);
    } finally {
      for (const s of shards) s.proc.kill();
    }
  },
);

void test(
  'Python client, membership: a silent rank is lost after --heartbeat-timeout-ms, survivors RECOMPUTE with their new shares, a replacement is admitted; θ bit for bit, goodbyes end the run',
  { timeout: 120_000 },
  async (t) => {
    if (!prerequisite(t, MISSING)) return;
    const heartbeatTimeoutMs = 2000;
    const flags = [
      ...runFlags({ batch: 11, steps: 9, workers: 3, partBytes: 400 }),
      ...['--heartbeat-timeout-ms', String(heartbeatTimeoutMs), '--on-worker-loss', 'rebalance'],
    ];
    const shards = await Promise.all([0, 1].map((s) => startShard(flags, s, 2)));
    try {
      const r = await scenario('membership_scenario.py', [
        JSON.stringify({ endpoints: shards.map((s) => s.endpoint), batch: 11, steps: 9, heartbeat_timeout_ms: heartbeatTimeoutMs, ...RUN }),
      ]);
      t.diagnostic(`facts: ${JSON.stringify(r.facts)}`);
      assertChecks(t, r);
      const codes = await Promise.all(shards.map((s) => s.proc.exit(30_000)));
      assert.deepEqual(codes, [0, 0], `the shards exit 0 after the members' goodbyes:\n${shards.map((s) => s.proc.stderr.slice(-1500)).join('\n')}`);
      // Each shard's own counters: one loss, one admission, both survivors' step-2 pushes
      // dropped with RECOMPUTE, the lost rank's late push refused at shard 0.
      const [c0, c1] = shards.map((s) => psDone(s.proc).counters);
      const pick = (c: Record<string, number>) => ({
        stepsClosed: c['stepsClosed'],
        workersLost: c['workersLost'],
        workersAdmitted: c['workersAdmitted'],
        pushesRecompute: c['pushesRecompute'],
        unknownWorker: c['unknownWorker'],
      });
      // unknownWorker: the lost rank's late push, heartbeat and pull, and the forged goodbye.
      assert.deepEqual(pick(c0), { stepsClosed: 7, workersLost: 1, workersAdmitted: 1, pushesRecompute: 2, unknownWorker: 4 });
      // A follower learns the new epoch from the first recomputed push when that comes
      // before its own timer declares the loss: its workersLost is 0 or 1 by timing.
      const { workersLost: followerLost, ...follower } = pick(c1);
      assert.deepEqual(follower, { stepsClosed: 7, workersAdmitted: 1, pushesRecompute: 2, unknownWorker: 2 });
      assert.ok(followerLost === 0 || followerLost === 1, `follower workersLost ${followerLost}`);
      assert.equal(c0['membershipChanges'], 2, 'epoch 1 at the loss, epoch 2 at the admission');
    } finally {
      for (const s of shards) s.proc.kill();
    }
  },
);

void test(
  'Python client, wire dtype: bfloat16 and float16 pushes made by numpy/PyTorch bits combine bit for bit; wrong dtype, wrong length and overflow refused',
  { timeout: 120_000 },
  async (t) => {
    if (!prerequisite(t, MISSING)) return;
    const dtypes = ['bfloat16', 'float16'] as const;
    const shards = await Promise.all(
      dtypes.map((d) => startShard([...runFlags({ batch: 7, steps: 3, workers: 2, partBytes: 1200, momentum: 0.5, wd: 0 }), '--wire-dtype', d], 0, 1)),
    );
    try {
      const reports = await Promise.all(
        dtypes.map((d, i) =>
          scenario('wire_dtype_scenario.py', [JSON.stringify({ endpoints: [shards[i].endpoint], dtype: d, steps: 3, ...RUN, momentum: 0.5, weight_decay: 0 })]),
        ),
      );
      for (const [i, r] of reports.entries()) {
        t.diagnostic(`${dtypes[i]}: ${(r.facts['hostile'] as string[][]).map(([c, , got]) => `${c} → ${got}`).join('; ')}`);
        assertChecks(t, r);
        assert.equal((r.facts['hostile'] as unknown[]).length, 4, `${dtypes[i]}: every hostile case ran`);
        assert.equal(await shards[i].proc.exit(30_000), 0);
        assert.equal(psDone(shards[i].proc).counters['nonFinite'], 2, `${dtypes[i]}: the Inf and the NaN push counted non_finite`);
      }
    } finally {
      for (const s of shards) s.proc.kill();
    }
  },
);

void test(
  'Python client, CURVE: a pyzmq client with an allowed key pair trains bit for bit; another pair and a plain client reach nothing',
  { timeout: 60_000 },
  async (t) => {
    if (!prerequisite(t, MISSING)) return;
    const [server, client, stranger] = [curveKeyPair(), curveKeyPair(), curveKeyPair()];
    // The keys themselves in the variables (the documented alternative to key files).
    const env = { LNSGD_CURVE_PUBLIC_KEY: server.publicKey, LNSGD_CURVE_SECRET_KEY: server.secretKey, LNSGD_CURVE_ALLOWED_CLIENTS: client.publicKey };
    const shard = await startShard([...runFlags({ batch: 7, steps: 3, workers: 1, partBytes: 0 })], 0, 1, env);
    try {
      const r = await scenario('curve_scenario.py', [
        JSON.stringify({
          endpoints: [shard.endpoint],
          server_public: server.publicKey,
          client: { public: client.publicKey, secret: client.secretKey },
          stranger: { public: stranger.publicKey, secret: stranger.secretKey },
          steps: 3,
          silence_s: 1,
          ...RUN,
        }),
      ]);
      assertChecks(t, r);
      assert.equal(await shard.proc.exit(30_000), 0, shard.proc.stderr);
      assert.ok(
        shard.proc.stderr.split('\n').some((l) => l.startsWith('zap: refused') && l.includes(stranger.publicKey)),
        `the other pair was refused by the ZAP handler:\n${shard.proc.stderr.slice(-1500)}`,
      );
      assert.equal(psDone(shard.proc).counters['stepsClosed'], 3);
    } finally {
      shard.proc.kill();
    }
  },
);

void test(
  'Python client, estimation rounds: exact linreg-diag HVPs from a Python worker next to a TypeScript one give λ_max, tr∇²L and R(θ) of the closed form (and of the local estimate); bad answers ignored',
  { timeout: 120_000 },
  async (t) => {
    if (!prerequisite(t, MISSING)) return;
    const dir = mkdtempSync(join(tmpdir(), 'lnsgd-pyhvp-'));
    let metrics: Proc | undefined;
    let worker: Proc | undefined;
    let tsWorker: Proc | undefined;
    try {
      const params = join(dir, 'theta.bin');
      const port = await freePort();
      const endpoint = `tcp://127.0.0.1:${port}`;
      // d = 1000 samples, all in the evaluation batch, in the default 8 chunks: the Python
      // worker (rank 0) answers chunks [0, 4) exactly, the TypeScript worker (rank 1) [4, 8).
      // Both start first (ZeroMQ connects once the host binds), loading while θ is made.
      worker = new Proc(PY, [join(PY_CLIENT, 'hvp_round_worker.py'), endpoint, '0', '1000', '8'], { cwd: PY_CLIENT });
      tsWorker = new Proc(process.execPath, [
        TS_ROUND_WORKER,
        JSON.stringify({ endpoint, rank: 1, model: { preset: 'linreg-diag' }, seed: 0, samples: 1000, chunks: 8 }),
      ]);
      const train = await runCli([
        'train',
        '--inprocess',
        '--preset',
        'linreg-diag',
        '--steps',
        '2',
        '--no-sharpness',
        '--no-metrics',
        '--save-params',
        params,
      ]);
      assert.equal(train.code, 0, train.stderr);
      metrics = new Proc(process.execPath, [
        METRICS_BIN,
        ...['--params', params, '--preset', 'linreg-diag', '--final-step', '2', '--exit-when-done', '--samples', '1000'],
        ...['--sharpness', 'distributed', '--hvp-bind', endpoint, '--hvp-workers', '2'],
      ]);
      // The same estimator run locally on the same θ, seed and samples, meanwhile.
      const localRun = runCli(['sharpness', '--preset', 'linreg-diag', '--checkpoint', params, '--samples', '1000', '--json']);
      const est = JSON.parse(await metrics.line(event('estimate'), 90_000, 'estimate line')) as Record<string, number>;
      assert.equal(await metrics.exit(30_000), 0, metrics.stderr);
      worker.endInput();
      assert.equal(await worker.exit(30_000), 0, worker.stderr);
      const r = JSON.parse(worker.lines.at(-1) ?? '{}') as Report;
      assertChecks(t, r);
      t.diagnostic(`rounds: ${JSON.stringify(r.facts)}; estimate: ${JSON.stringify(est)}`);
      assert.match(metrics.stderr, /products have length 999, expected 1×1000/, 'the short answer was refused');
      assert.match(metrics.stderr, /product 0 is NaN/, 'the NaN answer was refused');
      assert.match(metrics.stderr, /samples 501, chunks \[0, 4\) hold 500/, 'the answer with the wrong sample count was refused');
      assert.match(metrics.stderr, /owes no task/, 'the answer for a task never assigned was refused');
      assert.deepEqual(r.facts['chunks'], [[0, 4]], 'the Python worker (rank 0 of 2) was given chunks [0, 4) every round');

      // Closed form: ∇²L = diag(k/1000), η = 1 (proto docs; docs/sharpness-accuracy.md).
      const trace = 500.5;
      let R = 0;
      for (let k = 1; k <= 1000; k++) R += -0.5 * Math.log(1 - k / 2000);
      // A Ritz value is at most λ_max, and within its residual of an eigenvalue.
      assert.ok(
        est['topEigenvalue'] <= 1 + 1e-9 && 1 - est['topEigenvalue'] <= est['topEigenvalueError'],
        `λ_max ${est['topEigenvalue']} ± ${est['topEigenvalueError']} vs 1`,
      );
      // Stochastic (10 probes, fixed seed): within 3 standard errors (0.27% false-failure odds for a random seed).
      assert.ok(
        Math.abs(est['traceHessian'] - trace) <= 3 * est['traceHessianStderr'],
        `trace ${est['traceHessian']} ± ${est['traceHessianStderr']} vs ${trace}`,
      );
      assert.ok(
        Math.abs(est['implicitRegularizer'] - R) <= 3 * est['implicitRegularizerStderr'],
        `R ${est['implicitRegularizer']} ± ${est['implicitRegularizerStderr']} vs ${R}`,
      );

      // The local estimate takes float32 products: the rounds' exact float64 ones agree to
      // float32 summation order.
      const local = await localRun;
      assert.equal(local.code, 0, local.stderr);
      const l = JSON.parse(local.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
      const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
      const diffs = {
        top: rel(est['topEigenvalue'], l['top_eigenvalue']),
        trace: rel(est['traceHessian'], l['trace_hessian']),
        R: rel(est['implicitRegularizer'], l['implicit_regularizer']),
      };
      t.diagnostic(`relative difference from the local estimate: ${JSON.stringify(diffs)}`);
      for (const [k, v] of Object.entries(diffs)) assert.ok(v <= 5e-5, `${k}: ${v}`);
    } finally {
      metrics?.kill();
      worker?.kill();
      tsWorker?.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
