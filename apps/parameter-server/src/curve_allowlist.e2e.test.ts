import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { curveKeyPair, float32Frame, KvClient, TransportError, zapStats, type CurveConfig } from '@lnsgd/transport';
import { parseServerConfig } from './config';
import { startShardServer, type ShardServer } from './shard_server';

// CURVE with a per-client allowlist (LNSGD_CURVE_ALLOWED_CLIENTS): the shard's ZAP
// handler lets only listed client keys complete the handshake. A client with another
// key (or none) reaches nothing: no register, pull, push or snapshot gets through.

const clients: KvClient[] = [];
let server: ShardServer | undefined;
after(async () => {
  for (const c of clients) await c.close();
  server?.requestStop('test over');
});

/**
 * A client; a refused one's requests time out after 1.5 s (a refusal is silence),
 * an allowed one gets generous time, so a loaded machine cannot fail the test.
 */
function connect(endpoint: string, curve: CurveConfig | undefined, timeoutMs = 1500): KvClient {
  const c = KvClient.connect({ endpoint, timeoutMs, curve });
  clients.push(c);
  return c;
}

async function refusedByTimeout(p: Promise<unknown>, what: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof TransportError && err.code === 'TIMEOUT', `${what} must get no reply`);
}

void test('only allow-listed CURVE client keys can register, pull, push and read snapshots', async () => {
  const serverKeys = curveKeyPair();
  const allowed = curveKeyPair();
  const stranger = curveKeyPair();
  const logs: string[] = [];
  const config = parseServerConfig(['--preset', 'uv-toy', '--workers', '1', '--steps', '1'], {});
  server = await startShardServer({
    config,
    curve: { own: serverKeys, allowedClients: new Set([allowed.publicKey]) },
    log: (l) => logs.push(l),
    onEvent: () => undefined,
  });
  const before = zapStats();

  const bad = connect(server.endpoint, { own: stranger, serverPublicKey: serverKeys.publicKey });
  await refusedByTimeout(bad.call({ register: { workerId: 'stranger', requestedRank: 0 } }, { body: 'assignment' }), 'register with an unknown key');
  await refusedByTimeout(bad.call({ pull: { rank: 0, session: '' } }, { body: 'params' }), 'pull with an unknown key');
  await refusedByTimeout(bad.call({ snapshotRequest: { includeParams: true } }, { body: 'snapshot' }), 'snapshot with an unknown key');
  const plain = connect(server.endpoint, undefined);
  await refusedByTimeout(plain.call({ snapshotRequest: { includeParams: false } }, { body: 'snapshot' }), 'snapshot without CURVE');
  assert.ok(zapStats().denied > before.denied, `the ZAP handler denied the stranger: ${JSON.stringify(zapStats())}`);
  assert.ok(
    logs.some((l) => l.includes(stranger.publicKey) && /not in LNSGD_CURVE_ALLOWED_CLIENTS/.test(l)),
    logs.join('\n'),
  );

  const good = connect(server.endpoint, { own: allowed, serverPublicKey: serverKeys.publicKey }, 30_000);
  const reg = await good.call({ register: { workerId: 'allowed', requestedRank: 0 } }, { body: 'assignment' });
  const session = reg.envelope.assignment?.session ?? '';
  const pulled = await good.call({ pull: { rank: 0, session } }, { body: 'params' });
  assert.equal(pulled.envelope.params?.version, 0);
  const snap = await good.call({ snapshotRequest: { includeParams: true } }, { body: 'snapshot' });
  assert.equal(snap.envelope.snapshot?.version, 0);
  // The stranger's push is refused too, while the allowed worker's closes the (last) step.
  const { header, bytes } = float32Frame(new Float32Array([0.5, 0.5]), { offset: 0 });
  await refusedByTimeout(
    bad.call({ push: { rank: 0, step: 0, numSamples: 8, loss: 1, grad: header, session } }, { body: 'params', frames: [bytes] }),
    'push with an unknown key',
  );
  const pushed = await good.call({ push: { rank: 0, step: 0, numSamples: 8, loss: 1, grad: header, session } }, { body: 'params', frames: [bytes] });
  assert.equal(pushed.envelope.params?.version, 1);
  assert.equal(pushed.envelope.params?.final, true);
  assert.equal(server.counters.pushesAccepted, 1, 'only the allowed worker pushed');
  assert.equal(server.counters.unknownWorker, 0, 'nothing of the stranger reached the shard');
  good.notify({ stop: { reason: 'done rank 0', goodbye: { rank: 0, session } } });
  assert.equal(await server.done, 1);
  server = undefined;
});
