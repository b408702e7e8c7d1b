// The portal's shell in a real browser: served by the server under a strict CSP with nothing blocked, signed in
// through the development sign-in page, navigation by permission, a 401 bringing the sign-in back, deep links kept.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, isScriptError, launchBrowser, screenshot, signIn, startStack } from './harness.mjs';

let stack;
let browser;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('GET / serves the portal under a strict content security policy that blocks nothing it loads', async () => {
  const response = await fetch(stack.baseUrl + '/');
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /text\/html/);
  assert.match(response.headers.get('content-security-policy'), /default-src 'self'/);
  const html = await response.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  assert.match(html, /\/assets\/main-[A-Z0-9]+\.js/, 'hashed asset names');

  const context = await browser.newContext();
  const page = await context.newPage();
  const blocked = [];
  page.on('console', m => { if (isScriptError(m)) blocked.push(m.text()); });
  page.on('pageerror', e => blocked.push(String(e)));
  await page.goto(stack.baseUrl + '/');
  await page.getByRole('heading', { name: 'Sign in to Orchestrator' }).waitFor();
  assert.deepEqual(blocked, []);
  await assertAccessible(page);
  await screenshot(page, 'sign-in');
  await context.close();
});

test('a Reader sees the places reading opens and no Audit or Access', async () => {
  const page = await signIn(browser, stack.baseUrl, 'reed@example.com', ['Reader']);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const place of ['Home', 'Catalog', 'Projects & runs', 'Approvals', 'Models', 'Monitoring'])
    await nav.getByRole('link', { name: place, exact: true }).waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Audit' }).count(), 0);
  assert.equal(await nav.getByRole('link', { name: 'Access' }).count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an Admin sees Audit and Access', async () => {
  const page = await signIn(browser, stack.baseUrl, 'admin@example.com', ['Admin']);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Audit', exact: true }).waitFor();
  await nav.getByRole('link', { name: 'Access', exact: true }).waitFor();
  await page.context().close();
});

test('a token the server refuses (401) brings the sign-in back', async () => {
  const page = await signIn(browser, stack.baseUrl, 'reed@example.com', ['Reader']);
  await page.evaluate(() => sessionStorage.setItem('orchestrator.token', 'not-a-token'));
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in to Orchestrator' }).waitFor();
  await page.context().close();
});

test('a deep link is kept through the sign-in and Back returns to the page before', async () => {
  const page = await signIn(browser, stack.baseUrl, 'reed@example.com', ['Reader'], '/catalog?q=weather');
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/catalog?q=weather');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models', exact: true }).click();
  await page.waitForURL(/\/models$/);
  await page.goBack();
  await page.waitForURL(/\/catalog\?q=weather$/);
  await page.context().close();
});

test('an unknown API path answers the API\'s 404 problem, not the portal', async () => {
  const response = await fetch(stack.baseUrl + '/api/no-such-route');
  assert.equal(response.status, 404);
  assert.match(response.headers.get('content-type'), /problem\+json/);
});

test('the API reference at /api-docs/ draws the contract from the server alone, nothing blocked', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  const outside = [];
  page.on('console', m => { if (isScriptError(m)) problems.push(m.text()); });
  page.on('pageerror', e => problems.push(String(e)));
  page.on('request', r => { if (!r.url().startsWith(stack.baseUrl) && !r.url().startsWith('data:')) outside.push(r.url()); });
  const response = await page.goto(stack.baseUrl + '/api-docs');
  assert.equal(response.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/api-docs/');
  assert.match(response.headers()['content-security-policy'], /script-src 'self';/);
  await page.getByRole('heading', { name: 'Orchestrator API' }).waitFor({ timeout: 30000 });
  // Every resource of the route table has its entry in the sidebar (the tags the document gives the operations).
  for (const tag of ['Datasets', 'Runs', 'Approvals', 'Models', 'Monitoring', 'Lineage', 'Audit'])
    await page.getByText(tag, { exact: true }).first().waitFor();
  await page.getByText('Liveness: the service answers (storage is not asked)').first().waitFor();
  assert.deepEqual(problems, []);
  assert.deepEqual(outside, []);
  await screenshot(page, 'api-docs');
  await context.close();
});

test('a person granted a role in one project sees its actions there and not in another project', async () => {
  const project = { task: 'multiclass', label: 'weather', primaryMetric: 'microAccuracy', approvers: ['sme@example.com'] };
  for (const name of ['shell-granted', 'shell-other'])
    assert.ok((await stack.api('PUT', `/api/projects/${name}`, project)).status < 300, name);
  const grant = await stack.api('POST', '/api/access', { principal: 'gina@example.com', role: 'DataScientist', project: 'shell-granted' });
  assert.equal(grant.status, 201, JSON.stringify(grant.body));

  const page = await signIn(browser, stack.baseUrl, 'gina@example.com', ['Reader'], '/projects/shell-granted');
  await page.getByRole('heading', { name: 'Start a run' }).waitFor();
  await page.getByRole('heading', { name: 'Definition' }).waitFor();
  await page.goto(stack.baseUrl + '/projects/shell-other');
  await page.getByRole('heading', { level: 1, name: 'shell-other' }).waitFor();
  await page.getByText('ranked by').waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Start a run' }).count(), 0);
  assert.equal(await page.getByRole('heading', { name: 'Definition' }).count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
