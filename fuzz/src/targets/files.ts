import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointPath, readCheckpointFile } from '@lnsgd/ps';
import { paramsDigest, ParamsFileError, readParamsFile } from '@lnsgd/trainer';
import { Bytes } from '../engine/bytes';
import { check, scratchDir, type FuzzTarget } from '../engine/target';

let scratch: string | undefined;
const dir = (): string => (scratch ??= scratchDir());

/** Values a JSON header field may take in a hostile file. */
const ODD = [0, 1, 2, 3, -1, 0.5, 1e9, 2 ** 32, Number.MAX_SAFE_INTEGER, '2', null, true, [], {}] as const;

/** A JSON header: the keys a reader expects, each valid-looking or odd; or bytes. */
function header(b: Bytes, keys: readonly string[], valid: Record<string, unknown>): Buffer {
  if (b.below(8) === 0) return Buffer.from(b.bytes(64));
  if (b.below(16) === 0) return Buffer.from(b.pick(['null', '[]', '0', '"x"', '{}', '{"length":']));
  const h: Record<string, unknown> = {};
  for (const k of keys) {
    const r = b.below(8);
    if (r === 0) continue;
    h[k] = r === 1 ? b.pick(ODD) : valid[k];
  }
  return Buffer.from(JSON.stringify(h));
}

/** Magic, header length, header, body; the length field now and then a lie. */
function container(b: Bytes, magic: string, parts: { readonly head: Buffer; readonly body: Uint8Array }): Buffer {
  const { head, body } = parts;
  const len = Buffer.alloc(4);
  len.writeUInt32LE(b.below(16) === 0 ? b.u32() : head.length);
  return Buffer.concat([Buffer.from(magic, 'ascii'), len, head, body]);
}

/**
 * The PS checkpoint reader: a file of raw bytes, or a well-formed container
 * (LNSGDCK2 with a correct SHA-256, or LNSGDCK1) whose JSON header has odd field
 * values. Checked: it returns only a consistent checkpoint (params of the header's
 * length, optimizer state of its size), else throws an Error naming the file.
 */
export const checkpointFile: FuzzTarget = {
  name: 'checkpoint-file',
  about: 'readCheckpointFile: a shard checkpoint file from a hostile disk',
  maxLen: 512,
  fuzz(data) {
    const b = new Bytes(data);
    const shard = { shard: 0, shards: 1 };
    const path = checkpointPath(dir(), shard, 3);
    let file: Buffer;
    if (b.below(4) === 0) {
      file = Buffer.from(b.rest());
    } else {
      const n = b.below(4);
      const opt = b.below(8);
      const valid = {
        shard: 0,
        shards: 1,
        offset: 0,
        length: n,
        version: 3,
        configHash: 'h',
        noiseEma: { gradSqNorm: 0, traceSigma: 0, count: 0 },
        optimizerBytes: opt,
      };
      const head = header(b, Object.keys(valid), valid);
      const body = b.bytes(4 * n + opt + 8);
      const v2 = b.below(4) !== 0;
      const content = container(b, v2 ? 'LNSGDCK2' : 'LNSGDCK1', { head, body });
      file = v2 ? Buffer.concat([content, createHash('sha256').update(content).digest()]) : content;
    }
    writeFileSync(path, file);
    let ck: ReturnType<typeof readCheckpointFile>;
    try {
      ck = readCheckpointFile(path);
    } catch (err: unknown) {
      check(
        err instanceof Error && err.message.startsWith(`checkpoint ${path}: `),
        `readCheckpointFile threw without naming the file: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
      );
      return;
    }
    const h = ck.header as unknown as Record<string, unknown>;
    check(Number.isSafeInteger(h['length']) && ck.params.length === h['length'], `read ${ck.params.length} parameters, header length ${String(h['length'])}`);
    check(
      Number.isSafeInteger(h['optimizerBytes']) && ck.optimizerState.length === h['optimizerBytes'],
      `read ${ck.optimizerState.length} optimizer bytes, header says ${String(h['optimizerBytes'])}`,
    );
  },
};

/**
 * The parameter-file reader (the trainer's writes, the metrics service's reads):
 * raw bytes, or an LNSGDPv1 container with odd header fields and a right or wrong
 * digest. Checked: it returns θ of the header's numParams with the header's digest,
 * else throws ParamsFileError.
 */
export const paramsFile: FuzzTarget = {
  name: 'params-file',
  about: 'readParamsFile: a parameter file from a hostile disk',
  maxLen: 512,
  fuzz(data) {
    const b = new Bytes(data);
    const path = join(dir(), 'params.bin');
    let file: Buffer;
    if (b.below(4) === 0) {
      file = Buffer.from(b.rest());
    } else {
      const n = b.below(4);
      const theta = new Float32Array(n).map(() => b.f32());
      const sha = paramsDigest(theta).sha256;
      const valid = { preset: 'uv-toy', step: 5, numParams: n, sha256: b.below(4) === 0 ? 'bad' : sha };
      const head = header(b, Object.keys(valid), valid);
      const body = b.below(4) === 0 ? b.bytes(16) : new Uint8Array(theta.buffer);
      file = container(b, 'LNSGDPv1', { head, body });
    }
    writeFileSync(path, file);
    let r: ReturnType<typeof readParamsFile>;
    try {
      r = readParamsFile(path);
    } catch (err: unknown) {
      check(err instanceof ParamsFileError, `readParamsFile threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
      return;
    }
    check(r.theta.length === r.header.numParams, `read ${r.theta.length} parameters, header says ${r.header.numParams}`);
  },
};
