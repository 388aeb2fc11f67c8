import { parentPort, workerData } from 'node:worker_threads';
import { createModel, type ModelName } from '@lnsgd/models';
import { keyRanges } from '@lnsgd/transport';
import type { InitialParamsRequest } from './initial_params';

// The worker-thread side of initialParams: the only place in the PS that loads the
// model zoo (and with it TensorFlow.js).
function answer(): void {
  const req = workerData as InitialParamsRequest;
  try {
    // The options were validated with the run config; createModel checks them again.
    const model = createModel(req.model.name as ModelName, req.model.options as never);
    const layers = model.params.map((p) => ({ offset: p.offset, size: p.size }));
    if (req.shards === undefined) {
      parentPort?.postMessage({ ok: true, numParams: model.numParams, layers });
      return;
    }
    const range = keyRanges(model.numParams, req.shards.shards)[req.shards.shard];
    const slice = model.init(req.seed).slice(range.offset, range.offset + range.length);
    parentPort?.postMessage({ ok: true, numParams: model.numParams, layers, slice }, [slice.buffer]);
  } catch (err: unknown) {
    parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
}

answer();
