// `saleslake extract`, `status` and `vacuum` as a person runs them (the built binary), with DuckDB
// as the oracle: it reads lake/raw/sales/**/*.parquet with hive partitioning, as an engine that
// knows nothing of our ledger would, and must find exactly the records that went in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';

const bin = process.env.SALESLAKE_BINARY;
const NOW = '2026-11-26T10:00:00Z';
let dir;
let con;

before(async () => {
  assert.ok(bin, 'SALESLAKE_BINARY must name the saleslake binary');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-extract-'));
  const db = await DuckDBInstance.create(':memory:');
  con = await db.connect();
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

async function query(sql) {
  const reader = await con.runAndReadAll(sql);
  return reader.getRowObjectsJson();
}

function saleslake(args, input) {
  return spawnSync(bin, args, { input, encoding: 'utf8', maxBuffer: 256 << 20 });
}

function generate(file, args) {
  const out = execFileSync(bin, ['generate', '--now', '2026-11-26T09:00:00', ...args], {
    maxBuffer: 256 << 20,
  });
  fs.writeFileSync(file, out);
  return out.toString('utf8');
}

// "2026-11-26T10:20:01.123456" (UTC, no offset) -> microseconds since the epoch, exactly.
function isoToMicros(text) {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(Date.parse(whole + 'Z')) * 1000n + BigInt((fraction + '000000').slice(0, 6));
}

function rawGlob(lake) {
  return sqlString(path.join(lake, 'raw/sales/**/*.parquet'));
}

test('DuckDB reads the raw layer with hive partitions: every record, typed, with _raw for dirty ones', async () => {
  const lake = path.join(dir, 'lake1');
  const input = path.join(dir, 'dirty.ndjson');
  const text = generate(input, ['--records', '5000', '--seed', '5', '--format', 'ndjson', '--dirty', '0.05']);
  const lines = text.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 5000);

  const run = saleslake(['extract', '--from', input, '--lake', lake, '--now', NOW, '--format', 'json', '--log-level', 'warn']);
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout.trim());
  assert.equal(result.status, 'extracted');
  assert.equal(result.rows, 5000);
  assert.match(result.batch_id, /^x[0-9a-f]{32}$/);  // a new lake: XXH3-128 ids
  assert.equal(result.path, `raw/sales/year=2026/month=11/day=26/batch-${result.batch_id}.parquet`);

  const glob = rawGlob(lake);
  const [counts] = await query(
    `SELECT count(*)::INT AS n, count(_raw)::INT AS with_raw, min(year)::INT AS y, min(month)::INT AS m,
            min(day)::INT AS d, count(DISTINCT _batch_id)::INT AS batches,
            min(_ingested_at)::VARCHAR AS ingested
       FROM read_parquet(${glob}, hive_partitioning = true)`);
  assert.deepEqual(counts, {
    n: 5000, with_raw: result.raw_records, y: 2026, m: 11, d: 26, batches: 1,
    ingested: '2026-11-26 10:00:00+00',
  });
  assert.ok(result.raw_records > 0 && result.raw_records < 5000);

  // Row by row: clean records equal what the input says; dirty ones keep their exact text.
  const rows = await query(
    `SELECT _record_index::INT AS i, transaction_id, epoch_us("timestamp")::VARCHAR AS ts_us,
            quantity, total::VARCHAR AS total, mrp::VARCHAR AS mrp, customer_email,
            CASE WHEN _raw IS NULL THEN NULL ELSE decode(_raw) END AS raw
       FROM read_parquet(${glob}) ORDER BY _record_index`);
  assert.equal(rows.length, 5000);
  let compared = 0;
  for (const row of rows) {
    const line = lines[row.i];
    if (row.raw !== null) {
      assert.equal(row.raw, line);
      continue;
    }
    const rec = JSON.parse(line);
    assert.equal(row.transaction_id, rec.transaction_id.trim());
    assert.equal(row.quantity, rec.quantity);
    assert.equal(row.total, rec.total.toFixed(2));
    assert.equal(row.mrp, rec.mrp.toFixed(2));
    assert.equal(row.customer_email, rec.customer_email.trim());
    assert.equal(BigInt(row.ts_us), isoToMicros(rec.timestamp));
    compared++;
  }
  assert.equal(compared, 5000 - result.raw_records);

  // The same file again: a no-op that says so; DuckDB still counts 5000.
  const again = saleslake(['extract', '--from', input, '--lake', lake, '--now', NOW, '--log-level', 'warn']);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`batch ${result.batch_id} already extracted \\(commit 1\\): nothing to do`));
  const [after] = await query(`SELECT count(*)::INT AS n FROM read_parquet(${glob})`);
  assert.equal(after.n, 5000);

  const status = saleslake(['status', '--lake', lake, '--format', 'json']);
  assert.equal(status.status, 0, status.stderr);
  const s = JSON.parse(status.stdout);
  assert.equal(s.batches.extracted, 1);
  assert.equal(s.batches.pending, 1);
  assert.deepEqual(s.tables.map((t) => [t.table, t.files, t.rows]), [['raw/sales', 1, 5000]]);
  assert.equal(s.recent_commits[0].kind, 'extract');
  assert.equal(s.recent_commits[0].details.raw_records, result.raw_records);
});

