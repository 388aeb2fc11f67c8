import { spawn } from 'node:child_process';

/**
 * A tiny terminal: runs `argv` as the session leader of a new pseudo-terminal (python3's
 * pty module), copies what it prints, and types Ctrl-C (byte 0x03) once the output
 * matches `ctrlCWhen`, so the terminal's line discipline sends SIGINT to the whole
 * foreground process group, exactly as a user's Ctrl-C does.
 */
const PTY_SCRIPT = `
import os, pty, re, select, sys
trigger = re.compile(sys.argv[1].encode())
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
buf = b''
sent = False
while True:
    try:
        r, _, _ = select.select([fd], [], [], 600)
    except InterruptedError:
        continue
    if not r:
        break
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    buf += data
    if not sent and trigger.search(buf):
        os.write(fd, b'\\x03')
        sent = True
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(buf)
sys.stdout.flush()
sys.stderr.write('SENT\\n' if sent else 'NOT SENT\\n')
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
`;

export interface PtyResult {
  /** Exit code of the command (128 + n when killed by signal n). */
  readonly code: number | null;
  /** Everything it printed to the terminal (stdout and stderr together, CRLF line ends). */
  readonly output: string;
  /** Whether Ctrl-C was typed. */
  readonly ctrlCSent: boolean;
}

/** Runs `argv` on a pseudo-terminal and types Ctrl-C once its output matches `ctrlCWhen`. */
export function runInPty(argv: readonly string[], ctrlCWhen: RegExp, opts: { readonly cwd?: string } = {}): Promise<PtyResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', PTY_SCRIPT, ctrlCWhen.source, ...argv], { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: out.replace(/\r\n/g, '\n'), ctrlCSent: /SENT/.test(err) && !/NOT SENT/.test(err) }));
  });
}
