import { noiseScale, readParams } from '@lnsgd/ps';
import { decodeMessage, encodeMessage, expectReply, float32Frame, TransportError, type EnvelopeInit, type WireMessage } from '@lnsgd/transport';
import { Bytes } from '../engine/bytes';
import { check, type FuzzTarget } from '../engine/target';

const BODIES = ['params', 'assignment', 'heartbeatAck', 'stop'] as const;

/**
 * What a worker does with a shard's reply: decode it, accept the expected body or
 * turn an Error into a typed REMOTE_ERROR, then read the parameter slice and the
 * noise EMAs. Inputs are raw frames, or a valid Params reply with fuzzed fields and
 * some header bytes changed. Checked: only TransportErrors are thrown; a slice read
 * has exactly the expected length; the noise scale is null or a number.
 */
export const workerReply: FuzzTarget = {
  name: 'worker-reply',
  about: 'decodeMessage → expectReply → readParams / noiseScale (KvWorker)',
  maxLen: 1024,
  fuzz(data) {
    const b = new Bytes(data);
    const slice = { offset: b.below(4), length: 1 + b.below(4), what: 'params from fuzz' };
    const expected = b.pick(BODIES);
    let frames: Uint8Array[];
    if (b.bool()) {
      const values = Float32Array.from({ length: slice.length + (b.below(8) === 0 ? 1 : 0) }, () => b.f32());
      const f = float32Frame(values, { offset: slice.offset, checksum: b.bool() });
      const env: EnvelopeInit = {
        requestId: 1 + b.below(100),
        params: {
          version: b.u32(),
          final: b.bool(),
          loss: b.f32(),
          stepSamples: b.u16(),
          params: f.header,
          share: { epoch: b.u8(), index: b.u8(), count: b.u8() },
          noise: { emaGradSqNorm: b.f32(), emaTraceSigma: b.f32(), count: b.u8() },
        },
      };
      frames = encodeMessage(
        b.below(4) === 0 ? { requestId: 1, error: { code: b.u8(), message: b.text(16), share: b.bool() ? { epoch: b.u8() } : null } } : env,
        [f.bytes],
      );
      const header = Uint8Array.from(frames[0]);
      for (let k = b.below(4); k > 0; k--) if (header.length > 0) header[b.below(header.length)] = b.u8();
      frames[0] = header;
    } else {
      frames = Array.from({ length: b.below(4) }, () => b.bytes(64));
    }
    let msg: WireMessage;
    try {
      msg = expectReply(decodeMessage(frames.map((f) => Buffer.from(f))), expected, 'fuzz request');
    } catch (err: unknown) {
      check(err instanceof TransportError, `decode or expectReply threw ${String(err)}`);
      return;
    }
    if (expected !== 'params') return;
    try {
      const values = readParams(msg, slice);
      check(values instanceof Float32Array && values.length === slice.length, `readParams gave ${values.length} values, expected ${slice.length}`);
    } catch (err: unknown) {
      check(err instanceof TransportError, `readParams threw ${String(err)}`);
    }
    const ns = noiseScale([msg]);
    check(ns === null || typeof ns === 'number', `noiseScale gave ${String(ns)}`);
  },
};
