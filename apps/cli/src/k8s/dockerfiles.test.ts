import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validate } from 'dockerfile-utils';

const DOCKER = resolve(__dirname, '..', '..', '..', '..', 'deploy', 'docker');

// No Docker engine runs here, so the images are never built in CI; the Dockerfiles are
// linted (dockerfile-utils, the validator behind the Docker language server) and held
// to the rules: multi-stage, production dependencies only, a non-root user.
for (const image of ['cpu', 'gpu']) {
  void test(`${image}.Dockerfile lints clean and follows the image rules`, () => {
    const file = join(DOCKER, `${image}.Dockerfile`);
    const text = readFileSync(file, 'utf8');
    const problems = validate(text).map((d) => `line ${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`);
    assert.deepEqual(problems, [], `${file}:\n${problems.join('\n')}`);
    assert.ok((text.match(/^FROM /gm) ?? []).length >= 2, 'multi-stage build');
    assert.match(text, /npm ci --omit=dev/, 'the runtime stage installs production dependencies only');
    const users = [...text.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    assert.ok(users.length > 0 && !/^(root|0)(:|$)/.test(users[users.length - 1]), `last USER must not be root: ${users.join(', ')}`);
    assert.ok(existsSync(`${file}.dockerignore`), 'a .dockerignore beside the Dockerfile');
    const ignore = readFileSync(`${file}.dockerignore`, 'utf8');
    assert.match(ignore, /node_modules/, 'the build context leaves node_modules out');
  });
}
