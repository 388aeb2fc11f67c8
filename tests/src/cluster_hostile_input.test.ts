import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zmq from 'zeromq';
import { encodeMessage, float32Frame, pb, type pbTypes } from '@lnsgd/transport';
import { runCliStreaming } from './cluster_helpers';
import { jsonLines, runCli } from './run_cli';

// Issue 4, bad input at the PS, end to end: while a real local cluster trains, a
// stranger's socket floods the PS port with malformed, truncated, oversized,
// wrong-version, NaN-carrying, unknown-worker, wrong-token and forged-goodbye frames.
// The run must finish with the parameters of a clean run (bit-identical), and the
// shard must have counted the refusals by reason (read back with a SnapshotRequest,
// the metrics service's own request, over the same connection after the flood).

/** Rounds of the flood; each round sends one frame of every kind below. Raise for a longer fuzz. */
const FUZZ_ROUNDS = 40;
/** Per-message limit given to the PS (LNSGD_MAX_MESSAGE_BYTES); "oversized" frames exceed it. */
const MAX_MESSAGE_BYTES = 64 * 1024;
/** The run must outlast the flood (the snapshot is read mid-run): ~60 steps per round (1000 rounds took ~70 s on 2 cores). */
const STEPS = Math.max(15_000, FUZZ_ROUNDS * 60);
const TOKEN = 'hostile-input-test-token';

/** What the shard should count for one round, by ShardStats field. */
const PER_ROUND = { malformed: 3, versionMismatch: 1, tooLarge: 1, unknownWorker: 4, notAuthorized: 1 } as const;

/** Deterministic bytes (xorshift32) for garbage frames. */
function garbage(len: number, seed: number): Buffer {
  let s = seed >>> 0 || 1;
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    b[i] = s & 0xff;
  }
  // 0xff as the first byte is a protobuf tag of wire type 7, which no decoder accepts.
  b[0] = 0xff;
  return b;
}

/** One round of hostile frames (each message is a list of ZeroMQ frames, as a DEALER sends them). */
function hostileRound(round: number): Uint8Array[][] {
  const nan = float32Frame(new Float32Array(100).fill(Number.NaN), { offset: 0 });
  const pushNaN = encodeMessage({ requestId: 1000 + round, push: { rank: 0, step: round, numSamples: 40, loss: Number.NaN, grad: nan.header, session: 'forged-session' } }, [nan.bytes]);
  const pull = pb.Envelope.encode({ protocol: 1, requestId: 1, pull: { rank: 0, session: 'x'.repeat(64) } }).finish();
  return [
    // malformed ×3: garbage, a truncated Envelope, an Envelope without a body
    [garbage(37 + (round % 50), round + 1)],
    [pull.subarray(0, pull.length >> 1)],
    [new Uint8Array(0)],
    // wrong protocol version
    [pb.Envelope.encode({ protocol: 99, requestId: 2, pull: { rank: 0, session: 'x' } }).finish()],
    // oversized (over LNSGD_MAX_MESSAGE_BYTES, under libzmq's hard cap)
    encodeMessage({ requestId: 3, push: { rank: 0, step: 0, numSamples: 40, loss: 1, session: 'x' } }, [new Uint8Array(MAX_MESSAGE_BYTES + 1024)]),
    // unknown worker ×4: NaN push, pull, push without data from a forged session, a forged goodbye
    pushNaN,
    encodeMessage({ requestId: 4, pull: { rank: 3, session: 'forged-session' } }),
    encodeMessage({ requestId: 5, push: { rank: 0, step: 0, numSamples: 40, loss: 1, session: 'forged-session' } }),
    encodeMessage({ stop: { reason: 'done rank 0' } }),
    // a registration without the run token
    encodeMessage({ requestId: 6, register: { workerId: `intruder-${round}`, requestedRank: 0, authToken: 'wrong' } }),
  ];
}

interface Flood {
  readonly stats: pbTypes.IShardStats;
  readonly version: number;
  /** Error codes of the replies that came back (ROUTER drops replies past its high-water mark). */
  readonly codes: Map<number, number>;
}

