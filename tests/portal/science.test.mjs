// Projects, runs and approvals in a real browser, through the UI: a data scientist defines a project in the editor
// (a wrong primary metric and KPI first, each error shown at its field), starts a run on seattle-weather, watches it
// reach the SME, sorts the leaderboard by a header, compares trials and opens the parallel-coordinates chart; the SME
// sees what waits for them on a phone, opens the emailed link and approves; the run shows Completed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, sampleData, screenshot, signIn, startStack, assertAccessible } from './harness.mjs';

const Project = 'weather-lab';
const Scientist = ['sam@example.com', ['DataScientist']];
const Sme = ['sme@example.com', ['Approver']];

// Two trainers, two settings each: four small trainings, so the charts have points and the run stays short.
const Candidates = [
  { trainer: 'LightGbm', parameters: { numberOfLeaves: 8, learningRate: 0.1, numberOfIterations: 40 } },
  { trainer: 'LightGbm', parameters: { numberOfLeaves: 16, learningRate: 0.2, numberOfIterations: 40 } },
  { trainer: 'LbfgsMaximumEntropy', parameters: { l1Regularization: 0, l2Regularization: 1 } },
  { trainer: 'LbfgsMaximumEntropy', parameters: { l1Regularization: 0.1, l2Regularization: 0.1 } },
];

let stack;
let browser;
let scientist;
let runId;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('a data scientist defines a project in the editor: field errors at their fields, then saved', async () => {
  scientist = await signIn(browser, stack.baseUrl, ...Scientist, '/projects');
  await scientist.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
  await assertAccessible(scientist, 'the projects page');
  await scientist.getByLabel('Name').fill(Project);
  await scientist.getByRole('button', { name: 'Define the project' }).click();
  await scientist.waitForURL(new RegExp(`/projects/${Project}`));
  await scientist.getByRole('heading', { name: Project }).waitFor();

  // The candidates go in through the whole definition (JSON); the common fields through the form.
  await scientist.getByText('Whole definition (JSON)').click();
  const json = scientist.getByRole('textbox', { name: 'Definition as JSON' });
  const start = JSON.parse(await json.inputValue());
  await json.fill(JSON.stringify({ ...start, candidates: Candidates, maxParallelTrials: 2 }, null, 2));
  await scientist.getByLabel('Label column').fill('weather');
  await scientist.getByLabel('Primary metric').fill('accuracy');
  await scientist.getByLabel('Metric', { exact: true }).fill('f1Score');
  await scientist.getByLabel('Approvers').fill('sme@example.com');
  await scientist.getByLabel('Approvers').blur();
  await scientist.getByRole('button', { name: 'Create project' }).click();

  // Each problem next to its field, and the field marked invalid and described by its message.
  const primary = scientist.getByLabel('Primary metric');
  await scientist.getByText("'accuracy' is not a multiclass metric").waitFor();
  assert.equal(await primary.getAttribute('aria-invalid'), 'true');
  const primaryError = scientist.locator('#primary-metric-error');
  assert.match(await primaryError.innerText(), /not a multiclass metric/);
  const kpiMetric = scientist.getByLabel('Metric', { exact: true });
  assert.equal(await kpiMetric.getAttribute('aria-invalid'), 'true');
  assert.match(await scientist.locator('#kpi-0-error').innerText(), /'f1Score' is not a multiclass metric/);
  await scientist.getByText('Not saved: 2 problems').waitFor();
  await assertAccessible(scientist, 'the project editor with field errors');
  await screenshot(scientist, 'science-project');

  // Fixed: saved, and the page knows the project.
  await primary.fill('microAccuracy');
  await kpiMetric.fill('microAccuracy');
  await scientist.getByLabel('Minimum').fill('0.5');
  await scientist.getByRole('button', { name: 'Create project' }).click();
  await scientist.getByRole('status').filter({ hasText: 'Created.' }).waitFor();
  await scientist.getByRole('button', { name: 'Save definition' }).waitFor();
  await scientist.getByRole('heading', { name: 'Start a run' }).waitFor();
  const saved = await stack.api('GET', `/api/projects/${Project}`);
  assert.equal(saved.body.primaryMetric, 'microAccuracy');
  assert.equal(saved.body.candidates.length, 4);
  // What the API answers goes back as it is: saving again changes nothing and succeeds.
  await scientist.getByLabel('Quorum').fill('1');
  await scientist.getByRole('button', { name: 'Save definition' }).click();
  await scientist.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  assert.deepEqual(scientist.errors, []);
});