test('every framing from stdin and files lands the same records; re-runs are byte-identical', async () => {
  const lakeA = path.join(dir, 'lakeA');
  const lakeB = path.join(dir, 'lakeB');
  const shapes = [
    ['array.json', ['--format', 'json']],
    ['envelope.json', ['--format', 'json', '--envelope', 'lambda']],
    ['lines.ndjson', ['--format', 'ndjson']],
  ];
  for (const [name, args] of shapes) {
    const file = path.join(dir, name);
    generate(file, ['--records', '3000', '--seed', '77', ...args]);
    for (const lake of [lakeA, lakeB]) {
      const r = saleslake(['extract', '--from', '-', '--source', name, '--lake', lake, '--now', NOW,
        '--log-level', 'warn'], fs.readFileSync(file));
      assert.equal(r.status, 0, r.stderr);
    }
  }
  const [n] = await query(
    `SELECT count(*)::INT AS n, count(DISTINCT transaction_id)::INT AS ids, count(DISTINCT _source)::INT AS sources
       FROM read_parquet(${rawGlob(lakeA)}, hive_partitioning = true)`);
  assert.deepEqual(n, { n: 9000, ids: 3000, sources: 3 });
  // The three framings give the same typed rows.
  const [diff] = await query(
    `SELECT count(*)::INT AS n FROM (
       SELECT * EXCLUDE (_batch_id, _source, _raw) FROM read_parquet(${rawGlob(lakeA)}) WHERE _source = 'array.json'
       EXCEPT SELECT * EXCLUDE (_batch_id, _source, _raw) FROM read_parquet(${rawGlob(lakeA)}) WHERE _source = 'lines.ndjson')`);
  assert.equal(diff.n, 0);
  // Two lakes, same bytes, same clock: the same files, byte for byte.
  const files = (lake) => fs.readdirSync(path.join(lake, 'raw/sales/year=2026/month=11/day=26')).sort();
  assert.deepEqual(files(lakeA), files(lakeB));
  for (const f of files(lakeA)) {
    const a = fs.readFileSync(path.join(lakeA, 'raw/sales/year=2026/month=11/day=26', f));
    const b = fs.readFileSync(path.join(lakeB, 'raw/sales/year=2026/month=11/day=26', f));
    assert.ok(a.equals(b), `${f} differs between the two lakes`);
  }
});

test('a truncated file and a statusCode 500 envelope commit nothing and say why', async () => {
  const lake = path.join(dir, 'lake-bad');
  const full = generate(path.join(dir, 'full.json'), ['--records', '1000', '--seed', '3', '--format', 'json']);
  const cut = path.join(dir, 'cut.json');
  fs.writeFileSync(cut, full.slice(0, Math.floor(full.length / 2)));
  const r = saleslake(['extract', '--from', cut, '--lake', lake, '--log-level', 'off']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^saleslake extract: error: .*truncated/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);

  const e = saleslake(['extract', '--from', '-', '--lake', lake, '--log-level', 'off'],
    '{"statusCode":500,"body":"{\\"message\\":\\"Internal server error\\"}"}');
  assert.equal(e.status, 1);
  assert.match(e.stderr, /statusCode 500/);

  const status = JSON.parse(saleslake(['status', '--lake', lake, '--format', 'json']).stdout);
  assert.equal(status.last_commit, 0);
  assert.deepEqual(status.tables, []);
  const [n] = await query(`SELECT count(*)::INT AS n FROM glob(${rawGlob(lake)})`);
  assert.equal(n.n, 0);
});

