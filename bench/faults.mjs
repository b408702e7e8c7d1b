// Faults, measured: each case states the promise, injects the fault into real server processes on a real Azurite, and
// reports what it measured (recovery time, trials lost, duplicates). Rewrites the `faults` section of
// docs/reliability.md; a benchmark measures, nothing asserts (tests/portal/bench.test.mjs runs it once with --smoke).
// Case so far: `kill -9` of the server in the middle of a sweep (issue #16, case 2).
// Usage: node bench/faults.mjs [--trials 12] [--smoke]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { freePort, root, sampleData, serverDll } from '../tests/portal/harness.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : fallback; };
const smoke = args.includes('--smoke');
const trials = option('trials', smoke ? 4 : 12);
const killAfter = smoke ? 1 : 4; // trials completed before the kill

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const devAccount = 'devstoreaccount1';
const devKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

if (!existsSync(serverDll)) throw new Error(`Build the server first: ${serverDll} is missing`);
const work = mkdtempSync(join(tmpdir(), 'faults-'));
mkdirSync(join(work, 'outbox'));
const [blob, queue, table, http] = [await freePort(), await freePort(), await freePort(), await freePort()];
const azurite = spawn(join(root, 'infra', 'local', 'node_modules', '.bin', 'azurite'), [
  '--silent', '--skipApiVersionCheck', '--loose', '--disableTelemetry', '--location', join(work, 'azurite'),
  '--blobHost', '127.0.0.1', '--blobPort', String(blob), '--queueHost', '127.0.0.1', '--queuePort', String(queue),
  '--tableHost', '127.0.0.1', '--tablePort', String(table)], { stdio: 'ignore' });
const storage = `DefaultEndpointsProtocol=http;AccountName=${devAccount};AccountKey=${devKey};`
  + `BlobEndpoint=http://127.0.0.1:${blob}/${devAccount};QueueEndpoint=http://127.0.0.1:${queue}/${devAccount};TableEndpoint=http://127.0.0.1:${table}/${devAccount};`;
const baseUrl = `http://127.0.0.1:${http}`;
const signingKey = `faults-${Date.now()}`;

/** One server process on the shared Azurite and task hub; the same arguments every time, as a restarted service. */
async function startServer() {
  const server = spawn('dotnet', [serverDll, `--AzureWebJobsStorage=${storage}`, `--Server:Urls=${baseUrl}`,
    `--Approvals:PublicBaseUrl=${baseUrl}`, `--Approvals:SigningKeys:0=${signingKey}`, `--Email:PickupDirectory=${join(work, 'outbox')}`,
    '--extensions:durableTask:hubName=FaultsHub', '--Approvals:AllowUngrantedApprovers=true', '--Retraining:Schedule=0 0 0 1 1 *',
    '--Auth:Development:Enabled=true', `--Auth:Development:Key=${signingKey}`], { cwd: work, stdio: 'ignore' });
  const deadline = Date.now() + 90000;
  for (;;) {
    try { if ((await fetch(`${baseUrl}/healthz`)).ok) return server; } catch { /* not listening yet */ }
    if (Date.now() > deadline) { server.kill('SIGKILL'); throw new Error('the server did not answer /healthz in 90 s'); }
    await sleep(200);
  }
}

