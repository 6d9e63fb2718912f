// `saleslake crawl` and `saleslake catalog` as a person runs them (the built binary), with DuckDB
// as the oracle: the DuckDB DDL that `catalog ddl --dialect duckdb` prints is executed in DuckDB
// and what DuckDB counts and sums over the views equals what the catalog recorded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
  const r = spawnSync(bin, args, { input, encoding: 'utf8', maxBuffer: 256 << 20 });
  return r;
}

function ok(args) {
  const r = saleslake([...args, '--log-level', 'warn']);
  assert.equal(r.status, 0, `saleslake ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function query(sql) {
  const reader = await con.runAndReadAll(sql);
  return reader.getRowObjectsJson();
}

// "2026-11-26T10:20:01.123456Z" -> microseconds since the epoch.
function isoToMicros(text) {
  const [whole, fraction = ''] = text.replace(/Z$/, '').split('.');
  return BigInt(Date.parse(whole + 'Z')) * 1000n + BigInt((fraction + '000000').slice(0, 6));
}

before(async () => {
  assert.ok(bin, 'SALESLAKE_BINARY must name the saleslake binary');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-catalog-'));
  lake = path.join(dir, 'lake');
  const db = await DuckDBInstance.create(':memory:');
  con = await db.connect();
  // Two batches over 40 days, with dirty records: raw, quarantine, main, rollups, aggregates.
  for (const seed of [1, 2]) {
    const input = path.join(dir, `in-${seed}.ndjson`);
    const gen = saleslake(['generate', '--records', '20000', '--seed', String(seed), '--days', '40',
      '--now', '2026-11-26T09:00:00', '--format', 'ndjson', '--dirty', '0.02', '--out', input]);
    assert.equal(gen.status, 0, gen.stderr);
    ok(['extract', '--from', input, '--lake', lake, '--now', NOW]);
  }
  ok(['transform', '--lake', lake, '--now', NOW]);
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('crawl records every table; the DuckDB DDL run in DuckDB counts and sums what the catalog says', async () => {
  const crawl = JSON.parse(ok(['crawl', '--lake', lake, '--format', 'json']));
  assert.deepEqual(crawl.problems, []);
  assert.equal(crawl.files_read, crawl.files_committed);
  assert.ok(fs.existsSync(path.join(lake, '_catalog/catalog.db')));

  const tables = JSON.parse(ok(['catalog', 'tables', '--lake', lake, '--format', 'json']));
  const names = tables.map((t) => t.name).sort();
  assert.deepEqual(names, ['brand_sales', 'category_sales', 'daily_sales', 'highest_sold_product',
    'profit_per_brand', 'profit_per_category', 'quarantine_sales', 'raw_sales', 'sales',
    'store_sales']);

  const ddl = ok(['catalog', 'ddl', '--lake', lake, '--dialect', 'duckdb']);
  assert.match(ddl, /hive_types = \{'year': INTEGER, 'month': INTEGER, 'day': INTEGER\}/);
  for (const statement of ddl.split(/;\n/).map((s) => s.trim()).filter((s) => s.replace(/^--.*$/gm, '').trim())) {
    await con.run(statement);
  }

  for (const t of tables) {
    const [n] = await query(`SELECT count(*)::BIGINT AS n FROM "${t.name}"`);
    assert.equal(Number(n.n), t.rows, `${t.name}: DuckDB counts ${n.n}, the catalog ${t.rows}`);
  }
  const [alias] = await query('SELECT count(*)::INT AS n FROM higest_sold_product');
  assert.equal(alias.n, tables.find((t) => t.name === 'highest_sold_product').rows);

  // Per partition: rows equal; month=05-style folders read as integers.
  const parts = JSON.parse(ok(['catalog', 'partitions', 'sales', '--lake', lake, '--format', 'json']));
  assert.ok(parts.length >= 30, `${parts.length} partitions`);
  const duckParts = await query(`SELECT year, month, day, count(*)::BIGINT AS n, typeof(month) AS t
      FROM sales GROUP BY ALL ORDER BY ALL`);
  assert.equal(duckParts.length, parts.length);
  for (let i = 0; i < parts.length; i++) {
    const d = duckParts[i];
    assert.equal(d.t, 'INTEGER');
    const name = `year=${d.year}/month=${String(d.month).padStart(2, '0')}/day=${String(d.day).padStart(2, '0')}`;
    assert.equal(parts[i].partition, name);
    assert.equal(Number(d.n), parts[i].rows, name);
    // The partition's min/max of total equal DuckDB's, to the paisa.
    const total = parts[i].columns.find((c) => c.name === 'total');
    const [mm] = await query(`SELECT min(total)::VARCHAR AS lo, max(total)::VARCHAR AS hi FROM sales
        WHERE year = ${d.year} AND month = ${d.month} AND day = ${d.day}`);
    assert.deepEqual([total.min, total.max], [mm.lo, mm.hi], name);
  }

  // Whole-table statistics: min/max of timestamp and total, null counts, types.
  const sales = JSON.parse(ok(['catalog', 'describe', 'sales', '--lake', lake, '--format', 'json']));
  const col = (name) => sales.columns.find((c) => c.name === name);
  assert.equal(col('total').type, 'DECIMAL(18,2)');
  assert.equal(col('timestamp').type, 'TIMESTAMP');
  const [stats] = await query(`SELECT min(total)::VARCHAR AS lo, max(total)::VARCHAR AS hi,
      epoch_us(min("timestamp"))::VARCHAR AS tlo, epoch_us(max("timestamp"))::VARCHAR AS thi,
      sum(total)::VARCHAR AS s FROM sales`);
  assert.equal(col('total').min, stats.lo);
  assert.equal(col('total').max, stats.hi);
  assert.equal(isoToMicros(col('timestamp').min), BigInt(stats.tlo));
  assert.equal(isoToMicros(col('timestamp').max), BigInt(stats.thi));
  // The aggregates agree with main through the views too.
  const [brand] = await query('SELECT sum(total_sales)::VARCHAR AS s FROM brand_sales');
  assert.equal(brand.s, stats.s);

  const raw = JSON.parse(ok(['catalog', 'describe', 'raw_sales', '--lake', lake, '--format', 'json']));
  const [rawNulls] = await query('SELECT count(*) - count(_raw) AS n FROM raw_sales');
  assert.equal(raw.columns.find((c) => c.name === '_raw').null_count, Number(rawNulls.n));

  const history = JSON.parse(ok(['catalog', 'history', 'sales', '--lake', lake, '--format', 'json']));
  assert.equal(history.length, 1);
  assert.match(history[0].change, /^created: transaction_id STRING, timestamp TIMESTAMP/);
});

test('a corrupt file is reported, other tables still crawl; re-crawl reads nothing new', async () => {
  const crawl = JSON.parse(ok(['crawl', '--lake', lake, '--format', 'json']));
  assert.equal(crawl.files_read, 0);
  assert.equal(crawl.files_reused, crawl.files_committed);

  const folder = path.join(lake, 'main/store_sales');
  const file = fs.readdirSync(folder).find((f) => f.endsWith('.parquet'));
  const target = path.join(folder, file);
  const size = fs.statSync(target).size;
  fs.writeFileSync(target, Buffer.alloc(size, 7));
  fs.writeFileSync(path.join(lake, 'main/sales/part-stray.parquet'), 'not committed');
  const r = saleslake(['crawl', '--lake', lake, '--log-level', 'warn']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`corrupt_file: store_sales main/store_sales/${file}: .*not a Parquet file`));
  assert.match(r.stdout, /orphan: sales main\/sales\/part-stray.parquet: no ledger commit names this file/);
  const problems = JSON.parse(ok(['catalog', 'problems', '--lake', lake, '--format', 'json']));
  assert.deepEqual(problems.map((p) => p.kind).sort(), ['corrupt_file', 'orphan']);
  const tables = JSON.parse(ok(['catalog', 'tables', '--lake', lake, '--format', 'json']));
  assert.equal(tables.find((t) => t.name === 'store_sales').problem_files, 1);
  assert.ok(tables.find((t) => t.name === 'sales').rows > 30000);

  const missing = saleslake(['catalog', 'describe', 'nope', '--lake', lake, '--log-level', 'off']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^saleslake catalog: error: no table 'nope' in the catalog .*\(tables: brand_sales,/);
  const none = saleslake(['catalog', 'tables', '--lake', path.join(dir, 'empty'), '--log-level', 'off']);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /^saleslake catalog: error: no lake at .*empty: /);
  const typo = saleslake(['crawl', '--lake', path.join(dir, 'typo'), '--log-level', 'off']);
  assert.equal(typo.status, 1);
  assert.match(typo.stderr, /^saleslake crawl: error: no lake at .*typo: .*--lake/);
  assert.ok(!fs.existsSync(path.join(dir, 'typo')));
  assert.ok(!fs.existsSync(path.join(dir, 'empty')));
  for (const cmd of ['crawl', 'catalog']) {
    const h = saleslake([cmd, '--help']);
    assert.equal(h.status, 0);
    assert.match(h.stdout, new RegExp(`Example:\\n  saleslake ${cmd} `));
  }
});