test('extract from the real API subprocess; vacuum removes orphans DuckDB never sees', async () => {
  const lake = path.join(dir, 'lake-api');
  const api = spawn(bin, ['api', '--listen', '127.0.0.1:0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const lines = readline.createInterface({ input: api.stdout });
    const url = await new Promise((resolve, reject) => {
      lines.once('line', (line) => {
        const m = line.match(/(http:\/\/\S+)/);
        if (m) resolve(m[1]); else reject(new Error(`no URL in: ${line}`));
      });
      api.once('exit', (code) => reject(new Error(`api exited with ${code}`)));
    });
    const seeded = `${url}/v1/sales?records=4000&seed=9&dirty=0.02&now=2026-11-26T09:00:00`;
    const r = saleslake(['extract', '--api', seeded, '--batches', '2', '--lake', lake, '--now', NOW,
      '--format', 'json', '--log-level', 'warn']);
    assert.equal(r.status, 0, r.stderr);
    const [first, second] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(first.status, 'extracted');
    assert.equal(first.rows, 4000);
    assert.equal(first.source, seeded);
    assert.equal(second.status, 'already_extracted');
    assert.equal(second.batch_id, first.batch_id);
    const [n] = await query(`SELECT count(*)::INT AS n FROM read_parquet(${rawGlob(lake)}, hive_partitioning = true)`);
    assert.equal(n.n, 4000);
  } finally {
    api.kill('SIGTERM');
  }

  // A crashed write leaves a pending file: invisible to DuckDB, removed by vacuum.
  const part = path.join(lake, 'raw/sales/year=2026/month=11/day=26');
  fs.writeFileSync(path.join(part, '_pending-batch-dead.parquet.pending'), 'half a file');
  const [n] = await query(`SELECT count(*)::INT AS n FROM read_parquet(${rawGlob(lake)})`);
  assert.equal(n.n, 4000);
  // Under the lake lock no writer is under way, so a pending file is an orphan at any age.
  const dry = saleslake(['vacuum', '--lake', lake, '--dry-run', '--log-level', 'warn']);
  assert.match(dry.stdout, /would remove raw\/sales\/year=2026\/month=11\/day=26\/_pending-batch-dead/);
  assert.ok(fs.existsSync(path.join(part, '_pending-batch-dead.parquet.pending')));
  const v = saleslake(['vacuum', '--lake', lake, '--format', 'json', '--log-level', 'warn']);
  assert.equal(v.status, 0, v.stderr);
  assert.deepEqual(JSON.parse(v.stdout).removed, ['raw/sales/year=2026/month=11/day=26/_pending-batch-dead.parquet.pending']);
  assert.deepEqual(fs.readdirSync(part).filter((f) => !f.startsWith('.')).length, 1);
});

test('a second writer is refused with a clear message; --help has an example', async () => {
  const lake = path.join(dir, 'lake-lock');
  const input = path.join(dir, 'small.ndjson');
  generate(input, ['--records', '10', '--seed', '1', '--format', 'ndjson']);
  // A slow first writer: extract from stdin that stays open holds the lock.
  const first = spawn(bin, ['extract', '--from', '-', '--lake', lake, '--log-level', 'warn'], { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    // Wait until the lock file names the holder.
    const lockFile = path.join(lake, '_ledger/.lock');
    for (let i = 0; i < 200 && !(fs.existsSync(lockFile) && fs.readFileSync(lockFile, 'utf8').includes('extract')); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    const second = saleslake(['extract', '--from', input, '--lake', lake, '--log-level', 'off']);
    assert.equal(second.status, 1);
    assert.match(second.stderr, /locked by pid \d+/);
    assert.equal(second.stderr.trim().split('\n').length, 1);
  } finally {
    first.stdin.end(fs.readFileSync(input));
    await new Promise((resolve) => first.once('exit', resolve));
  }
  for (const cmd of ['extract', 'status', 'vacuum']) {
    const h = saleslake([cmd, '--help']);
    assert.equal(h.status, 0);
    assert.match(h.stdout, new RegExp(`Example:\\n  saleslake ${cmd} `));
  }
});
