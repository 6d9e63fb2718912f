// Files written by saleslake's Parquet writer, read back by two independent readers:
// DuckDB (@duckdb/node-api) and polars (nodejs-polars). parquet_write_matrix writes one file per
// encoding x codec x page version, each with every column type the writer supports, plus
// expected.json with every value in canonical text; each reader must return exactly those values.
// DuckDB also checks the footer statistics (parquet_metadata) and the bloom filters
// (parquet_bloom_probe); `saleslake parquet convert` output is checked at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pl from 'nodejs-polars';

const tool = process.env.PARQUET_WRITE_MATRIX;
let dir;
let expected;
let con;

before(async () => {
  assert.ok(tool, 'PARQUET_WRITE_MATRIX must name the parquet_write_matrix tool');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-parquet-interop-'));
  execFileSync(tool, [dir], { stdio: 'inherit' });
  expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
  const db = await DuckDBInstance.create(':memory:');
  con = await db.connect();
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

// DuckDB SQL that turns a column into the canonical form expected.json uses.
function duckdbExpr(c) {
  const q = `"${c.name}"`;
  switch (c.kind) {
    case 'bool': case 'int': case 'decimal': case 'uuid': return `${q}::VARCHAR`;
    case 'float': case 'string': return q;
    case 'hex': return `hex(${q})`;
    case 'ts_ms': return `epoch_ms(${q})::VARCHAR`;
    case 'ts_us': return `epoch_us(${q})::VARCHAR`;
    case 'date': return `(${q} - DATE '1970-01-01')::VARCHAR`;
    default: throw new Error(`unknown kind ${c.kind}`);
  }
}

async function query(sql) {
  const reader = await con.runAndReadAll(sql);
  return reader.getRowObjectsJson();
}

test('DuckDB reads every file of the matrix with the declared types and equal values', async () => {
  assert.equal(expected.files.length, 32);
  const select = expected.columns.map((c) => `${duckdbExpr(c)} AS "${c.name}"`).join(', ');
  for (const file of expected.files) {
    const p = sqlString(path.join(dir, file.path));
    const types = await query(`DESCRIBE SELECT * FROM read_parquet(${p})`);
    assert.deepEqual(types.map((t) => [t.column_name, t.column_type]),
      expected.columns.map((c) => [c.name, c.duckdb_type]), file.path);
    const reader = await con.runAndReadAll(
      `SELECT ${select} FROM read_parquet(${p}, file_row_number = true) ORDER BY file_row_number`);
    const columns = reader.getColumnsJson();
    expected.columns.forEach((c, i) => {
      const got = columns[i];
      const want = expected.values[c.name];
      assert.equal(got.length, expected.rows, `${file.path} ${c.name} row count`);
      for (let r = 0; r < want.length; r++) {
        // strictEqual: -0.0 must stay -0.0, and every integer must match as text.
        assert.strictEqual(got[r], want[r], `${file.path} column ${c.name} row ${r}`);
      }
    });
  }
});

test('each matrix file really uses its encoding, codec and page version', async () => {
  for (const file of expected.files) {
    const p = sqlString(path.join(dir, file.path));
    const chunks = await query(`SELECT path_in_schema, type, encodings, compression,
        data_page_offset FROM parquet_metadata(${p})`);
    // A PageHeader starts with field 1 (type, i32): 0x15 then zigzag(DATA_PAGE=0 | DATA_PAGE_V2=3).
    const bytes = fs.readFileSync(path.join(dir, file.path));
    for (const c of chunks) {
      const at = Number(c.data_page_offset);
      assert.deepEqual([bytes[at], bytes[at + 1]], [0x15, file.page_version === 2 ? 6 : 0],
        `${file.path} ${c.path_in_schema}: first data page type`);
    }
    const codec = { none: 'UNCOMPRESSED', snappy: 'SNAPPY', zstd: 'ZSTD', gzip: 'GZIP' }[file.codec];
    const all = new Set();
    for (const c of chunks) {
      assert.equal(c.compression, codec, file.path);
      c.encodings.split(', ').forEach((e) => all.add(`${c.type}:${e}`));
    }
    const has = (e) => [...all].some((x) => x.endsWith(`:${e}`));
    if (file.encoding === 'plain') assert.ok(!has('RLE_DICTIONARY') && !has('DELTA_BINARY_PACKED'));
    if (file.encoding === 'dictionary' || file.encoding === 'auto') {
      // The 2 KiB dictionary limit makes the high-cardinality half fall back within a chunk.
      assert.ok(has('RLE_DICTIONARY') && has('PLAIN'), `${file.path}: ${[...all]}`);
    }
    if (file.encoding === 'auto') assert.ok(all.has('INT64:DELTA_BINARY_PACKED'), file.path);
    if (file.encoding === 'delta') {
      assert.ok(all.has('INT32:DELTA_BINARY_PACKED') && all.has('INT64:DELTA_BINARY_PACKED'));
      assert.ok(!has('RLE_DICTIONARY'));
    }
  }
});

// Min and max of expected canonical values in one row group, in the column's order.
function minMax(c, values) {
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return null;
  let cmp;
  if (c.kind === 'int') cmp = (a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
  else if (c.kind === 'decimal') {
    const scaled = (s) => BigInt(s.replace('.', ''));
    cmp = (a, b) => (scaled(a) < scaled(b) ? -1 : scaled(a) > scaled(b) ? 1 : 0);
  } else if (c.kind === 'string') cmp = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  else return undefined;
  let min = present[0];
  let max = present[0];
  for (const v of present) {
    if (cmp(v, min) < 0) min = v;
    if (cmp(v, max) > 0) max = v;
  }
  return [min, max];
}

test('DuckDB sees the statistics: null counts everywhere, min/max in each column order', async () => {
  const file = expected.files.find((f) => f.encoding === 'auto' && f.codec === 'snappy');
  const rows = await query(`SELECT row_group_id, path_in_schema, stats_min_value, stats_max_value,
      stats_null_count, num_values FROM parquet_metadata(${sqlString(path.join(dir, file.path))})`);
  const groups = Math.ceil(expected.rows / expected.row_group_rows);
  assert.equal(rows.length, groups * expected.columns.length);
  for (const row of rows) {
    const c = expected.columns.find((x) => x.name === row.path_in_schema);
    const g = Number(row.row_group_id);
    const slice = expected.values[c.name].slice(g * expected.row_group_rows,
      (g + 1) * expected.row_group_rows);
    assert.equal(Number(row.num_values), slice.length);
    assert.equal(Number(row.stats_null_count), slice.filter((v) => v === null).length,
      `${c.name} group ${g} null count`);
    const mm = minMax(c, slice);
    if (mm === undefined) continue;
    assert.deepEqual([row.stats_min_value, row.stats_max_value], mm, `${c.name} group ${g} min/max`);
  }
});

test('DuckDB finds every present value through the bloom filters and excludes absent ones', async () => {
  for (const file of expected.files.filter((f) => f.codec === 'zstd')) {
    const p = sqlString(path.join(dir, file.path));
    const meta = await query(`SELECT path_in_schema, bloom_filter_offset
        FROM parquet_metadata(${p}) WHERE row_group_id = 0`);
    for (const m of meta) {
      const has = m.bloom_filter_offset !== null;
      assert.equal(has, expected.bloom_columns.includes(m.path_in_schema), m.path_in_schema);
    }
    for (const name of expected.bloom_columns) {
      const c = expected.columns.find((x) => x.name === name);
      const values = expected.values[name];
      const literal = (v) => (c.kind === 'int' ? `${v}::BIGINT` : c.kind === 'uuid' ? `${sqlString(v)}::UUID` : sqlString(v));
      for (let r = 0; r < values.length; r += 97) {
        if (values[r] === null) continue;
        const g = Math.floor(r / expected.row_group_rows);
        const probe = await query(`SELECT row_group_id, bloom_filter_excludes
            FROM parquet_bloom_probe(${p}, '${name}', ${literal(values[r])})`);
        const mine = probe.find((x) => Number(x.row_group_id) === g);
        assert.equal(mine.bloom_filter_excludes, false, `${file.path} ${name} row ${r}`);
      }
      // DuckDB 1.5 answers "might contain" for every UUID probe, so absence is checked on the
      // other columns only (our own tests check the UUID filter's bits).
      if (c.kind === 'uuid') continue;
      const absent = c.kind === 'int' ? '4242424242424242' : 'no-such-value-at-all';
      const probe = await query(`SELECT bloom_filter_excludes
          FROM parquet_bloom_probe(${p}, '${name}', ${literal(absent)})`);
      assert.ok(probe.some((x) => x.bloom_filter_excludes === true), `${file.path} ${name} absent`);
    }
  }
});

// polars: canonical text through casts (Int64 and decimals do not survive JS numbers).
function polarsValues(df, c) {
  const s = df.getColumn(c.name);
  switch (c.kind) {
    case 'bool': return s.toArray().map((v) => (v === null ? null : String(v)));
    case 'float': return s.toArray();
    case 'int': case 'decimal': case 'string': return s.cast(pl.Utf8).toArray();
    case 'ts_ms': case 'ts_us': return s.cast(pl.Int64).cast(pl.Utf8).toArray();
    case 'date': return s.cast(pl.Int32).cast(pl.Utf8).toArray();
    default: return undefined;  // binary: polars cannot hand bytes to JS (see below)
  }
}

test('polars reads every file of the matrix with equal values', () => {
  let binaryHashes;
  for (const file of expected.files) {
    const df = pl.readParquet(path.join(dir, file.path));
    assert.equal(df.height, expected.rows, file.path);
    const hashes = {};
    for (const c of expected.columns) {
      const want = expected.values[c.name];
      const got = polarsValues(df, c);
      if (got === undefined) {
        // Binary columns: same nulls and distinct count as written, and the same hash of every
        // value in every file (DuckDB checked the bytes themselves above).
        const s = df.getColumn(c.name);
        assert.equal(s.nullCount(), want.filter((v) => v === null).length, `${file.path} ${c.name}`);
        assert.equal(s.dropNulls().nUnique(), new Set(want.filter((v) => v !== null)).size);
        hashes[c.name] = df.select(pl.col(c.name).hash()).getColumn(c.name).cast(pl.Utf8).toArray();
        continue;
      }
      assert.equal(got.length, want.length);
      for (let r = 0; r < want.length; r++) {
        assert.strictEqual(got[r], want[r], `${file.path} column ${c.name} row ${r}`);
      }
    }
    if (binaryHashes === undefined) binaryHashes = hashes;
    else assert.deepEqual(hashes, binaryHashes, `${file.path}: binary columns differ between files`);
  }
});

test('saleslake parquet convert: DuckDB reads the generated sales back with equal values', async () => {
  const bin = process.env.SALESLAKE_BINARY;
  assert.ok(bin, 'SALESLAKE_BINARY must name the saleslake binary');
  const ndjson = path.join(dir, 'sales.ndjson');
  const parquet = path.join(dir, 'sales.parquet');
  fs.writeFileSync(ndjson, execFileSync(bin, ['generate', '--records', '20000', '--seed', '7',
    '--format', 'ndjson'], { maxBuffer: 1 << 30 }));
  const summary = JSON.parse(execFileSync(bin, ['parquet', 'convert', ndjson, parquet,
    '--row-group-rows', '6000', '--bloom-filter', 'transaction_id']).toString());
  assert.equal(summary.rows, 20000);
  assert.equal(summary.row_groups, 4);
  await con.run('SET threads = 1');
  const money = "'DECIMAL(18,2)'";
  const columns = `{transaction_id: 'VARCHAR', timestamp: 'TIMESTAMP', store_id: 'VARCHAR',
    store_name: 'VARCHAR', store_location: 'VARCHAR', product_id: 'VARCHAR',
    product_name: 'VARCHAR', category: 'VARCHAR', brand: 'VARCHAR', retail_price: ${money},
    quantity: 'INTEGER', mrp: ${money}, total: ${money}, customer_name: 'VARCHAR',
    customer_email: 'VARCHAR'}`;
  const types = await query(`DESCRIBE SELECT * FROM read_parquet(${sqlString(parquet)})`);
  assert.deepEqual(types.map((t) => t.column_type), ['VARCHAR', 'TIMESTAMP WITH TIME ZONE',
    'VARCHAR', 'VARCHAR', 'VARCHAR', 'VARCHAR', 'VARCHAR', 'VARCHAR', 'VARCHAR', 'DECIMAL(18,2)',
    'INTEGER', 'DECIMAL(18,2)', 'DECIMAL(18,2)', 'VARCHAR', 'VARCHAR']);
  const names = ['transaction_id', 'store_id', 'store_name', 'store_location', 'product_id',
    'product_name', 'category', 'brand', 'retail_price', 'quantity', 'mrp', 'total',
    'customer_name', 'customer_email'];
  const differs = names.map((n) => `p.${n} IS DISTINCT FROM j.${n}`).join(' OR ');
  const rows = await query(`
    WITH p AS (SELECT file_row_number AS n, * FROM read_parquet(${sqlString(parquet)},
                 file_row_number = true)),
         j AS (SELECT row_number() OVER () - 1 AS n, * FROM read_json(${sqlString(ndjson)},
                 format = 'newline_delimited', columns = ${columns}))
    SELECT count(*) AS joined,
           count(*) FILTER (WHERE ${differs}
                            OR epoch_us(p.timestamp) IS DISTINCT FROM epoch_us(j.timestamp)) AS bad
    FROM p JOIN j USING (n)`);
  assert.equal(Number(rows[0].joined), 20000);
  assert.equal(Number(rows[0].bad), 0);
  const ids = await query(`SELECT transaction_id FROM read_parquet(${sqlString(parquet)})
      USING SAMPLE 5 ROWS (reservoir, 42)`);
  for (const { transaction_id: id } of ids) {
    const probe = await query(`SELECT bool_and(bloom_filter_excludes) AS all_excluded
        FROM parquet_bloom_probe(${sqlString(parquet)}, 'transaction_id', ${sqlString(id)})`);
    assert.equal(probe[0].all_excluded, false, id);
  }
});
