import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CLUSTER_MALLOC_ENV } from '@lnsgd/trainer/node-flags';

/** One child of the local cluster. */
export interface ClusterChild {
  /** e.g. 'ps0', 'worker1'. */
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
}

/** How a child ended. */
export interface ChildExit {
  readonly child: ClusterChild;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last lines it wrote to stderr (for error messages). */
  readonly stderrTail: readonly string[];
}

/** Options of {@link ChildProcessGroup.spawn}. */
export interface SpawnOptions {
  readonly name: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Node/V8 flags placed before the script (`node …execArgv script args…`), e.g. heap sizing. */
  readonly execArgv?: readonly string[];
  /** Each stdout line. */
  readonly onStdout: (line: string) => void;
  /** Each stderr line. */
  readonly onStderr: (line: string) => void;
}

/**
 * The processes of a local cluster. Each child runs in a process group of its own, so
 * a terminal's Ctrl-C (SIGINT to the whole foreground group) reaches only the
 * launcher, which then asks for one orderly stop. Children get a stdin pipe they watch
 * (--exit-with-parent): if this process dies, even by SIGKILL, the pipe closes and
 * they exit, so no orphans survive. `killAll` ends the rest at once.
 */
export class ChildProcessGroup {
  private readonly children: ClusterChild[] = [];
  private readonly exits: ((e: ChildExit) => void)[] = [];
  private readonly closed = new Set<ClusterChild>();

  /** The children spawned so far. */
  get all(): readonly ClusterChild[] {
    return this.children;
  }

  /** Calls `f` whenever a child exits. */
  onExit(f: (e: ChildExit) => void): void {
    this.exits.push(f);
  }

  /**
   * Starts `node script args…`.
   *
   * @param options name, script, args, env, Node flags and line handlers.
   */
  spawn(options: SpawnOptions): ClusterChild {
    const proc = spawn(process.execPath, [...(options.execArgv ?? []), options.script, ...options.args], {
      // The allocator settings first, so that a value the user set in the environment wins.
      env: { ...CLUSTER_MALLOC_ENV, ...process.env, ...options.env, LNSGD_EXIT_WITH_PARENT: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group: the terminal's SIGINT is the launcher's to forward.
      detached: true,
    });
    if (proc.pid === undefined) throw new Error(`local cluster: could not start ${options.name} (${options.script})`);
    const child: ClusterChild = { name: options.name, process: proc, pid: proc.pid };
    this.children.push(child);
    const tail: string[] = [];
    createInterface({ input: proc.stdout }).on('line', options.onStdout);
    createInterface({ input: proc.stderr }).on('line', (l) => {
      tail.push(l);
      if (tail.length > 20) tail.shift();
      options.onStderr(l);
    });
    // Writing to a dead child's stdin must not crash the launcher.
    proc.stdin.on('error', () => undefined);
    // 'close' (not 'exit'): fires after the child's stdout is drained, so its last lines are seen first.
    proc.on('close', (code, signal) => {
      this.closed.add(child);
      for (const f of this.exits) f({ child, code, signal, stderrTail: tail });
    });
    return child;
  }

  /** Sends a signal to every child still running. */
  signalAll(signal: NodeJS.Signals, filter: (c: ClusterChild) => boolean = () => true): void {
    for (const c of this.children) {
      if (c.process.exitCode === null && c.process.signalCode === null && filter(c)) c.process.kill(signal);
    }
  }

  /** SIGKILLs every child still running. */
  killAll(): void {
    this.signalAll('SIGKILL');
  }

  /** Resolves once every child has exited. */
  async waitAll(): Promise<void> {
    await Promise.all(this.children.map((c) => (this.closed.has(c) ? Promise.resolve() : new Promise<void>((r) => c.process.once('close', () => r())))));
  }
}
