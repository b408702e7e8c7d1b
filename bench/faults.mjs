// Faults, measured: each case states the promise, injects the fault into real server processes on a real Azurite, and
// reports what it measured (recovery time, what was lost, what was duplicated). Rewrites the `faults` section of
// docs/reliability.md; a benchmark measures — tests/portal/bench.test.mjs runs it once with --smoke and asserts on the
// JSON line it prints last (`faults-result`), nothing is asserted here.
// Cases (issue #16): kill -9 during a multi-chunk ingestion, mid-sweep, while a run awaits its SME, during a promotion;
// storage stopped during a run; two servers on one task hub, one killed mid-sweep.
// Usage: node bench/faults.mjs [--trials 12] [--smoke] [--only ingestion,sweep,approval,promotion,storage,pair]
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { emailedApprovalLink, freePort, root, sampleData, serverDll, signedBlobRequest, spawnAzurite } from '../tests/portal/harness.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : fallback; };
const smoke = args.includes('--smoke');
const only = option('only', '').split(',').filter(Boolean);
const wanted = name => only.length === 0 || only.includes(name);
const size = smoke
  ? { copies: 40, chunkRows: 5000, trials: Number(option('trials', 4)), killAfter: 1, pairRuns: 2, pairTrials: 4, pairParallel: 1, outage: 10 }
  : { copies: 700, chunkRows: 50000, trials: Number(option('trials', 12)), killAfter: 4, pairRuns: 4, pairTrials: 8, pairParallel: 2, outage: 30 };
// The smoke run keeps recovery short (tests); the full run measures the server's defaults.
const timeouts = smoke
  ? ['--Server:WorkItemVisibilityTimeout=00:00:10', '--Server:ControlQueueVisibilityTimeout=00:00:20', '--Server:PartitionLeaseInterval=00:00:15']
  : [];
const partitions = 4;

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const seconds = ms => (ms / 1000).toFixed(0);
const devAccount = 'devstoreaccount1';
const devKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

if (!existsSync(serverDll)) throw new Error(`Build the server first: ${serverDll} is missing`);
const work = mkdtempSync(join(tmpdir(), 'faults-'));
const outbox = join(work, 'outbox');
mkdirSync(outbox);
const [blob, queue, table] = [await freePort(), await freePort(), await freePort()];
const storage = `DefaultEndpointsProtocol=http;AccountName=${devAccount};AccountKey=${devKey};`
  + `BlobEndpoint=http://127.0.0.1:${blob}/${devAccount};QueueEndpoint=http://127.0.0.1:${queue}/${devAccount};TableEndpoint=http://127.0.0.1:${table}/${devAccount};`;
const signingKey = `faults-${Date.now()}`;

let azurite;
async function startAzurite() {
  azurite = spawnAzurite(join(work, 'azurite'), { blob, queue, table });
  for (const port of [blob, queue, table]) await until(async () => (await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined)) !== undefined, 'Azurite listening', 60);
}
/** Stops Azurite as an outage would end a service (SIGTERM: it writes its data out, and starts again from it). */
async function stopAzurite() {
  const exited = new Promise(resolve => azurite.once('exit', resolve));
  azurite.kill('SIGTERM');
  await Promise.race([exited, sleep(15000)]);
  if (azurite.exitCode === null && azurite.signalCode === null) azurite.kill('SIGKILL');
}

const servers = new Set();
// Stopped from outside (a test's timeout): no server or Azurite left behind.
process.once('SIGTERM', () => { for (const child of servers) child.kill('SIGKILL'); azurite?.kill('SIGKILL'); process.exit(1); });
/** One server process on the shared Azurite; the same arguments every time, as a restarted service. */
async function startServer(url, hub) {
  const server = spawn('dotnet', [serverDll, `--AzureWebJobsStorage=${storage}`, `--Server:Urls=${url}`,
    `--Approvals:PublicBaseUrl=${url}`, `--Approvals:SigningKeys:0=${signingKey}`, `--Email:PickupDirectory=${outbox}`,
    `--extensions:durableTask:hubName=${hub}`, `--extensions:durableTask:storageProvider:partitionCount=${partitions}`,
    '--Approvals:AllowUngrantedApprovers=true', '--Retraining:Schedule=0 0 0 1 1 *', `--Ingestion:ChunkRows=${size.chunkRows}`,
    '--Auth:Development:Enabled=true', `--Auth:Development:Key=${signingKey}`, ...timeouts], { cwd: work, stdio: 'ignore' });
  servers.add(server);
  server.once('exit', () => servers.delete(server));
  const deadline = Date.now() + 90000;
  for (;;) {
    try { if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) })).ok) return server; } catch { /* not listening yet */ }
    if (Date.now() > deadline) { server.kill('SIGKILL'); throw new Error('the server did not answer /healthz in 90 s'); }
    await sleep(200);
  }
}
async function kill(server) {
  const exited = new Promise(resolve => server.once('exit', resolve));
  server.kill('SIGKILL');
  await exited;
}

