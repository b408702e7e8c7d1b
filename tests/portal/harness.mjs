// What the portal's browser tests share: a real stack (Azurite on free ports, the self-hosted server serving
// portal/dist, blobs written into Azurite as a source system would), Debian's chromium driven by playwright-core,
// sign-in through the portal's own sign-in page, screenshots, and an axe-core check. Each test file starts its own
// stack (node --test runs files one by one).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'portal', 'package.json'));
const { chromium } = require('playwright-core');
const { AxeBuilder } = require('@axe-core/playwright');

export const serverDll = process.env.SERVER_DLL
  ?? join(root, 'functions', 'Orchestrator.Server', 'bin', 'Debug', 'net10.0', 'Orchestrator.Server.dll');
export const sampleData = join(root, 'infra', 'local', 'node_modules', 'vega-datasets', 'data');
export const screenshots = join(root, 'tests', 'portal', 'screenshots');

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(condition, what, seconds = 60) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    try { if (await condition()) return; } catch { /* not yet */ }
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`${what} did not happen within ${seconds} s`);
}

/** Azurite's well-known development account (published by Microsoft; the server's `UseDevelopmentStorage` uses it too). */
const devAccount = 'devstoreaccount1';
const devKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const storageVersion = '2021-12-02';

/**
 * One Blob service request signed with the account's Shared Key ("Authorize with Shared Key": the verb, the standard
 * headers in their fixed order, the x-ms- headers sorted, then /account/path and the query parameters sorted).
 * `url` is path-style (http://host:port/account/container/blob), as Azurite serves it; `headers` are x-ms- headers,
 * lower-case.
 */
export function signedBlobRequest(method, url, { body, contentType = '', headers = {} } = {}) {
  const target = new URL(url);
  const length = body === undefined ? 0 : Buffer.byteLength(body);
  const msHeaders = { 'x-ms-date': new Date().toUTCString(), 'x-ms-version': storageVersion, ...headers };
  const canonicalHeaders = Object.keys(msHeaders).sort().map(k => `${k}:${msHeaders[k]}\n`).join('');
  const query = [...target.searchParams.keys()].sort().map(k => `\n${k}:${target.searchParams.get(k)}`).join('');
  const standard = [method, '', '', length > 0 ? String(length) : '', '', contentType, '', '', '', '', '', ''];
  const stringToSign = `${standard.join('\n')}\n${canonicalHeaders}/${devAccount}${target.pathname}${query}`;
  const signature = createHmac('sha256', Buffer.from(devKey, 'base64')).update(stringToSign, 'utf8').digest('base64');
  return fetch(target, {
    method, body, signal: AbortSignal.timeout(60000),
    headers: { ...msHeaders, ...(contentType ? { 'Content-Type': contentType } : {}), Authorization: `SharedKey ${devAccount}:${signature}` },
  });
}

