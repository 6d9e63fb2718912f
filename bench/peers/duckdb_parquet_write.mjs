// DuckDB as the peer of `saleslake parquet convert`: the same NDJSON sales file written to
// Parquet with COPY (SELECT ... FROM read_json(...)) TO ... (FORMAT parquet), the columns typed
// as saleslake types them (DECIMAL(18,2) money, INTEGER quantity, VARCHAR strings). Only the COPY
// is timed. Prints one JSON line: {"seconds":..., "bytes":...}.
//   node duckdb_parquet_write.mjs IN.ndjson OUT.parquet CODEC THREADS
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tests/package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const [input, output, codec, threads] = process.argv.slice(2);
if (!threads) {
  console.error('usage: duckdb_parquet_write.mjs IN.ndjson OUT.parquet CODEC THREADS');
  process.exit(2);
}
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const money = "'DECIMAL(18,2)'";
const columns = `{transaction_id: 'VARCHAR', timestamp: 'TIMESTAMP', store_id: 'VARCHAR',
  store_name: 'VARCHAR', store_location: 'VARCHAR', product_id: 'VARCHAR',
  product_name: 'VARCHAR', category: 'VARCHAR', brand: 'VARCHAR', retail_price: ${money},
  quantity: 'INTEGER', mrp: ${money}, total: ${money}, customer_name: 'VARCHAR',
  customer_email: 'VARCHAR'}`;

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`SET threads = ${Number(threads)}`);
fs.rmSync(output, { force: true });
const start = performance.now();
await con.run(`COPY (SELECT * FROM read_json(${quote(input)}, format = 'newline_delimited',
    columns = ${columns})) TO ${quote(output)} (FORMAT parquet, COMPRESSION ${codec})`);
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({ seconds, bytes: fs.statSync(output).size }));
