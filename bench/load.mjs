// Load, measured: N whole lifecycles at once (each its own project: upload → sweep → the SME's decision through the
// emailed link → the deployment stage puts its model in production) while an open-loop client calls predict on an
// already deployed model at R requests per second and another client reads the catalog in a loop. One Azurite, one
// server process (tests/portal/harness.mjs's stack). Reports each lifecycle's end and duration, every request by status
// class (any 5xx or network error shows), predict latency under load, and the predictions the product logged (counted
// through its monitoring route, which reads the prediction log) against the predictions it answered.
// Rewrites the `load` section of docs/reliability.md; a benchmark measures, nothing asserts (tests/portal/bench.test.mjs
// runs it once with --smoke and checks its summary line).
// Usage: node bench/load.mjs [--lifecycles 20] [--rate 200] [--candidates 2] [--catalog-pause 100] [--idle-seconds 15] [--timeout 1800] [--smoke]
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { root, sampleData, startStack } from '../tests/portal/harness.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : fallback; };
const smoke = args.includes('--smoke');
const lifecycles = option('lifecycles', smoke ? 2 : 20);
const rate = option('rate', smoke ? 20 : 200); // predict requests per second, scheduled by the clock
const candidateCount = option('candidates', 2);
const catalogPause = option('catalog-pause', 100); // ms between one catalog read's answer and the next read
const timeoutSeconds = option('timeout', 1800); // for the whole load phase
const idleSeconds = option('idle-seconds', smoke ? 3 : 15); // predict alone first, at the same rate: the latency without the load

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const seconds = ms => (ms / 1000).toFixed(1);
const percentile = (sorted, p) => sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))];
const ms = value => Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(1);

// Every request the benchmark makes, by kind and status class; a network error or timeout is its own class.
const tally = {};
function count(kind, status) {
  const cls = status === 'error' ? 'error' : `${Math.floor(status / 100)}xx`;
  tally[kind] ??= { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, error: 0 };
  tally[kind][cls]++;
}
const failures = []; // the first few 5xx and errors, to say what they were
function note(kind, what) { if (failures.length < 20) failures.push(`${kind}: ${what}`); }

/** A process's CPU seconds and peak resident memory (Linux /proc), to describe what the load cost. */
function processStats(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { cpu: (Number(stat[11]) + Number(stat[12])) / 100, peakMiB: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024 };
  } catch { return undefined; }
}
/** Our child process whose command line contains `needle` (the stack's server and Azurite). */
function childPid(needle) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) return Number(entry);
    } catch { /* gone */ }
  }
  return undefined;
}

const csv = readFileSync(join(sampleData, 'seattle-weather.csv'), 'utf8').trim().split('\n');
const header = csv[0];
const rows = csv.slice(1).map(line => {
  const [date, precipitation, tempMax, tempMin, wind] = line.split(',');
  return { date, precipitation: Number(precipitation), temp_max: Number(tempMax), temp_min: Number(tempMin), wind: Number(wind) };
});
const candidates = [
  { trainer: 'LightGbm', parameters: { numberOfLeaves: 8, numberOfIterations: 50 } },
  { trainer: 'LbfgsMaximumEntropy', parameters: { l2Regularization: 1 } },
  { trainer: 'LightGbm', parameters: { numberOfLeaves: 16, numberOfIterations: 50 } },
  { trainer: 'LbfgsMaximumEntropy', parameters: { l2Regularization: 0.1 } },
].slice(0, candidateCount);

let stack; // the Azurite and server of this run (main thread only)
let predictToken;

