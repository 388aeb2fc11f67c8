import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zmq from 'zeromq';
import { parseExposition } from '@lnsgd/telemetry';
import { encodeMessage, float32Frame, pb, type pbTypes } from '@lnsgd/transport';
import { runCliStreaming } from './cluster_helpers';
import { jsonLines, runCli } from './run_cli';

// Bad input at the PS, end to end: while a real local cluster
// trains, a stranger's socket floods the PS port with over 10,000 malformed, truncated,
// bit-flipped, oversized, wrong-version, NaN-carrying, wrong-dtype, wrong-length,
// wrong-checksum, unknown-worker, wrong-token, server-only and forged-goodbye frames.
// The run must finish with the parameters of a clean run (bit-identical), and the
// shard must have counted every refusal by reason, exactly: the test decodes each frame
// it sends the way the PS does (an oracle of KvServer.onFrames and the shard's handle)
// and compares its tally with the shard's ShardStats (read back with a SnapshotRequest,
// the metrics service's own request, over the same connection after the flood) and
// with lnsgd_transport_rejected_messages_total{reason} scraped from the PS's /metrics.

/** Rounds of the flood; each round sends FRAMES_PER_ROUND messages. */
const FUZZ_ROUNDS = 1000;
/** Per-message limit given to the PS (LNSGD_MAX_MESSAGE_BYTES); "oversized" frames exceed it. */
const MAX_MESSAGE_BYTES = 64 * 1024;
/** The run must outlast the flood (the snapshot is read mid-run). */
const STEPS = 15_000;
const TOKEN = 'hostile-input-test-token';
/** Request id of the test's own SnapshotRequest: no hostile message may carry it. */
const SNAPSHOT_ID = 0x7eadbeef;
/** Bytes of the ROUTER identity frame the PS counts into a message's size (libzmq's generated ids). */
const IDENTITY_BYTES = 5;

/** ShardStats fields a stranger's frame can move (the oracle's verdicts), plus what the shard leaves uncounted. */
type Verdict = 'malformed' | 'versionMismatch' | 'tooLarge' | 'unknownWorker' | 'notAuthorized' | 'served';
const COUNTED: readonly Exclude<Verdict, 'served'>[] = ['malformed', 'versionMismatch', 'tooLarge', 'unknownWorker', 'notAuthorized'];
/** ShardStats fields a stranger must never move: its frames are refused before any payload is read. */
const UNTOUCHED = ['badShape', 'nonFinite', 'checksumMismatch', 'stepMismatch', 'pushesStale'] as const;
/** The rejected-messages reason label of each counted verdict. */
const REASON: Record<Exclude<Verdict, 'served'>, string> = {
  malformed: 'malformed',
  versionMismatch: 'version_mismatch',
  tooLarge: 'too_large',
  unknownWorker: 'unknown_worker',
  notAuthorized: 'not_authorized',
};

/** Deterministic pseudo-random numbers (xorshift32). */
class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  u32(): number {
    let s = this.s;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.s = s >>> 0;
    return this.s;
  }
  below(n: number): number {
    return this.u32() % n;
  }
  bytes(len: number): Buffer {
    const b = Buffer.alloc(len);
    for (let i = 0; i < len; i++) b[i] = this.u32() & 0xff;
    return b;
  }
}

/**
 * What the PS does with one message from a peer that is not a registered worker:
 * KvServer.onFrames (size, decode, protocol) then the shard's handle (by body).
 * `served` = answered without a refusal (heartbeat, snapshot request).
 */
