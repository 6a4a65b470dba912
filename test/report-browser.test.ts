/**
 * The HTML report in a real browser: Debian's headless Chromium driven by playwright-core.
 * Skips when /usr/bin/chromium is missing. Screenshots go to test-artifacts/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, run } from './helpers/cli.js';
import { syntheticCluster } from './helpers/synthetic.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(REPO, 'test-artifacts');
/** Generous: the 2,000-pod page loads and draws in a second or two on a laptop. */
const BIG_LOAD_MS = 20_000;

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`report-browser.test.ts: ${CHROMIUM} not found; skipping browser tests (apt-get install chromium)`);

interface Loaded {
  page: Page;
  url: string;
  requests: string[];
  errors: string[];
  ms: number;
}

/** RGB of the heatmap cells, as the page draws them. */
const COLOURS = { none: [234, 238, 242], some: [232, 168, 56], all: [45, 164, 78], self: [110, 119, 129] };

/**
 * The little of the browser that the page callbacks touch, typed here because the repository
 * compiles without the DOM library. Callbacks run in the page: `globalThis` is its window.
 */
interface Canvas {
  width: number;
  height: number;
  getBoundingClientRect(): { width: number };
  getContext(
    kind: '2d',
    options?: { willReadFrequently: boolean },
  ): {
    drawImage(
      image: Canvas,
      sx: number,
      sy: number,
      sw: number,
      sh: number,
      dx: number,
      dy: number,
      dw: number,
      dh: number,
    ): void;
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  } | null;
}
interface PageWindow {
  netreachReport?: {
    renderMs: number;
    rows(): string[];
    cols(): string[];
    cellCenter(src: string, dst: string): { x: number; y: number } | null;
  };
  document: {
    getElementById(id: string): Canvas | null;
    createElement(tag: 'canvas'): Canvas;
    querySelector(selector: string): {
      scrollIntoView(): void;
      scrollTo(x: number, y: number): void;
      clientWidth: number;
      clientHeight: number;
    } | null;
  };
}

