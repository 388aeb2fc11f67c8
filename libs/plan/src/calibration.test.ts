import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLine, parseCalibration, termsFromMeasurements, transportCpuOverPath, type Measurements } from './calibration';

void test('fitLine: exact on a line, least squares on three noisy points (closed form)', () => {
  assert.deepEqual(fitLine([1, 3], [5, 9]), { intercept: 3, slope: 2 });
  // x = 0, 1, 2; y = 1, 2, 4: slope = Σ(x−1)(y−7/3)/Σ(x−1)² = 3/2, intercept = 7/3 − 3/2 = 5/6.
  const f = fitLine([0, 1, 2], [1, 2, 4]);
  assert.ok(Math.abs(f.slope - 1.5) < 1e-12 && Math.abs(f.intercept - 5 / 6) < 1e-12);
  assert.throws(() => fitLine([1], [1]), /two or more/);
  assert.throws(() => fitLine([2, 2], [1, 3]), /distinct/);
});

// Measurements made up from known lines (ms, MB): the echo 0.2 + 5·M wall and 0.1 + 2·M
// server CPU; the PS 1.2 + 14·M wall and 0.4 + 9·M server CPU; the step 1.5·M; compute 3 + 0.2·b.
const MEASURED: Measurements = {
  echo: [1, 4, 16].map((mb) => ({ bytes: mb * 1e6, wallMs: 0.2 + 5 * mb, serverCpuMs: 0.1 + 2 * mb })),
  ps: [1, 4, 16].map((mb) => ({ bytes: mb * 1e6, wallMs: 1.2 + 14 * mb, serverCpuMs: 0.4 + 9 * mb })),
  step: [1, 4].map((mb) => ({ bytes: mb * 1e6, ms: 1.5 * mb })),
  compute: [
    { samples: 64, ms: 3 + 0.2 * 64 },
    { samples: 256, ms: 3 + 0.2 * 256 },
  ],
};

void test('termsFromMeasurements: each term is the difference of measured lines', () => {
  const { terms, clamped } = termsFromMeasurements(MEASURED);
  const near = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9;
  assert.deepEqual(clamped, []);
  assert.ok(near(terms.latencyMs, 0.1), `latency ${terms.latencyMs}`);
  assert.ok(near(terms.hostMsPerMB, 2.5));
  assert.ok(near(terms.transportCpuMsPerMB, 2)); // the echo server's CPU slope
  assert.ok(near(terms.psMsPerMessage, 0.3)); // 0.4 − 0.1
  assert.ok(near(terms.stepMsPerMB, 1.5));
  assert.ok(near(terms.psMsPerMB, 5.5)); // 9 − 2 − 1.5
  assert.ok(near(terms.workerMsPerMessage, 0.7)); // (1.2 − 0.2) − 0.3
  assert.ok(near(terms.workerMsPerMB, 2)); // (14 − 5) − 7
  assert.ok(near(terms.computeMsFixed, 3) && near(terms.computeMsPerSample, 0.2));
});

void test('termsFromMeasurements: a term that noise makes negative is clamped and named', () => {
  const m: Measurements = { ...MEASURED, ps: MEASURED.ps.map((s) => ({ ...s, wallMs: s.wallMs - 1 })) };
  const { terms, clamped } = termsFromMeasurements(m);
  assert.deepEqual(clamped, ['workerMsPerMessage']);
  assert.equal(terms.workerMsPerMessage, 0);
});

void test('parseCalibration: refuses what is not a calibration file, naming the problem', () => {
  const { terms } = termsFromMeasurements(MEASURED);
  const good = {
    format: 'lnsgd-plan-calibration/2',
    preset: 'mlp',
    machine: { cpu_model: 'x', cores: 2, load_average: [0] },
    terms,
    measurements: MEASURED,
    clamped: [],
  };
  assert.equal(parseCalibration(good).preset, 'mlp');
  assert.throws(() => parseCalibration([]), /not a JSON object/);
  assert.throws(() => parseCalibration({ ...good, format: 'v0' }), /format/);
  assert.throws(() => parseCalibration({ ...good, terms: { ...terms, psMsPerMB: 'fast' } }), /terms\.psMsPerMB/);
  assert.throws(() => parseCalibration({ ...good, terms: { ...terms, latencyMs: -1 } }, 'cal.json'), /cal\.json: .*latencyMs/);
});

void test('transportCpuOverPath: half the busy-CPU slope, other tenants taken off pro rata to wall time', () => {
  // Busy CPU per trip 0.3 + 6·M ms with no tenant: a trip moves M there and back, 3 ms per MB one way.
  const quiet = [1, 2, 4].map((mb) => ({ bytes: mb * 1e6, wallMs: 1 + 10 * mb, busyCpuMs: 0.3 + 6 * mb }));
  assert.ok(Math.abs(transportCpuOverPath(quiet, 0) - 3) < 1e-12);
  // A tenant keeping 0.5 core busy adds 0.5 · wall = 0.5 + 5·M per trip; taking it off gives 3 again,
  // leaving it in would give (6 + 5) / 2 = 5.5.
  const loaded = quiet.map((s) => ({ ...s, busyCpuMs: s.busyCpuMs + 0.5 * s.wallMs }));
  assert.ok(Math.abs(transportCpuOverPath(loaded, 0.5) - 3) < 1e-12);
  assert.ok(Math.abs(transportCpuOverPath(loaded, 0) - 5.5) < 1e-12);
  // A baseline read higher than the trips' load clamps at 0 rather than going negative.
  assert.equal(transportCpuOverPath(quiet, 2), 0);
  assert.throws(() => transportCpuOverPath(quiet, -1), /baseline/);
});