function verdict(frames: readonly Uint8Array[]): Verdict {
  let bytes = IDENTITY_BYTES;
  for (const f of frames) bytes += f.byteLength;
  if (bytes > MAX_MESSAGE_BYTES) return 'tooLarge';
  let env: pbTypes.Envelope;
  try {
    env = pb.Envelope.decode(Buffer.from(frames[0]));
  } catch {
    return 'malformed';
  }
  if (env.body === undefined) return 'malformed';
  if (env.protocol !== 1) return 'versionMismatch';
  switch (env.body) {
    case 'register':
      // A stranger never has the run token (the registration paths after it are a worker's).
      assert.notEqual(env.register?.authToken, TOKEN);
      return 'notAuthorized';
    case 'push':
    case 'pull':
    case 'stop':
      return 'unknownWorker';
    case 'heartbeat':
    case 'snapshotRequest':
      return 'served';
    case 'assignment':
    case 'params':
    case 'heartbeatAck':
    case 'snapshot':
    case 'error':
    case 'membership':
      // Server-to-client bodies.
      return 'malformed';
  }
}

/** The request id the PS would echo (to keep hostile messages off the test's own snapshot id). */
function requestIdOf(header: Uint8Array): number | undefined {
  try {
    return pb.Envelope.decode(Buffer.from(header)).requestId;
  } catch {
    return undefined;
  }
}

/** Flips 1–4 random bits of a copy of `b`. */
function flipBits(b: Uint8Array, rng: Rng): Buffer {
  const out = Buffer.from(b);
  if (out.length === 0) return out;
  const n = 1 + rng.below(4);
  for (let i = 0; i < n; i++) out[rng.below(out.length)] ^= 1 << rng.below(8);
  return out;
}

/** Backing store of the oversized messages (each a view of a random length over the limit). */
const OVERSIZED = new Uint8Array(MAX_MESSAGE_BYTES + 4096);

/** Kinds of hostile message, one of each per round. */
const KINDS = [
  'garbage',
  'truncated push',
  'empty header',
  'wrong version',
  'oversized',
  'NaN push',
  'wrong dtype push',
  'wrong length push',
  'wrong checksum push',
  'bit-flipped push',
  'bit-flipped register',
  'forged pull',
  'forged goodbye',
  'wrong token',
  'server-only body',
] as const;
type Kind = (typeof KINDS)[number];

/** One round of hostile messages (each a list of ZeroMQ frames, as a DEALER sends them). */
function hostileRound(round: number, rng: Rng): Array<{ kind: Kind; frames: Uint8Array[] }> {
  const grad = float32Frame(
    Float32Array.from({ length: 100 }, (_, i) => i / 100),
    { offset: 0 },
  );
  const push = (g: pbTypes.ITensorFrame, extra: Partial<pbTypes.IPushGradient> = {}): Uint8Array =>
    encodeMessage({ requestId: 1000 + round, push: { rank: round % 2, step: round, numSamples: 8, loss: 1, grad: g, session: 'forged-session', ...extra } })[0];
  const nan = float32Frame(new Float32Array(100).fill(Number.NaN), { offset: 0 });
  const validPush = push(grad.header);
  const register = encodeMessage({ requestId: 6, register: { workerId: `intruder-${round}`, requestedRank: 0, authToken: 'wrong' } })[0];
  const garbage = rng.bytes(16 + rng.below(200));
  // 0xff as the first byte is a protobuf tag of wire type 7, which no decoder accepts.
  garbage[0] = 0xff;
  const serverOnly = [
    { params: { version: 1, loss: 0 } },
    { error: { code: pb.ErrorCode.MALFORMED, message: 'x' } },
    { assignment: { rank: 0, worldSize: 1 } },
    { heartbeatAck: { version: 1 } },
    { snapshot: { version: 1 } },
  ][round % 5];
  return [
    { kind: 'garbage', frames: [garbage] },
    { kind: 'truncated push', frames: [validPush.subarray(0, rng.below(validPush.length)), grad.bytes] },
    { kind: 'empty header', frames: [new Uint8Array(0)] },
    { kind: 'wrong version', frames: [pb.Envelope.encode({ protocol: 2 + rng.below(1000), requestId: 2, pull: { rank: 0, session: 'x' } }).finish()] },
    // over LNSGD_MAX_MESSAGE_BYTES, under libzmq's hard cap
    { kind: 'oversized', frames: [validPush, OVERSIZED.subarray(0, MAX_MESSAGE_BYTES + 1 + rng.below(4096))] },
    { kind: 'NaN push', frames: [push(nan.header, { loss: Number.NaN }), nan.bytes] },
    { kind: 'wrong dtype push', frames: [push({ ...grad.header, dtype: pb.DType.BFLOAT16 }), grad.bytes] },
    { kind: 'wrong length push', frames: [push({ ...grad.header, length: 1 + rng.below(1_000_000) }), grad.bytes.subarray(0, 4 * rng.below(100))] },
    { kind: 'wrong checksum push', frames: [push({ ...grad.header, checksum: (grad.header.checksum ?? 0) ^ (1 + rng.below(0xffff)) }), grad.bytes] },
    { kind: 'bit-flipped push', frames: [flipBits(validPush, rng), grad.bytes] },
    { kind: 'bit-flipped register', frames: [flipBits(register, rng)] },
    { kind: 'forged pull', frames: encodeMessage({ requestId: 4, pull: { rank: rng.below(4), session: 'forged-session' } }) },
    { kind: 'forged goodbye', frames: encodeMessage({ stop: { reason: `done rank ${rng.below(2)}` } }) },
    { kind: 'wrong token', frames: [register] },
    { kind: 'server-only body', frames: encodeMessage({ requestId: 7, ...serverOnly }) },
  ];
}