async function flood(endpoint: string): Promise<Flood> {
  const sock = new zmq.Dealer({ linger: 0, receiveTimeout: 3_000 });
  sock.connect(endpoint);
  const codes = new Map<number, number>();
  const snapshotRequest = encodeMessage({ requestId: 424242, snapshotRequest: { includeParams: false } });
  let flooded = false;
  // Read replies while sending, so a long flood does not fill the queues. The PS's ROUTER
  // drops replies past its (low) high-water mark, so a lost snapshot reply is asked for
  // again rather than waited for: requests on one connection are served in order, so any
  // snapshot reply still comes after the whole flood was processed.
  const replies = (async (): Promise<Flood> => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      let header: Buffer;
      try {
        [header] = await sock.receive();
      } catch (err: unknown) {
        const timedOut = (err as { code?: string }).code === 'EAGAIN';
        if (!timedOut || Date.now() > deadline) throw err;
        if (flooded) await sock.send(snapshotRequest);
        continue;
      }
      const env = pb.Envelope.decode(header);
      if (env.body === 'snapshot' && env.requestId === 424242) return { stats: env.snapshot?.stats ?? {}, version: env.snapshot?.version ?? 0, codes };
      const code = env.error?.code ?? -1;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
  })();
  replies.catch(() => undefined);
  try {
    for (let r = 0; r < FUZZ_ROUNDS; r++) for (const msg of hostileRound(r)) await sock.send(msg);
    await sock.send(snapshotRequest);
    flooded = true;
    return await replies;
  } finally {
    sock.close();
  }
}

void test('a flood of hostile frames during training changes nothing: same parameters as a clean run, refusals counted by reason', async () => {
  const args = ['train', '--preset', 'quadratic-sparse', '--steps', String(STEPS), '--seed', '7', '--workers', '1', '--no-sharpness', '--json', '--progress-every', String(STEPS / 10)];
  const env = { LNSGD_AUTH_TOKEN: TOKEN, LNSGD_MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) };
  let psEndpoint = '';
  let fuzz: Promise<Flood> | undefined;
  const [hostile, clean] = await Promise.all([
    runCliStreaming(args, {
      env,
      // Generous: node --test runs test files concurrently, and 2 CI cores may host several clusters at once.
      timeoutMs: 300_000,
      onLine: (line) => {
        if (!line.startsWith('{')) return;
        const e = JSON.parse(line) as { event: string; processes?: { role: string; address: string | null }[] };
        if (e.event === 'endpoints') psEndpoint = e.processes?.find((p) => p.role === 'ps')?.address ?? '';
        // After rank 0's start event the worker holds its rank: the flood cannot take it.
        if (e.event === 'start' && fuzz === undefined) {
          fuzz = flood(psEndpoint);
          fuzz.catch(() => undefined);
        }
      },
    }),
    runCli(args, env),
  ]);
  assert.equal(clean.code, 0, clean.stderr);
  assert.equal(hostile.code, 0, hostile.stderr);
  assert.ok(fuzz !== undefined, 'the hostile run printed no start event');
  const got = await fuzz;
  const cleanSummary = jsonLines(clean.stdout).at(-1);
  const hostileSummary = jsonLines(hostile.stdout).at(-1);
  assert.equal(hostileSummary?.event, 'summary');
  assert.equal(hostileSummary?.['steps'], STEPS);
  assert.equal(hostileSummary?.params_sha256, cleanSummary?.params_sha256, 'the flood changed the trajectory');

  assert.ok(got.version < STEPS, `the flood was answered mid-run (snapshot at version ${got.version} of ${STEPS})`);
  const s = got.stats;
  for (const [field, perRound] of Object.entries(PER_ROUND)) {
    assert.equal(Number(s[field as keyof pbTypes.IShardStats] ?? 0), perRound * FUZZ_ROUNDS, `ShardStats.${field}: ${JSON.stringify(s)}`);
  }
  assert.equal(s.nonFinite ?? 0, 0, 'NaN pushes from an unregistered peer are refused as unknown before their payload is read');
  assert.equal(s.pushesStale ?? 0, 0);
  const allowed = new Set<number>([pb.ErrorCode.MALFORMED, pb.ErrorCode.VERSION_MISMATCH, pb.ErrorCode.TOO_LARGE, pb.ErrorCode.UNKNOWN_WORKER, pb.ErrorCode.NOT_AUTHORIZED]);
  for (const code of got.codes.keys()) assert.ok(allowed.has(code), `unexpected reply code ${pb.ErrorCode[code] ?? code}`);
  assert.ok([...got.codes.values()].reduce((a, b) => a + b, 0) > 0, 'the flood got typed error replies');
  // One log line per refusal kind, in the launcher's stderr (the PS's lines, prefixed [ps0]).
  for (const re of [/\[ps0\] kv-server: malformed message/, /\[ps0\] kv-server: protocol 99/, /\[ps0\] kv-server: refused a \d+-byte message/, /\[ps0\] ps\[0\]: push from unknown worker/, /\[ps0\] ps\[0\]: refused registration/, /\[ps0\] ps\[0\]: ignored a stop/]) {
    assert.match(hostile.stderr, re);
  }
});
