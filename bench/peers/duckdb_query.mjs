// DuckDB as the peer of `saleslake query`: the same queries over the same main/sales files, read
// directly with read_parquet(..., hive_partitioning = true) through views named sales and store_sales. Each query
// runs RUNS times in one process; the best time (the query only) is kept. Prints one JSON object:
// {"name": {"ms": best, "rows": [[...], ...]}, ...}.
//   node duckdb_query.mjs LAKE THREADS QUERIES.json RUNS
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tests/package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const [lake, threads, queriesFile, runs] = process.argv.slice(2);
if (!runs) {
  console.error('usage: duckdb_query.mjs LAKE THREADS QUERIES.json RUNS');
  process.exit(2);
}
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`SET threads = ${Number(threads)}`);
const glob = path.join(lake, 'main/sales/**/*.parquet');
await con.run(`CREATE VIEW sales AS SELECT * FROM read_parquet(${quote(glob)}, hive_partitioning = true)`);
// The seed table the join query uses (unpartitioned).
await con.run(`CREATE VIEW store_sales AS SELECT * FROM read_parquet(${quote(path.join(lake, 'main/store_sales/*.parquet'))})`);
const out = {};
for (const [name, q] of Object.entries(queries)) {
  let best = Infinity;
  let rows;
  for (let i = 0; i < Number(runs); ++i) {
    const start = performance.now();
    const reader = await con.runAndReadAll(q.duckdb ?? q.sql);
    best = Math.min(best, performance.now() - start);
    rows = reader.getRowsJson();
  }
  out[name] = { ms: best, rows };
}
console.log(JSON.stringify(out));
