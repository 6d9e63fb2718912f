// The seed's six tables on our lake, read as the seed's users read them, against DuckDB (which
// knows nothing of our ledger) computing the same GROUP BY over main/sales' files:
//   every table equals DuckDB's aggregate exactly (money as DECIMAL(18,2) text, averages rounded
//   half away from zero to 2 places, highest_sold_product in its order);
//   `SELECT * FROM higest_sold_product LIMIT 10` (the seed's spelling) answers in saleslake query
//   and in DuckDB through our exported DDL;
//   many small runs keep few files per partition, and DuckDB reading the directories counts
//   every row once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const bin = process.env.SALESLAKE_BINARY;
let dir;
let lake;
let con;

function saleslake(args, input) {
  const r = spawnSync(bin, args, { encoding: 'utf8', input, maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return r;
}
function ok(args, input) {
  const r = saleslake(args, input);
  assert.equal(r.status, 0, `saleslake ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;
const files = (table) => `read_parquet(${sqlString(path.join(lake, table, '**/*.parquet'))}, hive_partitioning = true)`;
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-seed-tables-'));
  lake = path.join(dir, 'lake');
  // 4 batches x 5,000 clean sales (seeds 42..45), extracted and transformed one by one.
  for (let i = 0; i < 4; ++i) {
    const file = path.join(dir, `batch${i}.ndjson`);
    fs.writeFileSync(file, ok(['generate', '--records', '5000', '--seed', String(42 + i), '--format', 'ndjson']));
    ok(['extract', '--from', file, '--lake', lake]);
    ok(['transform', '--lake', lake]);
  }
  ok(['crawl', '--lake', lake]);
  con = await (await DuckDBInstance.create(':memory:')).connect();
});

after(() => {
  con?.closeSync?.();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// money as text with its 2 places, computed exactly from paise.
const money = (paise) => `(CASE WHEN ${paise} < 0 THEN '-' ELSE '' END || (abs(${paise}) // 100)::VARCHAR || '.' || lpad((abs(${paise}) % 100)::VARCHAR, 2, '0'))`;
// round(num / den) half away from zero, for den > 0.
const divRound = (num, den) => `(CASE WHEN ${num} >= 0 THEN (2 * ${num} + ${den}) // (2 * ${den}) ELSE -((2 * -${num} + ${den}) // (2 * ${den})) END)`;
const paise = (col) => `(${col} * 100)::HUGEINT`;

const seedTables = {
  brand_sales: {
    ours: `SELECT brand, total_sales::VARCHAR AS total_sales, total_quantity::BIGINT AS total_quantity,
                  sale_per_piece_avg::VARCHAR AS sale_per_piece_avg FROM ${files('main/brand_sales')} ORDER BY brand`,
    duck: `SELECT brand, ${money('s')} AS total_sales, q::BIGINT AS total_quantity, ${money(divRound('s', 'q'))} AS sale_per_piece_avg
             FROM (SELECT brand, sum(${paise('total')}) AS s, sum(quantity) AS q FROM ${files('main/sales')} GROUP BY brand) ORDER BY brand`,
  },
  category_sales: {
    ours: `SELECT category, total_sales::VARCHAR AS total_sales, total_quantity::BIGINT AS total_quantity,
                  sale_per_piece_avg::VARCHAR AS sale_per_piece_avg FROM ${files('main/category_sales')} ORDER BY category`,
    duck: `SELECT category, ${money('s')} AS total_sales, q::BIGINT AS total_quantity, ${money(divRound('s', 'q'))} AS sale_per_piece_avg
             FROM (SELECT category, sum(${paise('total')}) AS s, sum(quantity) AS q FROM ${files('main/sales')} GROUP BY category) ORDER BY category`,
  },
  profit_per_brand: {
    ours: `SELECT brand, total_sales::VARCHAR AS total_sales, total_retail_price::VARCHAR AS total_retail_price,
                  total_profit_per_brand::VARCHAR AS total_profit_per_brand FROM ${files('main/profit_per_brand')} ORDER BY brand`,
    duck: `SELECT brand, ${money('s')} AS total_sales, ${money('r')} AS total_retail_price, ${money('s - r')} AS total_profit_per_brand
             FROM (SELECT brand, sum(${paise('total')}) AS s, sum(${paise('retail_price')} * quantity) AS r
                     FROM ${files('main/sales')} GROUP BY brand) ORDER BY brand`,
  },
  profit_per_category: {
    ours: `SELECT category, total_sales::VARCHAR AS total_sales, total_retail_price::VARCHAR AS total_retail_price,
                  total_profit_per_brand::VARCHAR AS total_profit_per_brand FROM ${files('main/profit_per_category')} ORDER BY category`,
    duck: `SELECT category, ${money('s')} AS total_sales, ${money('r')} AS total_retail_price, ${money('s - r')} AS total_profit_per_brand
             FROM (SELECT category, sum(${paise('total')}) AS s, sum(${paise('retail_price')} * quantity) AS r
                     FROM ${files('main/sales')} GROUP BY category) ORDER BY category`,
  },
  store_sales: {
    ours: `SELECT store_name, store_location, total_sales::VARCHAR AS total_sales, total_retail_price::VARCHAR AS total_retail_price,
                  total_profit_per_brand::VARCHAR AS total_profit_per_brand FROM ${files('main/store_sales')} ORDER BY 1, 2`,
    duck: `SELECT store_name, store_location, ${money('s')} AS total_sales, ${money('r')} AS total_retail_price, ${money('s - r')} AS total_profit_per_brand
             FROM (SELECT store_name, store_location, sum(${paise('total')}) AS s, sum(${paise('retail_price')} * quantity) AS r
                     FROM ${files('main/sales')} GROUP BY 1, 2) ORDER BY 1, 2`,
  },
  highest_sold_product: {
    // In the file's own order: the table is ordered.
    ours: `SELECT product_name, brand, store_name, store_location, total_sales::VARCHAR AS total_sales,
                  total_quantity::BIGINT AS total_quantity FROM read_parquet(${sqlString(path.join(lake, 'main/highest_sold_product/*.parquet'))})`,
    duck: `SELECT product_name, brand, store_name, store_location, ${money('s')} AS total_sales, q::BIGINT AS total_quantity
             FROM (SELECT product_name, brand, store_name, store_location, sum(${paise('total')}) AS s, sum(quantity) AS q
                     FROM ${files('main/sales')} GROUP BY 1, 2, 3, 4)
            ORDER BY s DESC, q DESC, product_name, brand, store_name, store_location`,
  },
};

for (const [name, { ours, duck }] of Object.entries(seedTables)) {
  test(`${name} equals DuckDB's GROUP BY over main/sales, exactly`, async () => {
    const a = await rows(ours);
    const b = await rows(duck);
    assert.ok(b.length > 0);
    assert.deepEqual(a, b);
  });
}

test('the six tables hold the seed\'s columns first, in its order, money as DECIMAL(18,2)', async () => {
  const want = {
    brand_sales: ['brand VARCHAR', 'total_sales DECIMAL(18,2)', 'total_quantity BIGINT', 'sale_per_piece_avg DECIMAL(18,2)'],
    category_sales: ['category VARCHAR', 'total_sales DECIMAL(18,2)', 'total_quantity BIGINT', 'sale_per_piece_avg DECIMAL(18,2)'],
    profit_per_brand: ['brand VARCHAR', 'total_sales DECIMAL(18,2)', 'total_retail_price DECIMAL(18,2)', 'total_profit_per_brand DECIMAL(18,2)'],
    profit_per_category: ['category VARCHAR', 'total_sales DECIMAL(18,2)', 'total_retail_price DECIMAL(18,2)', 'total_profit_per_brand DECIMAL(18,2)'],
    store_sales: ['store_name VARCHAR', 'store_location VARCHAR', 'total_sales DECIMAL(18,2)', 'total_retail_price DECIMAL(18,2)', 'total_profit_per_brand DECIMAL(18,2)'],
    highest_sold_product: ['product_name VARCHAR', 'brand VARCHAR', 'store_name VARCHAR', 'store_location VARCHAR', 'total_sales DECIMAL(18,2)', 'total_quantity BIGINT'],
  };
  for (const [name, columns] of Object.entries(want)) {
    const got = (await rows(`DESCRIBE SELECT * FROM read_parquet(${sqlString(path.join(lake, `main/${name}/*.parquet`))})`))
      .map((r) => `${r.column_name} ${r.column_type}`);
    assert.deepEqual(got.slice(0, columns.length), columns, name);
  }
});

test('the seed\'s SELECT * FROM higest_sold_product LIMIT 10 works in saleslake query', () => {
  const out = JSON.parse(ok(['query', '--lake', lake, '--format', 'json', 'SELECT * FROM higest_sold_product LIMIT 10']));
  assert.equal(out.rows.length, 10);
  assert.deepEqual(out.columns.slice(0, 6).map((c) => c.name),
    ['product_name', 'brand', 'store_name', 'store_location', 'total_sales', 'total_quantity']);
  // DECIMAL keeps its scale in JSON: 2 places always.
  const text = ok(['query', '--lake', lake, '--format', 'csv', 'SELECT total_sales FROM brand_sales']);
  for (const line of text.trim().split('\n').slice(1)) assert.match(line, /^\d+\.\d\d$/);
});

test('the exported DuckDB DDL answers to higest_sold_product too', async () => {
  const ddl = ok(['catalog', 'ddl', '--lake', lake, '--dialect', 'duckdb', '--location', lake]);
  const c = await (await DuckDBInstance.create(':memory:')).connect();
  await c.run(ddl);
  const a = (await c.runAndReadAll('SELECT * FROM higest_sold_product LIMIT 10')).getRowObjectsJson();
  const b = (await c.runAndReadAll('SELECT * FROM highest_sold_product LIMIT 10')).getRowObjectsJson();
  assert.equal(a.length, 10);
  assert.deepEqual(a, b);
  const athena = ok(['catalog', 'ddl', '--lake', lake, '--dialect', 'athena', '--location', 's3://b/lake']);
  assert.match(athena, /CREATE OR REPLACE VIEW "higest_sold_product"/);
  assert.match(athena, /'projection\.year\.range' = '\d{4},NOW'/);
});

test('12 more small runs: few files per day partition, and DuckDB counts every row once', async () => {
  for (let i = 0; i < 12; ++i) {
    const file = path.join(dir, `small${i}.ndjson`);
    fs.writeFileSync(file, ok(['generate', '--records', '300', '--seed', String(100 + i), '--days', '3', '--format', 'ndjson']));
    ok(['extract', '--from', file, '--lake', lake]);
    ok(['transform', '--lake', lake]);
  }
  const status = JSON.parse(ok(['status', '--lake', lake, '--format', 'json']));
  assert.ok(status);
  // Tiered: at most 3 files per tier (tier = floor(log4(rows))), so at most 3 x (tiers up to the
  // partition's size) files, however many runs wrote to it.
  const perPartition = await rows(
    `SELECT year, month, day, count(DISTINCT filename)::INT AS n, count(*)::INT AS r
       FROM read_parquet(${sqlString(path.join(lake, 'main/sales/**/*.parquet'))}, hive_partitioning = true, filename = true)
      GROUP BY ALL`);
  for (const p of perPartition) {
    const bound = 3 * (Math.floor(Math.log(p.r) / Math.log(4)) + 1);
    assert.ok(p.n <= bound, `at most ${bound} files in a day of ${p.r} rows: ${JSON.stringify(p)}`);
  }
  assert.ok(Math.max(...perPartition.map((p) => p.n)) < 12, 'far fewer files than runs');
  const [count] = await rows(`SELECT count(*)::BIGINT AS n, count(DISTINCT transaction_id)::BIGINT AS ids FROM ${files('main/sales')}`);
  assert.equal(count.n, count.ids, 'no row twice');
  assert.equal(Number(count.n), 20000 + 12 * 300, 'every row once');
});
