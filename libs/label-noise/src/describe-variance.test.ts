import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeNoise } from './describe';
import { flipNoise } from './flip';
import { gaussianNoise } from './gaussian';
import { noNoise } from './none';
import { rademacherNoise } from './rademacher';
import { noiseVariance } from './variance';

void test('describeNoise names the model and its parameters', () => {
  assert.equal(describeNoise(rademacherNoise(0.5)), 'rademacher(σ=0.5)');
  assert.equal(describeNoise(gaussianNoise(1)), 'gaussian(σ=1)');
  assert.equal(describeNoise(flipNoise({ flipProb: 0.2, numClasses: 10 })), 'flip(p=0.2, C=10)');
  assert.equal(describeNoise(noNoise()), 'none');
});

void test('noiseVariance is σ² for regression noise, 0 for none, undefined for flips', () => {
  assert.equal(noiseVariance(rademacherNoise(0.5)), 0.25);
  assert.equal(noiseVariance(gaussianNoise(3)), 9);
  assert.equal(noiseVariance(noNoise()), 0);
  assert.equal(noiseVariance(flipNoise({ flipProb: 0.2, numClasses: 10 })), undefined);
});