/** Every message of the flood, with the tally the shard should end with. */
function buildFlood(): { messages: Uint8Array[][]; expected: Record<Verdict, number>; byKind: Map<string, Record<Verdict, number>> } {
  const rng = new Rng(20261127);
  const expected: Record<Verdict, number> = { malformed: 0, versionMismatch: 0, tooLarge: 0, unknownWorker: 0, notAuthorized: 0, served: 0 };
  const byKind = new Map<string, Record<Verdict, number>>();
  const messages: Uint8Array[][] = [];
  for (let r = 0; r < FUZZ_ROUNDS; r++) {
    for (const { kind, frames } of hostileRound(r, rng)) {
      if (requestIdOf(frames[0]) === SNAPSHOT_ID) continue;
      const v = verdict(frames);
      expected[v]++;
      const k = byKind.get(kind) ?? { malformed: 0, versionMismatch: 0, tooLarge: 0, unknownWorker: 0, notAuthorized: 0, served: 0 };
      k[v]++;
      byKind.set(kind, k);
      messages.push(frames);
    }
  }
  return { messages, expected, byKind };
}

interface Flood {
  /** The shard's counters right after the flood. */
  readonly stats: pbTypes.IShardStats;
  readonly version: number;
  /** Seconds from the first send to the snapshot reply. */
  readonly seconds: number;
  /** Error codes of the error replies that came back (ROUTER drops replies past its high-water mark). */
  readonly codes: Map<number, number>;
  /** Replies by body kind. */
  readonly bodies: Map<string, number>;
}

/**
 * A stranger's DEALER: reads replies in the background, tallies them, and asks
 * questions that are sent again until answered (the PS's ROUTER drops replies past its
 * low high-water mark; requests on one connection are served in order).
 */
