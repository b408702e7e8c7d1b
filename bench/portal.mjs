// The portal benchmark: what the shell costs to download (its entry script, the chunks it imports statically and its
// CSS, gzip-compressed — the pages' lazy chunks excluded) and how long Home and a run page with many trials take to
// first render in headless chromium, against a real server on Azurite (the browser tests' harness). Rewrites the
// `portal` section of docs/benchmarks.md; a benchmark measures, the targets are read from the table, nothing asserts.
// Usage: node bench/portal.mjs [--trials 1000] [--repetitions 3] [--smoke]
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { launchBrowser, root, sampleData, signIn, startStack } from '../tests/portal/harness.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : fallback; };
const smoke = args.includes('--smoke');
const trials = option('trials', smoke ? 4 : 1000); // the API's most trials per sweep (searchSpace.maxTrials)
const repetitions = option('repetitions', smoke ? 1 : 3);
const dist = join(root, 'portal', 'dist');

/** The shell: index.html's scripts and styles and every chunk they import statically, each gzip-compressed (level 9). */
function shellSize() {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map(m => m[1]);
  const seen = new Set();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.js')) continue;
    const text = readFileSync(join(dist, file), 'utf8');
    // Static imports only: `import(...)` is a lazy page chunk, loaded when its page opens.
    for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*"(\.\/[^"]+\.js)"/g)) queue.push(join(dirname(file), m[1]));
  }
  let raw = 0; let gzip = 0;
  for (const file of seen) {
    const bytes = readFileSync(join(dist, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: seen.size, raw, gzip };
}

/** Milliseconds from the navigation's start until `ready` is visible, in a signed-in tab. */
async function firstRender(page, path, ready) {
  await page.goto('about:blank');
  await page.goto(path);
  await ready(page).first().waitFor({ timeout: 120000 });
  return page.evaluate(() => performance.now());
}

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// The machine's load when the run started: other work on its 2 cores slows the first renders.
const loadAtStart = loadavg()[0];
const shell = shellSize();
console.log(`shell: ${shell.files} files, ${(shell.raw / 1024).toFixed(1)} KiB, ${(shell.gzip / 1024).toFixed(1)} KiB gzip`);

const stack = await startStack();
const browser = await launchBrowser();
try {
  // A run with many trials: one fast trainer over a grid of regularisation values on seattle-weather.
  await stack.api('PUT', '/api/projects/bench-portal', {
    task: 'multiclass', label: 'weather', primaryMetric: 'microAccuracy', approvers: ['bench-sme@example.com'], maxParallelTrials: 4,
    searchSpace: { strategy: 'grid', maxTrials: trials, trainers: [{ trainer: 'LbfgsMaximumEntropy', parameters: {
      l2Regularization: { values: Array.from({ length: trials }, (_, i) => Number((0.001 * (i + 1)).toFixed(3))) } } }] },
  });
  const upload = await stack.api('POST', '/api/projects/bench-portal/datasets/weather', readFileSync(join(sampleData, 'seattle-weather.csv')));
  if (upload.status >= 300) throw new Error(`upload: ${upload.status} ${JSON.stringify(upload.body)}`);
  await stack.waitFor(async () => (await stack.api('GET', '/api/projects/bench-portal/datasets/weather/versions/1')).body?.status === 'Ready', 'the upload Ready', 120);
  const started = Date.now();
  const run = await stack.api('POST', '/api/projects/bench-portal/runs', { dataset: 'weather' });
  const runId = run.body.runId;
  await stack.waitFor(async () => ['AwaitingApproval', 'Completed', 'Failed', 'NotBetter'].includes((await stack.api('GET', `/api/runs/${runId}`)).body?.status),
    `the run of ${trials} trials reaching the SME`, 3600);
  const sweepSeconds = (Date.now() - started) / 1000;
  const total = (await stack.api('GET', `/api/runs/${runId}/trials`, undefined)).body?.total;
  console.log(`run ${runId}: ${total} trials in ${sweepSeconds.toFixed(0)} s`);
  // The answer's size as compact JSON (what the server writes, before any compression).
  const bytes = async path => Buffer.byteLength(JSON.stringify((await stack.api('GET', path)).body));
  const poll = { light: await bytes(`/api/runs/${runId}?trials=false`), full: await bytes(`/api/runs/${runId}`) };

  const page = await signIn(browser, stack.baseUrl, 'bench@example.com', ['Reader', 'DataScientist', 'MlEngineer']);
  const home = []; const runPage = []; const leaderboard = [];
  for (let i = 0; i < repetitions; i++) {
    home.push(await firstRender(page, '/', p => p.getByRole('heading', { level: 1 })));
    // The run's overview with its timeline drawn from the run's own trial records.
    runPage.push(await firstRender(page, `/runs/${runId}`, p => p.getByRole('img', { name: /^Timeline of run/ })));
    // The leaderboard tab's first trial row.
    leaderboard.push(await firstRender(page, `/runs/${runId}?tab=leaderboard`, p => p.getByRole('row').filter({ hasText: 'LbfgsMaximumEntropy' })));
  }
  console.log(`home first render: median ${median(home).toFixed(0)} ms; run page (${total} trials): timeline ${median(runPage).toFixed(0)} ms, leaderboard ${median(leaderboard).toFixed(0)} ms`);

  const section = [
    '## Portal',
    '',
    `Measured on ${new Date().toISOString().slice(0, 10)} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${type()} ${release()}) with \`bench/run.sh portal\`` +
      ` (\`bench/portal.mjs\`: headless Debian chromium through playwright-core, the self-hosted server on Azurite);` +
      ` load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end.`,
    '',
    '| measure | value | target |',
    '|---|---|---|',
    `| shell: entry script, its static imports and CSS (${shell.files} files), gzip level 9 | ${(shell.gzip / 1024).toFixed(1)} KiB (${(shell.raw / 1024).toFixed(1)} KiB raw) | ≤ 250 KB |`,
    `| Home: navigation start → its heading visible, signed in (median of ${repetitions}) | ${median(home).toFixed(0)} ms | — |`,
    `| run page with ${total} trials: navigation start → its timeline drawn (median of ${repetitions}) | ${median(runPage).toFixed(0)} ms | — |`,
    `| its leaderboard tab: navigation start → the first trial row visible (median of ${repetitions}) | ${median(leaderboard).toFixed(0)} ms | — |`,
    `| the run page's poll, \`GET /api/runs/{id}?trials=false\` (the leaderboard left out) | ${(poll.light / 1024).toFixed(1)} KiB | — |`,
    `| the same run with its leaderboard, \`GET /api/runs/{id}\` | ${(poll.full / 1024).toFixed(1)} KiB | — |`,
    '',
    `The run: one trainer over a grid of ${trials} values (the API's most trials per sweep is 1,000), trained in ${sweepSeconds.toFixed(0)} s;` +
      ' the run page pages its leaderboard on the server and charts at most the page it holds, so its first render does not grow with the run.',
  ].join('\n');
  if (smoke) console.log(section);
  else updateDoc(section);
} finally {
  await browser.close();
  await stack.stop();
}

/** Replaces the `portal` section of docs/benchmarks.md (or adds it before the hand-written one), keeping the others. */
function updateDoc(section) {
  const path = join(root, 'docs', 'benchmarks.md');
  let text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const block = `<!-- begin:portal -->\n${section}\n<!-- end:portal -->`;
  if (/<!-- begin:portal -->[\s\S]*?<!-- end:portal -->/.test(text)) text = text.replace(/<!-- begin:portal -->[\s\S]*?<!-- end:portal -->/, block);
  else if (text.includes('<!-- begin:tuning-decisions -->')) text = text.replace('<!-- begin:tuning-decisions -->', `${block}\n\n<!-- begin:tuning-decisions -->`);
  else text += `\n${block}\n`;
  writeFileSync(path, text);
  console.log('docs/benchmarks.md: portal section written');
}
