// `saleslake query` against DuckDB over the same files: a lake made by the binary (generate ->
// extract -> transform), then 30+ statements run by both — ours through the SQLite virtual
// tables, DuckDB through read_parquet(..., hive_partitioning = true) views of the same names —
// and their rows compared. Also: exact decimal sums to the paisa, pruning proven by the scan
// counters, read-only refusals, timeouts, error positions, the prompt, and the seed's misspelt
// table name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const bin = process.env.SALESLAKE_BINARY;
const NOW = '2026-11-26T10:00:00Z';
let dir;
let lake;
let con;

function saleslake(args, input) {
  return spawnSync(bin, args, { input, encoding: 'utf8', maxBuffer: 256 << 20 });
}

function ours(sql, extra = []) {
  const run = saleslake(['query', '--lake', lake, '--format', 'json', '--log-level', 'warn', ...extra, sql]);
  assert.equal(run.status, 0, `${sql}\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

async function duck(sql) {
  const reader = await con.runAndReadAll(sql);
  return reader.getRowsJson();
}

const quote = (s) => `'${s.replaceAll("'", "''")}'`;

before(async () => {
  assert.ok(bin, 'SALESLAKE_BINARY must name the saleslake binary');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-sql-'));
  lake = path.join(dir, 'lake');
  // Two batches, some dirty records (so quarantine has rows), sales over 100 days.
  for (const [seed, dirty] of [[21, '0.02'], [22, '0']]) {
    const input = path.join(dir, `batch-${seed}.ndjson`);
    const out = execFileSync(bin, ['generate', '--records', '15000', '--seed', String(seed), '--format', 'ndjson',
      '--now', '2026-11-26T09:00:00', '--dirty', dirty], { maxBuffer: 256 << 20 });
    fs.writeFileSync(input, out);
    const run = saleslake(['extract', '--from', input, '--lake', lake, '--now', NOW, '--log-level', 'warn']);
    assert.equal(run.status, 0, run.stderr);
  }
  const t = saleslake(['transform', '--lake', lake, '--now', NOW, '--log-level', 'warn']);
  assert.equal(t.status, 0, t.stderr);

  const db = await DuckDBInstance.create(':memory:');
  con = await db.connect();
  const tables = { sales: 'main/sales', daily_sales: 'main/daily_sales', brand_sales: 'main/brand_sales',
    category_sales: 'main/category_sales', store_sales: 'main/store_sales',
    profit_per_brand: 'main/profit_per_brand', profit_per_category: 'main/profit_per_category',
    highest_sold_product: 'main/highest_sold_product', raw_sales: 'raw/sales',
    quarantine_sales: 'quarantine/sales' };
  for (const [name, location] of Object.entries(tables)) {
    const root = path.join(lake, location);
    const partitioned = fs.readdirSync(root).some((e) => e.startsWith('year='));
    const glob = partitioned ? path.join(root, '**/*.parquet') : path.join(root, '*.parquet');
    await con.run(`CREATE VIEW ${name} AS SELECT * FROM read_parquet(${quote(glob)}` +
      `${partitioned ? ', hive_partitioning = true' : ''})`);
  }
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// Cells compared as numbers when both are numeric (DuckDB gives BIGINT and DECIMAL as strings),
// with a relative tolerance of 1e-9 for non-integers (averages); timestamps without trailing
// fraction zeros; everything else as text.
function norm(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d/.test(v)) {
    return v.replace('T', ' ').replace(/\+00(:00)?$/, '').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  }
  return String(v);
}

function sameCell(a, b) {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isInteger(a) && Number.isInteger(b)) return a === b;
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}

function assertSameRows(sql, got, want, ordered) {
  const g = got.map((r) => r.map(norm));
  const w = want.map((r) => r.map(norm));
  if (!ordered) {
    const key = (r) => JSON.stringify(r);
    g.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
    w.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  }
  assert.equal(g.length, w.length, `${sql}: ${g.length} rows, DuckDB ${w.length}`);
  for (let i = 0; i < g.length; ++i) {
    assert.equal(g[i].length, w[i].length, `${sql}: row ${i} width`);
    for (let j = 0; j < g[i].length; ++j) {
      assert.ok(sameCell(g[i][j], w[i][j]),
        `${sql}: row ${i} column ${j}: ours ${JSON.stringify(g[i][j])}, DuckDB ${JSON.stringify(w[i][j])}`);
    }
  }
}

// [our SQL, DuckDB SQL (same when omitted), ordered?]
const CASES = [
  ['SELECT count(*) FROM sales'],
  ['SELECT count(*), count(DISTINCT transaction_id) FROM sales'],
  ['SELECT brand, SUM(total) FROM sales GROUP BY brand ORDER BY 2 DESC', null, true],
  ['SELECT category, SUM(total), COUNT(*), SUM(quantity) FROM sales GROUP BY category ORDER BY category', null, true],
  ['SELECT store_id, store_name, store_location, SUM(total), SUM((mrp - retail_price) * quantity) AS profit FROM sales GROUP BY 1, 2, 3 ORDER BY profit DESC, store_id', null, true],
  ['SELECT product_id, product_name, SUM(quantity) AS units FROM sales GROUP BY 1, 2 ORDER BY units DESC, product_id LIMIT 10', null, true],
  ['SELECT brand, SUM(total) FROM sales WHERE year = 2026 AND month = 10 GROUP BY brand ORDER BY brand', null, true],
  ["SELECT date(timestamp) AS d, SUM(total), COUNT(*) FROM sales GROUP BY d ORDER BY d",
    'SELECT CAST(timestamp AS DATE)::VARCHAR AS d, SUM(total), COUNT(*) FROM sales GROUP BY d ORDER BY d', true],
  // AVG of a DECIMAL is a DECIMAL of its scale in Athena's dialect (rounded half away from zero).
  ['SELECT min(total), max(total), avg(total), avg(quantity) FROM sales',
    'SELECT min(total), max(total), round(SUM(total) / COUNT(total), 2), avg(quantity) FROM sales'],
  ['SELECT SUM(retail_price), SUM(retail_price * quantity), SUM(mrp - retail_price) FROM sales'],
  ["SELECT count(*) FROM sales WHERE store_id = 'S012'"],
  ["SELECT count(*), SUM(total) FROM sales WHERE brand IN ('Apple', 'Samsung', 'Sony')"],
  ['SELECT count(*) FROM sales WHERE total BETWEEN 1000 AND 50000'],
  ['SELECT count(*) FROM sales WHERE retail_price > 50000.5 AND quantity >= 2'],
  ["SELECT count(*) FROM sales WHERE timestamp >= '2026-10-01' AND timestamp < '2026-11-01'",
    "SELECT count(*) FROM sales WHERE timestamp >= TIMESTAMP '2026-10-01' AND timestamp < TIMESTAMP '2026-11-01'"],
  ['SELECT count(*) FROM sales WHERE day = 15 AND month IN (9, 10)'],
  ["SELECT count(*) FROM sales WHERE customer_email LIKE '%@gmail.com'"],
  ['SELECT quantity, count(*) FROM sales GROUP BY quantity HAVING count(*) > 10 ORDER BY quantity', null, true],
  ['SELECT transaction_id, total FROM sales ORDER BY total DESC, transaction_id LIMIT 5', null, true],
  ['SELECT transaction_id FROM sales ORDER BY transaction_id LIMIT 3 OFFSET 100', null, true],
  ["SELECT strftime('%Y-%m', timestamp) AS m, SUM(total) FROM sales GROUP BY m ORDER BY m",
    "SELECT strftime(timestamp, '%Y-%m') AS m, SUM(total) FROM sales GROUP BY m ORDER BY m", true],
  ["SELECT date_trunc('month', timestamp) AS m, count(*) FROM sales GROUP BY m ORDER BY m",
    "SELECT date_trunc('month', timestamp)::VARCHAR AS m, count(*) FROM sales GROUP BY m ORDER BY m", true],
  ['SELECT year(timestamp), month(timestamp), count(*) FROM sales GROUP BY 1, 2 ORDER BY 1, 2', null, true],
  // joins between tables
  ['SELECT b.brand, b.total_sales, p.total_profit_per_brand FROM brand_sales b JOIN profit_per_brand p ON p.brand = b.brand ORDER BY b.brand, b.total_sales, p.total_profit_per_brand', null, true],
  ['SELECT s.store_name, s.total_sales, d.sales FROM store_sales s JOIN (SELECT store_name, store_location, SUM(sales) AS sales FROM daily_sales GROUP BY 1, 2) d ON d.store_name = s.store_name AND d.store_location = s.store_location ORDER BY s.store_name, s.total_sales', null, true],
  ['SELECT count(*) FROM highest_sold_product h JOIN (SELECT DISTINCT product_name, store_name FROM sales) s ON s.product_name = h.product_name AND s.store_name = h.store_name'],
  ['SELECT brand, total_sales FROM brand_sales WHERE total_sales > (SELECT avg(total_sales) FROM brand_sales) ORDER BY brand, total_sales', null, true],
  ['SELECT category, total_sales, orders, total_quantity FROM category_sales ORDER BY total_sales DESC, category', null, true],
  ['SELECT product_name, store_name, total_quantity, total_sales FROM highest_sold_product ORDER BY total_sales DESC, total_quantity DESC, product_name, brand, store_name, store_location LIMIT 5', null, true],
  ['SELECT SUM(orders), SUM(units), SUM(sales), SUM(cost), SUM(gross_profit) FROM daily_sales'],
  // NULL handling: raw keeps nulls where a field did not type
  ['SELECT count(*), count(store_id), count(total), count(_raw) FROM raw_sales'],
  ['SELECT count(*) FROM raw_sales WHERE total IS NULL'],
  ['SELECT coalesce(store_id, \'?\') AS s, count(*) FROM raw_sales GROUP BY s ORDER BY s', null, true],
  ['SELECT SUM(total), avg(quantity), max(store_id) FROM raw_sales'],
  ['SELECT reason, count(*) FROM quarantine_sales GROUP BY reason ORDER BY reason', null, true],
  ['SELECT count(*) FROM (SELECT transaction_id FROM raw_sales WHERE transaction_id IS NOT NULL EXCEPT SELECT transaction_id FROM sales)'],
  ['WITH t AS (SELECT brand, SUM(total) AS s FROM sales GROUP BY brand) SELECT count(*), SUM(s) FROM t'],
  ["SELECT CASE WHEN total >= 100000 THEN 'big' ELSE 'small' END AS size, count(*) FROM sales GROUP BY size ORDER BY size", null, true],
];

test(`${CASES.length} statements give DuckDB's rows over the same files (both engines)`, async () => {
  assert.ok(CASES.length >= 30);
  let columnar = 0;
  for (const [sql, duckSql, ordered] of CASES) {
    const want = await duck(duckSql ?? sql);
    const got = ours(sql, ['--max-rows', '0']);
    assert.equal(got.truncated, false);
    assertSameRows(sql, got.rows, want, Boolean(ordered));
    if (got.columnar) {
      ++columnar;
      const rows = ours(sql, ['--max-rows', '0', '--row-engine']);
      assert.equal(rows.columnar, false);
      assertSameRows(`${sql} (row engine)`, rows.rows, want, Boolean(ordered));
    }
  }
  assert.ok(columnar >= 15, `${columnar} statements took the columnar path`);
});

// "123.45" or 123.45 -> paise as a BigInt, exactly (the decimal text of a double that holds an
// exact decimal sum reads back to the same paise).
function paise(v) {
  const s = typeof v === 'number' ? v.toFixed(2) : v;
  const [whole, frac = ''] = s.split('.');
  const sign = whole.startsWith('-') ? -1n : 1n;
  return sign * (BigInt(whole.replace('-', '')) * 100n + BigInt((frac + '00').slice(0, 2)));
}

test('decimal sums are exact to the paisa', async () => {
  for (const expr of ['total', 'retail_price', 'retail_price * quantity', '(mrp - retail_price) * quantity']) {
    const got = ours(`SELECT SUM(${expr}), decimal_sum(${expr}) FROM sales`).rows[0];
    const [[want]] = await duck(`SELECT SUM(${expr})::VARCHAR FROM sales`);
    assert.equal(paise(got[0]), paise(want), `SUM(${expr})`);
    assert.equal(paise(got[1]), paise(want), `decimal_sum(${expr})`);
    const columnar = ours(`SELECT SUM(${expr}) FROM sales`);
    assert.equal(columnar.columnar, true);
    assert.equal(paise(columnar.rows[0][0]), paise(want), `SUM(${expr}) on the columnar path`);
  }
});

// Joins of a big table with a small one, answered on the columnar path: store_sales repeats some
// store_ids (so a sale matches several rows: each counts), highest_sold_product filtered to a
// few products leaves most sales without a match, raw_sales has NULL and unknown store ids.
// [our SQL, DuckDB SQL (same when omitted)]; every one is ordered.
const JOINS = [
  ['SELECT t.store_name, SUM(s.total) FROM sales s JOIN store_sales t ON s.store_id = t.store_id GROUP BY 1 ORDER BY 1'],
  ['SELECT count(*), SUM(s.quantity), SUM(s.total), SUM(t.total_sales) FROM sales s JOIN store_sales t ON s.store_id = t.store_id'],
  ['SELECT h.brand, count(*), SUM(s.total), MIN(s.total), MAX(h.total_sales) FROM highest_sold_product h JOIN sales s ON s.product_id = h.product_id WHERE h.rank <= 20 GROUP BY h.brand ORDER BY h.brand'],
  ['SELECT d.store_id, SUM(d.sales), SUM(s.total), count(*) FROM sales s INNER JOIN daily_sales d ON s.store_id = d.store_id AND s.product_id = d.product_id WHERE s.month = 10 GROUP BY d.store_id ORDER BY d.store_id'],
  ['SELECT count(*), count(r.total), SUM(r.total) FROM raw_sales r JOIN store_sales t ON r.store_id = t.store_id'],
  ["SELECT t.store_location, date(s.timestamp) AS d, count(*) FROM sales s JOIN store_sales t ON t.store_id = s.store_id WHERE s.timestamp >= '2026-10-01' AND s.timestamp < '2026-10-08' GROUP BY 1, 2 ORDER BY 1, 2",
    "SELECT t.store_location, CAST(s.timestamp AS DATE)::VARCHAR AS d, count(*) FROM sales s JOIN store_sales t ON t.store_id = s.store_id WHERE s.timestamp >= TIMESTAMP '2026-10-01' AND s.timestamp < TIMESTAMP '2026-10-08' GROUP BY 1, 2 ORDER BY 1, 2"],
  ['SELECT s.category, min(b.brand), max(b.total_sales), avg(s.total), count(*) FROM sales s JOIN brand_sales b ON b.brand = s.brand GROUP BY 1 ORDER BY 1',
    'SELECT s.category, min(b.brand), max(b.total_sales), round(SUM(s.total) / COUNT(s.total), 2), count(*) FROM sales s JOIN brand_sales b ON b.brand = s.brand GROUP BY 1 ORDER BY 1'],
  ["SELECT count(*), SUM(s.total) FROM sales s JOIN store_sales t ON s.store_id = t.store_id WHERE t.store_id = 'nope'"],
  ['SELECT store_sales.store_location, SUM(sales.quantity) FROM sales JOIN store_sales ON sales.store_id = store_sales.store_id GROUP BY 1 ORDER BY 2 DESC, 1'],
];

// Cells equal exactly: DuckDB's DECIMAL text to the paisa, integers as integers, text as text;
// only DOUBLE results (none of the decimal ones) within 1e-9.
function assertSameExactly(sql, got, want) {
  assert.equal(got.length, want.length, `${sql}: ${got.length} rows, DuckDB ${want.length}`);
  for (let i = 0; i < got.length; ++i) {
    for (let j = 0; j < want[i].length; ++j) {
      const [g, w] = [got[i][j], want[i][j]];
      const where = `${sql}: row ${i} column ${j}: ours ${JSON.stringify(g)}, DuckDB ${JSON.stringify(w)}`;
      if (typeof w === 'string' && /^-?\d+\.\d+$/.test(w)) assert.equal(paise(g), paise(w), where);
      else assert.ok(sameCell(norm(g), norm(w)), where);
    }
  }
}

test(`${JOINS.length} joins with a small table: the columnar path gives DuckDB's and SQLite's rows`, async () => {
  for (const [sql, duckSql] of JOINS) {
    const want = await duck(duckSql ?? sql);
    const got = ours(sql, ['--max-rows', '0']);
    assert.equal(got.columnar, true, `${sql} takes the columnar path`);
    assertSameExactly(sql, got.rows, want);
    const rows = ours(sql, ['--max-rows', '0', '--row-engine']);
    assert.equal(rows.columnar, false);
    assert.deepEqual(rows.rows, got.rows, `${sql}: SQLite's rows`);
  }
});

test('partition and statistics pruning read fewer files and row groups', async () => {
  const all = ours('SELECT count(*) FROM sales');
  const files = all.scan.files_total;
  assert.ok(files > 10, `the lake has ${files} sales files`);
  const day = ours('SELECT count(*), SUM(total) FROM sales WHERE year = 2026 AND month = 10 AND day = 15');
  const [[n]] = await duck('SELECT count(*) FROM sales WHERE year = 2026 AND month = 10 AND day = 15');
  assert.equal(day.rows[0][0], Number(n));
  const dayFiles = fs.readdirSync(path.join(lake, 'main/sales/year=2026/month=10/day=15')).filter((f) => f.endsWith('.parquet'));
  assert.equal(day.scan.files_opened, dayFiles.length);
  assert.equal(day.scan.files_pruned, files - dayFiles.length);

  const ts = ours("SELECT count(*) FROM sales WHERE timestamp >= '2026-10-15' AND timestamp < '2026-10-16'");
  assert.ok(ts.scan.files_opened <= 3 * dayFiles.length + 2, `opened ${ts.scan.files_opened}`);

  // A point lookup: statistics and the transaction_id bloom filter rule out row groups.
  const [[id]] = await duck("SELECT transaction_id FROM sales WHERE year = 2026 AND month = 10 AND day = 15 LIMIT 1");
  const point = ours(`SELECT count(*) FROM sales WHERE transaction_id = ${quote(id)}`);
  assert.equal(point.rows[0][0], 1);
  assert.ok(point.scan.row_groups_read < point.scan.row_groups_total,
    `read ${point.scan.row_groups_read} of ${point.scan.row_groups_total} row groups`);

  // LIMIT stops reading.
  const limited = ours('SELECT transaction_id FROM sales LIMIT 7');
  assert.equal(limited.rows.length, 7);
  assert.ok(limited.scan.rows_read <= 7);
  assert.equal(limited.scan.files_opened, 1);
});

test('higest_sold_product is an alias of highest_sold_product', () => {
  const a = ours('SELECT * FROM higest_sold_product');
  const b = ours('SELECT * FROM highest_sold_product');
  assert.ok(a.rows.length > 0);
  assert.deepEqual(a.rows, b.rows);
});

test('writes, ATTACH and state-changing pragmas are refused', () => {
  for (const sql of ["INSERT INTO sales(transaction_id) VALUES ('x')", 'DELETE FROM sales', 'DROP TABLE sales',
    "ATTACH DATABASE 'x.db' AS x", 'PRAGMA writable_schema = 1', 'CREATE TABLE t(a)']) {
    const run = saleslake(['query', '--lake', lake, sql]);
    assert.equal(run.status, 1, sql);
    assert.match(run.stderr, /read-only/, sql);
  }
});

test('a runaway query stops at its timeout', () => {
  const started = Date.now();
  const run = saleslake(['query', '--lake', lake, '--timeout', '0.5',
    'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c']);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /timeout/);
  assert.ok(Date.now() - started < 30000);
});

test('bad SQL: one error line with the position and a caret', () => {
  const run = saleslake(['query', '--lake', lake, 'SELECT brand, SUM(totl)\nFROM sales GROUP BY brand']);
  assert.equal(run.status, 2);  // a mistake in the input: exit 2, like a usage error
  assert.match(run.stderr, /no such column: totl \(at line 1, column 19\)/);
  assert.match(run.stderr, /\n {20}\^/);
});

test('the prompt reads statements up to ";" from stdin', () => {
  const run = saleslake(['query', '--lake', lake, '--format', 'csv'],
    'SELECT count(*) AS n\n  FROM brand_sales;\nSELECT 1 + 1 AS two;\n');
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines[0], 'n');
  assert.equal(lines[2], 'two');
  assert.equal(lines[3], '2');
});

test('a lake that is not there is an error, and nothing is created', () => {
  const missing = path.join(dir, 'no-such-lake');
  const run = saleslake(['query', '--lake', missing, 'SELECT 1']);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /no lake at/);
  assert.equal(fs.existsSync(missing), false);
});

test('--max-rows truncates and says so', () => {
  const got = ours('SELECT transaction_id FROM sales', ['--max-rows', '10']);
  assert.equal(got.rows.length, 10);
  assert.equal(got.truncated, true);
});