test('the data scientist starts a run and watches it reach the SME', async () => {
  const csv = readFileSync(join(sampleData, 'seattle-weather.csv'));
  const upload = await stack.api('POST', `/api/projects/${Project}/datasets/weather`, csv);
  assert.ok([200, 201].includes(upload.status), `upload: ${upload.status} ${JSON.stringify(upload.body)}`);
  await scientist.reload();
  await scientist.getByRole('region', { name: 'Start a run' }).getByLabel('Dataset').fill('weather');
  await scientist.getByRole('button', { name: 'Start run' }).click();
  await scientist.waitForURL(/\/runs\/[^/?]+$/);
  runId = decodeURIComponent(new URL(scientist.url()).pathname.split('/').pop());
  await scientist.getByRole('heading', { name: `Run ${runId}` }).waitFor();
  // Live: the page polls until the run waits for its approver.
  await scientist.getByRole('status').getByText('Awaiting Approval').waitFor({ timeout: 240_000 });
  await scientist.getByText('Trials 4 of 4').waitFor();
  await scientist.getByText('Waiting for').waitFor();
  await scientist.getByRole('button', { name: 'Resend approval emails' }).waitFor();
  await scientist.getByRole('button', { name: 'Cancel approval' }).waitFor();
  await scientist.locator('run-timeline o-chart canvas').waitFor();
  await assertAccessible(scientist, 'the run overview');
  assert.deepEqual(scientist.errors, []);
});

test('the leaderboard sorts on the server by a click on a header; two trials compare', async () => {
  await scientist.getByRole('link', { name: 'Leaderboard', exact: true }).click();
  await scientist.waitForURL(/tab=leaderboard/);
  const table = scientist.locator('run-leaderboard data-table');
  await table.getByRole('checkbox', { name: /Compare t/ }).first().waitFor();
  assert.equal(await table.locator('tbody tr').count(), 4);
  const header = table.getByRole('columnheader', { name: /^macroAccuracy/ });
  await header.getByRole('button').click();
  await scientist.waitForURL(/sort=macroAccuracy%3Adesc|sort=macroAccuracy:desc/);
  await scientist.waitForFunction(() => {
    const th = [...document.querySelector('orchestrator-app').shadowRoot.querySelector('run-page').shadowRoot
      .querySelector('run-leaderboard').shadowRoot.querySelector('data-table').shadowRoot.querySelectorAll('th')]
      .find(t => t.textContent.trim().startsWith('macroAccuracy'));
    return th?.getAttribute('aria-sort') === 'descending';
  });
  // The server's order: macro accuracy falls down the page.
  const column = await table.locator('thead th').allInnerTexts();
  const index = column.findIndex(t => t.startsWith('macroAccuracy'));
  const values = await table.locator(`tbody tr td:nth-child(${index + 1})`).allInnerTexts();
  const numbers = values.map(v => Number.parseFloat(v));
  assert.deepEqual(numbers, [...numbers].sort((a, b) => b - a));
  // KPI marks on the primary metric.
  await table.getByText(/✓ meets|✗ misses/).first().waitFor();

  await table.getByRole('checkbox', { name: /Compare t/ }).nth(0).check();
  await table.getByRole('checkbox', { name: /Compare t/ }).nth(1).check();
  const compare = scientist.locator('run-compare');
  await compare.getByRole('checkbox', { name: 'Only differences' }).waitFor();
  await compare.getByText('Comparing 2 trials').waitFor();
  await assertAccessible(scientist, 'the leaderboard');
  await screenshot(scientist, 'science-leaderboard');
  assert.deepEqual(scientist.errors, []);
});

test('the parallel-coordinates chart draws the trials against the primary metric', async () => {
  await scientist.getByRole('link', { name: 'Hyperparameters', exact: true }).click();
  await scientist.getByRole('heading', { name: 'Parallel coordinates' }).waitFor();
  const chart = scientist.locator('run-parallel o-chart.parallel');
  await chart.locator('canvas').waitFor();
  const lines = await chart.evaluate(el => (el.instance.getOption().series ?? []).reduce((n, s) => n + s.data.length, 0));
  assert.equal(lines, 4);
  assert.match(await chart.getByRole('img').getAttribute('aria-label'), /microAccuracy/);
  await scientist.locator('run-parallel o-chart.scatter canvas').waitFor();
  await scientist.getByLabel('Hyperparameter').selectOption('numberOfLeaves');
  await assertAccessible(scientist, 'the hyperparameter charts');
  await screenshot(scientist, 'science-parameters');

  await scientist.getByRole('link', { name: 'Model card', exact: true }).click();
  await scientist.getByRole('heading', { name: 'Confusion matrix (test set)' }).waitFor();
  await scientist.getByRole('heading', { name: 'Permutation feature importance' }).waitFor();
  await assertAccessible(scientist, 'the model card');
  await screenshot(scientist, 'science-model-card');
  assert.deepEqual(scientist.errors, []);
});

