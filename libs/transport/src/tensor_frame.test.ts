import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBfloat16, encodeBfloat16 } from '@lnsgd/tensor-codec';
import { float32Frame, gradientFrame, readFloat32Frame } from './tensor_frame';

void test('readFloat32Frame writes into a receive buffer: float32 copied, bfloat16 decoded exactly, no new array', () => {
  const g = Float32Array.from({ length: 7 }, (_, i) => (i - 3) * 0.3);
  const f32 = float32Frame(g, { offset: 5 });
  const into = new Float32Array(9).subarray(1, 8);
  const got = readFloat32Frame(f32.header, Buffer.from(f32.bytes), { offset: 5, length: 7, what: 'test', into });
  assert.equal(got, into);
  assert.deepEqual(Array.from(into), Array.from(g));
  const bf = gradientFrame(g, { offset: 5, dtype: 'bfloat16' });
  const half = readFloat32Frame(bf.header, Buffer.from(bf.bytes), { offset: 5, length: 7, dtype: 'bfloat16', what: 'test', into });
  assert.equal(half, into);
  assert.deepEqual(Array.from(into), Array.from(decodeBfloat16(encodeBfloat16(g))));
});

void test('readFloat32Frame refuses a receive buffer of another length, before writing anything', () => {
  const g = new Float32Array([1, 2, 3]);
  const f = float32Frame(g, { offset: 0 });
  const into = new Float32Array(2);
  assert.throws(
    () => readFloat32Frame(f.header, Buffer.from(f.bytes), { offset: 0, length: 3, what: 'test', into }),
    /receive buffer holds 2 values, the frame 3/,
  );
  assert.deepEqual(Array.from(into), [0, 0]);
});