function stranger(endpoint: string): {
  sock: zmq.Dealer;
  ask: (msg: Uint8Array[], bodies: readonly string[]) => Promise<pbTypes.Envelope>;
  codes: Map<number, number>;
  bodies: Map<string, number>;
  close: () => void;
} {
  const sock = new zmq.Dealer({ linger: 0, receiveTimeout: 3_000, sendTimeout: 30_000, sendHighWaterMark: 10_000 });
  sock.connect(endpoint);
  const codes = new Map<number, number>();
  const bodies = new Map<string, number>();
  const waiting = new Map<number, { resend: Uint8Array[]; bodies: readonly string[]; resolve: (env: pbTypes.Envelope) => void }>();
  let closed = false;
  const loop = (async (): Promise<void> => {
    const deadline = Date.now() + 120_000;
    while (!closed) {
      let header: Buffer;
      try {
        [header] = await sock.receive();
      } catch (err: unknown) {
        if (closed) return;
        const timedOut = (err as { code?: string }).code === 'EAGAIN';
        if (!timedOut || Date.now() > deadline) throw new Error(`no reply to request(s) ${[...waiting.keys()].join(', ')}: ${String(err)}`);
        for (const w of waiting.values()) await sock.send(w.resend);
        continue;
      }
      const env = pb.Envelope.decode(header);
      const body = env.body ?? 'none';
      bodies.set(body, (bodies.get(body) ?? 0) + 1);
      if (env.body === 'error') codes.set(env.error?.code ?? -1, (codes.get(env.error?.code ?? -1) ?? 0) + 1);
      const w = waiting.get(env.requestId);
      if (w !== undefined && w.bodies.includes(body)) {
        waiting.delete(env.requestId);
        w.resolve(env);
      }
    }
  })();
  const failed = loop.then(() => Promise.reject(new Error('the reply loop ended')));
  failed.catch(() => undefined);
  return {
    sock,
    codes,
    bodies,
    ask: async (msg, wanted) => {
      const id = pb.Envelope.decode(Buffer.from(msg[0])).requestId;
      const reply = new Promise<pbTypes.Envelope>((resolve) => waiting.set(id, { resend: msg, bodies: wanted, resolve }));
      await sock.send(msg);
      return Promise.race([reply, failed]);
    },
    close: () => {
      closed = true;
      sock.close();
    },
  };
}

/** Sends the flood from one DEALER, then reads the shard's counters with a SnapshotRequest. */
async function flood(endpoint: string, messages: readonly Uint8Array[][]): Promise<Flood> {
  const s = stranger(endpoint);
  const t0 = performance.now();
  try {
    for (const msg of messages) await s.sock.send(msg);
    const snap = await s.ask(encodeMessage({ requestId: SNAPSHOT_ID, snapshotRequest: { includeParams: false } }), ['snapshot']);
    return {
      stats: snap.snapshot?.stats ?? {},
      version: snap.snapshot?.version ?? 0,
      seconds: (performance.now() - t0) / 1000,
      codes: s.codes,
      bodies: s.bodies,
    };
  } finally {
    s.close();
  }
}

/** lnsgd_transport_rejected_messages_total by reason, from one scrape of the PS. */
async function rejectedByReason(metricsUrl: string): Promise<Map<string, number>> {
  const body = await (await fetch(metricsUrl)).text();
  const out = new Map<string, number>();
  for (const s of parseExposition(body).samples) if (s.name === 'lnsgd_transport_rejected_messages_total') out.set(s.labels['reason'] ?? '', s.value);
  return out;
}

