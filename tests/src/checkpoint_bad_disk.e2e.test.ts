import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonLines, LNSGD_BIN, runCli } from './run_cli';

// Checkpoints on bad disks, across real processes (launcher, two parameter-server shards,
// two workers over ZeroMQ): a damaged newest checkpoint is passed over on resume and the
// run continues bit-identically from the one before; a disk that fills up or turns
// read-only mid-run costs checkpoints, never the run. The disk faults need root for a
// tmpfs mounted in a private mount namespace (`unshare -m`): nothing outside sees it.

const CLUSTER = ['train', '--preset', 'uv-toy', '--workers', '2', '--shards', '2', '--no-metrics', '--no-sharpness', '--json', '--max-restarts', '0'];

const sha = (stdout: string): unknown => jsonLines(stdout).at(-1)?.params_sha256;
const steps = (stdout: string): unknown => jsonLines(stdout).at(-1)?.['steps'];

void test(
  'a corrupted newest checkpoint is passed over on resume, naming it, and the run continues bit-identically from the newest step every shard has intact',
  { timeout: 180_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lnsgd-ckpt-corrupt-'));
    try {
      const ckpt = join(dir, 'ckpt');
      const referenceRun = runCli([...CLUSTER, '--steps', '60']);
      const first = await runCli([...CLUSTER, '--steps', '40', '--checkpoint-dir', ckpt, '--checkpoint-every', '10']);
      assert.equal(first.code, 0, first.stderr);
      const name = (s: number, v: number): string => `shard-${s}-of-2.step-${String(v).padStart(9, '0')}.ckpt`;
      assert.deepEqual(
        readdirSync(ckpt).sort(),
        [name(0, 20), name(0, 30), name(0, 40), name(1, 20), name(1, 30), name(1, 40)],
        'the newest 3 per shard (default --checkpoint-keep)',
      );
      // Damage after the write: one flipped bit in shard 0's newest, shard 1's step 30 cut short.
      const s0 = join(ckpt, name(0, 40));
      const bytes = readFileSync(s0);
      bytes[bytes.length - 33] ^= 0x01;
      writeFileSync(s0, bytes);
      const s1 = join(ckpt, name(1, 30));
      truncateSync(s1, readFileSync(s1).length - 10);

      const resumed = await runCli([...CLUSTER, '--steps', '60', '--resume', ckpt, '--checkpoint-dir', ckpt, '--checkpoint-every', '10']);
      assert.equal(resumed.code, 0, resumed.stderr);
      const passed = resumed.stderr.split('\n').filter((l) => l.startsWith(`lnsgd: --resume ${ckpt}: passed over`));
      assert.equal(passed.length, 4, resumed.stderr);
      assert.ok(
        passed.some((l) => l.includes(`${s0}: corrupted or truncated`)),
        resumed.stderr,
      );
      assert.ok(
        passed.some((l) => l.includes(`${s1}: corrupted or truncated`)),
        resumed.stderr,
      );
      assert.ok(
        passed.some((l) => l.includes(`${join(ckpt, name(0, 30))}: at step 30, but not every shard has an intact checkpoint there`)),
        resumed.stderr,
      );
      assert.ok(
        passed.some((l) => l.includes(`${join(ckpt, name(1, 40))}: at step 40, but not every shard has an intact checkpoint there`)),
        resumed.stderr,
      );
      assert.match(resumed.stderr, /resuming at step 20, the newest step every shard has intact/);
      // Shard 0's step 30 is intact: only --resume-step keeps it at step 20 with shard 1.
      assert.match(resumed.stderr, /\[ps0\] ps\[0\]: resumed from .* at step 20 /);
      assert.match(resumed.stderr, /\[ps1\] ps\[1\]: resumed from .* at step 20 /);

      const reference = await referenceRun;
      assert.equal(reference.code, 0, reference.stderr);
      assert.equal(steps(resumed.stdout), 60);
      assert.equal(sha(resumed.stdout), sha(reference.stdout), 'bitwise-identical parameters to an uninterrupted 60-step run');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

/** Why the disk-fault test cannot run here, or false when it can (root, unshare, tmpfs). */
function diskFaultsUnavailable(): string | false {
  if (process.getuid?.() !== 0) return 'needs root to mount a tmpfs in a private mount namespace';
  const probe = mkdtempSync(join(tmpdir(), 'lnsgd-unshare-probe-'));
  try {
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'mount', '-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', probe], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    return r.status === 0 ? false : `unshare -m / mount -t tmpfs failed: ${(r.stderr || String(r.error)).trim()}`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const unavailable = diskFaultsUnavailable();
// CI runs as root: there a missing prerequisite is a failure, not a skip.
const skip = process.env['CI'] !== undefined && process.env['CI'] !== '' ? false : unavailable;

void test(
  'a disk that fills up (ENOSPC) or turns read-only mid-run: failures are logged and counted, training completes bit-identically, and a resume takes the newest intact step',
  { skip, timeout: 240_000 },
  async () => {
    assert.equal(unavailable, false, `CI is set but ${String(unavailable)}`);
    const dir = mkdtempSync(join(tmpdir(), 'lnsgd-ckpt-disk-'));
    try {
      for (const d of ['full', 'ro', 'out']) mkdirSync(join(dir, d));
      const cli = (args: string[]): string => [process.execPath, LNSGD_BIN, ...CLUSTER, ...args].map((a) => `'${a}'`).join(' ');
      const out = (name: string): string => join(dir, 'out', name);
      // Both mounts live and die with this shell's private mount namespace.
      const script = [
        'set -u',
        `mount -t tmpfs -o size=20k tmpfs '${dir}/full'`,
        // 5 pages, 2 taken: room for three one-page checkpoint files.
        `head -c 8192 /dev/zero > '${dir}/full/filler'`,
        `${cli(['--steps', '60', '--checkpoint-dir', `${dir}/full/ckpt`, '--checkpoint-every', '10'])} > '${out('full.out')}' 2> '${out('full.err')}'; echo $? > '${out('full.code')}'`,
        `ls -A '${dir}/full/ckpt' > '${out('full.ls')}'`,
        `${cli(['--steps', '60', '--resume', `${dir}/full/ckpt`])} > '${out('full-resume.out')}' 2> '${out('full-resume.err')}'; echo $? > '${out('full-resume.code')}'`,
        `mount -t tmpfs -o size=1m tmpfs '${dir}/ro'`,
        `${cli(['--steps', '1000', '--checkpoint-dir', `${dir}/ro/ckpt`, '--checkpoint-every', '50'])} > '${out('ro.out')}' 2> '${out('ro.err')}' & pid=$!`,
        // Read-only as soon as the first checkpoint is there (50 s at most).
        `i=0; until ls '${dir}/ro/ckpt' 2>/dev/null | grep -q step || [ $i -ge 2500 ]; do sleep 0.02; i=$((i+1)); done`,
        `mount -o remount,ro '${dir}/ro'`,
        `wait $pid; echo $? > '${out('ro.code')}'`,
        `ls -A '${dir}/ro/ckpt' > '${out('ro.ls')}'`,
        `${cli(['--steps', '1000', '--resume', `${dir}/ro/ckpt`])} > '${out('ro-resume.out')}' 2> '${out('ro-resume.err')}'; echo $? > '${out('ro-resume.code')}'`,
      ].join('\n');
      const referenceRuns = [runCli([...CLUSTER, '--steps', '60']), runCli([...CLUSTER, '--steps', '1000'])];
      const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8', timeout: 200_000 });
      assert.equal(r.status, 0, `${r.stderr}${String(r.error ?? '')}`);
      const [ref60, ref1000] = await Promise.all(referenceRuns);
      assert.equal(ref60.code, 0, ref60.stderr);
      assert.equal(ref1000.code, 0, ref1000.stderr);
      const read = (name: string): string => readFileSync(out(name), 'utf8');

      // Full disk: steps 10 (both shards) and 20 (whichever shard came first) fit, the other
      // 9 of 12 writes fail with ENOSPC; the run completes with the same θ as without checkpoints.
      assert.equal(read('full.code').trim(), '0', read('full.err'));
      assert.equal(sha(read('full.out')), sha(ref60.stdout), 'training unaffected by the full disk');
      const enospc = read('full.err')
        .split('\n')
        .filter((l) => /\[ps[01]\] ps\[[01]\]: checkpoint at step \d+ failed \(\d+ so far\); training goes on: .*ENOSPC/.test(l));
      assert.equal(enospc.length, 9, read('full.err'));
      assert.match(read('full.err'), /failed \(5 so far\)/, 'the shard that lost the race counts 5 failures');
      const files = read('full.ls').trim().split('\n');
      assert.equal(files.length, 3, `three checkpoints, no temporary files: ${files.join(' ')}`);
      assert.deepEqual(files.filter((f) => f.includes('step-000000010')).length, 2);
      const late = files.find((f) => f.includes('step-000000020'));
      assert.ok(late !== undefined, files.join(' '));
      // Resume: step 20 exists for one shard only, so both resume at 10 and recompute to the same θ.
      assert.equal(read('full-resume.code').trim(), '0', read('full-resume.err'));
      assert.match(
        read('full-resume.err'),
        new RegExp(`passed over checkpoint .*${late.replace(/\./g, '\\.')}: at step 20, but not every shard has an intact checkpoint there`),
      );
      assert.match(read('full-resume.err'), /resuming at step 10, the newest step every shard has intact/);
      assert.equal(sha(read('full-resume.out')), sha(ref60.stdout), 'resumed run bitwise equal to the uninterrupted one');

      // Read-only mid-run: the writes after the remount fail with EROFS, the run completes.
      assert.equal(read('ro.code').trim(), '0', read('ro.err'));
      assert.equal(sha(read('ro.out')), sha(ref1000.stdout), 'training unaffected by the read-only disk');
      const erofs = read('ro.err')
        .split('\n')
        .filter((l) => /checkpoint at step \d+ failed \(\d+ so far\); training goes on: .*EROFS/.test(l));
      const kept = read('ro.ls').trim().split('\n');
      assert.ok(
        kept.length >= 2 && kept.every((f) => /^shard-[01]-of-2\.step-\d{9}\.ckpt$/.test(f)),
        `checkpoints from before the remount, no temporary files: ${kept.join(' ')}`,
      );
      assert.ok(erofs.length >= 2, `at least the final checkpoint of each shard failed:\n${read('ro.err')}`);
      assert.ok(
        erofs.some((l) => l.includes('checkpoint at step 1000 failed')),
        read('ro.err'),
      );
      assert.equal(read('ro-resume.code').trim(), '0', read('ro-resume.err'));
      assert.equal(sha(read('ro-resume.out')), sha(ref1000.stdout), 'resumed from the read-only directory: bitwise equal');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
