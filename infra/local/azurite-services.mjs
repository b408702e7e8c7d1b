#!/usr/bin/env node
// Azurite's three services (Blob, Queue, Table) in one process, each on a thread of its own. The `azurite` command runs
// all three on one Node event loop, so every request of the task hub, the lake and the metadata tables waits in one
// line; the npm package also ships each service alone (`azurite-blob`, `azurite-queue`, `azurite-table`), and running
// them side by side lets them use more than one core. One process, so that a launcher that kills it (even with SIGKILL)
// kills all three; SIGTERM/SIGINT close each service (which saves its in-memory databases) before the process exits.
// Takes the `azurite` command's arguments: `--blobPort`, `--queuePort`, `--tablePort` (and their `Host`) go to their
// service, the rest (`--location`, `--silent`, `--loose`, `--skipApiVersionCheck`, `--disableTelemetry`, ...) to all.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function argumentsOf(service) {
  const own = [];
  for (let i = 0; i < args.length; i++) {
    const perService = args[i].match(/^--(blob|queue|table)(Host|Port|KeepAliveTimeout)$/);
    if (perService) {
      if (perService[1] === service) own.push(args[i], args[i + 1]);
      i++;
    } else {
      own.push(args[i]);
    }
  }
  return own;
}

// Each service's entry point registers its own shutdown on the "shutdown" message (as the VS Code extension sends it):
// the thread turns the parent's message into that, since signals reach only the main thread.
const bootstrap = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.once('message', () => { parentPort.close(); process.emit('message', 'shutdown'); });
require(workerData.main);
`;

const workers = ['blob', 'queue', 'table'].map(service => {
  const worker = new Worker(bootstrap, {
    eval: true,
    argv: argumentsOf(service),
    workerData: { main: require.resolve(`azurite/dist/src/${service}/main.js`) },
  });
  worker.on('exit', code => {
    if (code !== 0 && !stopping) {
      console.error(`Azurite ${service} service exited with code ${code}`);
      stop(code);
    }
  });
  return { service, worker, exited: new Promise(resolve => worker.once('exit', resolve)) };
});

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const { worker } of workers) worker.postMessage('shutdown');
  const closed = Promise.all(workers.map(w => w.exited));
  // A service that does not close in time is ended: better than a process that never exits.
  const late = setTimeout(() => { for (const { worker } of workers) worker.terminate(); }, 15000);
  await closed;
  clearTimeout(late);
  process.exit(code);
}
process.once('SIGTERM', () => stop(0));
process.once('SIGINT', () => stop(0));
