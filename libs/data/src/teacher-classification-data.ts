import type { DataSplit, Dataset } from './dataset';
import { checkInt, DataError } from './data-error';
import { fillNormal } from './internal/rng';

/** Options of {@link teacherClassificationData}. */
export interface TeacherClassificationDataOptions {
  /** Training samples (default 2048). */
  readonly n?: number;
  /** Test samples (default 512). */
  readonly nTest?: number;
  /** Shape of one input (default [784]; e.g. [28, 28, 1] for a CNN). */
  readonly inputShape?: readonly number[];
  /** Classes (default 10). */
  readonly numClasses?: number;
  /** Hidden width of the teacher (default 64). */
  readonly teacherWidth?: number;
  readonly seed: number;
}

/**
 * A synthetic classification set that needs no download: inputs x ~ N(0, I)
 * (flattened `inputShape`), labels from a random one-hidden-layer ReLU teacher,
 * y = argmax(W₂·relu(W₁x)), with W₁ ~ N(0, 2/D) and W₂ ~ N(0, 1/h). The labels are
 * realisable, so an MLP or CNN can reach zero training error. Classes are roughly
 * but not exactly balanced (`meta.classCounts` reports the training counts).
 *
 * @param options sizes, shapes and seed
 * @example
 * const { train, test } = teacherClassificationData({ n: 512, nTest: 128, seed: 3 });
 */
export function teacherClassificationData(options: TeacherClassificationDataOptions): DataSplit {
  const n = options.n ?? 2048;
  const nTest = options.nTest ?? 512;
  const inputShape = options.inputShape ?? [784];
  const numClasses = options.numClasses ?? 10;
  const h = options.teacherWidth ?? 64;
  checkInt('teacherClassificationData: n', n, { min: 1 });
  checkInt('teacherClassificationData: nTest', nTest, { min: 1 });
  checkInt('teacherClassificationData: numClasses', numClasses, { min: 2 });
  checkInt('teacherClassificationData: teacherWidth', h, { min: 1 });
  let dim = 1;
  for (const s of inputShape) dim *= s;
  if (inputShape.length === 0 || !inputShape.every((s) => Number.isInteger(s) && s > 0)) {
    throw new DataError('INVALID_ARGUMENT', `teacherClassificationData: inputShape must be positive integers, got [${inputShape.join(', ')}]`);
  }
  const w1 = new Float64Array(h * dim);
  fillNormal(w1, { seed: options.seed, domain: 'DATA_SYNTHESIS', stream: 0 }, { std: Math.sqrt(2 / dim) });
  const w2 = new Float64Array(numClasses * h);
  fillNormal(w2, { seed: options.seed, domain: 'DATA_SYNTHESIS', stream: 1 }, { std: Math.sqrt(1 / h) });
  const hidden = new Float64Array(h);
  const make = (name: string, count: number, stream: number): Dataset => {
    const x = new Float32Array(count * dim);
    fillNormal(x, { seed: options.seed, domain: 'DATA_SYNTHESIS', stream });
    const y = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const off = i * dim;
      for (let j = 0; j < h; j++) {
        let s = 0;
        const row = j * dim;
        for (let t = 0; t < dim; t++) s += w1[row + t] * x[off + t];
        hidden[j] = s > 0 ? s : 0;
      }
      let best = 0;
      let bestScore = -Infinity;
      for (let c = 0; c < numClasses; c++) {
        let s = 0;
        for (let j = 0; j < h; j++) s += w2[c * h + j] * hidden[j];
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      y[i] = best;
    }
    return { name, n: count, xShape: [...inputShape], x, y, yDim: 1, task: 'classification', numClasses };
  };
  const train = make('teacher-classification/train', n, 2);
  const test = make('teacher-classification/test', nTest, 3);
  const classCounts = new Int32Array(numClasses);
  for (const c of train.y) classCounts[c]++;
  return { train, test, meta: { classCounts } };
}
