import * as fs from 'node:fs';
import * as path from 'node:path';

/** The part of node:test's TestContext this module uses. */
export interface SkippableTest {
  skip(message?: string): void;
}

/**
 * Whether this run is CI: the `CI` environment variable is set to anything but '', '0'
 * or 'false' (`.ci/run` sets CI=true; most CI services set it too).
 *
 * @param env the environment (default process.env).
 * @example inCi({ CI: 'true' }) // true
 */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env['CI'];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * Guards a test on a prerequisite that may be missing on a developer's machine
 * (prometheus, kubectl, Fashion-MNIST, root, PyTorch): locally the test is skipped with
 * the reason; under CI it fails, so a CI run can never pass by skipping.
 *
 * @param t the test's context.
 * @param missing false when the prerequisite is there, else what is missing and how to install it.
 * @param env the environment (default process.env).
 * @returns true when the test may go on; false after skipping it (return at once).
 * @throws Error naming the prerequisite when CI is set.
 * @example if (!prerequisite(t, promtool === undefined && 'promtool not installed (apt-get install prometheus)')) return;
 */
export function prerequisite(t: SkippableTest, missing: string | false, env: NodeJS.ProcessEnv = process.env): boolean {
  if (missing === false) return true;
  if (inCi(env)) throw new Error(`prerequisite missing, and CI is set so this test fails instead of skipping: ${missing}`);
  t.skip(missing);
  return false;
}

/** An executable on PATH (or an absolute path), or undefined. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = path.isAbsolute(name) ? [''] : (env['PATH'] ?? '').split(path.delimiter).filter((d) => d !== '');
  for (const dir of dirs) {
    const file = dir === '' ? name : path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here: try the next directory
    }
  }
  return undefined;
}

/**
 * Which optional prerequisites of the test suites this machine has, one `name=yes|no`
 * line each, plus whether CI is set. Nx hashes this output into the test targets'
 * inputs, so a run that skipped for want of a prerequisite is never replayed from the
 * cache once the prerequisite is there (nor under CI).
 */
export function prerequisiteReport(env: NodeJS.ProcessEnv = process.env): string {
  const has = (ok: boolean): string => (ok ? 'yes' : 'no');
  const lines = [
    ...['prometheus', 'promtool', 'kubectl', 'ip'].map((bin) => `${bin}=${has(onPath(bin, env) !== undefined)}`),
    `fashion-mnist=${has(fs.existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'))}`,
    `python3-torch=${has(fs.existsSync('/usr/lib/python3/dist-packages/torch/__init__.py'))}`,
    `python3-zmq=${has(fs.existsSync('/usr/lib/python3/dist-packages/zmq/__init__.py'))}`,
    `python3-protobuf=${has(fs.existsSync('/usr/lib/python3/dist-packages/google/protobuf/__init__.py'))}`,
    `protoc=${has(onPath('protoc', env) !== undefined)}`,
    `root=${has(process.getuid?.() === 0)}`,
    `ci=${has(inCi(env))}`,
  ];
  return `${lines.join('\n')}\n`;
}
