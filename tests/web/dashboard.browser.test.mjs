// The dashboard in a real browser: Debian's chromium, headless, driven by playwright-core, against
// `saleslake serve` over a real lake. Checks what a person sees: KPI tiles equal to the numbers
// of the sales themselves (DuckDB over main/sales, and the SQL API when it is there), a filter
// that changes every chart and the URL, a click on a bar that filters the page, the SQL console,
// the catalog and pipeline pages, and no console errors anywhere. Screenshots are kept in the
// build directory (test-artifacts/browser/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { chromium } from 'playwright-core';
import { bin, makeLake, startServe, removeDir } from './lake_fixture.mjs';

const CHROMIUM = process.env.SALESLAKE_CHROMIUM || '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
const artifacts = path.join(path.dirname(path.dirname(bin || '.')), 'test-artifacts', 'browser');
let dir, lake, server, browser, con;
const consoleErrors = [];

before(async () => {
  if (!haveChromium) return;
  ({ dir, lake } = makeLake('sl-browser-', { batches: 2, records: 10000 }));
  server = await startServe(lake);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  fs.mkdirSync(artifacts, { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  con = await db.connect();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  removeDir(dir);
});

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  return page;
}

async function loaded(page, count) {
  await page.waitForFunction((n) => Number(document.getElementById('main').dataset.loaded || 0) >= n, count);
}

// The series data of every chart on the page, by card id.
function chartData(page) {
  return page.evaluate(() => {
    const out = {};
    for (const card of document.querySelectorAll('section.card')) {
      const el = card.querySelector('.chart');
      const chart = el && window.echarts && echarts.getInstanceByDom(el);
      if (chart) out[card.id] = JSON.stringify(chart.getOption().series.map((s) => s.data));
    }
    return out;
  });
}

const opts = { skip: haveChromium ? false : `no chromium at ${CHROMIUM} (scripts/install-deps.sh installs it)` };

test('Overview: KPIs equal the sales; a filter changes every chart and the URL; a bar click cross-filters', opts, async () => {
  const page = await newPage();
  const start = Date.now();
  await page.goto(server.url + '/?range=all');
  await loaded(page, 1);
  const firstLoadMs = Date.now() - start;
  await page.screenshot({ path: path.join(artifacts, 'overview.png'), fullPage: true });

  const kpi = (k) => page.getAttribute(`[data-kpi="${k}"] .value`, 'data-value');
  await con.run(`CREATE VIEW sales AS SELECT * FROM read_parquet('${path.join(lake, 'main/sales/**/*.parquet')}', hive_partitioning = true)`);
  const [d] = (await con.runAndReadAll(`SELECT sum(total)::VARCHAR AS sales, count(*)::VARCHAR AS orders,
      sum(quantity)::VARCHAR AS units, sum((mrp - retail_price) * quantity)::VARCHAR AS profit FROM sales`)).getRowObjectsJson();
  assert.equal(Number(await kpi('sales')).toFixed(2), Number(d.sales).toFixed(2));
  assert.equal(await kpi('orders'), d.orders);
  assert.equal(await kpi('units'), d.units);
  assert.equal(Number(await kpi('gross_profit')).toFixed(2), Number(d.profit).toFixed(2));
  const summary = await (await fetch(server.url + '/api/v1/summary?range=all')).json();
  assert.equal(Number(await kpi('sales')), summary.kpis.sales.value);
  // The SQL API, once the server has an engine, gives the same total.
  const sql = await fetch(server.url + '/api/v1/query', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sql: 'SELECT SUM(total) AS sales, COUNT(*) AS orders FROM sales' }) });
  if (sql.status === 200) {
    const r = await sql.json();
    assert.equal(Number(r.rows[0][0]).toFixed(2), Number(await kpi('sales')).toFixed(2));
    assert.equal(String(r.rows[0][1]), await kpi('orders'));
  }

  // A filter: every chart and every KPI changes, and the URL says so.
  const before = await chartData(page);
  assert.equal(Object.keys(before).length, 6, 'six charts');
  const salesBefore = await kpi('sales');
  await page.selectOption('#f-category', 'Laptop');
  await loaded(page, 2);
  assert.match(page.url(), /category=Laptop/);
  const after = await chartData(page);
  for (const id of Object.keys(before)) assert.notEqual(after[id], before[id], `${id} changed with the filter`);
  assert.notEqual(await kpi('sales'), salesBefore);
  const [laptops] = (await con.runAndReadAll(`SELECT count(*)::VARCHAR AS orders FROM sales WHERE category = 'Laptop'`)).getRowObjectsJson();
  assert.equal(await kpi('orders'), laptops.orders);

  // Cross-filter: click the first bar of "Sales by brand".
  const brand = await page.evaluate(() => {
    const el = document.querySelector('#card-sales-by-brand .chart');
    const chart = echarts.getInstanceByDom(el);
    const opt = chart.getOption();
    const first = opt.series[0].data[0];
    const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [first.value / 2, 0]);
    const box = el.getBoundingClientRect();
    return { key: first.key, x: box.left + x, y: box.top + y };
  });
  await page.mouse.click(brand.x, brand.y);
  await loaded(page, 3);
  assert.match(page.url(), new RegExp('brand=' + encodeURIComponent(brand.key).replace(/%20/g, '(\\+|%20)')));
  assert.equal(await page.inputValue('#f-brand'), brand.key);
  const [one] = (await con.runAndReadAll(`SELECT count(*)::VARCHAR AS orders FROM sales WHERE category = 'Laptop' AND brand = '${brand.key.replaceAll("'", "''")}'`)).getRowObjectsJson();
  assert.equal(await kpi('orders'), one.orders);

  // Back in history restores the previous filters.
  await page.goBack();
  await loaded(page, 4);
  assert.equal(await page.inputValue('#f-brand'), '');

  // CSV export of a card.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#card-sales-by-category button:has-text("CSV")')]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^category,label,sales,orders/);
  await page.screenshot({ path: path.join(artifacts, 'overview-filtered.png'), fullPage: true });
  fs.writeFileSync(path.join(artifacts, 'overview-load.json'), JSON.stringify({ first_load_ms: firstLoadMs }));
  await page.context().close();
});