/** The stack's API as the set-up's Admin, every answer counted under `kind`; a network error is counted and thrown. */
async function api(kind, method, path, body) {
  try {
    const answer = await stack.api(method, path, body);
    count(kind, answer.status);
    if (answer.status >= 500) note(kind, `${method} ${path} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    return answer;
  } catch (error) {
    count(kind, 'error');
    note(kind, `${method} ${path} → ${error.cause?.code ?? error.message}`);
    throw error;
  }
}
function ok(answer, what) {
  if (answer.status >= 300) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
  return answer.body;
}

/**
 * One lifecycle, to its expected end: the project defined, `csvText` uploaded (and ingested), a run swept to the SME,
 * approved through the emailed link, and the run Completed with its model version the one production serves.
 */
async function lifecycle(project, csvText, kind = 'lifecycle') {
  const t0 = performance.now();
  const phases = {};
  ok(await api(kind, 'PUT', `/api/projects/${project}`, {
    task: 'multiclass', label: 'weather', primaryMetric: 'microAccuracy', kpis: [{ metric: 'microAccuracy', min: 0.5 }],
    approvers: ['sme@example.com'], candidates, maxParallelTrials: 2,
  }), `${project}: define the project`);
  let version = ok(await api(kind, 'POST', `/api/projects/${project}/datasets/weather`, csvText), `${project}: upload`);
  while (version.status === 'Pending') {
    await sleep(1000);
    version = ok(await api(kind, 'GET', `/api/projects/${project}/datasets/weather/versions/${version.version}`), `${project}: the upload`);
  }
  if (version.status !== 'Ready') throw new Error(`${project}: the upload ended ${version.status}: ${version.error}`);
  phases.upload = performance.now() - t0;
  const started = ok(await api(kind, 'POST', `/api/projects/${project}/runs`, { dataset: 'weather' }), `${project}: start a run`);
  const runNow = async () => ok(await api(kind, 'GET', `/api/runs/${started.runId}?trials=false`), `${project}: the run`);
  let run;
  await stack.waitFor(async () => (run = await runNow()).status !== 'Running', `${project}: run ${started.runId} reaching the SME`, timeoutSeconds);
  if (run.status !== 'AwaitingApproval') throw new Error(`${project}: the run ended ${run.status} before the SME: ${run.error}`);
  phases.sweep = performance.now() - t0 - phases.upload;
  const link = new URL(await stack.approvalLink(started.runId, 120));
  const decidedAt = performance.now();
  // The link's token is the approver's credential: no bearer token.
  let decided;
  try {
    decided = await fetch(stack.baseUrl + link.pathname, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: link.searchParams.get('token'), decision: 'approve', comment: 'bench/load.mjs' }),
    });
    count(kind, decided.status);
  } catch (error) { count(kind, 'error'); throw error; }
  if (decided.status !== 200) throw new Error(`${project}: the decision → ${decided.status} ${await decided.text()}`);
  await stack.waitFor(async () => !['Running', 'AwaitingApproval'].includes((run = await runNow()).status), `${project}: run ${started.runId} ending`, timeoutSeconds);
  phases.deploy = performance.now() - decidedAt;
  phases.total = performance.now() - t0;
  if (run.status !== 'Completed') throw new Error(`${project}: the run ended ${run.status}: ${run.error}`);
  const models = ok(await api(kind, 'GET', `/api/projects/${project}/models`), `${project}: its models`);
  if (models.production !== run.modelVersion) throw new Error(`${project}: production serves v${models.production}, the run registered v${run.modelVersion}`);
  return { project, end: `Completed, v${run.modelVersion} in production`, phases };
}

/**
 * The predict client, in a worker thread of its own so that its clock and its measurements do not wait for the main
 * thread's work (lifecycles, the catalog reader, reading the outbox): sends predict (one row) at `rate` per second,
 * scheduled by the clock — open loop, a slow answer delays no later request — until told to stop, then answers what it
 * measured.
 */
async function predictClient({ url, token, rate: perSecond, rows: sample }) {
  const latency = []; // ms, from the moment the request is handed to fetch to its whole answer
  const lag = []; // ms, how late each request left after its slot
  const statuses = {};
  const noted = [];
  let answered = 0; // predictions in 2xx answers: what the log must hold
  let running = true;
  parentPort.once('message', () => { running = false; });
  async function once(slot) {
    const sentAt = performance.now();
    lag.push(sentAt - slot);
    try {
      const response = await fetch(url, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ rows: [sample[Math.floor(Math.random() * sample.length)]] }), signal: AbortSignal.timeout(30000),
      });
      const text = await response.text();
      latency.push(performance.now() - sentAt);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.ok) answered += JSON.parse(text).predictions.length;
      else if (noted.length < 10) noted.push(`${response.status} ${text.slice(0, 300)}`);
    } catch (error) {
      statuses.error = (statuses.error ?? 0) + 1;
      if (noted.length < 10) noted.push(String(error.cause?.code ?? error.name ?? error.message));
    }
  }
  const inFlight = new Set();
  const start = performance.now();
  let sent = 0;
  while (running) {
    const due = Math.floor((performance.now() - start) * perSecond / 1000);
    for (; sent < due; sent++) {
      const p = once(start + sent * 1000 / perSecond);
      inFlight.add(p);
      p.finally(() => inFlight.delete(p));
    }
    await sleep(2);
  }
  await Promise.all(inFlight);
  parentPort.postMessage({ latency, lag, statuses, noted, answered, sent, seconds: (performance.now() - start) / 1000 });
}

/** Starts the predict client (a worker thread); `stop()` answers its measurements, counted under `kind`. */
function openLoop(kind) {
  const worker = new Worker(new URL(import.meta.url), {
    argv: args, workerData: { url: `${stack.baseUrl}/api/projects/serving/predict`, token: predictToken, rate, rows },
  });
  const measured = new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
  return {
    stop: async () => {
      worker.postMessage('stop');
      const result = await measured;
      await worker.terminate();
      for (const [status, n] of Object.entries(result.statuses)) for (let i = 0; i < n; i++) count(kind, status === 'error' ? 'error' : Number(status));
      for (const line of result.noted) note(kind, line);
      return result;
    },
  };
}

const catalogLatency = [];
function catalogLoop() {
  let running = true;
  const done = (async () => {
    while (running) {
      const t = performance.now();
      try {
        const answer = await api('catalog', 'GET', '/api/datasets?limit=50');
        if (answer.status === 200) catalogLatency.push(performance.now() - t);
      } catch { /* counted */ }
      await sleep(catalogPause);
    }
  })();
  return { stop: () => { running = false; return done; } };
}

if (isMainThread) await main();
else await predictClient(workerData);

async function main() {
const loadBefore = loadavg();
const wallStart = Date.now();
stack = await startStack();
const serverPid = childPid('Orchestrator.Server.dll');
const azuritePid = childPid('azurite');
let results = [];
const loadSamples = [];
let logged;
let settle;
let idleRun;
let predictRun;
let phaseSeconds;
const stats = {};
try {
  // A model in production for predict to call: the same lifecycle, alone, before the load.
  await lifecycle('serving', csv.join('\n') + '\n', 'setup');
  predictToken = await stack.token('load-client@example.com', ['MlEngineer']);
  const windowStart = new Date(Date.now() - 1000).toISOString();
  const warm = await fetch(`${stack.baseUrl}/api/projects/serving/predict`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${predictToken}` }, body: JSON.stringify({ rows: [rows[0]] }) });
  if (warm.status !== 200) throw new Error(`predict before the load: ${warm.status} ${await warm.text()}`);
  const warmPredictions = (await warm.json()).predictions.length;
  // The same predict traffic with nothing else going on, for comparison.
  const idle = openLoop('predict (alone)');
  await sleep(idleSeconds * 1000);
  idleRun = await idle.stop();

  // The load: N lifecycles at once, predict at R/s, the catalog read over and over.
  const before = { server: processStats(serverPid), azurite: processStats(azuritePid) };
  const sampler = setInterval(() => loadSamples.push(loadavg()[0]), 5000);
  const loadStart = performance.now();
  const predicting = openLoop('predict');
  const reading = catalogLoop();
  const ended = await Promise.all(Array.from({ length: lifecycles }, async (_, i) => {
    const project = `load-${String(i + 1).padStart(2, '0')}`;
    // Each its own data too: the file without every Nth row, N the lifecycle's number (a different content hash each).
    const data = [header, ...csv.slice(1).filter((_, r) => r % (lifecycles + 1) !== i)].join('\n') + '\n';
    try {
      return await lifecycle(project, data);
    } catch (error) {
      return { project, end: `**${error.message.replace(/\|/g, '\\|').slice(0, 200)}**`, failed: true, phases: { total: performance.now() - loadStart } };
    }
  }));
  phaseSeconds = (performance.now() - loadStart) / 1000;
  predictRun = await predicting.stop();
  await reading.stop();
  clearInterval(sampler);
  loadSamples.push(loadavg()[0]);
  const after = { server: processStats(serverPid), azurite: processStats(azuritePid) };
  for (const which of ['server', 'azurite'])
    if (before[which] && after[which]) stats[which] = { cpu: after[which].cpu - before[which].cpu, peakMiB: after[which].peakMiB };
  results = ended;

  // Every answered prediction must be in the log. The monitoring route flushes the server's log and counts the
  // window's records; logging is asynchronous, so ask again until the count settles (or a deadline).
  const sent = warmPredictions + idleRun.answered + predictRun.answered;
  const settleStart = performance.now();
  for (;;) {
    const report = ok(await api('count', 'POST', '/api/projects/serving/monitoring/run', { windowStart, windowEnd: new Date().toISOString() }), 'count the logged predictions');
    logged = report.predictions;
    if (logged >= sent || performance.now() - settleStart > 60000) break;
    await sleep(2000);
  }
  settle = { sent, seconds: (performance.now() - settleStart) / 1000 };
} finally {
  await stack.stop();
}

