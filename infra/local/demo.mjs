// The lifecycle demo of ./run.sh, as a portal would drive it over HTTP.
// Usage: node demo.mjs <baseUrl> <outboxDir> [--approve]
// Tokens (minted by run.sh): DEMO_ENGINEER_TOKEN (DataEngineer), DEMO_SCIENTIST_TOKEN (DataScientist), DEMO_MLOPS_TOKEN (MlEngineer).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const [base, outbox, ...flags] = process.argv.slice(2);
const approve = flags.includes('--approve');
const here = dirname(fileURLToPath(import.meta.url));
const sleep = ms => new Promise(r => setTimeout(r, ms));

const engineer = process.env.DEMO_ENGINEER_TOKEN, scientist = process.env.DEMO_SCIENTIST_TOKEN, mlops = process.env.DEMO_MLOPS_TOKEN;

async function call(method, path, body, type = 'application/json', token = scientist) {
  const headers = body ? { 'content-type': type } : {};
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let json; try { json = JSON.parse(text); } catch { json = text; }
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return json;
}

for (let i = 0; ; i++) {
  try { await call('GET', '/healthz'); break; } catch (e) { if (i > 120) throw e; await sleep(500); }
}

console.log('== defining project seattle-weather (as sam@example.com, DataScientist)');
await call('PUT', '/api/projects/seattle-weather', JSON.stringify({
  task: 'multiclass', label: 'weather', primaryMetric: 'microAccuracy',
  kpis: [{ metric: 'microAccuracy', min: 0.7 }], approvers: ['sme@example.com'], approvalTimeout: '72:00:00',
}));

console.log('== uploading vega-datasets data/seattle-weather.csv (as dana@example.com, DataEngineer)');
const csv = readFileSync(join(here, 'node_modules/vega-datasets/data/seattle-weather.csv'));
// The upload waits for its ingestion (201 Ready, or 200 when these bytes are already a version); 202 only if slow.
let version = await call('POST', '/api/projects/seattle-weather/datasets/weather', csv, 'text/csv', engineer);
while (version.status === 'Pending') {
  await sleep(500);
  version = await call('GET', version.statusUrl);
}
console.log(`   version ${version.version}: ${version.status}${version.existing ? ' (these bytes were already a version)' : ''}, ${version.rowsOut} rows curated, ${version.rowsQuarantined} quarantined`);
if (version.status !== 'Ready') throw new Error(version.error);

console.log('== starting a run');
const started = await call('POST', '/api/projects/seattle-weather/runs', JSON.stringify({ dataset: 'weather', version: version.version }));
console.log(`   run ${started.runId}`);
let last = '';
async function waitFor(done) {
  for (;;) {
    const run = await call('GET', started.statusUrl);
    const line = `   stage ${run.stage}, status ${run.status}, trials ${run.progress.trialsCompleted}/${run.progress.trialsTotal}`;
    if (line !== last) { console.log(line); last = line; }
    if (done(run)) return run;
    await sleep(1000);
  }
}
let run = await waitFor(r => r.status !== 'Running');
for (const t of run.trials) console.log(`   #${t.rank ?? '-'} ${t.trialId} ${t.trainer} ${JSON.stringify(t.parameters)} → ${JSON.stringify(t.metrics)}${t.error ? ' ' + t.error : ''}`);
if (run.status !== 'AwaitingApproval') { console.log(`   run ended ${run.status}: ${run.error}`); process.exit(1); }

const mails = readdirSync(outbox).filter(f => f.endsWith('.eml')).map(f => join(outbox, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
const mail = readFileSync(mails[0], 'utf8');
const link = mail.match(/https?:\/\/\S+\/api\/approvals\/[0-9a-f]+\?token=[^\s"<]+/)[0];
console.log(`== approval email sent to sme@example.com (${mails[0]}); link:\n   ${link}`);
if (!approve) {
  console.log('   Open the link to review and decide.');
  process.exit(0);
}

console.log('== approving through the link');
const url = new URL(link);
const token = url.searchParams.get('token');
// The link's token is the approver's credential: no bearer token.
await call('POST', url.pathname, new URLSearchParams({ token, decision: 'approve', comment: 'Approved by ./run.sh --approve' }).toString(), 'application/x-www-form-urlencoded', null);
run = await waitFor(r => !['Running', 'AwaitingApproval'].includes(r.status));
if (run.status !== 'Completed') { console.log(`   run ended ${run.status}: ${run.error}`); process.exit(1); }
console.log(`== model version ${run.modelVersion} is in production`);
const prediction = await call('POST', '/api/projects/seattle-weather/predict', JSON.stringify({
  rows: [{ date: '2015-07-01', precipitation: 0, temp_max: 27.2, temp_min: 14.4, wind: 2.9 },
         { date: '2015-11-17', precipitation: 20.3, temp_max: 11.1, temp_min: 6.1, wind: 6.6 }],
}), 'application/json', mlops);
console.log(`== prediction (as mia@example.com, MlEngineer): ${JSON.stringify(prediction)}`);

