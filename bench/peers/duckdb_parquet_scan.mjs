// DuckDB as the peer of saleslake's Parquet reader: a full scan of one Parquet file that decodes
// every column. min and max of each column force DuckDB to read and decode all of them (it answers
// count(col) from the footer's null counts without reading a page, so counts would not); the
// comparisons are work ours does not do, which favours saleslake a little. Only the query is
// timed. Prints one JSON line: {"seconds":..., "rows":..., "columns":...}.
//   node duckdb_parquet_scan.mjs FILE.parquet THREADS
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tests/package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const [file, threads] = process.argv.slice(2);
if (!threads) {
  console.error('usage: duckdb_parquet_scan.mjs FILE.parquet THREADS');
  process.exit(2);
}
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`SET threads = ${Number(threads)}`);
const names = (await con.runAndReadAll(
  `SELECT name FROM parquet_schema(${quote(file)}) WHERE num_children IS NULL`)).getColumnsJson()[0];
const quoted = names.map((n) => `"${n.replaceAll('"', '""')}"`);
const aggregates = quoted.map((q) => `min(${q}), max(${q})`).join(', ');
const start = performance.now();
const result = await con.runAndReadAll(`SELECT count(*), ${aggregates} FROM read_parquet(${quote(file)})`);
const seconds = (performance.now() - start) / 1000;
const rows = Number(result.getRows()[0][0]);
console.log(JSON.stringify({ seconds, rows, columns: names.length }));