/** The approval link emailed about `runId` among the `.eml` files of a pickup folder, or null (quoted-printable undone). */
export function emailedApprovalLink(outbox, runId) {
  for (const file of readdirSync(outbox).filter(f => f.endsWith('.eml'))) {
    const text = readFileSync(join(outbox, file), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    if (!text.includes(runId)) continue;
    const found = text.match(/https?:\/\/\S+\/api\/approvals\/[0-9a-f]+\?token=[^\s"<]+/);
    if (found) return found[0];
  }
  return null;
}

/**
 * Starts Azurite on loopback ports with its data in `location`: its three services side by side in one process
 * (infra/local/azurite-services.mjs), telemetry off (by default Azurite sends usage data out).
 */
export function spawnAzurite(location, { blob, queue, table }) {
  return spawn(process.execPath, [join(root, 'infra', 'local', 'azurite-services.mjs'),
    '--silent', '--skipApiVersionCheck', '--loose', '--disableTelemetry', '--location', location,
    '--blobHost', '127.0.0.1', '--blobPort', String(blob), '--queueHost', '127.0.0.1', '--queuePort', String(queue),
    '--tableHost', '127.0.0.1', '--tablePort', String(table)], { stdio: 'ignore' });
}

/**
 * Starts Azurite and the server; answers { baseUrl, outbox, token(user, roles), api(method, path, body, token),
 * putBlob(container, name, content, contentType), stop() }.
 * Extra server settings come as `--Key=value` arguments (`settings`).
 */
export async function startStack({ settings = [] } = {}) {
  if (!existsSync(serverDll)) throw new Error(`Build the server first: ${serverDll} is missing`);
  const work = mkdtempSync(join(tmpdir(), 'portal-test-'));
  const outbox = join(work, 'outbox');
  mkdirSync(outbox);
  const blob = await freePort();
  const [queue, table, http] = [await freePort(), await freePort(), await freePort()];
  const azurite = spawnAzurite(join(work, 'azurite'), { blob, queue, table });
  const [account, key] = [devAccount, devKey];
  const storage = `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${key};`
    + `BlobEndpoint=http://127.0.0.1:${blob}/${account};QueueEndpoint=http://127.0.0.1:${queue}/${account};TableEndpoint=http://127.0.0.1:${table}/${account};`;
  const baseUrl = `http://127.0.0.1:${http}`;
  const signingKey = `portal-tests-${Date.now()}`;
  const args = [serverDll,
    `--AzureWebJobsStorage=${storage}`, `--Server:Urls=${baseUrl}`, `--Approvals:PublicBaseUrl=${baseUrl}`,
    `--Approvals:SigningKeys:0=portal-tests-approvals-${Date.now()}`, `--Email:PickupDirectory=${outbox}`,
    '--extensions:durableTask:hubName=PortalTestHub', '--Approvals:AllowUngrantedApprovers=true',
    '--Retraining:Schedule=0 0 0 1 1 *', '--Auth:Development:Enabled=true', `--Auth:Development:Key=${signingKey}`,
    `--Portal:Root=${join(root, 'portal', 'dist')}`, ...settings];
  const log = [];
  const server = spawn('dotnet', args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', d => log.push(String(d)));
  server.stderr.on('data', d => log.push(String(d)));
  try {
    await waitFor(async () => (await fetch(`${baseUrl}/healthz`)).ok, 'the server answering /healthz', 90);
  } catch (error) {
    server.kill('SIGKILL');
    azurite.kill('SIGKILL');
    throw new Error(`${error.message}\n${log.join('').slice(-4000)}`);
  }

  const tokens = new Map();
  async function token(user, roles, groups = []) {
    const cacheKey = JSON.stringify([user, roles, groups]);
    if (!tokens.has(cacheKey)) {
      const answer = await (await fetch(`${baseUrl}/api/dev/token`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user, roles, groups }),
      })).json();
      tokens.set(cacheKey, answer.token);
    }
    return tokens.get(cacheKey);
  }

  /** Calls the API directly, for a test's set-up that is not what it tests (the UI does what it tests). */
  async function api(method, path, body, bearer) {
    const headers = { Accept: 'application/json', Authorization: `Bearer ${bearer ?? await token('setup@example.com', ['Admin'])}` };
    let payload;
    if (body instanceof Uint8Array || typeof body === 'string') { payload = body; headers['Content-Type'] = 'text/csv'; }
    else if (body !== undefined) { payload = JSON.stringify(body); headers['Content-Type'] = 'application/json'; }
    const response = await fetch(baseUrl + path, { method, headers, body: payload });
    const text = await response.text();
    let json;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = text; }
    return { status: response.status, body: json, headers: response.headers };
  }

  /** The approval link emailed about `runId` (read from the pickup folder, as ./run.sh does). */
  async function approvalLink(runId, seconds = 60) {
    let link = null;
    await waitFor(() => (link = emailedApprovalLink(outbox, runId)) !== null, `an approval email for ${runId}`, seconds);
    return link;
  }

  /**
   * Writes a block blob into the stack's Azurite as a source system would (the landing container for a hand-over),
   * creating the container when it is missing. Answers the blob's URL.
   */
  async function putBlob(container, name, content, contentType = 'application/octet-stream') {
    const containerUrl = `http://127.0.0.1:${blob}/${account}/${container}`;
    const created = await signedBlobRequest('PUT', `${containerUrl}?restype=container`);
    if (![201, 409].includes(created.status)) throw new Error(`create container ${container}: ${created.status} ${await created.text()}`);
    const url = `${containerUrl}/${name.split('/').map(encodeURIComponent).join('/')}`;
    const put = await signedBlobRequest('PUT', url, { body: content, contentType, headers: { 'x-ms-blob-type': 'BlockBlob' } });
    if (put.status !== 201) throw new Error(`put blob ${container}/${name}: ${put.status} ${await put.text()}`);
    return url;
  }

  async function stop() {
    server.kill('SIGTERM');
    await new Promise(r => { server.once('exit', r); setTimeout(r, 10000); });
    if (server.exitCode === null) server.kill('SIGKILL');
    azurite.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  }

  return { baseUrl, outbox, token, api, approvalLink, putBlob, stop, log, waitFor };
}

/**
 * A console error that is the page's fault: a script error or a CSP refusal. Chromium also logs every 4xx answer as
 * "Failed to load resource", which is the API doing its job (a 401 before sign-in, a 403 the page explains).
 */
export function isScriptError(message) {
  return message.type() === 'error' && !message.text().startsWith('Failed to load resource');
}

/** Debian's chromium, headless, with a fresh profile (playwright-core never downloads a browser here). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/**
 * A new page signed in through the portal's sign-in form as `user` with `roles` (the UI only). Answers the page at
 * `path` once the shell shows the person.
 */
export async function signIn(browser, baseUrl, user, roles, path = '/', { viewport = { width: 1366, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport, baseURL: baseUrl });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  page.on('console', m => { if (isScriptError(m)) errors.push(m.text()); });
  page.errors = errors;
  await page.goto(path);
  await page.getByLabel('User id').fill(user);
  for (const role of roles) await page.getByRole('checkbox', { name: role, exact: true }).check();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

/** Saves a PNG under tests/portal/screenshots/ (git-ignored); with UPDATE_SCREENSHOTS=1 also under docs/portal/. */
export async function screenshot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(join(root, 'docs', 'portal'), { recursive: true });
    // The README shows each page as a person first sees it: from its top, one screen.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(root, 'docs', 'portal', `${name}.png`), fullPage: false });
  }
}

/** Fails unless the page as it is now has no serious or critical accessibility violation; `where` names it in the message. */
export async function assertAccessible(page, where = page.url()) {
  assert.deepEqual(await accessibilityViolations(page), [], `accessibility of ${where}`);
}

/** The serious and critical accessibility violations of the page as it is now (axe-core 4.14), as readable lines. */
export async function accessibilityViolations(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
}
