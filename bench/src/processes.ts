import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '@signpost/api/dist/runtime.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export { SERVER_NODE_FLAGS };
export const API_MAIN = path.join(REPO, 'apps/api/dist/main.js');

/** A free loopback port (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** VmRSS of a process in MB, or null once it is gone. */
export function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every 100 ms; `stop()` gives the highest seen. */
export function sampleRss(pid: number): { stop(): number } {
  let max = rssMb(pid) ?? 0;
  const t = setInterval(() => (max = Math.max(max, rssMb(pid) ?? 0)), 100);
  return {
    stop() {
      clearInterval(t);
      return Math.max(max, rssMb(pid) ?? 0);
    },
  };
}

/** Every child still running: ended with the benchmark however it ends (an error, Ctrl-C), never left behind. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});
/** Asks every running child to stop (SIGTERM) and waits for them, at most 10 s. */
export async function stopAll(): Promise<void> {
  const all = [...running];
  for (const p of all) p.kill('SIGTERM');
  const deadline = Date.now() + 10_000;
  while (running.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  url: string;
  /** What the process wrote (stderr and stdout), for errors. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts a node process on a port and waits until `readyPath` answers 200 (or the process dies, or the timeout). */
export async function startNode(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
  opts: { port: number; readyPath: string; timeoutMs?: number; cwd?: string; nodeFlags?: readonly string[] },
): Promise<Child> {
  const cleanEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) cleanEnv[k] = v;
  const proc = spawn(process.execPath, ['--enable-source-maps', ...(opts.nodeFlags ?? []), script, ...args], { env: cleanEnv, cwd: opts.cwd ?? REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 20_000) out = out.slice(-20_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  running.add(proc);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    proc.on('exit', (code) => {
      exited = code;
      running.delete(proc);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${opts.port}`;
  const child: Child = {
    proc,
    pid: proc.pid!,
    url,
    output: () => out,
    async stop() {
      if (exited !== undefined) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    if (exited !== undefined) throw new Error(`${path.basename(script)} exited (${exited}) before it was ready:\n${out}`);
    try {
      const res = await fetch(url + opts.readyPath);
      await res.arrayBuffer();
      if (res.status === 200) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await child.stop();
      throw new Error(`${path.basename(script)} was not ready within ${opts.timeoutMs ?? 120_000} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The product on PostgreSQL, in production mode, as the issue sets it up. */
export async function startProduct(databaseUrl: string): Promise<Child> {
  const port = await freePort();
  return startNode(
    API_MAIN,
    [],
    {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      SIGNPOST_SEED_DEMO: 'false',
      SIGNPOST_COOKIE_SECURE: 'false',
      // Many sign-ins from one address in a run (one per scenario and user).
      SIGNPOST_LOGIN_MAX_FAILURES: '1000',
      LOG_LEVEL: 'warn',
    },
    // The flags `npm start` and the container run the server with (a heap budget).
    { port, readyPath: '/readyz', nodeFlags: SERVER_NODE_FLAGS },
  );
}

/** Signs in; the session cookie (`name=value`). */
export async function signIn(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`Sign-in as ${email} answered ${res.status}: ${body}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
  if (!cookie) throw new Error(`Sign-in as ${email} set no cookie`);
  return cookie;
}

/**
 * The round trips requests sent, from the product's /metrics: the series
 * `signpost_db_queries_total{source="request"}` (a request's own transaction;
 * background work — the audit sealer, /metrics itself — is another series);
 * 0 before the first request; null while the product has no such counter.
 */
export async function queriesTotal(url: string): Promise<number | null> {
  const res = await fetch(`${url}/metrics`);
  const text = await res.text();
  if (!/^# TYPE signpost_db_queries_total counter/m.test(text)) return null;
  const m = /^signpost_db_queries_total\{source="request"\}\s+([0-9.eE+-]+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}

/**
 * The product verifies the audit trail's hash chain in the background after it
 * starts listening; measuring during that would measure the check. Waits until
 * `signpost_audit_chain_intact` is no longer -1 (not verified yet); seconds waited.
 */
export async function auditCheckDone(url: string, timeoutMs = 15 * 60_000): Promise<{ seconds: number; intact: number | null; events: number | null }> {
  const t = performance.now();
  for (;;) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const gauge = (name: string) => {
      const m = new RegExp(`^${name}\\s+(-?[0-9.eE+]+)`, 'm').exec(text);
      return m ? Number(m[1]) : null;
    };
    const intact = gauge('signpost_audit_chain_intact');
    if (intact === null || intact !== -1) return { seconds: (performance.now() - t) / 1000, intact, events: gauge('signpost_audit_chain_verified_events') };
    if (performance.now() - t > timeoutMs) throw new Error(`The product's audit chain check did not finish within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