const tokens = new Map();
async function api(url, method, path, body, headers = {}) {
  if (!tokens.has(url)) {
    tokens.set(url, (await (await fetch(`${url}/api/dev/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, signal: AbortSignal.timeout(30000),
      body: JSON.stringify({ user: 'faults@example.com', roles: ['Admin'] }) })).json()).token);
  }
  const all = { Accept: 'application/json', Authorization: `Bearer ${tokens.get(url)}`, ...headers };
  let payload;
  if (body instanceof Uint8Array || typeof body === 'string') { payload = body; all['Content-Type'] ??= 'text/csv'; }
  else if (body !== undefined) { payload = JSON.stringify(body); all['Content-Type'] = 'application/json'; }
  // Every call has a deadline: a request that never answers is a finding, not a reason for the bench to wait forever.
  const response = await fetch(url + path, { method, headers: all, body: payload, signal: AbortSignal.timeout(120000) });
  const text = await response.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = text; }
  return { status: response.status, body: json, headers: response.headers };
}
async function ok(promise, what) {
  const r = await promise;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function until(condition, what, limit) {
  const deadline = Date.now() + limit * 1000;
  for (;;) {
    const value = await condition().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${limit} s`);
    await sleep(100);
  }
}

/** Blob names under a prefix (Azurite's List Blobs, signed with the account key). */
async function listBlobs(container, prefix) {
  const response = await signedBlobRequest('GET', `http://127.0.0.1:${blob}/${devAccount}/${container}?comp=list&prefix=${encodeURIComponent(prefix)}&restype=container`);
  if (response.status === 404) return [];
  const xml = await response.text();
  return [...xml.matchAll(/<Name>([^<]+)<\/Name>/g)].map(m => m[1]);
}
async function readBlob(container, name) {
  const response = await signedBlobRequest('GET', `http://127.0.0.1:${blob}/${devAccount}/${container}/${name.split('/').map(encodeURIComponent).join('/')}`);
  if (response.status !== 200) throw new Error(`read ${container}/${name}: ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * Which worker holds each control-queue partition of a task hub: the provider's table partition manager keeps one row
 * per partition in `{hub}Partitions` (`CurrentOwner`, `ExpiresAt`); read with a Shared Key Lite signature.
 */
async function partitionOwners(hub) {
  const path = `/${devAccount}/${hub}Partitions()`;
  const date = new Date().toUTCString();
  const signature = createHmac('sha256', Buffer.from(devKey, 'base64')).update(`${date}\n/${devAccount}${path}`, 'utf8').digest('base64');
  const response = await fetch(`http://127.0.0.1:${table}${path}`, {
    headers: { 'x-ms-date': date, 'x-ms-version': '2019-02-02', Accept: 'application/json;odata=nometadata', Authorization: `SharedKeyLite ${devAccount}:${signature}` },
    signal: AbortSignal.timeout(10000),
  });
  if (response.status !== 200) return {};
  const owners = {};
  for (const row of (await response.json()).value) if (row.CurrentOwner) owners[row.RowKey] = row.CurrentOwner;
  return owners;
}
/** The control queue (partition) of an orchestration instance: FNV-1a of its id modulo the partition count, as the provider computes it. */
function partitionOf(hub, instanceId) {
  let hash = 2166136261;
  for (const byte of Buffer.from(instanceId, 'utf8')) hash = Math.imul(hash ^ byte, 16777619) >>> 0;
  return `${hub.toLowerCase()}-control-${String(hash % partitions).padStart(2, '0')}`;
}

function approvalLink(runId) {
  return until(async () => emailedApprovalLink(outbox, runId) ?? undefined, `an approval email for ${runId}`, 120);
}
async function decide(link, decision = 'approve') {
  const url = new URL(link);
  const response = await fetch(`${url.origin}${url.pathname}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, signal: AbortSignal.timeout(30000),
    body: JSON.stringify({ token: url.searchParams.get('token'), decision, comment: 'faults bench' }),
  });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

const weatherCsv = readFileSync(join(sampleData, 'seattle-weather.csv'));
const project = (name, trials, parallel = 2, iterations = 400) => ({
  task: 'multiclass', label: 'weather', primaryMetric: 'microAccuracy', approvers: ['sme@example.com'], maxParallelTrials: parallel,
  candidates: Array.from({ length: trials }, (_, i) => ({ trainer: 'LightGbm', parameters: { numberOfLeaves: 8 + i, numberOfIterations: iterations } })),
});
async function startRun(url, name) {
  return (await ok(api(url, 'POST', `/api/projects/${name}/runs`, { dataset: 'weather' }), `start a run of ${name}`)).runId;
}
const runOf = async (url, runId) => (await api(url, 'GET', `/api/runs/${runId}?trials=false`)).body;
async function trialIds(url, runId) {
  return (await ok(api(url, 'GET', `/api/runs/${runId}/trials?limit=1000`), 'the leaderboard')).trials.map(t => t.trialId);
}

const rows = [];
const started = Date.now();
/** Progress on stderr: the table is stdout. */
const log = text => console.error(`[faults ${seconds(Date.now() - started)} s] ${text}`);
const hub = 'FaultsHub';
const url = `http://127.0.0.1:${await freePort()}`;
await startAzurite();
let server = await startServer(url, hub);
try {
  await ok(api(url, 'PUT', '/api/projects/faults', project('faults', size.trials)), 'define the project');
  await ok(api(url, 'POST', '/api/projects/faults/datasets/weather', weatherCsv), 'upload seattle-weather');

  if (wanted('ingestion')) {
    log('ingestion: start');
    // kill -9 during a multi-chunk ingestion: the version ends Ready once, each curated part once, raw untouched.
    const lines = weatherCsv.toString('utf8').trim().split('\n');
    const body = [lines[0].trim() + ',copy'];
    for (let copy = 0; copy < size.copies; copy++) for (const line of lines.slice(1)) body.push(`${line.trim()},${copy}`);
    const csv = Buffer.from(body.join('\n') + '\n');
    const rowCount = body.length - 1;
    const chunks = Math.ceil(rowCount / size.chunkRows);
    await ok(api(url, 'PUT', '/api/projects/ingest', project('ingest', 1)), 'define the ingestion project');
    const upload = await ok(api(url, 'POST', '/api/projects/ingest/datasets/bulk', csv, { Prefer: 'respond-async' }), 'upload the bulk file');
    const version = upload.version;
    const prefix = `ingest/bulk/v${version}/part-`;
    const partsAtKill = await until(async () => { const parts = await listBlobs('curated', prefix); return parts.length > 0 && parts; }, 'the first curated part', 300);
    const statusAtKill = (await api(url, 'GET', `/api/projects/ingest/datasets/bulk/versions/${version}`)).body?.status;
    log('ingestion: killing the server');
    await kill(server);
    const killed = Date.now();
    server = await startServer(url, hub);
    const ready = await until(async () => {
      const v = (await api(url, 'GET', `/api/projects/ingest/datasets/bulk/versions/${version}`)).body;
      return v && v.status !== 'Pending' && v;
    }, 'the version leaving Pending after the restart', 600);
    const done = Date.now();
    const dataset = await ok(api(url, 'GET', '/api/projects/ingest/datasets/bulk'), 'the dataset');
    const versions = (dataset.versions ?? []).length;
    const parts = await listBlobs('curated', prefix);
    const rawName = ready.rawBlob.replace(/^raw\//, '');
    const rawSame = createHash('sha256').update(await readBlob('raw', rawName)).digest('hex') === createHash('sha256').update(csv).digest('hex');
    const kept = ready.rowsOut + ready.rowsQuarantined;
    log('ingestion: done');
    rows.push({
      case: 'ingestion',
      fault: '`kill -9` during a multi-chunk ingestion, then the server started again',
      promise: `the version ends Ready once, each of its ${chunks} curated parts once, the raw file untouched`,
      measured: `${rowCount.toLocaleString('en')} rows in ${chunks} chunks; killed with ${partsAtKill.length} of ${chunks} parts written (version ${statusAtKill}); ` +
        `${ready.status} ${seconds(done - killed)} s after the kill; ${versions} version, ${parts.length} parts, ${kept.toLocaleString('en')} rows kept, raw ${rawSame ? 'byte-identical' : 'CHANGED'}`,
      lost: Math.max(0, rowCount - kept) + Math.max(0, chunks - new Set(parts).size) + (ready.status === 'Ready' ? 0 : 1) + (rawSame ? 0 : 1),
      duplicates: Math.max(0, kept - rowCount) + Math.max(0, parts.length - chunks) + Math.max(0, versions - 1),
      recovery: (done - killed) / 1000,
    });
  }

  let awaiting; // a run at its SME, for the approval case
  if (wanted('sweep') || wanted('approval')) {
    log('sweep: start');
    // kill -9 in the middle of a sweep: exactly N trials, the run reaches the SME.
    const runId = await startRun(url, 'faults');
    const before = await until(async () => { const r = await runOf(url, runId); return r.progress.trialsCompleted >= size.killAfter && r; }, 'the sweep under way', 600);
    await kill(server);
    const killed = Date.now();
    server = await startServer(url, hub);
    const restarted = Date.now();
    const completedAtKill = before.progress.trialsCompleted;
    // A trial after the restart, or the end of a sweep that had only trials in flight left at the kill.
    await until(async () => { const r = await runOf(url, runId); return r.progress.trialsCompleted > completedAtKill || r.status !== 'Running'; }, 'a trial after the restart', 900);
    const resumed = Date.now();
    const end = await until(async () => { const r = await runOf(url, runId); return r.status !== 'Running' && r; }, 'the run reaching the SME', 900);
    const done = Date.now();
    const ids = await trialIds(url, runId);
    log('sweep: done');
    rows.push({
      case: 'sweep',
      fault: '`kill -9` of the server mid-sweep, then the same server started again',
      promise: `exactly ${size.trials} trials, one row each, the run reaches the SME`,
      measured: `killed after ${completedAtKill} of ${size.trials} trials; restarted in ${((restarted - killed) / 1000).toFixed(1)} s; ` +
        `first trial after the kill ${seconds(resumed - killed)} s after it; run ${end.status} ${seconds(done - killed)} s after it`,
      lost: size.trials - new Set(ids).size + (end.status === 'AwaitingApproval' ? 0 : 1),
      duplicates: ids.length - new Set(ids).size,
      recovery: (resumed - killed) / 1000,
    });
    awaiting = runId;
  }

  let production; // the version production serves after the approval case
  if (wanted('approval')) {
    log('approval: start');
    // kill -9 while a run awaits its SME: a decision posted meanwhile fails at once (not a hang); the same link works after the restart.
    const runId = awaiting;
    const link = await approvalLink(runId);
    await kill(server);
    const posted = Date.now();
    const whileDown = await decide(link).then(r => `HTTP ${r.status}`, e => e.cause?.code ?? e.message);
    const failedIn = Date.now() - posted;
    server = await startServer(url, hub);
    const restarted = Date.now();
    const page = await fetch(link, { signal: AbortSignal.timeout(30000) });
    const decision = await decide(link);
    const decided = Date.now();
    const end = await until(async () => { const r = await runOf(url, runId); return !['Running', 'AwaitingApproval'].includes(r.status) && r; }, 'the run completing', 600);
    const done = Date.now();
    const approval = (await ok(api(url, 'GET', `/api/approvals?run=${runId}`), 'the approval')).approvals?.[0];
    const decisions = approval?.decisions?.length ?? 0;
    production = end.modelVersion;
    log('approval: done');
    rows.push({
      case: 'approval',
      fault: '`kill -9` while a run awaits its SME, a decision posted while the server is down, then the server started again',
      promise: 'the decision posted meanwhile fails at once (no hang); the same emailed link works after the restart; the run completes',
      measured: `decision while down: ${whileDown} in ${failedIn} ms; after the restart the link's page ${page.status}, its decision ${decision.status} ` +
        `${seconds(decided - restarted)} s after the restart; run ${end.status} (model version ${end.modelVersion}) ${seconds(done - decided)} s after the decision`,
      lost: (end.status === 'Completed' ? 0 : 1) + (page.status === 200 && decision.status === 200 ? 0 : 1),
      duplicates: Math.max(0, decisions - 1),
      recovery: (done - restarted) / 1000,
    });
  }

  if (wanted('promotion') && production !== undefined) {
    log('promotion: start');
    // kill -9 in the middle of a promotion: production serves the old or the new version throughout, never none; one history row.
    await ok(api(url, 'PUT', '/api/projects/faults', project('faults', 1, 1, 100)), 'make the sweep one trial');
    const runId = await startRun(url, 'faults');
    await until(async () => (await runOf(url, runId)).status === 'AwaitingApproval', 'the second run at its SME', 600);
    const link = await approvalLink(runId);
    const served = new Map();
    let none = 0, refused = 0, probing = true;
    const row = { date: '2015-07-01', precipitation: 0, temp_max: 27.2, temp_min: 14.4, wind: 2.9 };
    const prober = (async () => {
      while (probing) {
        try {
          const r = await api(url, 'POST', '/api/projects/faults/predict', { rows: [row] });
          if (r.status === 200) served.set(r.body.modelVersion, (served.get(r.body.modelVersion) ?? 0) + 1);
          else none++;
        } catch { refused++; }
        await sleep(50);
      }
    })();
    await decide(link);
    const stageAtKill = await until(async () => { const r = await runOf(url, runId); return (r.stage === 'Deployment' || r.status !== 'AwaitingApproval') && `${r.stage}/${r.status}`; }, 'the promotion starting', 300);
    await kill(server);
    const killed = Date.now();
    server = await startServer(url, hub);
    const atRestart = (await ok(api(url, 'GET', '/api/projects/faults/models'), 'the registry')).production;
    const end = await until(async () => { const r = await runOf(url, runId); return !['Running', 'AwaitingApproval'].includes(r.status) && r; }, 'the promotion finishing', 600);
    const done = Date.now();
    await sleep(1000);
    probing = false;
    await prober;
    const models = await ok(api(url, 'GET', '/api/projects/faults/models'), 'the registry');
    const changes = models.history.filter(h => h.environment === 'production' && h.toVersion === end.modelVersion);
    const foreign = [...served.keys()].filter(v => v !== production && v !== end.modelVersion);
    log('promotion: done');
    rows.push({
      case: 'promotion',
      fault: '`kill -9` in the middle of a promotion (the lifecycle promoting an approved model), then the server started again',
      promise: 'production serves the old or the new version throughout, never none; the history has exactly one change for it',
      measured: `killed at ${stageAtKill}; production at the restart v${atRestart}, after v${models.production} (run ${end.status} ${seconds(done - killed)} s after the kill); ` +
        `predictions answered by ${[...served].map(([v, n]) => `v${v} ×${n}`).join(', ')}, ${none} by no model, ${refused} refused while down; ${changes.length} history row for v${end.modelVersion}`,
      lost: none + foreign.length + (models.production === end.modelVersion && end.status === 'Completed' ? 0 : 1),
      duplicates: Math.max(0, changes.length - 1),
      recovery: (done - killed) / 1000,
    });
  }

  if (wanted('storage')) {
    log('storage: start');
    // Storage stopped during a run, then started again: the API answers 503 problem+json promptly meanwhile, the run completes.
    await ok(api(url, 'PUT', '/api/projects/faults', project('faults', 3, 1, 300)), 'three trials');
    const runId = await startRun(url, 'faults');
    await until(async () => (await runOf(url, runId)).progress.trialsCompleted >= 1, 'the sweep under way', 600);
    log('storage: stopping Azurite');
    await stopAzurite();
    const stopped = Date.now();
    const answers = new Map();
    let slowest = 0, live = 0, notReady = 0, probes = 0;
    while (Date.now() - stopped < size.outage * 1000) {
      const began = Date.now();
      const timed = async request => { const at = Date.now(); const r = await request.catch(() => undefined); slowest = Math.max(slowest, Date.now() - at); return r; };
      const [r, liveness, readiness] = await Promise.all([
        timed(fetch(`${url}/api/runs/${runId}?trials=false`, { headers: { Authorization: `Bearer ${tokens.get(url)}` }, signal: AbortSignal.timeout(30000) })),
        fetch(`${url}/healthz`, { signal: AbortSignal.timeout(30000) }).catch(() => undefined),
        fetch(`${url}/readyz`, { signal: AbortSignal.timeout(30000) }).catch(() => undefined)]);
      const type = r?.headers.get('content-type') ?? '';
      const key = r ? `${r.status}${type.startsWith('application/problem+json') ? ' problem+json' : ''}${r.headers.get('retry-after') ? ' Retry-After' : ''}` : 'no answer';
      answers.set(key, (answers.get(key) ?? 0) + 1);
      if (liveness?.status === 200) live++;
      if (readiness?.status === 503) notReady++;
      probes++;
      await sleep(Math.max(0, 1000 - (Date.now() - began)));
    }
    log(`storage: ${probes} probes done; starting Azurite`);
    await startAzurite();
    const back = Date.now();
    log('storage: Azurite back');
    const end = await until(async () => { const r = await runOf(url, runId); return r?.status && r.status !== 'Running' && r; }, 'the run reaching the SME after the outage', 900);
    const done = Date.now();
    const ids = await trialIds(url, runId);
    const unexpected = [...answers.keys()].filter(k => k !== '503 problem+json Retry-After').reduce((n, k) => n + answers.get(k), 0);
    log('storage: done');
    rows.push({
      case: 'storage',
      fault: `Azurite stopped for ${size.outage} s during a sweep, then started again`,
      promise: 'meanwhile the API answers 503 problem+json within seconds, /healthz stays up, /readyz says storage is down; the run completes',
      measured: `during the outage ${[...answers].map(([k, n]) => `${n}× ${k}`).join(', ')}, slowest ${(slowest / 1000).toFixed(1)} s; ` +
        `/healthz up ${live}/${probes}, /readyz 503 ${notReady}/${probes}; run ${end.status} ${seconds(done - back)} s after storage came back, ${new Set(ids).size} of 3 trials`,
      lost: 3 - new Set(ids).size + (end.status === 'AwaitingApproval' ? 0 : 1) + unexpected + (probes - live) + (probes - notReady),
      duplicates: ids.length - new Set(ids).size,
      recovery: (done - back) / 1000,
    });
  }

  if (wanted('pair')) {
    log('pair: start');
    // Two servers on one task hub: both serve, the partitions are shared; kill one mid-sweep, the other finishes everything.
    const exited = new Promise(resolve => server.once('exit', resolve));
    server.kill('SIGTERM');
    if (await Promise.race([exited.then(() => true), sleep(30000).then(() => false)]) === false) {
      log('pair: the single server did not stop within 30 s of SIGTERM; killed');
      await kill(server);
    }
    const pairHub = 'FaultsPair';
    const urls = [`http://127.0.0.1:${await freePort()}`, `http://127.0.0.1:${await freePort()}`];
    const pair = [await startServer(urls[0], pairHub), await startServer(urls[1], pairHub)];
    const pids = pair.map(p => p.pid);
    const runs = [];
    for (let i = 0; i < size.pairRuns; i++) {
      const name = `pair-${i}`;
      await ok(api(urls[i % 2], 'PUT', `/api/projects/${name}`, project(name, size.pairTrials, size.pairParallel, 300)), `define ${name}`);
      await ok(api(urls[i % 2], 'POST', `/api/projects/${name}/datasets/weather`, weatherCsv), `upload for ${name}`);
      runs.push(await startRun(urls[i % 2], name));
    }
    const owners = await until(async () => {
      const o = await partitionOwners(pairHub);
      const holders = new Set(Object.values(o));
      return Object.keys(o).length === partitions && holders.size === 2 && o;
    }, 'both servers holding partitions', 180).catch(() => undefined) ?? await partitionOwners(pairHub);
    const held = pids.map(pid => Object.values(owners).filter(owner => owner.endsWith(`-${pid}`)).length);
    let answered = 0, asked = 0;
    for (const runId of runs) for (const u of urls) { asked++; if ((await api(u, 'GET', `/api/runs/${runId}?trials=false`)).status === 200) answered++; }
    const sweep = `${runs[0]}-train`;
    await until(async () => (await runOf(urls[0], runs[0])).progress.trialsCompleted >= 1, 'the first sweep under way', 600);
    const victimOwner = owners[partitionOf(pairHub, sweep)];
    const victim = Math.max(0, pids.findIndex(pid => victimOwner?.endsWith(`-${pid}`)));
    const survivor = 1 - victim;
    const completedAtKill = (await runOf(urls[victim], runs[0])).progress.trialsCompleted;
    await kill(pair[victim]);
    const killed = Date.now();
    const takeover = await until(async () => {
      const o = await partitionOwners(pairHub);
      return Object.keys(o).length === partitions && Object.values(o).every(owner => owner.endsWith(`-${pids[survivor]}`)) && Date.now();
    }, 'the survivor holding every partition', 600).catch(() => undefined);
    const resumed = await until(async () => { const r = await runOf(urls[survivor], runs[0]); return (r.progress.trialsCompleted > completedAtKill || r.status !== 'Running') && Date.now(); }, 'the sweep resuming', 900);
    let lost = 0, duplicates = 0;
    for (const runId of runs) {
      const end = await until(async () => { const r = await runOf(urls[survivor], runId); return r.status !== 'Running' && r; }, `${runId} reaching the SME`, 1200);
      const ids = await trialIds(urls[survivor], runId);
      lost += size.pairTrials - new Set(ids).size + (end.status === 'AwaitingApproval' ? 0 : 1);
      duplicates += ids.length - new Set(ids).size;
    }
    const done = Date.now();
    log('pair: done');
    rows.push({
      case: 'pair',
      fault: `two servers on one task hub (${partitions} partitions), ${size.pairRuns} sweeps of ${size.pairTrials} trials; the server holding the first sweep's partition killed (\`kill -9\`)`,
      promise: 'both servers serve the API and hold partitions; the survivor takes the partitions over and finishes every sweep, one row per trial',
      measured: `partitions held ${held.join(' + ')}; the API answered on both ${answered}/${asked}; killed after ${completedAtKill} of ${size.pairTrials} trials of the first sweep; ` +
        `survivor held all ${partitions} partitions ${takeover ? `${seconds(takeover - killed)} s` : 'never within 600 s'} after the kill; that sweep's next trial ${seconds(resumed - killed)} s after it; ` +
        `all sweeps at the SME ${seconds(done - killed)} s after it`,
      lost: lost + (held.every(n => n > 0) ? 0 : 1) + (asked - answered) + (takeover ? 0 : 1),
      duplicates,
      recovery: (resumed - killed) / 1000,
    });
  }
} finally {
  for (const s of servers) s.kill('SIGKILL');
  azurite?.kill('SIGKILL');
}

const settings = smoke
  ? 'smoke size: work-item visibility 10 s, control queue 20 s, partition leases 15 s'
  : 'the server\'s defaults: work-item visibility timeout 30 s, control queue 60 s, partition leases 30 s, activities renewing their own lock';
const section = [
  '## Faults',
  '',
  `Measured on ${new Date().toISOString().slice(0, 10)} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, load average ${loadavg()[0].toFixed(1)} at the end) with \`bench/run.sh faults\`` +
    ` (\`bench/faults.mjs\`: real server processes on one Azurite, ${partitions} partitions; ${settings}).`,
  '',
  '| fault | promise | measured | lost | duplicates |',
  '|---|---|---|---|---|',
  ...rows.map(r => `| ${r.fault} | ${r.promise} | ${r.measured} | ${r.lost} | ${r.duplicates} |`),
].join('\n');
console.log(section);
console.log(`faults-result ${JSON.stringify(rows.map(({ case: name, lost, duplicates, recovery }) => ({ case: name, lost, duplicates, recovery })))}`);
if (!smoke && only.length === 0) {
  const path = join(root, 'docs', 'reliability.md');
  let text = existsSync(path) ? readFileSync(path, 'utf8') : '# Reliability\n\nGenerated by `bench/run.sh faults`; do not edit by hand.\n';
  const block = `<!-- begin:faults -->\n${section}\n<!-- end:faults -->`;
  text = /<!-- begin:faults -->[\s\S]*?<!-- end:faults -->/.test(text) ? text.replace(/<!-- begin:faults -->[\s\S]*?<!-- end:faults -->/, block) : `${text}\n${block}\n`;
  writeFileSync(path, text);
  console.log('docs/reliability.md: faults section written');
}
rmSync(work, { recursive: true, force: true });