test('the SME sees what waits for them on a phone', async () => {
  const phone = await signIn(browser, stack.baseUrl, ...Sme, '/approvals', { viewport: { width: 390, height: 844 } });
  await phone.getByRole('heading', { name: 'Approvals', exact: true }).waitFor();
  await phone.getByRole('checkbox', { name: 'Waiting for me' }).check();
  await phone.waitForURL(/mine=1/);
  const card = phone.getByRole('list', { name: 'Approvals' }).getByRole('listitem').filter({ hasText: runId });
  await card.waitFor();
  await card.getByText('sme@example.com').first().waitFor();
  // An approver decides through the link, and manages no approval: no resend or cancel.
  assert.equal(await card.getByRole('button').count(), 0);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling on a phone (${width} px)`);
  await assertAccessible(phone, 'the approvals page on a phone');
  await screenshot(phone, 'science-approvals-phone');
  assert.deepEqual(phone.errors, []);
  await phone.context().close();
});

test('the SME approves through the emailed link and the run shows Completed', async () => {
  const link = await stack.approvalLink(runId);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const review = await context.newPage();
  await review.goto(link);
  await review.getByRole('button', { name: 'Approve' }).click();
  await review.waitForLoadState();
  await context.close();

  await scientist.getByRole('link', { name: 'Overview', exact: true }).click();
  await scientist.getByRole('status').getByText('Completed').waitFor({ timeout: 120_000 });
  await scientist.getByText(/Registered as model/).waitFor();
  await scientist.getByRole('cell', { name: 'sme@example.com' }).waitFor();
  assert.equal(await scientist.getByRole('button', { name: 'Cancel approval' }).count(), 0);
  await scientist.getByRole('button', { name: 'Rerun' }).waitFor();
  await assertAccessible(scientist, 'the completed run');
  await screenshot(scientist, 'science-run');

  // The project's runs, filtered on the server with the filter in the URL; Back returns to the unfiltered list.
  await scientist.getByRole('link', { name: Project, exact: true }).click();
  await scientist.getByRole('heading', { name: 'Runs', exact: true }).waitFor();
  const runs = scientist.locator('project-page data-table');
  await runs.getByRole('link', { name: runId }).waitFor();
  await scientist.getByRole('search', { name: 'Filter runs' }).getByLabel('Status').selectOption('Failed');
  await scientist.waitForURL(/status=Failed/);
  await runs.getByText('No run matches.').waitFor();
  await scientist.goBack();
  await runs.getByRole('link', { name: runId }).waitFor();
  await assertAccessible(scientist, 'the project page with its runs');
  assert.deepEqual(scientist.errors, []);
  await scientist.context().close();
});

test('a Reader sees the project and the run but no editor and no action', async () => {
  const reader = await signIn(browser, stack.baseUrl, 'reed@example.com', ['Reader'], `/projects/${Project}`);
  await reader.getByRole('heading', { name: 'Runs', exact: true }).waitFor();
  assert.equal(await reader.getByRole('heading', { name: 'Definition' }).count(), 0);
  assert.equal(await reader.getByRole('heading', { name: 'Start a run' }).count(), 0);
  await reader.locator('project-page data-table').getByRole('link', { name: runId }).click();
  await reader.getByRole('status').getByText('Completed').waitFor();
  await reader.getByRole('heading', { name: 'Approval' }).waitFor();
  assert.equal(await reader.getByRole('button', { name: /Rerun|Resend|Cancel/ }).count(), 0);
  await reader.goto('/projects');
  await reader.getByRole('link', { name: Project, exact: true }).waitFor();
  assert.equal(await reader.getByRole('button', { name: 'Define the project' }).count(), 0);
  assert.deepEqual(reader.errors, []);
  await reader.context().close();
});

test('the data scientist reruns and cancels the new approval, each behind a confirmation', async () => {
  const page = await signIn(browser, stack.baseUrl, ...Scientist, `/runs/${runId}`);
  await page.getByRole('button', { name: 'Rerun' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rerun?' });
  await dialog.waitFor();
  await assertAccessible(page, 'the confirmation dialog');
  await dialog.getByRole('button', { name: 'Start the rerun' }).click();
  await page.waitForURL(url => !url.pathname.endsWith(runId));
  const rerunId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
  await page.getByRole('heading', { name: `Run ${rerunId}` }).waitFor();
  await page.getByText('attempt 2').first().waitFor();
  await page.getByRole('status').getByText('Awaiting Approval').waitFor({ timeout: 240_000 });

  await page.getByRole('button', { name: 'Cancel approval' }).click();
  const cancel = page.getByRole('dialog', { name: 'Cancel the approval?' });
  const confirm = cancel.getByRole('button', { name: 'Cancel approval' });
  assert.equal(await confirm.isDisabled(), true, 'a reason is required');
  await cancel.getByLabel('Reason').fill('Trying other candidates first');
  await confirm.click();
  await page.getByRole('status').getByText('Cancelled').first().waitFor({ timeout: 60_000 });
  await page.getByText('The approval is cancelled.').waitFor();
  // Both attempts are listed, linked.
  await page.getByRole('link', { name: runId }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
