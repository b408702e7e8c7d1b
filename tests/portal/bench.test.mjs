// The benchmarks run by node once at a tiny size (bench/portal.mjs, bench/faults.mjs --smoke): they still run end to end and print every row of
// their tables; they leave docs/ alone. What they measure is reported by bench/run.sh, not asserted here.
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

test('bench/faults.mjs --smoke kills a server mid-sweep and reports nothing lost nor duplicated, leaving docs/reliability.md alone', async () => {
  const doc = join(root, 'docs', 'reliability.md');
  const before = readFileSync(doc, 'utf8');
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'bench', 'faults.mjs'), '--smoke'], { cwd: root, timeout: 900000 });
  const row = stdout.split('\n').find(line => line.startsWith('| `kill -9` of the server mid-sweep'));
  assert.ok(row, `the table has the kill -9 row:\n${stdout}`);
  assert.match(row, /run AwaitingApproval \d+ s after it \| 0 \| 0 \|$/);
  assert.equal(readFileSync(doc, 'utf8'), before);
});
