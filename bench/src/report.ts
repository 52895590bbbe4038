import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from './processes.js';
import type { Size } from './generate.js';

/** One scenario at one number of connections. The first ten fields are latest.json's schema. */
export interface Point {
  name: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  baselineRps: number;
  baselineP99: number;
  ratio: number;
  sqlPerRequest: number | null;
  rssMb: number;
  baselineP50: number;
  requests: number;
  non2xx: number;
  graphqlErrors: number;
  socketErrors: number;
  baselineBad: number;
  /** The machine's 1-minute load average at the end of the point. */
  load1: number;
}

export interface Embedded {
  coldStartS: number;
  warmStartS: number;
  idleRssMb: number;
  /** RSS after the cold start (migrate + seed), idle: not in latest.json's schema. */
  coldIdleRssMb: number;
}

export interface Check {
  name: string;
  status: 'PASS' | 'FAIL' | 'N/A';
  detail: string;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const f = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? 'null' : x.toFixed(d));

/** The "what must hold", from this run. At the highest number of connections measured (32 in the full run). */
export function evaluateChecks(points: Point[], embedded: Embedded | null, extra: Record<string, unknown>): Check[] {
  const at = (name: string, c?: number) => {
    const ps = points.filter((p) => p.name === name);
    if (c === undefined) return ps.reduce<Point | undefined>((m, p) => (!m || p.connections > m.connections ? p : m), undefined);
    return ps.find((p) => p.connections === c);
  };
  const checks: Check[] = [];
  const add = (name: string, ok: boolean | null, detail: string) => checks.push({ name, status: ok === null ? 'N/A' : ok ? 'PASS' : 'FAIL', detail });
  const inboxHi = at('inbox');
  const inbox1 = at('inbox', 1);
  if (inboxHi) {
    add(`inbox ≥ 0.33× the baseline's req/s at ${inboxHi.connections} connections`, inboxHi.ratio >= 0.33, `${f(inboxHi.rps, 1)} vs ${f(inboxHi.baselineRps, 1)} req/s = ${f(inboxHi.ratio)}×`);
    add(`inbox p99 ≤ 3× the baseline's at ${inboxHi.connections} connections`, inboxHi.p99 <= 3 * inboxHi.baselineP99, `${inboxHi.p99} vs ${inboxHi.baselineP99} ms = ${f(inboxHi.p99 / Math.max(inboxHi.baselineP99, 1))}×`);
    if (inbox1 && inbox1 !== inboxHi) {
      add(`inbox at ${inboxHi.connections} connections ≥ 2× its own at 1`, inboxHi.rps >= 2 * inbox1.rps, `${f(inboxHi.rps, 1)} vs ${f(inbox1.rps, 1)} req/s = ${f(inboxHi.rps / inbox1.rps)}×`);
    }
  }
  // SQL statements: the product's own counter (signpost_db_queries_total) under load; until it exists, the round trips counted on the wire.
  const wire = (extra.wireSqlPerRequest ?? {}) as Record<string, number>;
  const counter = inboxHi?.sqlPerRequest ?? null;
  const inboxSql = counter ?? wire.inbox ?? null;
  const source = counter !== null ? 'signpost_db_queries_total under load' : wire.inbox !== undefined ? 'round trips on the wire; the product has no signpost_db_queries_total yet' : 'not measured';
  if (inboxHi || wire.inbox !== undefined) add('SQL statements per request ≤ 4 for the inbox', inboxSql === null ? null : inboxSql <= 4, `${f(inboxSql)} (${source})`);
  const c1 = extra.inboxSqlFirst1 as number | null | undefined;
  const c100 = extra.inboxSqlFirst100 as number | null | undefined;
  const [s1, s100, src] = c1 !== null && c1 !== undefined && c100 !== null && c100 !== undefined
    ? [c1, c100, 'signpost_db_queries_total']
    : [wire['inbox first: 1'] ?? null, wire['inbox first: 100'] ?? null, 'round trips on the wire'];
  if (s1 !== null || c1 !== undefined) add('inbox SQL statements the same for first: 1 and first: 100', s1 === null || s100 === null ? null : Math.abs(s1 - s100) < 0.05, `${f(s1)} and ${f(s100)} (${src})`);
  const w1 = at('write', 1);
  const w8 = at('write', 8) ?? points.filter((p) => p.name === 'write' && p.connections > 1).sort((a, b) => a.connections - b.connections)[0];
  if (w1 && w8) add(`writes on different groups from ${w8.connections} clients ≥ 3× 1 client`, w8.rps >= 3 * w1.rps, `${f(w8.rps, 1)} vs ${f(w1.rps, 1)} req/s = ${f(w8.rps / w1.rps)}×`);
  const last = at('inbox-last-page');
  const first = last ? at('inbox', last.connections) : undefined;
  if (last && first) {
    const cost = first.rps / last.rps;
    add(`the last page of a team's referrals costs ≤ 1.1× the first (${last.connections} connections)`, cost <= 1.1, `${f(last.rps, 1)} vs ${f(first.rps, 1)} req/s: ${f(cost)}× the time per request; p50 ${last.p50} vs ${first.p50} ms; the last page holds ${String(extra.lastPageRows ?? '?')} referrals, the first 50`);
  }
  if (embedded) {
    add('embedded cold start (new data folder: migrate + seed) ≤ 10 s', embedded.coldStartS <= 10, `${f(embedded.coldStartS)} s`);
    add('embedded warm start ≤ 3 s', embedded.warmStartS <= 3, `${f(embedded.warmStartS)} s`);
  }
  if (points.length) {
    const max = points.reduce((m, p) => (p.rssMb > m.rssMb ? p : m));
    add('RSS under load ≤ 250 MB on PostgreSQL', max.rssMb <= 250, `at most ${f(max.rssMb, 0)} MB (${max.name} @${max.connections})`);
  }
  return checks;
}

