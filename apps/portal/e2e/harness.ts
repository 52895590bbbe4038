import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, expect } from 'vitest';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const API_MAIN = path.resolve(HERE, '../../api/dist/main.js');
const PORTAL_DIST = path.resolve(HERE, '../dist');
/** Screenshots of each page the tests visit, for people to look at (git-ignored). */
export const SCREENSHOTS = path.resolve(HERE, '../test-results/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface Signpost {
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * `development` (the default) or `production`: in production a person's
   * session runs only the portal's registered documents (trusted documents).
   * Production's Secure cookie is turned off, as these tests speak plain http.
   */
  nodeEnv?: 'development' | 'production';
  /** A port chosen beforehand (e.g. one an identity provider must know as the redirect URI's); a free one otherwise. */
  port?: number;
  /** More of the server's environment, e.g. SIGNPOST_OIDC_*. */
  env?: Record<string, string>;
}

/**
 * The product as `npm start` runs it: the built API serving the built portal
 * on one port, on an embedded database of its own seeded with the demo data.
 */
export async function startSignpost(options: StartOptions = {}): Promise<Signpost> {
  const nodeEnv = options.nodeEnv ?? 'development';
  expect(existsSync(API_MAIN), 'build the API first (npm test does)').toBe(true);
  expect(existsSync(path.join(PORTAL_DIST, 'index.html')), 'build the portal first (npm test does)').toBe(true);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'signpost-portal-'));
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, [API_MAIN], {
    env: {
      ...process.env, NODE_ENV: nodeEnv, PORT: String(port), HOST: '127.0.0.1', SIGNPOST_DATA_DIR: dataDir, DATABASE_URL: '', SIGNPOST_PORTAL_DIR: PORTAL_DIST, LOG_LEVEL: 'warn',
      ...(nodeEnv === 'production' ? { SIGNPOST_COOKIE_SECURE: 'false' } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Signpost exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`Signpost did not become ready:\n${output}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** What `useSignpost` started, for the tests of its describe block. */
export interface Running {
  readonly signpost: Signpost;
  readonly browser: Browser;
}

/**
 * Starts Signpost and Chromium (together) before the tests of the describe
 * block it is called in, and stops them after. Read `signpost` and `browser`
 * in the tests, not before: they are there once beforeAll has run. The options
 * may come from a function, run then (e.g. once a port is chosen).
 */
export function useSignpost(options: StartOptions | (() => StartOptions | Promise<StartOptions>) = {}): Running {
  let signpost: Signpost | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    const chosen = typeof options === 'function' ? await options() : options;
    [signpost, browser] = await Promise.all([startSignpost(chosen), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await signpost?.stop();
  });
  const started = <T>(what: T | undefined, name: string): T => {
    if (!what) throw new Error(`${name} is not started: read it in a test, after beforeAll`);
    return what;
  };
  return {
    get signpost() {
      return started(signpost, 'Signpost');
    },
    get browser() {
      return started(browser, 'Chromium');
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  expect(existsSync(CHROMIUM), `Chromium is needed at ${CHROMIUM} (apt-get install -y chromium; .ci/run does it)`).toBe(true);
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser profile (no cookies) looking at Signpost. */
export async function newPage(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page; consoleErrors: string[] }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    // A refused request the page handles (401 on purpose, 404 of a missing record) is not a fault of the page.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  return { context, page, consoleErrors };
}

export const DEMO_PASSWORD = 'signpost-demo';

/** Signs in through the sign-in page, with the keyboard only, as a person would. */
export async function signIn(page: Page, email: string): Promise<void> {
  // Wherever the person was going, the portal sends them to sign in first (with the way back in the URL).
  await page.waitForURL((u) => u.pathname === '/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

/** WCAG 2.2 AA by axe: no violations on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const found = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(found, found.join('\n')).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The API as one demo person sees it, over plain HTTP: the truth a page is compared with, and a quick way to build state. */
export async function apiAs(url: string, email: string): Promise<<T = any>(query: string, variables?: Record<string, unknown>) => Promise<T>> {
  const login = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  expect(login.ok, `${email} signs in`).toBe(true);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  return async (query, variables = {}) => {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data: any; errors?: unknown };
    expect(body.errors).toBeUndefined();
    return body.data;
  };
}

/** Presses Tab (as a keyboard user would) until the control has focus; fails if it is never reached. */
export async function tabTo(page: Page, target: Locator, most = 80): Promise<void> {
  for (let i = 0; i < most; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  expect(await target.evaluate((el) => el === document.activeElement), `Tab reaches ${target}`).toBe(true);
}

/** Chooses a radio with the keyboard: Tab into its group (onto the one checked, or the first), then Space or the arrow keys. */
export async function chooseRadio(page: Page, group: string, label: string): Promise<void> {
  const radios = page.getByRole('group', { name: group, exact: true }).getByRole('radio');
  const wanted = radios.and(page.getByLabel(label, { exact: true }));
  const checked = await radios.evaluateAll((els) => els.findIndex((e) => (e as HTMLInputElement).checked));
  await tabTo(page, checked >= 0 ? radios.nth(checked) : radios.first());
  if (checked < 0) await page.keyboard.press('Space');
  const count = await radios.count();
  for (let i = 0; i < count && !(await wanted.isChecked()); i++) await page.keyboard.press('ArrowDown');
  expect(await wanted.isChecked(), `${label} is chosen`).toBe(true);
}

/** Nothing is wider than the window: no sideways scrolling (WCAG 1.4.10 reflow). A failure names what sticks out. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth, wide } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    wide: [...document.body.querySelectorAll('*')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 || (e.scrollWidth > window.innerWidth && !e.matches('.govuk-visually-hidden')))
      .reverse()
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${String(e.className).split(' ').join('.')} (${Math.round(e.getBoundingClientRect().right)}px)`),
  }));
  expect(scrollWidth, `the page is ${scrollWidth}px wide in a ${innerWidth}px window: ${wide.join(', ')}`).toBeLessThanOrEqual(innerWidth);
}

