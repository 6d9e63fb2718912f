// DuckDB as the peer of `saleslake extract --from FILE`: the same sales file (NDJSON or one JSON
// array) landed as one snappy Parquet file with COPY (SELECT * FROM read_json(...)) TO ...
// (FORMAT parquet), the columns typed as the raw layer types them (DECIMAL(18,2) money, INTEGER
// quantity, TIMESTAMP, VARCHAR strings). Only the COPY is timed: wall seconds, and the CPU seconds
// (user + system) of every thread of the process while it ran. Prints one JSON line:
// {"seconds":..., "cpu_seconds":..., "rows":..., "bytes":...}.
//   node duckdb_extract.mjs IN OUT.parquet ndjson|array THREADS
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tests/package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const [input, output, shape, threads] = process.argv.slice(2);
if (!threads || !['ndjson', 'array'].includes(shape)) {
  console.error('usage: duckdb_extract.mjs IN OUT.parquet ndjson|array THREADS');
  process.exit(2);
}
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const money = "'DECIMAL(18,2)'";
const columns = `{transaction_id: 'VARCHAR', timestamp: 'TIMESTAMP', store_id: 'VARCHAR',
  store_name: 'VARCHAR', store_location: 'VARCHAR', product_id: 'VARCHAR',
  product_name: 'VARCHAR', category: 'VARCHAR', brand: 'VARCHAR', retail_price: ${money},
  quantity: 'INTEGER', mrp: ${money}, total: ${money}, customer_name: 'VARCHAR',
  customer_email: 'VARCHAR'}`;
const format = shape === 'ndjson' ? 'newline_delimited' : 'array';

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`SET threads = ${Number(threads)}`);
fs.rmSync(output, { force: true });
const start = performance.now();
const cpuStart = process.cpuUsage();
const result = await con.runAndReadAll(`COPY (SELECT * FROM read_json(${quote(input)},
    format = ${quote(format)}, columns = ${columns}, maximum_object_size = 1048576))
    TO ${quote(output)} (FORMAT parquet, COMPRESSION snappy)`);
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const rows = Number(result.getRows()[0]?.[0] ?? 0);
const bytes = fs.statSync(output).size;
console.log(JSON.stringify({ seconds, cpu_seconds: cpuSeconds, rows, bytes }));
