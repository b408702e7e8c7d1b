// The catalog in a real browser: a data engineer uploads seattle-weather.csv through the file input and a broken copy
// through the drop zone, reads the quality report (histogram, null share), the quarantined rows with their reasons
// and the diff of the two versions, ingests penguins.json a source system left in the landing container, edits the
// entry (a field error at its field), and finds the dataset by column;
// a Reader sees no upload or edit control, and a restricted dataset shows only that it exists and who may read it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, sampleData, screenshot, signIn, startStack, assertAccessible } from './harness.mjs';

let stack;
let browser;
const engineer = ['dana@example.com', ['DataEngineer']];
const csv = readFileSync(join(sampleData, 'seattle-weather.csv'), 'utf8');

/** seattle-weather.csv with a non-numeric temp_max in three rows. */
function broken() {
  const lines = csv.split('\n');
  for (const i of [5, 50, 500]) {
    const cells = lines[i].split(',');
    cells[2] = 'hot';
    lines[i] = cells.join(',');
  }
  return lines.join('\n');
}

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  const project = await stack.api('PUT', '/api/projects/seattle-weather', {
    task: 'multiclass', label: 'weather', primaryMetric: 'microAccuracy',
    kpis: [{ metric: 'microAccuracy', min: 0.7 }], approvers: ['sme@example.com'], approvalTimeout: '72:00:00',
  });
  assert.ok([200, 201].includes(project.status), JSON.stringify(project.body));
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('a data engineer uploads seattle-weather.csv through the file input and reads its quality report', async () => {
  const page = await signIn(browser, stack.baseUrl, ...engineer, '/catalog');
  await page.getByRole('heading', { name: 'Upload a file' }).waitFor();
  await assertAccessible(page);
  await page.getByRole('combobox', { name: 'Project' }).first().selectOption('seattle-weather');
  await page.getByLabel('Choose a file').setInputFiles({ name: 'seattle-weather.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByLabel('Dataset name').first().fill('weather');
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  const result = page.getByRole('status').filter({ hasText: 'weather:1' });
  await result.getByText('Ready').waitFor({ timeout: 60000 });
  await result.getByText(/1,461 rows curated/).waitFor();
  assert.equal(await page.locator('progress').getAttribute('value'), await page.locator('progress').getAttribute('max'));

  await result.getByRole('link', { name: 'weather:1' }).click();
  await page.waitForURL(/\/catalog\/seattle-weather\/weather\?version=1$/);
  await page.getByRole('heading', { name: /Version 1/ }).waitFor();
  const card = page.locator('catalog-column-profile').filter({ has: page.getByRole('heading', { name: /temp_max/ }) });
  await card.waitFor();
  await card.getByText('0.0 %').waitFor();
  const chart = card.locator('o-chart');
  assert.match(await chart.getAttribute('label'), /^Histogram of temp_max: 20 bins from -1\.6 to 35\.6/);
  // The chart's own label is what a screen reader hears (ECharts' aria description takes it).
  assert.match(await chart.getByRole('img').getAttribute('aria-label'), /^Histogram of temp_max: 20 bins/);
  const bars = await chart.evaluate(el => el.instance.getOption().series[0].data.reduce((a, b) => a + b, 0));
  assert.equal(bars, 1461, 'the histogram counts every row');
  await page.getByText('No row was quarantined.').waitFor();
  const expectation = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'temp_max', exact: true }) }).filter({ hasText: 'inferred' });
  await expectation.getByRole('cell', { name: 'number', exact: true }).waitFor();
  await assertAccessible(page);
  await screenshot(page, 'catalog-dataset');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a broken file dropped on the drop zone shows its quarantined rows with their reasons, and the diff', async () => {
  const page = await signIn(browser, stack.baseUrl, ...engineer, '/catalog');
  await page.getByRole('combobox', { name: 'Project' }).first().selectOption('seattle-weather');
  await page.getByLabel('Dataset name').first().fill('weather');
  const text = broken();
  const transfer = await page.evaluateHandle(content => {
    const data = new DataTransfer();
    data.items.add(new File([content], 'seattle-weather-broken.csv', { type: 'text/csv' }));
    return data;
  }, text);
  const zone = page.getByTestId('drop-zone');
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
  await page.getByText('Selected: seattle-weather-broken.csv').waitFor();
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  const result = page.getByRole('status').filter({ hasText: 'weather:2' });
  await result.getByText('Ready').waitFor({ timeout: 60000 });
  await result.getByText(/3 quarantined/).waitFor();

  await result.getByRole('link', { name: 'weather:2' }).click();
  await page.waitForURL(/version=2$/);
  const quarantine = page.locator('catalog-quarantine');
  await quarantine.getByText('3 quarantined rows.').waitFor();
  const rows = quarantine.locator('tbody tr');
  assert.equal(await rows.count(), 3);
  const first = rows.first();
  await first.locator('code', { hasText: 'temp_max' }).waitFor();
  assert.match(await first.innerText(), /temp_max=hot/);
  assert.match(await first.locator('li').first().innerText(), /temp_max: .+/);
  await assertAccessible(page);
  await screenshot(page, 'catalog-quarantine');

  await page.getByLabel('Baseline').selectOption('1');
  await page.getByLabel('Current').selectOption('2');
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.waitForURL(/diff=1\.\.2$/);
  await page.getByRole('heading', { name: 'Version 1 → 2' }).waitFor();
  const shift = page.locator('catalog-diff o-chart');
  await shift.waitFor();
  const option = await shift.evaluate(el => el.instance.getOption());
  assert.ok(option.xAxis[0].data.includes('precipitation'));
  assert.equal(option.series[0].markLine.data[0].yAxis, 0.1);
  await page.getByText('The schema did not change.').waitFor();
  await assertAccessible(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an upload answered 202 is followed until Ready; a bad file and a foreign hand-over show the API\'s problem', async () => {
  const page = await signIn(browser, stack.baseUrl, ...engineer, '/catalog');
  // The server answers at once with 202 when asked to (Prefer: respond-async): the page then polls the version.
  await page.route(/\/api\/projects\/[^/]+\/datasets\/[^/?]+\?name=/, route =>
    route.continue({ headers: { ...route.request().headers(), prefer: 'respond-async' } }));
  const answers = [];
  page.on('response', r => { if (r.request().method() === 'POST' && r.url().includes('/datasets/')) answers.push(r.status()); });
  await page.getByRole('combobox', { name: 'Project' }).first().selectOption('seattle-weather');
  await page.getByLabel('Choose a file').setInputFiles({ name: 'early.csv', mimeType: 'text/csv', buffer: Buffer.from(csv.split('\n').slice(0, 300).join('\n')) });
  await page.getByLabel('Dataset name').first().fill('weather-early');
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  const result = page.getByRole('status').filter({ hasText: 'weather-early:1' });
  await result.getByText('Ready').waitFor({ timeout: 60000 });
  await result.getByText(/299 rows curated/).waitFor();
  assert.deepEqual(answers, [202]);

  await page.getByLabel('Choose a file').setInputFiles({ name: 'header-only.csv', mimeType: 'text/csv', buffer: Buffer.from('date,temp_max\n') });
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  const problem = page.locator('catalog-upload problem-alert').getByRole('alert');
  await problem.waitFor();
  assert.match(await problem.innerText(), /\(400\)/);

  const ingest = page.locator('catalog-ingest');
  await ingest.getByLabel('Dataset name').fill('erp');
  await ingest.getByLabel('Blob path').fill('another-project/erp/x.csv');
  await ingest.getByRole('button', { name: 'Ingest' }).click();
  const refusal = ingest.getByRole('alert').or(ingest.locator('.field-error')).first();
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /400|seattle-weather/);
  await assertAccessible(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a data engineer ingests penguins.json from the landing container: a missing path at its field, the version Ready, a file without the label refused', async () => {
  const project = await stack.api('PUT', '/api/projects/penguins', {
    task: 'multiclass', label: 'Species', primaryMetric: 'microAccuracy', kpis: [{ metric: 'microAccuracy', min: 0.7 }], approvers: ['sme@example.com'],
  });
  assert.ok([200, 201].includes(project.status), JSON.stringify(project.body));
  // A source system hands the file over in Azurite's landing container, under the project's prefix.
  await stack.putBlob('landing', 'penguins/erp/penguins.json', readFileSync(join(sampleData, 'penguins.json')), 'application/json');
  const page = await signIn(browser, stack.baseUrl, ...engineer, '/catalog');
  const ingest = page.locator('catalog-ingest');
  await ingest.getByLabel('Project').selectOption('penguins');
  await ingest.getByLabel('Dataset name').fill('penguins');
  const path = ingest.getByLabel('Blob path');
  await path.fill('penguins/erp/penguin.json');
  await ingest.getByRole('button', { name: 'Ingest' }).click();
  const missing = ingest.locator('#ingest-blob-errors .field-error');
  await missing.waitFor();
  assert.match(await missing.innerText(), /No blob 'penguins\/erp\/penguin\.json'/);
  assert.equal(await path.getAttribute('aria-invalid'), 'true');
  await assertAccessible(page);

  // Answered at once (202) and the version's first poll held back, so the form shows the ingestion under way.
  await page.route(/\/ingest$/, route => route.continue({ headers: { ...route.request().headers(), prefer: 'respond-async' } }));
  await page.route(/\/datasets\/penguins\/versions\/1$/, async route => {
    await new Promise(r => setTimeout(r, 1500));
    await route.continue();
  }, { times: 1 });
  await path.fill('penguins/erp/penguins.json');
  await ingest.getByRole('button', { name: 'Ingest' }).click();
  await ingest.getByRole('progressbar', { name: 'Ingesting penguins:1' }).waitFor();
  assert.equal(await ingest.getByRole('button', { name: 'Ingest' }).isDisabled(), true);
  assert.equal(await path.getAttribute('aria-invalid'), 'false');
  const result = ingest.getByRole('status').filter({ hasText: 'penguins:1' });
  await result.getByText('Ready').waitFor({ timeout: 60000 });
  await result.getByText('344 rows curated, 0 quarantined, of 344 received.').waitFor();
  assert.equal(await ingest.getByRole('progressbar').count(), 0);
  await screenshot(page, 'catalog-ingest');

  await result.getByRole('link', { name: 'penguins:1' }).click();
  await page.waitForURL(/\/catalog\/penguins\/penguins\?version=1$/);
  await page.getByRole('heading', { name: /Version 1/ }).waitFor();
  await page.getByText('landing/penguins/erp/penguins.json').waitFor();
  const card = page.locator('catalog-column-profile').filter({ has: page.getByRole('heading', { name: /Beak Length \(mm\)/ }) });
  await card.getByText('0.6 %').waitFor(); // 2 of 344 penguins were not measured
  const bars = await card.locator('o-chart').evaluate(el => el.instance.getOption().series[0].data.reduce((a, b) => a + b, 0));
  assert.equal(bars, 342, 'the histogram counts every measured penguin');
  await page.getByText('No row was quarantined.').waitFor();
  await assertAccessible(page);

  // A hand-over whose CSV header lacks the label column is refused at the path, with the reason.
  await stack.putBlob('landing', 'penguins/erp/no-label.csv', 'Island,Sex\nTorgersen,MALE\n', 'text/csv');
  await page.goto('/catalog');
  await ingest.getByLabel('Project').selectOption('penguins');
  await ingest.getByLabel('Dataset name').fill('penguins');
  await path.fill('penguins/erp/no-label.csv');
  await ingest.getByRole('button', { name: 'Ingest' }).click();
  const refused = ingest.locator('#ingest-blob-errors .field-error');
  await refused.waitFor();
  assert.match(await refused.innerText(), /label column 'Species'/);
  assert.match(await ingest.locator('problem-alert').getByRole('alert').innerText(), /cannot be ingested \(400\)/);
  await assertAccessible(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a data engineer finds the dataset by column and edits its entry, a bad expectation shown at its field', async () => {
  const page = await signIn(browser, stack.baseUrl, ...engineer, '/catalog');
  await page.getByLabel('Column', { exact: true }).fill('temp_max');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/\/catalog\?column=temp_max$/);
  await page.getByRole('heading', { name: '2 datasets' }).waitFor(); // weather and weather-early
  const link = page.locator('data-table a[href="/catalog/seattle-weather/weather"]');
  await link.waitFor();
  await assertAccessible(page);
  await screenshot(page, 'catalog-search');

  await page.getByLabel('Column', { exact: true }).fill('no_such_column');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('heading', { name: '0 datasets' }).waitFor();
  await page.goBack();
  await page.waitForURL(/column=temp_max$/);
  await link.click();
  await page.waitForURL(/\/catalog\/seattle-weather\/weather$/);

  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Description').fill('Daily weather in Seattle, 2012–2015');
  await page.getByLabel('Tags (comma-separated)').fill('weather, seattle');
  await page.getByLabel('Expectations (JSON)').fill('{"maxRejectedShare": 2}');
  await page.getByRole('button', { name: 'Save' }).click();
  const fieldError = page.locator('#edit-expectations-errors .field-error');
  await fieldError.first().waitFor();
  assert.match(await fieldError.first().innerText(), /.+/);
  await assertAccessible(page);
  await page.getByLabel('Expectations (JSON)').fill('');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').getByText('Saved.').waitFor();
  await page.getByText('Daily weather in Seattle, 2012–2015').waitFor();
  await page.locator('a.badge', { hasText: 'seattle' }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a Reader sees no upload or edit control; a restricted dataset shows who may read it and the refusal', async () => {
  const restricted = await stack.api('POST', '/api/projects/seattle-weather/datasets/hr-weather', csv.split('\n').slice(0, 200).join('\n'));
  assert.ok([200, 201].includes(restricted.status), JSON.stringify(restricted.body));
  const patch = await stack.api('PATCH', '/api/projects/seattle-weather/datasets/hr-weather', { restrictedTo: ['group:hr-analysts'] });
  assert.equal(patch.status, 200, JSON.stringify(patch.body));

  const page = await signIn(browser, stack.baseUrl, 'reed@example.com', ['Reader'], '/catalog');
  await page.getByRole('heading', { name: '4 datasets' }).waitFor(); // weather, weather-early, penguins, hr-weather
  assert.equal(await page.getByRole('heading', { name: 'Upload a file' }).count(), 0);
  assert.equal(await page.getByRole('heading', { name: 'Ingest from the landing container' }).count(), 0);
  const row = page.locator('data-table tbody tr').filter({ hasText: 'hr-weather' });
  await row.getByText('Restricted').waitFor();
  await assertAccessible(page);

  await page.locator('data-table a[href="/catalog/seattle-weather/weather"]').click();
  await page.getByRole('heading', { name: /Version 2/ }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Edit' }).count(), 0);

  await page.goto('/catalog/seattle-weather/hr-weather');
  await page.getByRole('heading', { name: 'Restricted data' }).waitFor();
  await page.getByText('group:hr-analysts').first().waitFor();
  const refusal = page.locator('problem-alert').getByRole('alert');
  await refusal.getByText('Not allowed').waitFor();
  assert.match(await refusal.innerText(), /restricted/i);
  assert.equal(await page.getByRole('heading', { name: 'Columns' }).count(), 0);
  await assertAccessible(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
