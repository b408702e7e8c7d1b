// The ops pages in a real browser: home, models (roll back and promote through the UI), monitoring (a drifted window
// flags temp_max), lineage from the model, the audit of those changes, access grants, and a Reader seeing no action.
// Set-up through the API: seattle-weather 2012–2013 uploaded, two approved runs (production serves v2, v1 before it),
// and a window of 2014–2015 summer days predicted and monitored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, sampleData, screenshot, signIn, startStack, assertAccessible } from './harness.mjs';

const project = 'weather';
let stack;
let browser;

function ok(answer, what) {
  if (answer.status >= 300) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

async function lifecycle() {
  const started = ok(await stack.api('POST', `/api/projects/${project}/runs`, { dataset: 'weather' }), 'start a run');
  const link = new URL(await stack.approvalLink(started.runId, 120));
  const decided = await fetch(stack.baseUrl + link.pathname, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: link.searchParams.get('token'), decision: 'approve', comment: 'portal ops test' }),
  });
  assert.equal(decided.status, 200, await decided.text());
  let run;
  await stack.waitFor(async () => {
    run = (await stack.api('GET', `/api/runs/${started.runId}`)).body;
    return !['Running', 'AwaitingApproval'].includes(run.status);
  }, `run ${started.runId} ending`, 180);
  assert.equal(run.status, 'Completed', JSON.stringify(run));
  return run;
}

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  const lines = readFileSync(join(sampleData, 'seattle-weather.csv'), 'utf8').trim().split('\n');
  const rows = lines.slice(1);
  const early = rows.filter(r => r.startsWith('2012') || r.startsWith('2013'));
  const summer = rows.filter(r => (r.startsWith('2014') || r.startsWith('2015')) && ['06', '07', '08'].includes(r.slice(5, 7)));
  ok(await stack.api('PUT', `/api/projects/${project}`, {
    task: 'multiclass', label: 'weather', primaryMetric: 'microAccuracy', kpis: [{ metric: 'microAccuracy', min: 0.5 }],
    approvers: ['sme@example.com'], candidates: [{ trainer: 'LbfgsMaximumEntropy', parameters: { l2Regularization: 1 } }],
  }), 'define the project');
  ok(await stack.api('POST', `/api/projects/${project}/datasets/weather`, [lines[0], ...early].join('\n') + '\n'), 'upload 2012–2013');
  await lifecycle();
  await lifecycle();
  const windowStart = new Date(Date.now() - 1000).toISOString();
  ok(await stack.api('POST', `/api/projects/${project}/predict`, {
    rows: summer.map(line => {
      const f = line.split(',');
      return { date: f[0], precipitation: Number(f[1]), temp_max: Number(f[2]), temp_min: Number(f[3]), wind: Number(f[4]) };
    }),
  }), 'predict summer days');
  const report = ok(await stack.api('POST', `/api/projects/${project}/monitoring/run`, { windowStart, windowEnd: new Date().toISOString() }), 'monitor the window');
  assert.ok(report.drift.features.some(f => f.feature === 'temp_max' && f.drifted), JSON.stringify(report.drift));
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('an ML engineer sees the model in production, rolls it back with a reason and promotes it again', async () => {
  const page = await signIn(browser, stack.baseUrl, 'mia@example.com', ['MlEngineer'], `/models/${project}`);
  const production = page.getByRole('region', { name: 'Environment production' });
  await production.getByText('v2', { exact: true }).waitFor();
  await production.getByText('Served before: v1').waitFor();
  await page.getByRole('region', { name: 'Model versions' }).getByRole('cell', { name: 'v2', exact: true }).waitFor();
  await assertAccessible(page);

  await production.getByRole('button', { name: 'Roll back production' }).click();
  const dialog = page.getByRole('dialog', { name: 'Roll back production?' });
  await dialog.waitFor();
  const confirm = dialog.getByRole('button', { name: 'Roll back', exact: true });
  assert.equal(await confirm.isDisabled(), true, 'a reason is required');
  await dialog.getByLabel('Reason').fill('portal test: v2 misbehaves');
  await confirm.click();
  await page.getByText('production rolled back to v1.').waitFor();
  await production.getByText('v1', { exact: true }).waitFor();
  const history = page.getByRole('region', { name: 'Environment changes, newest first' });
  await history.getByText('portal test: v2 misbehaves').waitFor();

  await page.getByLabel('Version', { exact: true }).selectOption('2');
  await page.getByLabel('Environment', { exact: true }).selectOption('production');
  await page.getByRole('button', { name: 'Promote…' }).click();
  const promote = page.getByRole('dialog', { name: 'Promote v2 to production?' });
  await promote.getByLabel('Reason').fill('portal test: v2 fixed');
  await promote.getByRole('button', { name: 'Promote', exact: true }).click();
  await page.getByText('production now serves v2').waitFor({ timeout: 60000 });
  await page.getByText(/Smoke test/).waitFor();
  await page.getByText('Passed', { exact: true }).first().waitFor();
  await production.getByText('v2', { exact: true }).waitFor();
  await history.getByText('portal test: v2 fixed').waitFor();
  await assertAccessible(page);
  await screenshot(page, 'ops-models');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the monitoring page flags temp_max in the drifted window and shows its series and histogram', async () => {
  const page = await signIn(browser, stack.baseUrl, 'mia@example.com', ['MlEngineer'], `/monitoring/${project}`);
  const features = page.getByRole('region', { name: 'Feature drift in the latest window' });
  // From the keyboard first: another feature's button, then temp_max's with a click.
  await features.getByRole('button', { name: 'wind', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/feature=wind/);
  await page.getByRole('heading', { name: 'wind: baseline against the window' }).waitFor();
  const row = features.getByRole('row').filter({ has: page.getByRole('button', { name: 'temp_max', exact: true }) });
  await row.getByText('Drift', { exact: true }).waitFor();
  await row.getByRole('button', { name: 'temp_max' }).click();
  await page.waitForURL(/feature=temp_max/);
  await page.getByRole('heading', { name: 'temp_max over windows' }).waitFor();
  await page.locator('o-chart.series').waitFor();
  // The baseline-vs-window histogram of the newest window: a labelled chart of both, and its bins as a table.
  await page.getByRole('heading', { name: 'temp_max: baseline against the window' }).waitFor();
  const histogram = page.locator('monitoring-histogram');
  assert.match(await histogram.getByRole('img').getAttribute('aria-label'),
    /^temp_max: share of values per bin, baseline \(training data\) against the window ending .+, 20 bins; \d+ % of the window lies in other bins/);
  await histogram.getByText("temp_max's bins as a table").focus();
  await page.keyboard.press('Enter');
  const bins = histogram.getByRole('table', { name: 'temp_max: baseline and window share per bin' });
  for (const name of ['Range', 'Baseline share', 'Window share', 'Baseline rows', 'Window rows'])
    await bins.getByRole('columnheader', { name }).waitFor();
  assert.equal(await bins.locator('tbody tr').count(), 20);
  await page.getByText(/data drift on \d+ of \d+ features/).first().waitFor();
  await page.getByRole('button', { name: 'Run a window now' }).waitFor();
  await assertAccessible(page);
  await screenshot(page, 'ops-monitoring');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('lineage opens from the model and its nodes open their pages, by a click on the graph or from the table', async () => {
  const page = await signIn(browser, stack.baseUrl, 'mia@example.com', ['MlEngineer'], `/models/${project}`);
  await page.getByRole('region', { name: 'Environment production' }).getByRole('link', { name: 'Lineage of v2' }).click();
  await page.waitForURL(/\/lineage\/model-version\/weather%2F2$/);
  await page.getByRole('heading', { name: /Lineage/ }).waitFor();
  const nodes = page.getByRole('region', { name: 'Nodes of the graph' });
  await nodes.getByRole('cell', { name: 'dataset-version', exact: true }).waitFor();
  await nodes.getByRole('cell', { name: 'deployment', exact: true }).first().waitFor();
  // The graph's nodes are laid out in layers: the dataset version upstream (left), the deployment downstream (right).
  const layout = await page.evaluate(() => {
    const find = (root, selector) => {
      const hit = root.querySelector(selector);
      if (hit) return hit;
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) { const inner = find(el.shadowRoot, selector); if (inner) return inner; }
      return null;
    };
    const chart = find(document, 'o-chart');
    const data = chart.instance.getOption().series[0].data;
    const x = kind => data.find(d => d.kind === kind).x;
    return { dataset: x('dataset-version'), model: x('model-version'), deployment: x('deployment') };
  });
  assert.ok(layout.dataset < layout.model && layout.model < layout.deployment, JSON.stringify(layout));
  await assertAccessible(page);
  await screenshot(page, 'ops-lineage');

  // With the mouse: a real click on the run's node in the graph opens the run's page. The node's pixel position comes
  // from the chart itself (the graph series' coordinates through convertToPixel, offset by the chart's box).
  const chart = page.locator('lineage-page o-chart');
  await chart.scrollIntoViewIfNeeded();
  const node = await chart.evaluate(el => {
    const data = el.instance.getOption().series[0].data;
    const run = data.find(d => d.kind === 'run');
    const [x, y] = el.instance.convertToPixel({ seriesIndex: 0 }, [run.x, run.y]);
    const box = el.instance.getDom().getBoundingClientRect();
    return { id: run.id, x: box.left + x, y: box.top + y };
  });
  await page.mouse.click(node.x, node.y);
  await page.waitForURL(url => url.pathname === `/runs/${encodeURIComponent(node.id)}`);
  await page.getByRole('heading', { name: `Run ${node.id}` }).waitFor();
  await page.goBack();
  await page.waitForURL(/\/lineage\/model-version\/weather%2F2$/);

  // From the keyboard: the node table's link opens the dataset version's page.
  await nodes.getByRole('link', { name: /^weather\/weather\/1$/ }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/catalog\/weather\/weather\?version=1$/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an Admin reads the audit entries of the rollback and the promotion', async () => {
  const page = await signIn(browser, stack.baseUrl, 'admin@example.com', ['Admin'], '/audit');
  await page.getByLabel('Target').fill(`projects/${project}/models`);
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/target=projects%2Fweather%2Fmodels/);
  const table = page.getByRole('region', { name: 'Audit entries, newest first' });
  await table.getByText('model.rollback', { exact: true }).waitFor();
  await table.getByText('model.promote', { exact: true }).first().waitFor();
  await table.getByRole('cell', { name: 'mia@example.com' }).first().waitFor();
  await assertAccessible(page);
  await screenshot(page, 'ops-audit');
  await page.getByLabel('Action').fill('model.rollback');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/action=model.rollback/);
  await stack.waitFor(async () => (await table.getByText('model.promote', { exact: true }).count()) === 0, 'the action filter');
  await table.getByText('model.rollback', { exact: true }).waitFor();
  await page.goBack();
  await table.getByText('model.promote', { exact: true }).first().waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an Admin grants a role and revokes it behind a confirmation', async () => {
  const page = await signIn(browser, stack.baseUrl, 'admin@example.com', ['Admin'], '/access');
  await page.getByLabel('Principal').first().fill('ulla@contoso.com');
  await page.getByLabel('Role').selectOption('MlEngineer');
  await page.getByLabel('Project').first().fill(project);
  await page.getByLabel('Environment', { exact: true }).selectOption('staging');
  await page.getByRole('button', { name: 'Grant', exact: true }).click();
  await page.getByText('Granted MlEngineer to ulla@contoso.com in weather/staging.').waitFor();
  const grants = page.getByRole('region', { name: 'Grants' });
  await grants.getByRole('cell', { name: 'ulla@contoso.com', exact: true }).waitFor();
  await assertAccessible(page);
  await page.getByRole('button', { name: 'Revoke MlEngineer of ulla@contoso.com in weather/staging' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke this grant?' });
  await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
  await page.getByText('Revoked MlEngineer of ulla@contoso.com in weather/staging.').waitFor();
  await stack.waitFor(async () => (await grants.getByRole('cell', { name: 'ulla@contoso.com', exact: true }).count()) === 0, 'the grant leaving the list');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a Reader sees no action buttons on models or monitoring', async () => {
  const page = await signIn(browser, stack.baseUrl, 'reed@example.com', ['Reader'], `/models/${project}`);
  await page.getByRole('region', { name: 'Environment production' }).getByText('v2', { exact: true }).waitFor();
  await page.getByRole('region', { name: 'Model versions' }).waitFor();
  assert.equal(await page.getByRole('button', { name: /Roll back/ }).count(), 0);
  assert.equal(await page.getByRole('button', { name: /Promote/ }).count(), 0);
  await assertAccessible(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Monitoring', exact: true }).click();
  await page.getByLabel('Project').selectOption(project);
  await page.waitForURL(/\/monitoring\/weather$/);
  await page.getByRole('region', { name: 'Feature drift in the latest window' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Run a window now' }).count(), 0);
  await assertAccessible(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('home shows what needs an ML engineer and data scientist today, readable on a phone', async () => {
  const page = await signIn(browser, stack.baseUrl, 'mia@example.com', ['MlEngineer', 'DataScientist'], '/', { viewport: { width: 390, height: 844 } });
  await page.getByRole('heading', { name: 'What needs you today' }).waitFor();
  const alerts = page.getByRole('region', { name: 'Drift alerts' });
  await alerts.getByText(/data drift on/).first().waitFor();
  await alerts.getByRole('link', { name: 'weather' }).first().waitFor();
  const changes = page.getByRole('region', { name: 'Recent production changes' });
  await changes.getByText('portal test: v2 fixed', { exact: false }).waitFor();
  await page.getByRole('region', { name: 'Runs and gate verdicts' }).getByText('Completed').first().waitFor();
  await page.getByRole('region', { name: 'Approvals waiting for you' }).getByText('Nothing waits for your decision.').waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling on a phone (${width} px)`);
  await assertAccessible(page);
  await screenshot(page, 'ops-home-phone');
  await alerts.getByRole('link', { name: 'Open monitoring' }).click();
  await page.waitForURL(/\/monitoring$/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
