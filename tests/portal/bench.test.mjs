// The benchmarks run by node once at a tiny size (bench/portal.mjs, bench/faults.mjs --smoke, bench/load.mjs --smoke): they still run end
// to end and print every row of their tables; they leave docs/ alone. Timings are reported by bench/run.sh, not asserted
// here; what the faults and load benches promise is (nothing lost or duplicated; every lifecycle at its end, no 5xx or
// error, every prediction logged).
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

test('bench/faults.mjs --smoke injects every fault and reports nothing lost nor duplicated, leaving docs/reliability.md alone', async () => {
  const doc = join(root, 'docs', 'reliability.md');
  const before = readFileSync(doc, 'utf8');
  // Its progress (stderr) goes into the failure when it does not finish.
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'bench', 'faults.mjs'), '--smoke'], { cwd: root, timeout: 1200000 })
    .catch(error => { throw new Error(`${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`); });
  const line = stdout.split('\n').find(l => l.startsWith('faults-result '));
  assert.ok(line, `the bench prints its result line:\n${stdout}`);
  const results = JSON.parse(line.slice('faults-result '.length));
  assert.deepEqual(results.map(r => r.case), ['ingestion', 'sweep', 'approval', 'promotion', 'storage', 'pair'], stdout);
  for (const r of results) assert.deepEqual([r.case, r.lost, r.duplicates], [r.case, 0, 0], `${r.case}:\n${stdout}`);
  for (const fault of ['during a multi-chunk ingestion', 'mid-sweep', 'awaits its SME', 'middle of a promotion', 'Azurite stopped', 'two servers on one task hub'])
    assert.ok(stdout.includes(fault), `the table has the row about "${fault}"`);
  assert.equal(readFileSync(doc, 'utf8'), before);
});

test('bench/load.mjs --smoke runs lifecycles under predict and catalog load: each reaches its end, no 5xx or error, every prediction logged', async () => {
  const doc = join(root, 'docs', 'reliability.md');
  const before = readFileSync(doc, 'utf8');
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'bench', 'load.mjs'), '--smoke'], { cwd: root, timeout: 900000 });
  const summary = /^load: lifecycles (\d+)\/(\d+) at their end; 5xx (\d+); errors (\d+); predictions logged (\d+) of (\d+) sent; predict p99 [\d.]+ ms/m.exec(stdout);
  assert.ok(summary, `the summary line:\n${stdout}`);
  const [, reached, lifecycles, fivexx, errors, logged, sent] = summary.map(Number);
  assert.equal(lifecycles, 2, stdout);
  assert.equal(reached, lifecycles, `every lifecycle reached its end:\n${stdout}`);
  assert.equal(fivexx, 0, `no 5xx:\n${stdout}`);
  assert.equal(errors, 0, `no network error or timeout:\n${stdout}`);
  assert.ok(sent > 0, stdout);
  assert.equal(logged, sent, `every answered prediction logged:\n${stdout}`);
  for (const row of ['| lifecycles |', '| predict latency under load |', '| predictions logged |', '| load-01 | Completed', '| load-02 | Completed'])
    assert.ok(stdout.includes(row), `the table has the row "${row}":\n${stdout}`);
  assert.equal(readFileSync(doc, 'utf8'), before);
});