void test('a flood of over 10,000 hostile frames during training changes nothing: same parameters as a clean run, every refusal counted by reason', async () => {
  const { messages, expected, byKind } = buildFlood();
  assert.ok(messages.length >= 10_000, `${messages.length} hostile messages`);
  const args = [
    'train',
    '--preset',
    'quadratic-sparse',
    '--steps',
    String(STEPS),
    '--seed',
    '7',
    '--workers',
    '1',
    '--no-sharpness',
    '--json',
    '--progress-every',
    String(STEPS / 10),
  ];
  const env = { LNSGD_AUTH_TOKEN: TOKEN, LNSGD_MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) };
  let psEndpoint = '';
  let psMetrics = '';
  let fuzz: Promise<{ flood: Flood; scraped: Map<string, number> }> | undefined;
  const t0 = performance.now();
  const [hostile, clean] = await Promise.all([
    runCliStreaming(args, {
      env,
      // Generous: node --test runs test files concurrently, and 2 CI cores may host several clusters at once.
      timeoutMs: 300_000,
      onLine: (line) => {
        if (!line.startsWith('{')) return;
        const e = JSON.parse(line) as { event: string; processes?: { role: string; address: string | null; metrics_url?: string | null }[] };
        if (e.event === 'endpoints') {
          const ps = e.processes?.find((p) => p.role === 'ps');
          psEndpoint = ps?.address ?? '';
          psMetrics = ps?.metrics_url ?? '';
        }
        // After rank 0's start event the worker holds its rank: the flood cannot take it.
        if (e.event === 'start' && fuzz === undefined) {
          fuzz = flood(psEndpoint, messages).then(async (f) => ({ flood: f, scraped: await rejectedByReason(psMetrics) }));
          fuzz.catch(() => undefined);
        }
      },
    }),
    runCli(args, env),
  ]);
  const wall = (performance.now() - t0) / 1000;
  assert.equal(clean.code, 0, clean.stderr);
  assert.equal(hostile.code, 0, hostile.stderr);
  assert.ok(fuzz !== undefined, 'the hostile run printed no start event');
  const { flood: got, scraped } = await fuzz;
  const cleanSummary = jsonLines(clean.stdout).at(-1);
  const hostileSummary = jsonLines(hostile.stdout).at(-1);
  assert.equal(hostileSummary?.event, 'summary');
  assert.equal(hostileSummary?.['steps'], STEPS);
  assert.equal(hostileSummary?.params_sha256, cleanSummary?.params_sha256, 'the flood changed the trajectory');

  // Figures for the record (node --test prints diagnostics).
  console.log(
    `hostile flood: ${messages.length} messages in ${got.seconds.toFixed(1)} s (${Math.round(messages.length / got.seconds)}/s), answered at step ${got.version} of ${STEPS}; both runs ${wall.toFixed(1)} s`,
  );
  console.log(`expected verdicts: ${JSON.stringify(expected)}`);
  for (const [kind, k] of byKind) console.log(`  ${kind}: ${JSON.stringify(Object.fromEntries(Object.entries(k).filter(([, n]) => n > 0)))}`);
  console.log(`ShardStats: ${JSON.stringify(got.stats)}`);
  console.log(`lnsgd_transport_rejected_messages_total: ${JSON.stringify(Object.fromEntries(scraped))}`);

  assert.ok(got.version < STEPS, `the flood was answered mid-run (snapshot at version ${got.version} of ${STEPS})`);
  const s = got.stats;
  for (const field of COUNTED) {
    assert.equal(Number(s[field] ?? 0), expected[field], `ShardStats.${field}: ${JSON.stringify(s)}`);
    // The scrape follows the snapshot reply; the flood is over by then and the worker's traffic is refused for nothing.
    assert.equal(scraped.get(REASON[field]), expected[field], `lnsgd_transport_rejected_messages_total{reason="${REASON[field]}"}`);
  }
  for (const field of UNTOUCHED)
    assert.equal(Number(s[field] ?? 0), 0, `ShardStats.${field}: a stranger's push is refused as unknown before its payload is read`);
  for (const kind of KINDS) assert.ok(byKind.has(kind), kind);
  const allowed = new Set<number>([
    pb.ErrorCode.MALFORMED,
    pb.ErrorCode.VERSION_MISMATCH,
    pb.ErrorCode.TOO_LARGE,
    pb.ErrorCode.UNKNOWN_WORKER,
    pb.ErrorCode.NOT_AUTHORIZED,
  ]);
  for (const code of got.codes.keys()) assert.ok(allowed.has(code), `unexpected reply code ${pb.ErrorCode[code] ?? code}`);
  assert.ok([...got.codes.values()].reduce((a, b) => a + b, 0) > 0, 'the flood got typed error replies');
  assert.equal(got.bodies.get('params') ?? 0, 0, 'the stranger got no parameters');
  // One log line per refusal kind, in the launcher's stderr (the PS's lines, prefixed [ps0]).
  for (const re of [
    /\[ps0\] kv-server: malformed message/,
    /\[ps0\] kv-server: protocol \d+/,
    /\[ps0\] kv-server: refused a \d+-byte message/,
    /\[ps0\] ps\[0\]: push from unknown worker/,
    /\[ps0\] ps\[0\]: refused registration/,
    /\[ps0\] ps\[0\]: ignored a stop/,
    /\[ps0\] ps\[0\]: unexpected params message from a client/,
  ]) {
    assert.match(hostile.stderr, re);
  }
});

