// The portal benchmark once at a tiny size (bench/portal.mjs --smoke): it still runs end to end and prints every row of
// its table; it leaves docs/benchmarks.md alone. What it measures is reported by bench/run.sh portal, not asserted here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from './harness.mjs';

test('bench/portal.mjs --smoke measures the shell, Home, a run page and its poll without touching docs/benchmarks.md', async () => {
  const doc = join(root, 'docs', 'benchmarks.md');
  const before = readFileSync(doc, 'utf8');
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'bench', 'portal.mjs'), '--smoke'], { cwd: root, timeout: 600000 });
  for (const row of ['| shell:', '| Home:', '| run page with 4 trials:', '| its leaderboard tab:', "| the run page's poll", '| the same run with its leaderboard'])
    assert.ok(stdout.includes(row), `the table has the row "${row}":\n${stdout}`);
  assert.match(stdout, /shell: \d+ files, [\d.]+ KiB, [\d.]+ KiB gzip/);
  assert.equal(readFileSync(doc, 'utf8'), before);
});
