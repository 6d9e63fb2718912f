// Files DuckDB writes, read by saleslake: every type DuckDB writes to flat Parquet columns, with
// nulls, under each codec (snappy, zstd, gzip, uncompressed, lz4) and with DuckDB's V2 format
// (data page v2, DELTA and BYTE_STREAM_SPLIT encodings). `saleslake parquet cat` must print the
// same values DuckDB holds in its table, and `parquet inspect` must describe the file as DuckDB's
// own parquet_metadata()/parquet_schema() do.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const bin = process.env.SALESLAKE_BINARY;
const ROWS = 5000;
let dir;
let con;
let expected;  // row_id -> {column: canonical text or null}

// name, DuckDB type, generator (row i), canonical text DuckDB computes, how ours is compared.
const COLUMNS = [
  ['b', 'BOOLEAN', 'i % 3 = 0', 'b::VARCHAR', 'text'],
  ['i8', 'TINYINT', '((i * 37) % 256 - 128)::TINYINT', 'i8::VARCHAR', 'text'],
  ['i16', 'SMALLINT', '((i * 7919) % 65536 - 32768)::SMALLINT', 'i16::VARCHAR', 'text'],
  ['i32', 'INTEGER', '((i * 104729) % 4294967296 - 2147483648)::INTEGER', 'i32::VARCHAR', 'text'],
  ['i64', 'BIGINT',
    "((hash(i) % 9223372036854775807)::BIGINT * CASE WHEN i % 2 = 0 THEN 1 ELSE -1 END)",
    'i64::VARCHAR', 'text'],
  ['u8', 'UTINYINT', '(i % 256)::UTINYINT', 'u8::VARCHAR', 'text'],
  ['u16', 'USMALLINT', '((i * 31) % 65536)::USMALLINT', 'u16::VARCHAR', 'text'],
  ['u32', 'UINTEGER', '((i * 2654435761) % 4294967296)::UINTEGER', 'u32::VARCHAR', 'text'],
  ['u64', 'UBIGINT', 'hash(i)', 'u64::VARCHAR', 'text'],
  ['f32', 'FLOAT',
    "CASE i % 1000 WHEN 1 THEN 'nan'::FLOAT WHEN 2 THEN 'inf'::FLOAT WHEN 3 THEN '-inf'::FLOAT " +
    'ELSE ((i - 2500) / 7.0)::FLOAT END', 'f32::VARCHAR', 'float32'],
  ['f64', 'DOUBLE',
    "CASE i % 1000 WHEN 1 THEN 'nan'::DOUBLE WHEN 4 THEN -0.0::DOUBLE " +
    'ELSE ((i - 2500) * 1.000001 / 3.0)::DOUBLE END', 'f64::VARCHAR', 'float64'],
  ['d_4_1', 'DECIMAL(4,1)', '((i - 2500) / 10.0)::DECIMAL(4,1)', 'd_4_1::VARCHAR', 'text'],
  ['d_18_2', 'DECIMAL(18,2)', '((i * 123456789) / 100.0 - 1e9)::DECIMAL(18,2)',
    'd_18_2::VARCHAR', 'text'],
  ['d_38_10', 'DECIMAL(38,10)',
    '((hash(i)::HUGEINT - 9223372036854775807::HUGEINT) * 1000)::DECIMAL(38,10) / 7',
    'd_38_10::VARCHAR', 'text'],
  ['s', 'VARCHAR',
    "CASE WHEN i % 11 = 0 THEN '' WHEN i % 1000 = 7 THEN repeat('long,\"text\" ', 40) " +
    "ELSE 'name-' || (i % 97) || CASE WHEN i % 5 = 0 THEN ' ünïcødé ✓' ELSE '' END END",
    's', 'text'],
  ['bl', 'BLOB', "'\\xAA\\x00'::BLOB || encode('b' || i)", 'to_base64(bl)', 'text'],
  ['dt', 'DATE', "DATE '1970-01-01' + (i * 13 - 30000)::INTEGER", "strftime(dt, '%Y-%m-%d')", 'text'],
  ['tm', 'TIME', "TIME '00:00:00' + INTERVAL (i * 17123457) MICROSECOND",
    "strftime(DATE '2000-01-01' + tm, '%H:%M:%S.%f')", 'text'],
  ['ts', 'TIMESTAMP', "TIMESTAMP '1965-03-01 10:00:00' + INTERVAL (i * 123456789123) MICROSECOND",
    'epoch_ns(ts)::VARCHAR', 'instant'],
  ['ts_ms', 'TIMESTAMP_MS', "(TIMESTAMP '2024-01-01' + INTERVAL (i * 1234567) MILLISECOND)",
    'epoch_ns(ts_ms::TIMESTAMP)::VARCHAR', 'instant'],
  ['ts_ns', 'TIMESTAMP_NS', "(TIMESTAMP '2024-01-01')::TIMESTAMP_NS + INTERVAL (i * 7) MICROSECOND",
    'epoch_ns(ts_ns)::VARCHAR', 'instant'],
  ['ts_s', 'TIMESTAMP_S', "(TIMESTAMP '2024-01-01' + INTERVAL (i * 61) SECOND)",
    'epoch_ns(ts_s::TIMESTAMP)::VARCHAR', 'instant'],
  ['tstz', 'TIMESTAMPTZ', "(TIMESTAMP '2024-06-01' + INTERVAL (i * 3) MINUTE)::TIMESTAMPTZ",
    'epoch_ns(tstz)::VARCHAR', 'instant'],
  ['id', 'UUID', 'gen_random_uuid()', 'id::VARCHAR', 'text'],
  ['mood', 'mood', "(['sad', 'ok', 'happy'])[i % 3 + 1]::mood", 'mood::VARCHAR', 'text'],
];