export function printTable(points: Point[], poolSize: number, wire: Record<string, number> = {}) {
  const head = ['scenario', 'conn', 'req/s', 'p50 ms', 'p99 ms', 'base req/s', 'base p99', 'ratio', 'sql/req', 'wire sql', 'RSS MB', 'bad'];
  const rows = points.map((p) => [
    p.name, String(p.connections), f(p.rps, 1), String(p.p50), String(p.p99), f(p.baselineRps, 1), String(p.baselineP99), f(p.ratio), f(p.sqlPerRequest), f(wire[p.name], 1), f(p.rssMb, 0),
    String(p.non2xx + p.graphqlErrors + p.socketErrors),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\nProduct vs raw baseline (node:http + pg, one SQL statement; both with a pool of ${poolSize}).`);
  console.log('sql/req: signpost_db_queries_total per request under load (null until the product has it); wire sql: round trips counted on the wire, one request at a time.');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

function markdown(run: RunResult, stamp: string): string {
  const lines = [
    `# Signpost benchmark ${stamp}${run.smoke ? ' (smoke)' : ''}`,
    '',
    `${run.duration} s per point after ${run.warmup} s warm-up, autocannon on loopback. Register: ${run.size.groups} groups, ${run.size.contacts} contact log entries, ${run.size.referrals} referrals.`,
    `Baseline: node:http + pg, one SQL statement per request, pool of ${run.poolSize} (the product's pool size). Ratio = product req/s ÷ baseline req/s.`,
    `Machine: ${run.cores} cores; load average at the end ${run.loadAtEnd.map((l) => l.toFixed(2)).join(' ')} (the "load" column: 1-minute load average after each point; product, baseline, PostgreSQL and autocannon share the machine).`,
    '',
    '| scenario | connections | req/s | p50 ms | p99 ms | baseline req/s | baseline p99 ms | ratio | SQL/request | wire SQL/request | RSS MB | non-2xx / GraphQL errors | load |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...run.points.map(
      (p) => `| ${p.name} | ${p.connections} | ${f(p.rps, 1)} | ${p.p50} | ${p.p99} | ${f(p.baselineRps, 1)} | ${p.baselineP99} | ${f(p.ratio)} | ${f(p.sqlPerRequest)} | ${f(((run.extra.wireSqlPerRequest ?? {}) as Record<string, number>)[p.name], 1)} | ${f(p.rssMb, 0)} | ${p.non2xx} / ${p.graphqlErrors} | ${f(p.load1, 1)} |`,
    ),
    '',
  ];
  if (run.embedded) {
    lines.push(
      `Embedded (PGlite): cold start ${f(run.embedded.coldStartS)} s (new data folder: migrate + demo seed; idle RSS after it ${f(run.embedded.coldIdleRssMb, 0)} MB), warm start ${f(run.embedded.warmStartS)} s, idle RSS ${f(run.embedded.idleRssMb, 0)} MB.`,
      '',
    );
  }
  lines.push(
    `SQL/request is \`signpost_db_queries_total\` per request under load (null until the product has it); wire SQL/request is the round trips a second instance of the product sent through a counting proxy, one request at a time.`,
    `Inbox SQL statements per request (counter): first: 1 → ${f(run.extra.inboxSqlFirst1 as number | null)}, first: 100 → ${f(run.extra.inboxSqlFirst100 as number | null)}; on the wire: ${Object.entries((run.extra.wireSqlPerRequest ?? {}) as Record<string, number>).map(([k, v]) => `${k} ${f(v, 1)}`).join(', ')}.`,
    '',
    '## Must hold',
    '',
    ...run.checks.map((c) => `- **${c.status}** ${c.name}: ${c.detail}`),
    '',
  );
  if (run.failures.length) lines.push('## Problems', '', ...run.failures.map((x) => `- ${x}`), '');
  lines.push(`![req/s, product vs baseline](${stamp}.svg)`, '');
  return lines.join('\n');
}

