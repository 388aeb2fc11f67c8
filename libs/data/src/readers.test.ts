import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError, FASHION_MNIST_DEFAULT_DIR, loadCifar10, loadFashionMnist, loadMnist, parseCifar10, parseIdx } from './index';
import { prerequisite } from '@lnsgd/testing';

function idxBytes(dims: number[], data: Uint8Array, opts: { type?: number; truncate?: number } = {}): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = opts.type ?? 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  const all = Buffer.concat([header, Buffer.from(data)]);
  return all.subarray(0, all.length - (opts.truncate ?? 0));
}

function writeMnistDir(dir: string, opts: { gzip: boolean; nTrain: number; nTest: number; labelsTrain?: number }): void {
  const put = (name: string, bytes: Buffer): void => writeFileSync(join(dir, opts.gzip ? `${name}.gz` : name), opts.gzip ? gzipSync(bytes) : bytes);
  const pixels = (n: number): Uint8Array => Uint8Array.from({ length: n * 4 * 3 }, (_, i) => (i * 7) % 256);
  const labels = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i % 10);
  put('train-images-idx3-ubyte', idxBytes([opts.nTrain, 4, 3], pixels(opts.nTrain)));
  put('train-labels-idx1-ubyte', idxBytes([opts.labelsTrain ?? opts.nTrain], labels(opts.labelsTrain ?? opts.nTrain)));
  put('t10k-images-idx3-ubyte', idxBytes([opts.nTest, 4, 3], pixels(opts.nTest)));
  put('t10k-labels-idx1-ubyte', idxBytes([opts.nTest], labels(opts.nTest)));
}

function withTempDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-data-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function dataError(code: string, pattern: RegExp): (e: unknown) => boolean {
  return (e: unknown) => e instanceof DataError && e.code === code && pattern.test(e.message);
}

void describe('IDX reader', () => {
  for (const gzip of [false, true]) {
    void test(`reads a tiny MNIST-layout directory (${gzip ? 'gzip' : 'raw'})`, () => {
      withTempDir((dir) => {
        writeMnistDir(dir, { gzip, nTrain: 5, nTest: 3 });
        const { train, test } = loadMnist(dir);
        assert.equal(train.n, 5);
        assert.equal(test.n, 3);
        assert.deepEqual(train.xShape, [4, 3, 1]);
        assert.equal(train.x.length, 60);
        assert.equal(train.x[1], Math.fround(7 / 255));
        assert.ok(train.x.every((v) => v >= 0 && v <= 1));
        assert.deepEqual([...train.y], [0, 1, 2, 3, 4]);
        assert.equal(train.task, 'classification');
        assert.equal(train.name, 'mnist/train');
      });
    });
  }

  void test('bad magic, wrong type, wrong ndim, truncated and trailing bytes name the file and the difference', () => {
    const data = new Uint8Array(6);
    const ok = idxBytes([2, 3], data);
    assert.deepEqual(parseIdx(ok, 'ok', 2).dims, [2, 3]);
    const badMagic = Buffer.from(ok);
    badMagic[0] = 0x12;
    assert.throws(() => parseIdx(badMagic, 'f.idx'), dataError('BAD_FORMAT', /^f\.idx: expected IDX magic 00 00 <type> <ndim>, found 12 00 08 02$/));
    assert.throws(
      () => parseIdx(idxBytes([2, 3], data, { type: 0x0d }), 'f.idx'),
      dataError('BAD_FORMAT', /expected IDX type 0x08 \(unsigned byte\), found 0x0d \(float32\)/),
    );
    assert.throws(() => parseIdx(ok, 'f.idx', 3), dataError('BAD_FORMAT', /expected 3 dimension\(s\), found 2/));
    assert.throws(
      () => parseIdx(idxBytes([2, 3], data, { truncate: 1 }), 'f.idx'),
      dataError('BAD_FORMAT', /truncated: dims \[2, 3\] need 18 bytes, found 17/),
    );
    assert.throws(() => parseIdx(Buffer.concat([ok, Buffer.from([1])]), 'f.idx'), dataError('BAD_FORMAT', /trailing bytes/));
    assert.throws(() => parseIdx(ok.subarray(0, 6), 'f.idx'), dataError('BAD_FORMAT', /truncated header/));
  });

  void test('label count that disagrees with the image count is an error', () => {
    withTempDir((dir) => {
      writeMnistDir(dir, { gzip: false, nTrain: 5, nTest: 3, labelsTrain: 4 });
      assert.throws(() => loadMnist(dir), dataError('BAD_FORMAT', /train-labels-idx1-ubyte: expected 5 labels to match .*train-images-idx3-ubyte, found 4/));
    });
  });

  void test('a corrupt gzip stream is a BAD_FORMAT error', () => {
    withTempDir((dir) => {
      writeMnistDir(dir, { gzip: true, nTrain: 2, nTest: 2 });
      writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
      assert.throws(() => loadMnist(dir), dataError('BAD_FORMAT', /train-images-idx3-ubyte\.gz: expected a valid gzip stream/));
    });
  });

  void test('a missing file names the path and how to get it', () => {
    withTempDir((dir) => {
      assert.throws(
        () => loadFashionMnist(dir),
        dataError('FILE_NOT_FOUND', /expected .*train-images-idx3-ubyte or .*\.gz, not found; install it with `apt-get install dataset-fashion-mnist`/),
      );
    });
  });

  void test('Debian dataset-fashion-mnist loads 60000/10000', (t) => {
    if (
      !prerequisite(
        t,
        !existsSync(`${FASHION_MNIST_DEFAULT_DIR}/train-images-idx3-ubyte.gz`) && `${FASHION_MNIST_DEFAULT_DIR} absent (apt-get install dataset-fashion-mnist)`,
      )
    )
      return;
    const { train, test: testSet } = loadFashionMnist();
    assert.equal(train.n, 60000);
    assert.equal(testSet.n, 10000);
    assert.deepEqual(train.xShape, [28, 28, 1]);
    const counts = new Array<number>(10).fill(0);
    for (const c of train.y) counts[c]++;
    assert.deepEqual(counts, new Array<number>(10).fill(6000)); // Fashion-MNIST is exactly balanced
  });
});