/** A day as the date input takes it, so many days ago, with the Date. */
export function dayParts(daysAgo: number): { day: string; month: string; year: string; date: Date } {
  const d = new Date();
  d.setDate(d.getDate() - daysAgo);
  return { day: String(d.getDate()), month: String(d.getMonth() + 1), year: String(d.getFullYear()), date: d };
}

/** Fills a GOV.UK date input's three boxes (`${name}-day`, `-month`, `-year`). */
export async function fillDate(page: Page, name: string, parts: { day: string; month: string; year: string }): Promise<void> {
  await page.locator(`#${name}-day`).fill(parts.day);
  await page.locator(`#${name}-month`).fill(parts.month);
  await page.locator(`#${name}-year`).fill(parts.year);
}

/** Types into a box with the keyboard, as a person would: Tab to it, clear it, type. */
export async function typeInto(page: Page, label: string, text: string): Promise<void> {
  const box = page.getByLabel(label, { exact: true });
  await tabTo(page, box);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

/** Sends a form with the keyboard: Tab to its button, then Enter. */
export async function send(page: Page, button: string): Promise<void> {
  await tabTo(page, page.getByRole('button', { name: button }));
  await page.keyboard.press('Enter');
}

/** The error summary's links, one a problem, in order. */
export const summaryLinks = (page: Page): Promise<string[]> => page.locator('.govuk-error-summary a').allTextContents();

/** Whether the error summary has the focus (as it takes it when it appears). */
export const summaryFocused = (page: Page): Promise<boolean> =>
  page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary') ?? false);

/** The id of the element with the focus ('' for none). */
export const focusedId = (page: Page): Promise<string> => page.evaluate(() => document.activeElement?.id ?? '');

/** A field's error message, without its visually hidden "Error:" ('' when the field has none shown). */
export const errorOf = (page: Page, field: string): Promise<string> =>
  page.locator(`#${field}-error`).textContent().then((t) => t?.replace(/^\s*Error:\s*/, '').trim() ?? '');

/** The success banner a page shows after something was done. */
export const successBanner = (page: Page): Locator => page.locator('.govuk-notification-banner--success');

/** The success banner's words, spaces collapsed ('' when there is none). */
export const flashText = (page: Page): Promise<string> => successBanner(page).textContent().then((t) => t?.replace(/\s+/g, ' ').trim() ?? '');

/** The group names in a receiving team's inbox, as that team's browser shows it (a fresh context, signed in as `email`). */
export async function inboxOf(browser: Browser, url: string, email: string): Promise<string[]> {
  const { page, context } = await newPage(browser, url);
  await page.goto('/inbox');
  await signIn(page, email);
  await page.waitForURL('**/inbox');
  await expect.poll(() => page.locator('main p[aria-live]').textContent()).not.toContain('Loading');
  const names = await page.locator('tbody tr td:first-child a').allTextContents();
  await context.close();
  return names;
}

/** A fresh browser context signed in as `email` on `path` (signing in on the way, as a person following a link would). */
export async function openAs(browser: Browser, url: string, email: string, path: string): Promise<Awaited<ReturnType<typeof newPage>>> {
  const opened = await newPage(browser, url);
  await opened.page.goto(path);
  await signIn(opened.page, email);
  return opened;
}