let token;
async function api(method, path, body) {
  token ??= (await (await fetch(`${baseUrl}/api/dev/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: 'faults@example.com', roles: ['Admin'] }) })).json()).token;
  const headers = { Accept: 'application/json', Authorization: `Bearer ${token}` };
  let payload;
  if (body instanceof Uint8Array) { payload = body; headers['Content-Type'] = 'text/csv'; }
  else if (body !== undefined) { payload = JSON.stringify(body); headers['Content-Type'] = 'application/json'; }
  const response = await fetch(baseUrl + path, { method, headers, body: payload });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function until(condition, what, seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await condition().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${seconds} s`);
    await sleep(250);
  }
}

const rows = [];
let server = await startServer();
try {
  // kill -9 in the middle of a sweep: exactly N trials, the run reaches the SME.
  await api('PUT', '/api/projects/faults', {
    task: 'multiclass', label: 'weather', primaryMetric: 'microAccuracy', approvers: ['sme@example.com'], maxParallelTrials: 2,
    candidates: Array.from({ length: trials }, (_, i) => ({ trainer: 'LightGbm', parameters: { numberOfLeaves: 8 + i, numberOfIterations: 400 } })),
  });
  const upload = await api('POST', '/api/projects/faults/datasets/weather', readFileSync(join(sampleData, 'seattle-weather.csv')));
  if (upload.status >= 300) throw new Error(`upload: ${upload.status} ${JSON.stringify(upload.body)}`);
  await until(async () => (await api('GET', '/api/projects/faults/datasets/weather/versions/1')).body?.status === 'Ready', 'the upload Ready', 120);
  const runId = (await api('POST', '/api/projects/faults/runs', { dataset: 'weather' })).body.runId;
  const progress = async () => (await api('GET', `/api/runs/${runId}?trials=false`)).body;
  const before = await until(async () => { const r = await progress(); return r.progress.trialsCompleted >= killAfter && r; }, 'the sweep under way', 600);

  server.kill('SIGKILL');
  const killed = Date.now();
  await new Promise(resolve => server.once('exit', resolve));
  server = await startServer();
  const restarted = Date.now();
  const completedAtKill = before.progress.trialsCompleted;
  await until(async () => (await progress()).progress.trialsCompleted > completedAtKill, 'a trial after the restart', 900);
  const resumed = Date.now();
  const end = await until(async () => { const r = await progress(); return r.status !== 'Running' && r; }, 'the run reaching the SME', 900);
  const done = Date.now();
  const board = (await api('GET', `/api/runs/${runId}/trials?limit=1000`)).body;
  const ids = board.trials.map(t => t.trialId);
  rows.push({
    fault: '`kill -9` of the server mid-sweep, then the same server started again',
    promise: `exactly ${trials} trials, one row each, the run reaches the SME`,
    measured: `killed after ${completedAtKill} of ${trials} trials; restarted in ${((restarted - killed) / 1000).toFixed(1)} s; ` +
      `first trial after the kill ${((resumed - killed) / 1000).toFixed(0)} s after it; run ${end.status} ${((done - killed) / 1000).toFixed(0)} s after it`,
    lost: trials - new Set(ids).size,
    duplicates: ids.length - new Set(ids).size,
  });
} finally {
  server.kill('SIGKILL');
  azurite.kill('SIGKILL');
}

const section = [
  '## Faults',
  '',
  `Measured on ${new Date().toISOString().slice(0, 10)} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB) with \`bench/run.sh faults\`` +
    ' (`bench/faults.mjs`: real server processes on one Azurite; the server\'s work-item visibility timeout 30 s, control queue 60 s, activities renewing their own lock).',
  '',
  '| fault | promise | measured | trials lost | duplicates |',
  '|---|---|---|---|---|',
  ...rows.map(r => `| ${r.fault} | ${r.promise} | ${r.measured} | ${r.lost} | ${r.duplicates} |`),
].join('\n');
console.log(section);
if (!smoke) {
  const path = join(root, 'docs', 'reliability.md');
  let text = existsSync(path) ? readFileSync(path, 'utf8') : '# Reliability\n\nGenerated by `bench/run.sh faults`; do not edit by hand.\n';
  const block = `<!-- begin:faults -->\n${section}\n<!-- end:faults -->`;
  text = /<!-- begin:faults -->[\s\S]*?<!-- end:faults -->/.test(text) ? text.replace(/<!-- begin:faults -->[\s\S]*?<!-- end:faults -->/, block) : `${text}\n${block}\n`;
  writeFileSync(path, text);
  console.log('docs/reliability.md: faults section written');
}
