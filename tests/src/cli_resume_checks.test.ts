import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonLines, runCli } from './run_cli';

// Runs that always end and errors before work: a finished checkpoint is summarized at
// once, a corrupted one is refused before any process starts, and bad output paths and
// conflicting flags are refused before any step.

const CLUSTER = ['train', '--preset', 'uv-toy', '--workers', '2', '--steps', '400', '--no-metrics', '--json'];

void test(
  '--resume of a checkpoint already at --steps prints the final summary at once; a corrupted or foreign one is refused before anything starts',
  { timeout: 240_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lnsgd-resume-'));
    try {
      const ckpt = join(dir, 'ckpt');
      const first = await runCli([...CLUSTER, '--checkpoint-dir', ckpt]);
      assert.equal(first.code, 0, first.stderr);
      const trained = jsonLines(first.stdout).at(-1);
      assert.equal(trained?.event, 'summary');

      const again = await runCli([...CLUSTER, '--resume', ckpt]);
      assert.equal(again.code, 0, again.stderr);
      const events = jsonLines(again.stdout);
      assert.deepEqual(
        events.map((e) => e.event),
        ['summary'],
        'no process started: no endpoints, no progress',
      );
      assert.equal(events[0]['steps'], 400);
      assert.equal(events[0]['resumed_at_step'], 400);
      assert.equal(events[0].params_sha256, trained?.params_sha256, 'the checkpoint holds the trained θ');

      assert.deepEqual(readdirSync(ckpt), ['shard-0-of-1.step-000000400.ckpt'], 'one checkpoint, at the end');
      const file = join(ckpt, 'shard-0-of-1.step-000000400.ckpt');
      const good = readFileSync(file);
      const bad = Buffer.from(good);
      bad[bad.length - 32 - 20] ^= 0x04; // a byte of the optimizer state / θ region, before the digest
      writeFileSync(file, bad);
      const corrupt = await runCli([...CLUSTER, '--steps', '800', '--resume', ckpt]);
      assert.equal(corrupt.code, 1);
      assert.equal(corrupt.stdout, '', 'nothing started');
      assert.match(
        corrupt.stderr,
        /--resume .*: no step at which all 1 shard\(s\) have an intact checkpoint; passed over:\n {2}- checkpoint .*shard-0-of-1\.step-000000400\.ckpt: corrupted or truncated.*resume from an intact copy/,
      );
      assert.equal(corrupt.stderr.match(/corrupted/g)?.length, 1, 'said once');
      writeFileSync(file, good);

      const shards = await runCli([...CLUSTER, '--shards', '2', '--resume', ckpt]);
      assert.equal(shards.code, 1);
      assert.match(shards.stderr, /--resume .*checkpoints of 1 shard\(s\), not 2; pass --shards 1/);
      const other = await runCli([...CLUSTER, '--lr', '0.05', '--resume', ckpt]);
      assert.equal(other.code, 1);
      assert.match(other.stderr, /--resume .*of another run/);
      const missing = await runCli([...CLUSTER, '--resume', join(dir, 'nope')]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /--resume .*nope: no such directory/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

void test('bad output paths and conflicting flags are refused before any step, naming the flag', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-preflight-'));
  try {
    const aFile = join(dir, 'a-file');
    writeFileSync(aFile, 'x');
    const cases: [string[], RegExp][] = [
      [
        ['train', '--inprocess', '--save-params', '/nonexistent/dir/x.bin', '--json'],
        /--save-params \/nonexistent\/dir\/x\.bin: the directory \/nonexistent\/dir does not exist/,
      ],
      [['train', '--workers', '2', '--save-params', '/nonexistent/dir/x.bin', '--json'], /--save-params .*does not exist/],
      [['train', '--workers', '2', '--checkpoint-dir', join(aFile, 'sub'), '--json'], /--checkpoint-dir .*is a file, not a directory/],
      [['train', '--no-metrics', '--metrics-every-steps', '10', '--json'], /--metrics-every-steps conflicts with --no-metrics/],
      [['train', '--inprocess', '--no-metrics', '--metrics-every-steps', '10', '--json'], /--metrics-every-steps conflicts with --no-metrics/],
      [['train', '--checkpoint-every', '10', '--json'], /--checkpoint-every needs --checkpoint-dir/],
      [['train', '--shards', '3', '--json'], /--shards must be an integer in \[1, 2\] for uv-toy \(2 parameters\), got 3/],
      [['train', '--inprocess', '--preset', 'uv-toy', '--flip-prob', '0.2'], /--flip-prob = 0\.2: .*regression task/],
      [['experiment', 'edge-of-stability', '--quick', '--out', aFile, '--json'], /--out .*a-file: .*is a file, not a directory/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      assert.equal(r.code, 1, `${args.join(' ')}\n${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '', `${args.join(' ')}: nothing ran`);
      assert.equal(r.stderr.match(new RegExp(message.source, 'g'))?.length, 1, `${args.join(' ')}: said once\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n\s+at |local cluster|parameter-server:/, 'no stack trace, nothing started');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