void describe('CIFAR-10 reader', () => {
  const record = (label: number, fill: (c: number, p: number) => number): Buffer => {
    const b = Buffer.alloc(3073);
    b[0] = label;
    for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) b[1 + c * 1024 + p] = fill(c, p);
    return b;
  };

  void test('parses records into NHWC [32, 32, 3] floats in [0, 1]', () => {
    const bytes = Buffer.concat([record(3, (c, p) => (c * 50 + p) % 256), record(9, () => 255)]);
    const ds = parseCifar10(bytes, 'x.bin');
    assert.equal(ds.n, 2);
    assert.deepEqual([...ds.y], [3, 9]);
    assert.deepEqual(ds.xShape, [32, 32, 3]);
    // pixel p = 5 (row 0, col 5): channels R, G, B
    assert.deepEqual([...ds.x.subarray(15, 18)], [5 / 255, 55 / 255, 105 / 255].map(Math.fround));
    assert.equal(ds.x[3072 + 100], 1);
  });

  void test('bad length and bad labels name the file', () => {
    assert.throws(
      () => parseCifar10(Buffer.alloc(3074), 'b.bin'),
      dataError('BAD_FORMAT', /b\.bin: expected a whole number of 3073-byte CIFAR-10 records, found 3074 bytes \(1 records \+ 1 bytes\)/),
    );
    assert.throws(
      () =>
        parseCifar10(
          record(10, () => 0),
          'b.bin',
        ),
      dataError('BAD_FORMAT', /found 10 in record 0/),
    );
  });

  void test('loads a tiny cifar-10-batches-bin directory; a missing batch names it', () => {
    withTempDir((dir) => {
      const sub = join(dir, 'cifar-10-batches-bin');
      mkdirSync(sub);
      for (let k = 1; k <= 5; k++) writeFileSync(join(sub, `data_batch_${k}.bin`), Buffer.concat([record(k, () => k), record(0, () => 0)]));
      writeFileSync(
        join(sub, 'test_batch.bin'),
        record(7, () => 1),
      );
      const { train, test: testSet } = loadCifar10(dir);
      assert.equal(train.n, 10);
      assert.equal(testSet.n, 1);
      assert.deepEqual([...train.y], [1, 0, 2, 0, 3, 0, 4, 0, 5, 0]);
      assert.equal(train.x[2 * 3072], Math.fround(2 / 255));
      rmSync(join(sub, 'data_batch_4.bin'));
      assert.throws(() => loadCifar10(sub), dataError('FILE_NOT_FOUND', /data_batch_4\.bin, not found; download the binary version/));
    });
  });
});
