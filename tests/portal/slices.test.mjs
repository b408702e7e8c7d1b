// Slice metrics in a real browser: a penguins project sliced by Island (set up through the API, one LightGBM
// candidate) reaches its SME, and the run's model card shows one row per island with its test rows and metrics.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, sampleData, screenshot, signIn, startStack, assertAccessible } from './harness.mjs';

const project = 'penguins-slices';
let stack;
let browser;
let runId;

function ok(answer, what) {
  if (answer.status >= 300) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  ok(await stack.api('PUT', `/api/projects/${project}`, {
    task: 'multiclass', label: 'Species', primaryMetric: 'microAccuracy', approvers: ['sme@example.com'],
    kpis: [{ metric: 'microAccuracy', min: 0.9, perSlice: true }],
    evaluation: { sliceBy: ['Island'] },
    candidates: [{ trainer: 'LightGbm', parameters: { numberOfLeaves: 8, learningRate: 0.1, numberOfIterations: 100 } }],
  }), 'define the project');
  const upload = await fetch(`${stack.baseUrl}/api/projects/${project}/datasets/palmer`, {
    method: 'POST', body: readFileSync(join(sampleData, 'penguins.json')),
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await stack.token('setup@example.com', ['Admin'])}` },
  });
  assert.ok([201, 202].includes(upload.status), `upload: ${upload.status} ${await upload.text()}`);
  runId = ok(await stack.api('POST', `/api/projects/${project}/runs`, { dataset: 'palmer' }), 'start a run').runId;
  let run;
  await stack.waitFor(async () => (run = (await stack.api('GET', `/api/runs/${runId}`)).body).status !== 'Running', `run ${runId} leaving Running`, 180);
  assert.equal(run.status, 'AwaitingApproval', JSON.stringify(run));
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('the model card shows the metrics of each island as a table', async () => {
  const page = await signIn(browser, stack.baseUrl, 'sam@example.com', ['DataScientist'], `/runs/${encodeURIComponent(runId)}`);
  await page.getByRole('link', { name: 'Model card', exact: true }).click();
  await page.getByRole('heading', { name: 'Metrics per slice (test set)' }).waitFor();
  const table = page.locator('run-model-card table.slices');
  const rows = await table.locator('tbody tr').allInnerTexts();
  assert.deepEqual(rows.map(r => r.split('\t')[0]), ['Island=Biscoe', 'Island=Dream', 'Island=Torgersen']);
  const headers = await table.locator('thead th').allInnerTexts();
  assert.deepEqual(headers.slice(0, 3), ['Slice', 'Test rows', 'microAccuracy']);
  await page.getByText('Per-slice KPIs (microAccuracy ≥ 0.9) are judged in slices of at least 10 test rows.').waitFor();
  // Every island meets 0.9 here: no cell is marked as missing the KPI.
  assert.equal(await table.locator('.badge.bad').count(), 0);
  await assertAccessible(page, 'the model card with slices');
  await screenshot(page, 'science-model-card-slices');
  assert.deepEqual(page.errors, []);
});