test('a filter that matches nothing shows an empty state, not broken charts', opts, async () => {
  const page = await newPage();
  await page.goto(server.url + '/?from=2001-01-01&to=2001-01-31');
  await loaded(page, 1);
  assert.equal(await page.getAttribute('#main', 'data-empty'), 'true');
  const shown = await page.evaluate(() => [...document.querySelectorAll('section.card p.empty')]
    .filter((e) => !e.hidden && e.offsetParent !== null).length);
  assert.equal(shown, 6, 'every card says that nothing matches');
  const charts = await page.evaluate(() => [...document.querySelectorAll('section.card .chart')]
    .filter((e) => e.offsetParent !== null).length);
  assert.equal(charts, 0, 'no empty axes');
  assert.match(await page.textContent('#main [role="alert"]'), /No sales match these filters/);
  await page.screenshot({ path: path.join(artifacts, 'overview-empty.png'), fullPage: true });
  // Back to data: the charts come back.
  await page.goto(server.url + '/?range=all');
  await loaded(page, 1);
  assert.equal(await page.getAttribute('#main', 'data-empty'), 'false');
  await page.context().close();
});

test('SQL console runs a query (Ctrl+Enter), pages, downloads CSV and shows errors at their position', opts, async (t) => {
  const probe = await fetch(server.url + '/api/v1/query', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"sql":"SELECT 1"}' });
  if (probe.status === 501) return t.skip('this build has no SQL engine yet');
  const page = await newPage();
  await page.goto(server.url + '/sql');
  await page.fill('#sql-editor', 'SELECT brand, COUNT(*) AS orders FROM sales GROUP BY brand ORDER BY brand');
  await page.press('#sql-editor', 'Control+Enter');
  await page.waitForSelector('#sql-table tbody tr');
  const rows = await page.$$eval('#sql-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  const brands = (await con.runAndReadAll('SELECT brand, count(*)::VARCHAR AS n FROM sales GROUP BY 1 ORDER BY 1')).getRowObjectsJson();
  assert.deepEqual(rows, brands.map((b) => [b.brand, b.n]));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#sql-csv')]);
  const csv = fs.readFileSync(await download.path(), 'utf8').trim().split(/\r\n/);
  assert.equal(csv[0], 'brand,orders');
  assert.equal(csv.length, brands.length + 1);
  await page.screenshot({ path: path.join(artifacts, 'sql.png'), fullPage: true });
  await page.fill('#sql-editor', 'SELECT brand FROM no_such_table');
  await page.click('#sql-run');
  await page.waitForSelector('#sql-error');
  assert.match(await page.textContent('#sql-error'), /no_such_table/);
  // The browser logs the deliberate 400 of that query; it is the one console error expected.
  const expected = consoleErrors.findIndex((e) => /\/sql: .*status of 400/.test(e));
  assert.ok(expected >= 0, 'the bad query was answered 400');
  consoleErrors.splice(expected, 1);
  const history = await page.evaluate(() => JSON.parse(localStorage.getItem('saleslake.sql.history')));
  assert.equal(history[0], 'SELECT brand FROM no_such_table');
  await page.context().close();
});

test('Catalog and Pipeline pages list what the lake holds', opts, async () => {
  const status = await (await fetch(server.url + '/api/v1/status')).json();
  const page = await newPage();
  await page.goto(server.url + '/catalog');
  await page.waitForSelector('#catalog-tables tbody tr');
  const names = await page.$$eval('#catalog-tables tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
  assert.ok(names.some((n) => /sales/.test(n)));
  assert.ok(names.length >= status.tables.length - 0, `${names} vs ${status.tables.map((t) => t.table)}`);
  await page.waitForSelector('#detail-title');
  await page.screenshot({ path: path.join(artifacts, 'catalog.png'), fullPage: true });

  await page.goto(server.url + '/pipeline');
  await page.waitForSelector('#runs tbody tr.run');
  assert.match(await page.textContent('#batch-counts'), new RegExp(`^${status.batches.extracted} extracted`));
  const tables = await page.$$eval('#lake-tables tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(tables, status.tables.map((t) => t.table));
  const runs = await page.$$eval('#runs tbody tr.run', (trs) => trs.length);
  const api = await (await fetch(server.url + '/api/v1/runs?limit=50')).json();
  assert.equal(runs, api.runs.length);
  await page.waitForSelector('#q-samples table');
  await page.screenshot({ path: path.join(artifacts, 'pipeline.png'), fullPage: true });
  await page.context().close();
});

test('no console errors on any page', opts, () => {
  assert.deepEqual(consoleErrors, []);
});