/** The session id a PS message names (error text or HeartbeatAck), or ''. */
function sessionNamedIn(env: pbTypes.Envelope): string {
  return env.heartbeatAck?.session ?? /session ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/.exec(env.error?.message ?? '')?.[1] ?? '';
}

/**
 * What a stranger that never registered gets with whatever session the PS's replies
 * name: the reply to a pull and to a well-formed push for rank 0 at the open step.
 */
async function sessionProbe(endpoint: string): Promise<{ learned: string; pull: pbTypes.Envelope; push: pbTypes.Envelope }> {
  const s = stranger(endpoint);
  try {
    const refused = await s.ask(encodeMessage({ requestId: 1, pull: { rank: 0, session: 'not-a-session' } }), ['error', 'params']);
    const learned = sessionNamedIn(refused);
    const snap = await s.ask(encodeMessage({ requestId: 2, snapshotRequest: { includeParams: false } }), ['snapshot']);
    const pull = await s.ask(encodeMessage({ requestId: 3, pull: { rank: 0, session: learned } }), ['error', 'params']);
    const range = snap.snapshot?.range ?? {};
    const grad = float32Frame(new Float32Array(range.length ?? 0), { offset: range.offset ?? 0 });
    const step = pull.params?.version ?? snap.snapshot?.version ?? 0;
    const push = await s.ask(
      encodeMessage({ requestId: 4, push: { rank: 0, step, numSamples: 1, loss: 0, grad: grad.header, session: learned } }, [grad.bytes]),
      ['error', 'params'],
    );
    return { learned, pull, push };
  } finally {
    s.close();
  }
}

// A stranger must not act as a rank. The shard never names its session id in
// its error texts, and a pull or push is admitted only from the connection that
// registered the rank (knownWorker), so a peer that reaches the port neither learns the
// session nor could use it (apps/parameter-server/src/membership.test.ts checks the
// latter with the real session).
void test('a stranger cannot pull or push with a session id the PS names in its replies', async () => {
  const args = ['train', '--preset', 'uv-toy', '--steps', '5000', '--workers', '1', '--no-sharpness', '--no-metrics', '--json', '--progress-every', '10000'];
  let psEndpoint = '';
  let probe: ReturnType<typeof sessionProbe> | undefined;
  const run = await runCliStreaming(args, {
    env: { LNSGD_AUTH_TOKEN: TOKEN },
    timeoutMs: 120_000,
    onLine: (line) => {
      if (!line.startsWith('{')) return;
      const e = JSON.parse(line) as { event: string; processes?: { role: string; address: string | null }[] };
      if (e.event === 'endpoints') psEndpoint = e.processes?.find((p) => p.role === 'ps')?.address ?? '';
      if (e.event === 'start' && probe === undefined) {
        probe = sessionProbe(psEndpoint);
        probe.catch(() => undefined);
      }
    },
  });
  assert.ok(probe !== undefined, 'the run printed no start event');
  const { learned, pull, push } = await probe;
  console.log(
    `session named to a stranger: '${learned}'; its pull got ${pull.body ?? '?'} ${pb.ErrorCode[pull.error?.code ?? 0] ?? ''}, its push got ${push.body ?? '?'} ${pb.ErrorCode[push.error?.code ?? 0] ?? ''}; run exit ${String(run.code)}`,
  );
  assert.equal(pull.body, 'error', `a pull for rank 0 with session '${learned}' from a peer that never registered was answered with ${pull.body ?? '?'}`);
  assert.equal(pull.error?.code, pb.ErrorCode.UNKNOWN_WORKER);
  assert.equal(push.body, 'error', `a push for rank 0 with session '${learned}' from a peer that never registered was answered with ${push.body ?? '?'}`);
  assert.equal(push.error?.code, pb.ErrorCode.UNKNOWN_WORKER, `the push passed the membership check: ${push.error?.message ?? ''}`);
  assert.equal(run.code, 0, run.stderr.slice(-2000));
});
