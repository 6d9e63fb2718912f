// The Athena dialect against DuckDB: every statement of the "athena-examples" block of
// docs/sql.md runs through `saleslake query` (--format csv) and through DuckDB over the same
// Parquet files (views of the same names), and the rows must be equal — DECIMAL cells exactly, as
// text (43914054.11 is not 43914054.110000014, 12.50 is not 12.5). DuckDB's spelling of a
// statement, where it differs, is in DUCKDB below. Then the refusals: where SQLite would answer
// differently from Trino, the dialect answers as Trino or fails naming the construct.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const bin = process.env.SALESLAKE_BINARY;
const NOW = '2026-11-26T10:00:00Z';
const here = path.dirname(fileURLToPath(import.meta.url));
let dir;
let lake;
let con;

// DuckDB's spelling where it differs from Athena's.
const DUCKDB = {
  "SELECT date_add('day', -7, DATE '2026-11-26') AS d, date_diff('day', DATE '2026-10-01', DATE '2026-11-26') AS n;":
    "SELECT CAST(DATE '2026-11-26' - INTERVAL 7 DAY AS DATE) AS d, date_diff('day', DATE '2026-10-01', DATE '2026-11-26') AS n;",
  "SELECT date_format(timestamp, '%Y-%m') AS m, day_of_week(timestamp) AS dow, count(*) FROM sales GROUP BY 1, 2 ORDER BY 1, 2;":
    "SELECT strftime(timestamp, '%Y-%m') AS m, isodow(timestamp) AS dow, count(*) FROM sales GROUP BY 1, 2 ORDER BY 1, 2;",
  'SELECT approx_distinct(product_id), count_if(quantity > 2), count(*) FROM sales;':
    'SELECT count(DISTINCT product_id), count_if(quantity > 2), count(*) FROM sales;',
  'SELECT brand, AVG(total) FROM sales GROUP BY brand ORDER BY brand;':
    'SELECT brand, CAST(round(SUM(total) / COUNT(total), 2) AS DECIMAL(38,2)) FROM sales GROUP BY brand ORDER BY brand;',
  "SELECT from_iso8601_timestamp('2026-10-01T10:00:00+05:30') AS t;":
    "SELECT CAST(TIMESTAMPTZ '2026-10-01T10:00:00+05:30' AS TIMESTAMP) AS t;",
  'SELECT SUM(total) / COUNT(*) FROM sales;':
    'SELECT CAST(round(SUM(total) / COUNT(*), 2) AS DECIMAL(38,2)) FROM sales;',
};

function athenaExamples() {
  const doc = fs.readFileSync(path.join(here, '../../docs/sql.md'), 'utf8');
  const block = doc.split('```sql athena-examples\n')[1].split('```')[0];
  return block.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('--'));
}

// RFC 4180 CSV (our output) into rows of strings ('' is NULL).
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; ++i; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; } else cell += c;
  }
  return rows;
}

function ours(sql, extra = []) {
  return spawnSync(bin, ['query', '--lake', lake, '--format', 'csv', '--max-rows', '0', '--log-level', 'warn', ...extra, sql],
    { encoding: 'utf8', maxBuffer: 256 << 20 });
}

// A DuckDB cell as our CSV prints it: timestamps without zone or trailing zero fraction.
function duckText(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  let s = String(v);
  if (/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d/.test(s)) {
    s = s.replace('T', ' ').replace(/(\+00(:00)?|Z)$/, '').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  }
  return s;
}

const quote = (s) => `'${s.replaceAll("'", "''")}'`;

before(async () => {
  assert.ok(bin, 'SALESLAKE_BINARY must name the saleslake binary');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-dialect-'));
  lake = path.join(dir, 'lake');
  const input = path.join(dir, 'batch.ndjson');
  fs.writeFileSync(input, execFileSync(bin, ['generate', '--records', '20000', '--seed', '31', '--format', 'ndjson',
    '--now', '2026-11-26T09:00:00'], { maxBuffer: 256 << 20 }));
  for (const args of [['extract', '--from', input], ['transform']]) {
    const run = spawnSync(bin, [...args, '--lake', lake, '--now', NOW, '--log-level', 'warn'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  }
  const db = await DuckDBInstance.create(':memory:');
  con = await db.connect();
  await con.run("SET TimeZone = 'UTC'");
  for (const [name, location] of Object.entries({ sales: 'main/sales', store_sales: 'main/store_sales' })) {
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

test('the Athena statements of docs/sql.md give DuckDB\'s rows (DECIMAL exactly)', async () => {
  const statements = athenaExamples();
  assert.ok(statements.length >= 15, `${statements.length} statements in docs/sql.md`);
  for (const sql of statements) {
    const run = ours(sql);
    assert.equal(run.status, 0, `${sql}\n${run.stderr}`);
    const got = parseCsv(run.stdout).slice(1);
    const reader = await con.runAndReadAll(DUCKDB[sql] ?? sql);
    const want = reader.getRowsJson().map((r) => r.map(duckText));
    assert.deepEqual(got, want, sql);
  }
});

test('SHOW TABLES, DESCRIBE and SHOW PARTITIONS answer from the catalog', async () => {
  const tables = parseCsv(ours('SHOW TABLES').stdout).map((r) => r[0]);
  assert.ok(tables.includes('sales') && tables.includes('store_sales'), tables.join());
  const describe = parseCsv(ours('DESCRIBE sales').stdout).slice(1);
  const duck = (await con.runAndReadAll('DESCRIBE sales')).getRowsJson().map((r) => r[0]);
  assert.deepEqual(describe.map((r) => r[0]).sort(), duck.sort());  // DuckDB orders hive keys its way
  assert.equal(describe.find((r) => r[0] === 'total')[1], 'decimal(18,2)');
  const parts = parseCsv(ours('SHOW PARTITIONS sales').stdout).slice(1).map((r) => r[0]);
  assert.match(parts[0], /^year=\d{4}\/month=\d\d\/day=\d\d$/);
  assert.match(ours('SHOW CREATE TABLE sales').stdout, /CREATE EXTERNAL TABLE `sales`/);
});

test('where SQLite and Trino differ, the dialect answers as Trino or refuses', () => {
  const refusals = [
    ['SELECT 1 / 0', /Division by zero/],
    ['SELECT SUM(total) / 0 FROM sales', /Division by zero/],
    ["SELECT CAST('12a' AS INTEGER)", /Cannot cast '12a' to INTEGER/],
    ['SELECT "no_such_column" FROM sales', /no such column: no_such_column/],
    ["SELECT INTERVAL '1' DAY", /INTERVAL/],
    ["SELECT DATE '2026-02-30'", /cannot be cast to date/],
    ['SELECT CAST(total AS JSON) FROM sales', /CAST to json is not supported/],
    ['SHOW FUNCTIONS', /not supported/],
  ];
  for (const [sql, message] of refusals) {
    const run = ours(sql);
    assert.notEqual(run.status, 0, sql);
    assert.match(run.stderr, message, sql);
  }
  // LIKE is case-sensitive (as Trino), SQLite's dialect is not.
  const like = "SELECT count(*) FROM sales WHERE brand LIKE 'apple%'";
  assert.equal(parseCsv(ours(like).stdout)[1][0], '0');
  assert.notEqual(parseCsv(ours(like, ['--dialect', 'sqlite']).stdout)[1][0], '0');
});
