import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as zmq from 'zeromq';
import { curveKeyPair } from './curve';
import { KvClient } from './kv_client';
import { KvServer } from './kv_server';
import { encodeMessage } from './message';
import { pb } from './proto';
import { float32Frame, readFloat32Frame } from './tensor_frame';
import { TransportError } from './transport_error';

// Real sockets on loopback: an echo-style server that answers Pull with a tensor.
async function startServer(extra: Partial<Parameters<typeof KvServer.bind>[0]> = {}): Promise<{ server: KvServer; logs: string[] }> {
  const logs: string[] = [];
  const values = new Float32Array([1, 2, 3, 4]);
  const server: KvServer = await KvServer.bind({
    endpoint: 'tcp://127.0.0.1:0',
    maxMessageBytes: 4096,
    log: (l) => logs.push(l),
    onRequest: (req) => {
      const { header, bytes } = float32Frame(values, { offset: 0 });
      void server.send(req.peer, { requestId: req.message.envelope.requestId, params: { version: 7, params: header } }, [bytes]);
    },
    ...extra,
  });
  return { server, logs };
}

void describe('KvServer / KvClient over loopback', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of closers) await c();
  });

  void test('request/reply carries a raw tensor frame that is read back exactly', async () => {
    const { server } = await startServer();
    closers.push(() => server.close());
    assert.match(server.endpoint, /^tcp:\/\/127\.0\.0\.1:\d+$/);
    const client = KvClient.connect({ endpoint: server.endpoint, timeoutMs: 5000 });
    closers.push(() => client.close());
    const replies = await Promise.all([1, 2, 3].map(() => client.call({ pull: { rank: 0 } }, { body: 'params' })));
    for (const r of replies) {
      assert.equal(r.envelope.params?.version, 7);
      const v = readFloat32Frame(r.envelope.params?.params, r.frames[0], { offset: 0, length: 4, what: 'params' });
      assert.deepEqual(Array.from(v), [1, 2, 3, 4]);
    }
    assert.equal(client.stats.requests, 3);
  });

  void test('a request in parts is answered in parts: the client collects them in order, and an Error ends it', async () => {
    // The server answers each push part with the matching params part (the last one a reply's end), or an Error for part 'fail'.
    const got: { id: number; part: number }[] = [];
    const server: KvServer = await KvServer.bind({
      endpoint: 'tcp://127.0.0.1:0',
      maxMessageBytes: 1 << 20,
      highWaterMark: 64,
      onRequest: (req) => {
        const p = req.message.envelope.push ?? {};
        const id = req.message.envelope.requestId;
        got.push({ id, part: p.part ?? 0 });
        if (p.loss === -1) {
          if ((p.part ?? 0) === 1) void server.send(req.peer, { requestId: id, error: { code: pb.ErrorCode.NON_FINITE, message: 'part 1' } });
          return;
        }
        const { header, bytes } = float32Frame(new Float32Array([p.part ?? 0]), { offset: p.part ?? 0 });
        void server.send(req.peer, { requestId: id, params: { version: 1, params: header, part: p.part ?? 0, parts: p.parts ?? 0 } }, [bytes]);
      },
    });
    closers.push(() => server.close());
    const client = KvClient.connect({ endpoint: server.endpoint, timeoutMs: 5000 });
    closers.push(() => client.close());
    const parts = 40;
    const msgs = (loss: number) =>
      Array.from({ length: parts }, (_, i) => {
        const f = float32Frame(new Float32Array([i]), { offset: i });
        return { envelope: { push: { rank: 0, step: 0, loss, grad: f.header, part: i, parts } }, frames: [f.bytes] };
      });
    const replies = await client.callParts(msgs(0), { body: 'params' });
    assert.deepEqual(
      replies.map((r) => readFloat32Frame(r.envelope.params?.params, r.frames[0], { offset: r.envelope.params?.part ?? -1, length: 1, what: 'part' })[0]),
      Array.from({ length: parts }, (_, i) => i),
    );
    assert.ok(new Set(got.map((g) => g.id)).size === 1, 'every part of a request carries one request id');
    await assert.rejects(
      client.callParts(msgs(-1), { body: 'params' }),
      (err: unknown) => err instanceof TransportError && err.remote?.code === pb.ErrorCode.NON_FINITE,
    );
    assert.equal(client.stats.unmatchedReplies, 0);
  });

  void test('onPart sees each reply part as it arrives, parts sent again after a restart included; a hook that throws rejects the request', async () => {
    // One push part in, a reply of 3 parts out: parts 0 and 1, then (as a shard that dropped its step does) 0, 1 and 2 again.
    const server: KvServer = await KvServer.bind({
      endpoint: 'tcp://127.0.0.1:0',
      maxMessageBytes: 1 << 20,
      highWaterMark: 64,
      onRequest: (req) => {
        const id = req.message.envelope.requestId;
        for (const part of [0, 1, 0, 1, 2]) {
          const { header, bytes } = float32Frame(new Float32Array([10 * (part + 1)]), { offset: part });
          void server.send(req.peer, { requestId: id, params: { version: 1, params: header, part, parts: 3 } }, [bytes]);
        }
      },
    });
    closers.push(() => server.close());
    const client = KvClient.connect({ endpoint: server.endpoint, timeoutMs: 5000 });
    closers.push(() => client.close());
    const f = float32Frame(new Float32Array([0]), { offset: 0 });
    const request = [{ envelope: { push: { rank: 0, step: 0, grad: f.header, part: 0, parts: 1 } }, frames: [f.bytes] }];
    const seen: { index: number; resolved: boolean }[] = [];
    let resolved = false;
    const replies = await client
      .callParts(request, { body: 'params', onPart: (m, index) => seen.push({ index: m.envelope.params?.part === index ? index : -1, resolved }) })
      .finally(() => (resolved = true));
    assert.deepEqual(
      seen.map((x) => x.index),
      [0, 1, 0, 1, 2],
    );
    assert.ok(
      seen.every((x) => !x.resolved),
      'every part was seen before the request resolved',
    );
    assert.deepEqual(
      replies.map((r) => r.envelope.params?.part),
      [0, 1, 2],
    );
    await assert.rejects(
      client.callParts(request, {
        body: 'params',
        onPart: (_m, index) => {
          if (index === 1) throw new TransportError('BAD_SHAPE', 'part 1 does not fit');
        },
      }),
      (err: unknown) => err instanceof TransportError && err.code === 'BAD_SHAPE',
    );
    // The rejected request's later parts find no request: counted, not delivered.
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(client.stats.unmatchedReplies, 3);
  });

  void test('malformed, oversized and wrong-version messages get typed errors, counters and log lines', async () => {
    const { server, logs } = await startServer();
    closers.push(() => server.close());
    const raw = new zmq.Dealer({ linger: 0 });
    raw.connect(server.endpoint);
    closers.push(() => Promise.resolve(raw.close()));
    const expectError = async (frames: Uint8Array[], code: number): Promise<void> => {
      await raw.send(frames);
      const [header] = await raw.receive();
      const env = pb.Envelope.decode(header);
      assert.equal(env.body, 'error');
      assert.equal(env.error?.code, code, `expected ${pb.ErrorCode[code]}, got ${String(env.error?.code)}: ${env.error?.message}`);
    };
    await expectError([Buffer.from([0xff, 0xff, 0xff, 0x01])], pb.ErrorCode.MALFORMED);
    await expectError(encodeMessage({ pull: { rank: 0 } }, [new Uint8Array(8192)]), pb.ErrorCode.TOO_LARGE);
    await expectError(encodeMessage({ protocol: 99, pull: { rank: 0 } }), pb.ErrorCode.VERSION_MISMATCH);
    assert.equal(server.stats.malformed, 1);
    assert.equal(server.stats.tooLarge, 1);
    assert.equal(server.stats.versionMismatch, 1);
    assert.equal(logs.length, 3);
  });

  void test(
    'replies are matched by request id in any order; a repeat is unmatched; a timeout or close rejects only its own requests',
    { timeout: 20_000 },
    async () => {
      // The server holds every pull and answers them in reverse order, echoing each rank as the version.
      const held: { peer: Buffer; requestId: number; rank: number }[] = [];
      const { server } = await startServer({
        onRequest: (req) => void held.push({ peer: req.peer, requestId: req.message.envelope.requestId ?? 0, rank: req.message.envelope.pull?.rank ?? -1 }),
      });
      closers.push(() => server.close());
      const client = KvClient.connect({ endpoint: server.endpoint, timeoutMs: 5000 });
      // Closed by the test below; also here, so that a failed assertion cannot leave the socket holding the process.
      closers.push(() => client.close().catch(() => undefined));
      const answer = (h: (typeof held)[number]): Promise<void> => server.send(h.peer, { requestId: h.requestId, params: { version: h.rank } });
      const until = async (n: number): Promise<void> => {
        while (held.length < n) await new Promise((r) => setTimeout(r, 5));
      };
      const calls = [0, 1, 2, 3, 4].map((rank) => client.call({ pull: { rank } }, { body: 'params' }));
      await until(5);
      for (const h of [...held].reverse()) await answer(h);
      assert.deepEqual(
        (await Promise.all(calls)).map((r) => r.envelope.params?.version),
        [0, 1, 2, 3, 4],
      );
      // The same reply again matches nothing.
      await answer(held[2]);
      while (client.stats.unmatchedReplies < 1) await new Promise((r) => setTimeout(r, 5));
      assert.equal(client.stats.unmatchedReplies, 1);
      // One request times out; the one beside it is still answered.
      held.length = 0;
      const short = client.request({ pull: { rank: 7 } }, { timeoutMs: 50 });
      const long = client.call({ pull: { rank: 8 } }, { body: 'params' });
      await assert.rejects(short, (e: unknown) => e instanceof TransportError && e.code === 'TIMEOUT');
      await until(2);
      await answer(held[1]);
      assert.equal((await long).envelope.params?.version, 8);
      await answer(held[0]);
      while (client.stats.unmatchedReplies < 2) await new Promise((r) => setTimeout(r, 5));
      // Close rejects what is still pending with CLOSED.
      const left = [client.request({ pull: { rank: 9 } }), client.request({ pull: { rank: 10 } })];
      await client.close();
      for (const l of left) await assert.rejects(l, (e: unknown) => e instanceof TransportError && e.code === 'CLOSED');
      assert.equal(client.stats.timeouts, 1);
    },
  );

  void test('a request to nobody times out with TIMEOUT', async () => {
    const client = KvClient.connect({ endpoint: 'tcp://127.0.0.1:9', timeoutMs: 100 });
    closers.push(() => client.close());
    await assert.rejects(client.request({ pull: { rank: 0 } }), (e: unknown) => e instanceof TransportError && e.code === 'TIMEOUT');
    assert.equal(client.stats.timeouts, 1);
  });

  void test('checksum and shape mismatches are typed', () => {
    const { header, bytes } = float32Frame(new Float32Array([1, 2]), { offset: 3 });
    const buf = Buffer.from(bytes);
    assert.throws(
      () => readFloat32Frame(header, buf, { offset: 0, length: 2, what: 'x' }),
      (e: unknown) => e instanceof TransportError && e.code === 'BAD_SHAPE',
    );
    buf[0] ^= 1;
    assert.throws(
      () => readFloat32Frame(header, buf, { offset: 3, length: 2, what: 'x' }),
      (e: unknown) => e instanceof TransportError && e.code === 'CHECKSUM_MISMATCH',
    );
  });

  void test('CURVE: an encrypted client talks, a client with the wrong server key does not', { skip: !zmq.capability.curve }, async () => {
    const serverKeys = curveKeyPair();
    const { server } = await startServer({ curve: { own: serverKeys } });
    closers.push(() => server.close());
    const good = KvClient.connect({ endpoint: server.endpoint, timeoutMs: 5000, curve: { own: curveKeyPair(), serverPublicKey: serverKeys.publicKey } });
    closers.push(() => good.close());
    const r = await good.call({ pull: { rank: 0 } }, { body: 'params' });
    assert.equal(r.envelope.params?.version, 7);
    const bad = KvClient.connect({ endpoint: server.endpoint, timeoutMs: 300, curve: { own: curveKeyPair(), serverPublicKey: curveKeyPair().publicKey } });
    closers.push(() => bad.close());
    await assert.rejects(bad.request({ pull: { rank: 0 } }), (e: unknown) => e instanceof TransportError && e.code === 'TIMEOUT');
    const plain = KvClient.connect({ endpoint: server.endpoint, timeoutMs: 300 });
    closers.push(() => plain.close());
    await assert.rejects(plain.request({ pull: { rank: 0 } }), (e: unknown) => e instanceof TransportError && e.code === 'TIMEOUT');
  });
});
