// DuckDB as the peer of `saleslake transform`: the same raw layer (written by `saleslake extract`)
// turned into a main layer partitioned by sale date, with the same casts (money DECIMAL(18,2),
// quantity INTEGER, timestamp TIMESTAMP, trimmed strings), the same rules for what is clean
// (every field present, quantity > 0, total = mrp × quantity, no _raw), and one row per
// transaction_id, by COPY … (FORMAT parquet, PARTITION_BY (year, month, day), snappy). Only the
// COPY is timed. Prints one JSON line: {"seconds":..., "rows":..., "bytes":...}.
//   node duckdb_transform.mjs RAW_DIR OUT_DIR THREADS
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tests/package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const [raw, output, threads] = process.argv.slice(2);
if (!threads) {
  console.error('usage: duckdb_transform.mjs RAW_DIR OUT_DIR THREADS');
  process.exit(2);
}
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const strings = ['transaction_id', 'store_id', 'store_name', 'store_location', 'product_id',
  'product_name', 'category', 'brand', 'customer_name', 'customer_email'];
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`SET threads = ${Number(threads)}`);
await con.run(`SET TimeZone = 'UTC'`);
fs.rmSync(output, { recursive: true, force: true });
const start = performance.now();
const result = await con.runAndReadAll(`COPY (
  SELECT ${strings.map((s) => `trim(${s}) AS ${s}`).join(', ')},
         timestamp::TIMESTAMP AS timestamp, retail_price::DECIMAL(18,2) AS retail_price,
         quantity::INTEGER AS quantity, mrp::DECIMAL(18,2) AS mrp, total::DECIMAL(18,2) AS total,
         _batch_id, year(timestamp) AS year, month(timestamp) AS month, day(timestamp) AS day
    FROM read_parquet(${quote(path.join(raw, '**/*.parquet'))}, hive_partitioning = false)
   WHERE _raw IS NULL AND ${strings.map((s) => `${s} IS NOT NULL`).join(' AND ')}
     AND timestamp IS NOT NULL AND retail_price IS NOT NULL AND mrp IS NOT NULL
     AND total IS NOT NULL AND quantity > 0 AND total = mrp * quantity
  QUALIFY row_number() OVER (PARTITION BY transaction_id ORDER BY _ingested_at, _record_index) = 1
) TO ${quote(output)} (FORMAT parquet, PARTITION_BY (year, month, day), COMPRESSION snappy)`);
const seconds = (performance.now() - start) / 1000;
const rows = Number(result.getRows()[0]?.[0] ?? 0);
let bytes = 0;
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p); else bytes += fs.statSync(p).size;
  }
};
walk(output);
console.log(JSON.stringify({ seconds, rows, bytes }));