const loadAfter = loadavg();
const reached = results.filter(r => !r.failed).length;
const totals = results.map(r => r.phases.total).sort((a, b) => a - b);
const lat = [...predictRun.latency].sort((a, b) => a - b);
const lag = [...predictRun.lag].sort((a, b) => a - b);
const alone = [...idleRun.latency].sort((a, b) => a - b);
const cat = [...catalogLatency].sort((a, b) => a - b);
const classes = kind => { const t = tally[kind] ?? {}; return Object.entries(t).filter(([, n]) => n > 0).map(([c, n]) => `${c} ${n}`).join(', ') || 'none'; };
const sum = cls => Object.values(tally).reduce((s, t) => s + t[cls], 0);
const fivexx = sum('5xx');
const errors = sum('error');
const meanLoad = loadSamples.length ? loadSamples.reduce((a, b) => a + b, 0) / loadSamples.length : NaN;
const cpu = cpus();
const machine = `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB; ` +
  `load average ${loadBefore[0].toFixed(2)} before, ${meanLoad.toFixed(2)} on average during the load (1-minute, sampled every 5 s), ` +
  `${loadAfter[0].toFixed(2)} after — the machine is shared, so others' work is in these figures`;

const section = [
  '## Load',
  '',
  `Measured on ${new Date().toISOString().slice(0, 10)} with \`bench/run.sh load\` (\`bench/load.mjs\`: one Azurite, one server process): ` +
    `${lifecycles} lifecycles at once, each its own project and data (seattle-weather with one row in ${lifecycles + 1} left out, a different one each; upload → sweep of ${candidates.length} candidates ` +
    '→ the SME approves through the emailed link → the deployment stage puts the model in production), while an open-loop client calls predict ' +
    `(one row) on an already deployed model at ${rate} requests/s, scheduled by the clock from a thread of its own (latency: request handed to fetch → whole answer), ` +
    'and another reads the catalog (`GET /api/datasets`) in a loop ' +
    `(${catalogPause} ms between reads). Machine: ${machine}.`,
  '',
  '| measure | promise | measured |',
  '|---|---|---|',
  `| lifecycles | every one reaches its end: run \`Completed\`, its model version the one production serves | **${reached} of ${lifecycles}**; ` +
    `each ${seconds(percentile(totals, 50))} s (median), ${seconds(totals[totals.length - 1] ?? NaN)} s (slowest); all ended ${phaseSeconds.toFixed(0)} s after the load began |`,
  `| predict requests | no 5xx, no network error or timeout (30 s) | ${classes('predict')}: ${predictRun.sent} sent in ${predictRun.seconds.toFixed(0)} s ` +
    `(${(predictRun.sent / predictRun.seconds).toFixed(0)}/s); the client sent 99% within ${ms(percentile(lag, 99))} ms of their slot |`,
  `| predict latency under load | reported | p50 ${ms(percentile(lat, 50))} ms, p95 ${ms(percentile(lat, 95))} ms, **p99 ${ms(percentile(lat, 99))} ms**, max ${ms(lat[lat.length - 1] ?? NaN)} ms |`,
  `| predict alone, just before (${idleRun.sent} requests in ${idleRun.seconds.toFixed(0)} s at the same rate) | for comparison | ${classes('predict (alone)')}; ` +
    `p50 ${ms(percentile(alone, 50))} ms, p95 ${ms(percentile(alone, 95))} ms, p99 ${ms(percentile(alone, 99))} ms, max ${ms(alone[alone.length - 1] ?? NaN)} ms |`,
  `| catalog reads | no 5xx | ${classes('catalog')}; p50 ${ms(percentile(cat, 50))} ms, p99 ${ms(percentile(cat, 99))} ms |`,
  `| the lifecycles' own API calls (define, upload, start, poll, decide, models) | no 5xx | ${classes('lifecycle')} |`,
  `| predictions logged | every answered prediction in the prediction log (counted by \`POST …/monitoring/run\` over the window) | **${logged} of ${settle.sent}** ` +
    `(counted ${settle.seconds.toFixed(1)} s after the load) |`,
  `| what the load cost | reported | server ${stats.server ? `${stats.server.cpu.toFixed(0)} s CPU, peak ${stats.server.peakMiB.toFixed(0)} MiB` : 'n/a'}; ` +
    `Azurite ${stats.azurite ? `${stats.azurite.cpu.toFixed(0)} s CPU` : 'n/a'} over ${phaseSeconds.toFixed(0)} s |`,
  '',
  '| lifecycle | end | upload | to the SME | decision → production | total |',
  '|---|---|---|---|---|---|',
  ...results.map(r => `| ${r.project} | ${r.end} | ${r.phases.upload ? `${seconds(r.phases.upload)} s` : '–'} | ${r.phases.sweep ? `${seconds(r.phases.sweep)} s` : '–'} | ` +
    `${r.phases.deploy ? `${seconds(r.phases.deploy)} s` : '–'} | ${seconds(r.phases.total)} s |`),
].join('\n');
console.log(section);
if (failures.length) console.log(`\nFirst failures:\n${failures.map(f => `- ${f}`).join('\n')}`);
console.log(`\nload: lifecycles ${reached}/${lifecycles} at their end; 5xx ${fivexx}; errors ${errors}; predictions logged ${logged} of ${settle.sent} sent; ` +
  `predict p99 ${ms(percentile(lat, 99))} ms; ${((Date.now() - wallStart) / 1000).toFixed(0)} s`);
if (!smoke) {
  const path = join(root, 'docs', 'reliability.md');
  let text = existsSync(path) ? readFileSync(path, 'utf8') : '# Reliability\n\nGenerated by `bench/run.sh faults` and `bench/run.sh load`; do not edit by hand.\n';
  const block = `<!-- begin:load -->\n${section}\n<!-- end:load -->`;
  text = /<!-- begin:load -->[\s\S]*?<!-- end:load -->/.test(text) ? text.replace(/<!-- begin:load -->[\s\S]*?<!-- end:load -->/, block) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, text);
  console.log('docs/reliability.md: load section written');
}
}
