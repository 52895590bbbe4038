#!/usr/bin/env node
// Measures the embedded (PGlite) start of the built API: time from spawning
// `node dist/main.js` to GET /readyz answering 200, cold (a new data folder:
// migrate + seed) and warm (the same folder again), and the process's RSS
// (VmRSS) right when ready and after an idle pause.
//
//   node apps/api/scripts/measure-embedded-start.mjs [--runs 3] [--idle 10] [--node-arg=--cpu-prof]
//
// Build first (`npx turbo run build`). Prints one line per start and a JSON summary.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const runs = Number(opt('runs', '3'));
const idleSeconds = Number(opt('idle', '10'));
const nodeArgs = args.filter((a) => a.startsWith('--node-arg=')).map((a) => a.slice('--node-arg='.length));
const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// --main a.js,b.js compares builds, their starts interleaved (the machine's load then weighs on both alike).
const mains = opt('main', path.join(apiDir, 'dist', 'main.js')).split(',').map((m) => path.resolve(m));

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const rssMb = async (pid) => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  return Math.round(kb / 1024);
};
// CPU seconds of the process and of its children it has waited for (initdb's): less disturbed than wall time on a shared machine.
const cpuSeconds = async (pid) => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(f[i]));
  return Math.round((utime + stime + cutime + cstime) / 10) / 10;
};
const hwmMb = async (pid) => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024);
};

async function start(main, dataDir, label) {
  const port = await freePort();
  const env = { ...process.env, SIGNPOST_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' };
  delete env.DATABASE_URL;
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, main], { cwd: apiDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`${label}: the server exited before it was ready\n${log}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyMs = Math.round(performance.now() - t0);
  const rssReady = await rssMb(child.pid);
  const cpuReady = await cpuSeconds(child.pid);
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const rssIdle = await rssMb(child.pid);
  const peak = await hwmMb(child.pid);
  child.kill('SIGTERM');
  await new Promise((r) => (exited ? r() : child.once('exit', r)));
  const seeded = log.includes('seeded demo data');
  const result = { main, label, readyMs, cpuReadyS: cpuReady, rssReadyMb: rssReady, rssIdleMb: rssIdle, rssPeakMb: peak, seeded };
  console.log(`${mains.length > 1 ? `${path.relative(apiDir, main)} ` : ''}${label.padEnd(5)} ready ${String(readyMs).padStart(6)} ms (CPU ${cpuReady.toFixed(1)} s)  RSS ready ${rssReady} MB, after ${idleSeconds}s idle ${rssIdle} MB, peak ${peak} MB${seeded ? ' (seeded)' : ''}`);
  if (process.env.SHOW_LOG) console.log(log);
  return result;
}

const results = [];
for (let i = 0; i < runs; i++) {
  for (const main of mains) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'signpost-measure-'));
    try {
      results.push(await start(main, dir, 'cold'));
      results.push(await start(main, dir, 'warm'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const main of mains) {
  const summary = {};
  for (const label of ['cold', 'warm']) {
    const rs = results.filter((r) => r.main === main && r.label === label);
    summary[label] = Object.fromEntries(['readyMs', 'cpuReadyS', 'rssReadyMb', 'rssIdleMb', 'rssPeakMb'].map((k) => [k, median(rs.map((r) => r[k]))]));
  }
  console.log(JSON.stringify({ main: path.relative(apiDir, main), runs, idleSeconds, median: summary }));
}
