/**
 * Entry point of the estimator's worker thread: the Hessian-vector products block for
 * seconds, so they run here and the main thread keeps answering scrapes and ticks.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initBackend, parseBackendRequest } from '@lnsgd/backend';
import { resolveRunConfig } from '@lnsgd/trainer';
import { createSnapshotEstimator, type SnapshotEstimator } from './estimate_snapshot';
import { ROUND_DONE, ROUND_WAITING, type EstimateRequest, type EstimatorThreadData, type EstimatorThreadMessage } from './estimator_protocol';
import type { HvpRoundRunner } from '@lnsgd/trainer';

const port = parentPort;
if (port === null) throw new Error('estimator_thread: must run as a worker thread');
const data = workerData as EstimatorThreadData;
const post = (m: EstimatorThreadMessage): void => port.postMessage(m);
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

async function init(): Promise<SnapshotEstimator> {
  let niceApplied = true;
  try {
    setPriority(data.nice);
  } catch {
    niceApplied = false; // not permitted here (e.g. raising priority unprivileged); run at the inherited one
  }
  const backend = await initBackend({ request: parseBackendRequest(data.backend) });
  const rounds = data.rounds;
  // Blocks this thread per product while the main thread runs the round over the network.
  const runRound: HvpRoundRunner | undefined =
    rounds === undefined
      ? undefined
      : ({ epsilon, directions }) => {
          const control = new Int32Array(rounds.control);
          const vec = new Float64Array(rounds.data);
          vec.set(directions);
          Atomics.store(control, 0, ROUND_WAITING);
          post({ kind: 'round', epsilon, length: directions.length });
          Atomics.wait(control, 0, ROUND_WAITING);
          if (Atomics.load(control, 0) !== ROUND_DONE) throw new Error('estimation round failed (see the service log)');
          return vec.slice(0, directions.length);
        };
  const estimator = createSnapshotEstimator({
    config: resolveRunConfig(data.preset, data.overrides),
    budget: data.budget,
    ...(runRound !== undefined ? { rounds: { runRound } } : {}),
  });
  post({ kind: 'ready', backend: backend.name, numParams: estimator.model.numParams, niceApplied, numTensors: tf.memory().numTensors });
  return estimator;
}

init().then(
  (estimator) => {
    port.on('message', (req: EstimateRequest) => {
      try {
        const estimate = estimator.estimate({ step: req.step, theta: req.theta });
        post({ kind: 'result', id: req.id, estimate, numTensors: tf.memory().numTensors });
      } catch (err: unknown) {
        post({ kind: 'error', id: req.id, message: message(err), numTensors: tf.memory().numTensors });
      }
    });
  },
  (err: unknown) => post({ kind: 'fatal', message: message(err) }),
);