describe.skipIf(!hasChromium)('HTML report in headless Chromium', () => {
  let context: BrowserContext;
  let profile: string;
  let shopFile: string;
  let bigFile: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    shopFile = join(ARTIFACTS, 'report-shop.html');
    bigFile = join(ARTIFACTS, 'report-2000.html');
    const shop = await run(['report', 'examples/shop', '-o', shopFile]);
    expect(shop.code, shop.stderr).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'netreach-big-'));
    writeFileSync(join(dir, 'cluster.json'), syntheticCluster(100, 20));
    const big = await run(['report', join(dir, 'cluster.json'), '-o', bigFile, '--title', '2,000 pods']);
    rmSync(dir, { recursive: true, force: true });
    expect(big.code, big.stderr).toBe(0);
    profile = mkdtempSync(join(tmpdir(), 'netreach-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
      viewport: { width: 1400, height: 1000 },
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  async function load(file: string): Promise<Loaded> {
    const page = await context.newPage();
    const url = pathToFileURL(file).href;
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    const t0 = performance.now();
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as unknown as PageWindow).netreachReport !== undefined, undefined, {
      timeout: BIG_LOAD_MS * 2,
    });
    return { page, url, requests, errors, ms: performance.now() - t0 };
  }

  /** The colour drawn at the centre of a cell, in canvas pixels. */
  async function cellColour(page: Page, src: string, dst: string): Promise<number[]> {
    return page.evaluate(
      ([s, d]) => {
        const w = globalThis as unknown as PageWindow;
        const c = w.netreachReport!.cellCenter(s!, d!);
        if (c === null) throw new Error(`no cell ${s} -> ${d}`);
        const canvas = w.document.getElementById('matrix')!;
        const scale = canvas.width / canvas.getBoundingClientRect().width;
        // Read from a copy so that the page's own canvas is never read back (Chromium warns).
        const copy = w.document.createElement('canvas');
        copy.width = 1;
        copy.height = 1;
        const cx = copy.getContext('2d', { willReadFrequently: true })!;
        cx.drawImage(canvas, Math.floor(c.x * scale), Math.floor(c.y * scale), 1, 1, 0, 0, 1, 1);
        return [...cx.getImageData(0, 0, 1, 1).data].slice(0, 3);
      },
      [src, dst],
    );
  }

  /** Scroll the cell into view and click it like a user; returns the explanation panel's text. */
  async function clickCell(page: Page, src: string, dst: string): Promise<string> {
    const c = await page.evaluate(
      ([s, d]) => {
        const w = globalThis as unknown as PageWindow;
        const centre = w.netreachReport!.cellCenter(s!, d!);
        const wrap = w.document.querySelector('.canvas-wrap')!;
        if (centre !== null) {
          wrap.scrollIntoView();
          wrap.scrollTo(centre.x - wrap.clientWidth / 2, centre.y - wrap.clientHeight / 2);
        }
        return centre;
      },
      [src, dst],
    );
    expect(c).not.toBeNull();
    const box = (await page.locator('#matrix').boundingBox())!;
    await page.mouse.click(box.x + c!.x, box.y + c!.y);
    return page.locator('#panel').innerText();
  }

  const listOf = (page: Page, which: 'rows' | 'cols'): Promise<string[]> =>
    page.evaluate((w) => (globalThis as unknown as PageWindow).netreachReport![w](), which);

  it('loads the shop report from file:// with no errors and no network requests', async () => {
    const { page, url, requests, errors } = await load(shopFile);
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    await expect(page.title()).resolves.toBe('netreach connectivity report');
    expect(await page.locator('#summary').innerText()).toContain('pods reachable from outside');
    await page.close();
  });

  it('draws the matrix with the right colours and explains a clicked cell', async () => {
    const { page, errors } = await load(shopFile);
    expect(await listOf(page, 'rows')).toEqual([
      'data/postgres',
      'kube-system/coredns',
      'monitoring/prometheus',
      'shop/backend',
      'shop/frontend',
      'shop/reports',
    ]);
    expect(await cellColour(page, 'shop/frontend', 'shop/backend')).toEqual(COLOURS.some);
    expect(await cellColour(page, 'kube-system/coredns', 'monitoring/prometheus')).toEqual(COLOURS.all);
    expect(await cellColour(page, 'shop/frontend', 'data/postgres')).toEqual(COLOURS.none);
    expect(await cellColour(page, 'shop/backend', 'shop/backend')).toEqual(COLOURS.self);

    const panel = await clickCell(page, 'shop/frontend', 'shop/backend');
    expect(panel).toContain('shop/frontend → shop/backend');
    expect(panel).toContain('Allowed ports: TCP 8080');
    expect(panel).toContain('ingress at shop/backend: allowed by NetworkPolicy shop/backend ingress rule 0');
    expect(panel).toMatch(/Example: TCP\/9090\s*DENIED/);
    expect(panel).toContain('NetworkPolicy shop/default-deny');
    const denied = await clickCell(page, 'shop/frontend', 'data/postgres');
    expect(denied).toContain('No port is allowed.');
    expect(denied).toContain('egress at shop/frontend: denied');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(ARTIFACTS, 'report-shop.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters by namespace, label, port and policy', async () => {
    const { page, errors } = await load(shopFile);
    const status = (): Promise<string> => page.locator('#view-status').innerText();
    await page.locator('#f-ns').selectOption({ label: 'shop' });
    expect(await listOf(page, 'rows')).toEqual(['shop/backend', 'shop/frontend', 'shop/reports']);
    await page.locator('#f-ns').selectOption([]);
    await page.locator('#f-port').fill('TCP/5432');
    // backend -> postgres, and prometheus <-> coredns (neither is isolated).
    expect(await status()).toContain('3 of 30 pairs');
    expect(await cellColour(page, 'shop/backend', 'data/postgres')).toEqual(COLOURS.all);
    expect(await cellColour(page, 'monitoring/prometheus', 'kube-system/coredns')).toEqual(COLOURS.all);
    expect(await cellColour(page, 'shop/reports', 'data/postgres')).toEqual(COLOURS.none);
    expect(await cellColour(page, 'shop/frontend', 'shop/backend')).toEqual(COLOURS.none);
    await page.locator('#f-port').fill('53/udp');
    expect(await status()).toContain('5 of 30 pairs');
    await page.locator('#f-port').fill('TCP/99999');
    expect(await page.locator('#f-error').innerText()).toContain('port:');
    await page.locator('#f-port').fill('');
    await page.locator('#f-label').fill('app=frontend');
    await page.locator('#f-apply').selectOption('src');
    expect(await listOf(page, 'rows')).toEqual(['shop/frontend']);
    expect(await listOf(page, 'cols')).toHaveLength(6);
    await page.locator('#f-reset').click();
    await page.locator('#f-policy').selectOption({ label: 'NetworkPolicy data/postgres' });
    expect(await listOf(page, 'rows')).toEqual(['data/postgres']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('loads and renders the 2,000-pod report within a generous bound', async () => {
    const { page, url, requests, errors, ms } = await load(bigFile);
    const renderMs = await page.evaluate(() => (globalThis as unknown as PageWindow).netreachReport!.renderMs);
    console.info(`2,000-pod report: loaded in ${Math.round(ms)} ms (script ${Math.round(renderMs)} ms)`);
    expect(ms).toBeLessThan(BIG_LOAD_MS);
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await listOf(page, 'rows')).toHaveLength(2000);
    // The canvas is not blank: allowed and denied cells are both drawn.
    expect(await cellColour(page, 'ns-050/web-0', 'ns-051/api-1')).toEqual(COLOURS.all);
    expect(await cellColour(page, 'ns-050/web-0', 'ns-000/api-1')).toEqual(COLOURS.none);
    const panel = await clickCell(page, 'ns-095/web-0', 'ns-001/api-1');
    expect(panel).toContain('ns-095/web-0 → ns-001/api-1');
    expect(panel).toContain('AdminNetworkPolicy sandbox-stays-out');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(ARTIFACTS, 'report-2000.png') });
    await page.close();
  }, 120_000);
});