const CODECS = ['snappy', 'zstd', 'gzip', 'uncompressed', 'lz4'];

// A JSON reader that keeps numbers as their text (JSON.parse would round 64-bit integers).
function parseJsonKeepingNumbers(text) {
  let i = 0;
  const ws = () => { while (' \t\r\n'.includes(text[i])) i++; };
  function value() {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj = {};
      ws();
      if (text[i] === '}') { i++; return obj; }
      for (;;) {
        ws();
        const key = value();
        ws();
        assert.equal(text[i++], ':');
        obj[key] = value();
        ws();
        if (text[i++] === '}') return obj;
      }
    }
    if (c === '[') {
      i++;
      const arr = [];
      ws();
      if (text[i] === ']') { i++; return arr; }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i++] === ']') return arr;
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const s = JSON.parse(text.slice(i, j + 1));
      i = j + 1;
      return s;
    }
    const m = /^(true|false|null|-?[0-9][0-9.eE+-]*)/.exec(text.slice(i, i + 64));
    assert.ok(m, `bad JSON at ${i}: ${text.slice(i, i + 20)}`);
    i += m[0].length;
    if (m[0] === 'null') return null;
    return m[0];  // true/false/numbers as text
  }
  return value();
}

// "2024-01-01T00:00:00.123456789Z" (or without Z) as nanoseconds since the epoch.
function isoToNanos(s) {
  const m = /^(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z?$/.exec(s);
  assert.ok(m, `not an ISO timestamp: ${s}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]),
    Number(m[6]));
  const frac = BigInt((m[7] || '').padEnd(9, '0'));
  return (BigInt(ms) * 1000000n + frac).toString();
}

function sameFloat(ours, want, single) {
  const norm = (v) => {
    if (v === 'NaN' || v === 'nan') return NaN;
    if (v === 'Infinity' || v === 'inf') return Infinity;
    if (v === '-Infinity' || v === '-inf') return -Infinity;
    return Number(v);
  };
  const a = norm(ours);
  const b = norm(want);
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return single ? Math.fround(a) === Math.fround(b) : Object.is(a, b) || a === b;
}

function cat(file, ...args) {
  const out = execFileSync(bin, ['parquet', 'cat', file, ...args], {
    maxBuffer: 1 << 30, encoding: 'utf8',
  });
  return out.split('\n').filter((l) => l.length > 0);
}

before(async () => {
  assert.ok(bin, 'SALESLAKE_BINARY must name the saleslake binary');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-parquet-read-'));
  const db = await DuckDBInstance.create(':memory:');
  con = await db.connect();
  await con.run("SET TimeZone = 'UTC'");
  await con.run("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
  const cols = COLUMNS.map(([name, , gen]) => `CASE WHEN i % 7 = 5 THEN NULL ELSE ${gen} END AS ${name}`);
  const types = COLUMNS.map(([name, type]) => `${name}::${type} AS ${name}`);
  await con.run(`CREATE TABLE g AS SELECT i AS row_id, ${cols.join(', ')} FROM range(${ROWS}) r(i)`);
  await con.run(`CREATE TABLE t AS SELECT row_id, ${types.join(', ')} FROM g ORDER BY row_id`);
  for (const codec of CODECS) {
    await con.run(`COPY t TO '${dir}/${codec}.parquet' (FORMAT parquet, COMPRESSION ${codec}, ` +
      'ROW_GROUP_SIZE 2048)');
  }
  await con.run(`COPY t TO '${dir}/v2.parquet' (FORMAT parquet, COMPRESSION zstd, ` +
    "PARQUET_VERSION 'V2', ROW_GROUP_SIZE 2048)");
  const reader = await con.runAndReadAll(
    `SELECT row_id::VARCHAR AS row_id, ${COLUMNS.map(([n, , , e]) => `${e} AS ${n}`).join(', ')} ` +
    'FROM t ORDER BY row_id');
  expected = new Map(reader.getRowObjectsJson().map((r) => [r.row_id, r]));
  assert.equal(expected.size, ROWS);
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function compareFile(file) {
  const lines = cat(file);
  assert.equal(lines.length, ROWS, `${file}: row count`);
  let nulls = 0;
  for (const line of lines) {
    const row = parseJsonKeepingNumbers(line);
    const want = expected.get(row.row_id);
    assert.ok(want, `${file}: unknown row_id ${row.row_id}`);
    for (const [name, , , , how] of COLUMNS) {
      const ours = row[name];
      const theirs = want[name];
      const where = `${path.basename(file)} row ${row.row_id} column ${name}`;
      if (theirs === null || ours === null) {
        assert.strictEqual(ours, theirs === null ? null : theirs, where);
        nulls++;
        continue;
      }
      switch (how) {
        case 'text': assert.strictEqual(String(ours), theirs, where); break;
        case 'float32': assert.ok(sameFloat(ours, theirs, true), `${where}: ${ours} vs ${theirs}`); break;
        case 'float64': assert.ok(sameFloat(ours, theirs, false), `${where}: ${ours} vs ${theirs}`); break;
        case 'instant': assert.strictEqual(isoToNanos(ours), theirs, where); break;
        default: throw new Error(how);
      }
    }
  }
  assert.ok(nulls > 0, 'the files hold nulls');
}

for (const codec of [...CODECS, 'v2']) {
  test(`saleslake reads DuckDB's ${codec} file with every value equal`, () => {
    compareFile(path.join(dir, `${codec}.parquet`));
  });
}

test('inspect agrees with DuckDB about codecs, encodings, row groups and statistics', async () => {
  for (const name of ['zstd', 'v2']) {
    const file = path.join(dir, `${name}.parquet`);
    const ours = parseJsonKeepingNumbers(
      execFileSync(bin, ['parquet', 'inspect', file], { encoding: 'utf8' }));
    const meta = (await con.runAndReadAll(
      `SELECT row_group_id, column_id, path_in_schema, compression, encodings, num_values,
              total_compressed_size, stats_null_count, stats_min_value, stats_max_value
       FROM parquet_metadata('${file}') ORDER BY row_group_id, column_id`)).getRowObjectsJson();
    assert.equal(ours.num_rows, String(ROWS));
    assert.equal(ours.row_groups.length, new Set(meta.map((m) => m.row_group_id)).size);
    for (const m of meta) {
      const chunk = ours.row_groups[Number(m.row_group_id)].columns[Number(m.column_id)];
      assert.equal(chunk.column, m.path_in_schema, `${name} column ${m.column_id}`);
      assert.equal(chunk.codec, m.compression, `${name} ${m.path_in_schema} codec`);
      assert.equal(String(chunk.num_values), String(m.num_values));
      assert.equal(String(chunk.compressed_bytes), String(m.total_compressed_size));
      assert.deepEqual([...chunk.encodings].sort().join(','),
        m.encodings.split(',').map((e) => e.trim()).sort().join(','), `${m.path_in_schema} encodings`);
      if (m.stats_null_count !== null) {
        assert.equal(String(chunk.statistics.null_count), String(m.stats_null_count));
      }
      // Integer columns: DuckDB's decoded min/max are plain numbers; ours must say the same.
      if (['row_id', 'i8', 'i16', 'i32', 'i64', 'u8', 'u16', 'u32', 'u64'].includes(m.path_in_schema) &&
          m.stats_min_value !== null) {
        assert.equal(String(chunk.statistics.min), m.stats_min_value, `${m.path_in_schema} min`);
        assert.equal(String(chunk.statistics.max), m.stats_max_value, `${m.path_in_schema} max`);
      }
    }
    const schema = (await con.runAndReadAll(
      `SELECT name, type, logical_type::VARCHAR AS lt FROM parquet_schema('${file}')`)).getRowObjectsJson();
    for (const col of ours.schema.columns) {
      const s = schema.find((x) => x.name === col.name);
      assert.ok(s, col.name);
      assert.equal(col.physical_type, s.type, `${col.name} physical type`);
    }
  }
});

test('cat projects columns, limits rows and writes CSV', () => {
  const file = path.join(dir, 'snappy.parquet');
  const lines = cat(file, '--columns', 'row_id,s,d_18_2', '--limit', '3');
  assert.equal(lines.length, 3);
  const first = parseJsonKeepingNumbers(lines[0]);
  assert.deepEqual(Object.keys(first), ['row_id', 's', 'd_18_2']);
  assert.equal(first.row_id, '0');
  assert.equal(first.d_18_2, expected.get('0').d_18_2);
  const csv = cat(file, '--columns', 'row_id,s', '--limit', '12', '--format', 'csv');
  assert.equal(csv[0], 'row_id,s');
  assert.equal(csv.length, 13);
  assert.equal(csv[1], '0,');  // an empty string (row 0 is i % 11 == 0)
  assert.equal(csv[2], `1,${expected.get('1').s}`);
  // An unknown column is a usage error naming the columns there are.
  let err;
  try {
    execFileSync(bin, ['parquet', 'cat', file, '--columns', 'nope'], { stdio: 'pipe' });
  } catch (e) {
    err = e;
  }
  assert.ok(err, 'an unknown column must fail');
  assert.equal(err.status, 1);
  assert.match(err.stderr.toString(), /no column 'nope' in the file \(columns: row_id, b, /);
});