/** Grouped bars: req/s of the product and the baseline, per scenario and connections (log scale would hide the gap; linear). */
function svg(points: Point[]): string {
  const barW = 14;
  const gap = 10;
  const groupW = barW * 2 + gap;
  const left = 60;
  const top = 30;
  const h = 260;
  const max = Math.max(1, ...points.flatMap((p) => [p.rps, p.baselineRps]));
  const width = left + points.length * groupW + 160;
  const height = top + h + 90;
  const y = (v: number) => top + h - (v / max) * h;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="10">`,
    `<title>req/s per scenario and connections: product and raw baseline</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${left}" y="16" font-size="13">req/s: product (dark) vs raw baseline (light)</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    parts.push(`<line x1="${left}" x2="${left + points.length * groupW}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`, `<text x="${left - 6}" y="${y(v) + 3}" text-anchor="end">${v.toFixed(0)}</text>`);
  }
  points.forEach((p, i) => {
    const x = left + i * groupW + gap / 2;
    parts.push(
      `<rect x="${x}" y="${y(p.rps)}" width="${barW}" height="${top + h - y(p.rps)}" fill="#1d70b8"><title>${esc(p.name)} @${p.connections}: product ${p.rps.toFixed(1)} req/s</title></rect>`,
      `<rect x="${x + barW}" y="${y(p.baselineRps)}" width="${barW}" height="${top + h - y(p.baselineRps)}" fill="#b1d4f1"><title>${esc(p.name)} @${p.connections}: baseline ${p.baselineRps.toFixed(1)} req/s</title></rect>`,
      `<text transform="translate(${x + barW},${top + h + 8}) rotate(60)">${esc(p.name)} @${p.connections}</text>`,
    );
  });
  const lx = left + points.length * groupW + 20;
  parts.push(
    `<rect x="${lx}" y="${top}" width="12" height="12" fill="#1d70b8"/><text x="${lx + 18}" y="${top + 10}">Signpost</text>`,
    `<rect x="${lx}" y="${top + 20}" width="12" height="12" fill="#b1d4f1"/><text x="${lx + 18}" y="${top + 30}">raw baseline</text>`,
    '</svg>',
  );
  return parts.join('\n') + '\n';
}

export interface RunResult {
  cores: number;
  loadAtEnd: number[];
  startedAt: Date;
  smoke: boolean;
  duration: number;
  warmup: number;
  poolSize: number;
  size: Size;
  points: Point[];
  embedded: Embedded | null;
  checks: Check[];
  extra: Record<string, unknown>;
  failures: string[];
}

/** bench/results/<stamp>.{json,md,svg} and latest.{json,md,svg}; latest.json has exactly the schema. */
export function writeResults(run: RunResult): string[] {
  const dir = path.join(REPO, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const stamp = run.startedAt.toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  const scenarios = run.points.map((p) => ({
    name: p.name, connections: p.connections, rps: round(p.rps, 1), p50: p.p50, p99: p.p99, baselineRps: round(p.baselineRps, 1),
    baselineP99: p.baselineP99, ratio: round(p.ratio, 3), sqlPerRequest: p.sqlPerRequest === null ? null : round(p.sqlPerRequest, 2), rssMb: round(p.rssMb, 1),
  }));
  const embedded = run.embedded
    ? { coldStartS: round(run.embedded.coldStartS), warmStartS: round(run.embedded.warmStartS), idleRssMb: round(run.embedded.idleRssMb, 1) }
    : { coldStartS: null, warmStartS: null, idleRssMb: null };
  const latest = { scenarios, embedded };
  const full = {
    ...latest,
    run: {
      startedAt: run.startedAt.toISOString(), cores: run.cores, loadAverageAtEnd: run.loadAtEnd, smoke: run.smoke, durationS: run.duration, warmupS: run.warmup, poolSize: run.poolSize, size: run.size,
      coldIdleRssMb: run.embedded ? round(run.embedded.coldIdleRssMb, 1) : null, ...run.extra,
    },
    points: run.points,
    checks: run.checks,
    failures: run.failures,
  };
  const md = markdown(run, stamp);
  const chart = svg(run.points);
  const written: string[] = [];
  const put = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    written.push(path.join('bench/results', name));
  };
  put(`${stamp}.json`, JSON.stringify(full, null, 2) + '\n');
  put(`${stamp}.md`, md);
  put(`${stamp}.svg`, chart);
  put('latest.json', JSON.stringify(latest, null, 2) + '\n');
  put('latest.md', md.replace(`(${stamp}.svg)`, '(latest.svg)'));
  put('latest.svg', chart);
  return written;
}
