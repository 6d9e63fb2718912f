// DuckDB as the peer of `saleslake crawl`: the footers of every Parquet file of the lake's data
// layers read with parquet_metadata() (row groups, column chunks, min/max), summed into
// per-file rows. Only the query is timed. Prints one JSON line: {"seconds":..., "files":..., "rows":...}.
//   node duckdb_footers.mjs LAKE THREADS
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tests/package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const [lake, threads] = process.argv.slice(2);
if (!threads) {
  console.error('usage: duckdb_footers.mjs LAKE THREADS');
  process.exit(2);
}
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`SET threads = ${Number(threads)}`);
const globs = ['raw', 'quarantine', 'main'].map((l) => quote(path.join(lake, l, '**/*.parquet')));
const start = performance.now();
const reader = await con.runAndReadAll(`SELECT count(DISTINCT file_name)::BIGINT AS files,
    sum(row_group_num_rows) FILTER (WHERE column_id = 0)::BIGINT AS rows,
    count(stats_min)::BIGINT AS stats
  FROM parquet_metadata([${globs.join(', ')}])`);
const seconds = (performance.now() - start) / 1000;
const [row] = reader.getRowObjectsJson();
console.log(JSON.stringify({ seconds, files: Number(row.files), rows: Number(row.rows) }));
