import { linregDiagData, loadCifar10, loadFashionMnist, quadraticSparseData, teacherClassificationData, uvToyData, type DataSplit } from '@lnsgd/data';
import type { DataSpec } from './presets';

/**
 * Builds or loads the data a preset names. Synthetic sets are deterministic in the
 * seed; file-backed sets throw the data lib's DataError (naming the missing file
 * and how to get it) when absent.
 *
 * @param spec the preset's data description.
 * @param seed the run seed (synthetic sets only).
 */
export function loadPresetData(spec: DataSpec, seed: number): DataSplit {
  switch (spec.kind) {
    case 'uv-toy':
      return uvToyData({ n: spec.n, nTest: spec.nTest, seed });
    case 'quadratic-sparse':
      return quadraticSparseData({ d: spec.d, k: spec.k, n: spec.n, nTest: spec.nTest, seed });
    case 'linreg-diag':
      return linregDiagData({ d: spec.d, teacherSeed: seed });
    case 'teacher-classification':
      return teacherClassificationData({
        n: spec.n,
        nTest: spec.nTest,
        inputShape: spec.inputShape,
        numClasses: spec.numClasses,
        seed,
      });
    case 'fashion-mnist':
      return loadFashionMnist(spec.dir);
    case 'cifar10':
      return loadCifar10(spec.dir);
  }
}
