// End to end, as a person runs it: `saleslake api` on loopback, `saleslake run` of 10 batches of
// 10k records with 2% dirty ones, then DuckDB (knowing nothing of our ledger) reads every layer
// with hive partitioning and checks the lake:
//   raw rows = rows the API served; main + quarantine + dropped exact duplicates = raw;
//   no transaction_id twice in main; every aggregate table equals the same aggregate computed by
//   DuckDB over main/sales.
// The same on an s3:// lake against moto (a real S3 server) on loopback; DuckDB reads a copy made
// with `saleslake fs cp -r` (DuckDB's S3 support is an extension it would download).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const bin = process.env.SALESLAKE_BINARY;
const BATCHES = 10;
const RECORDS = 10000;
let dir;
let con;
let api;  // { child, url }
const children = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Starts the generator API on a free port; resolves with its URL from the first stdout line.
function startApi() {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['api', '--listen', '127.0.0.1:0', '--log-level', 'warn'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving (http:\/\/\S+)/);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`saleslake api exited with ${code}`)));
  });
}

async function waitHttp(url, tries = 100) {
  for (let i = 0; i < tries; ++i) {
    try {
      const r = await fetch(url);
      await r.arrayBuffer();
      if (r.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

function saleslake(args, env = {}) {
  const r = spawnSync(bin, args, {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    env: { ...process.env, ...env },
  });
  assert.equal(r.status, 0, `saleslake ${args.join(' ')}\n${r.stderr}`);
  return r.stdout;
}

// GET on a fresh connection (the API closes idle kept-alive ones; a pooled client may pick a
// socket the server already closed).
function httpGet(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

async function recordsServed() {
  const text = await httpGet(`${api.url}/metrics`);
  let n = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('saleslake_api_records_served_total')) n += Number(line.split(' ').pop());
  }
  return n;
}

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;
const glob = (lake, table) => sqlString(path.join(lake, table, '**/*.parquet'));
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();

// Half away from zero, of 100 × gp / sales with both in paise, as a DECIMAL(18,2) text.
function marginPct(gpText, salesText) {
  const paise = (t) => BigInt(t.replace('.', ''));
  const gp = paise(gpText);
  const sales = paise(salesText);
  if (sales === 0n) return '0.00';
  const num = 10000n * gp;
  let q = num / sales;
  const r = num % sales;
  if (2n * (r < 0n ? -r : r) >= (sales < 0n ? -sales : sales)) q += (num < 0n) !== (sales < 0n) ? -1n : 1n;
  const neg = q < 0n;
  const a = (neg ? -q : q).toString().padStart(3, '0');
  return `${neg ? '-' : ''}${a.slice(0, -2)}.${a.slice(-2)}`;
}

async function checkLake(lake, run) {
  const served = BATCHES * RECORDS;
  const [raw] = await rows(
    `SELECT count(*)::BIGINT AS n, count(DISTINCT _batch_id)::BIGINT AS batches,
            min(year)::INT AS y FROM read_parquet(${glob(lake, 'raw/sales')}, hive_partitioning = true)`);
  assert.equal(Number(raw.n), served, 'raw rows = rows served');
  assert.equal(Number(raw.batches), BATCHES);

  const [main] = await rows(
    `SELECT count(*)::BIGINT AS n, count(DISTINCT transaction_id)::BIGINT AS ids,
            count(DISTINCT (year, month, day))::BIGINT AS days
       FROM read_parquet(${glob(lake, 'main/sales')}, hive_partitioning = true)`);
  assert.equal(main.n, main.ids, 'no transaction_id twice in main');
  const [quarantine] = await rows(
    `SELECT count(*)::BIGINT AS n, count(DISTINCT reason)::BIGINT AS reasons
       FROM read_parquet(${glob(lake, 'quarantine/sales')}, hive_partitioning = true)`);
  const t = run.transform;
  assert.equal(Number(main.n), t.rows_main);
  assert.equal(Number(quarantine.n), t.rows_quarantined);
  assert.equal(Number(main.n) + Number(quarantine.n) + t.dropped_duplicates, served,
    'main + quarantine + dropped exact duplicates = raw');
  assert.ok(Number(quarantine.n) > served * 0.01, `2% dirty must quarantine some: ${quarantine.n}`);
  assert.ok(Number(quarantine.n) < served * 0.04);
  assert.ok(Number(quarantine.reasons) >= 8, 'many kinds of dirt, each with its reason');
  const byReason = Object.values(t.quarantine_by_reason).reduce((a, b) => a + b, 0);
  assert.ok(byReason >= t.rows_quarantined, 'every quarantined row has a reason');

  const sales = `read_parquet(${glob(lake, 'main/sales')}, hive_partitioning = true)`;
  const table = (name) => `read_parquet(${glob(lake, `main/${name}`)}, hive_partitioning = true)`;
  const same = async (name, oursSql, duckSql) => {
    const ours = await rows(oursSql);
    const theirs = await rows(duckSql);
    assert.ok(theirs.length > 0, `${name}: DuckDB found groups`);
    assert.deepEqual(ours, theirs, `${name} equals DuckDB's aggregate over main/sales`);
    return ours;
  };
  // The seed's six tables against DuckDB: tests/pipeline/seed_tables.test.mjs (exact, with
  // averages); here the sums of each, which must equal main's.
  for (const [name, col] of [['brand_sales', 'brand'], ['category_sales', 'category']]) {
    await same(name,
      `SELECT ${col}, total_sales::VARCHAR AS s, orders::BIGINT AS o, total_quantity::BIGINT AS u
         FROM ${table(name)} ORDER BY 1`,
      `SELECT ${col}, sum(total)::DECIMAL(18,2)::VARCHAR AS s, count(*)::BIGINT AS o,
              sum(quantity)::BIGINT AS u FROM ${sales} GROUP BY 1 ORDER BY 1`);
  }
  for (const [name, col] of [['profit_per_brand', 'brand'], ['profit_per_category', 'category']]) {
    const ours = await rows(
      `SELECT ${col}, total_sales::VARCHAR AS s, total_retail_price::VARCHAR AS c,
              total_profit_per_brand::VARCHAR AS g, margin_pct::VARCHAR AS m FROM ${table(name)} ORDER BY 1`);
    const theirs = (await rows(
      `SELECT ${col}, sum(total)::DECIMAL(18,2)::VARCHAR AS s,
              sum(retail_price * quantity)::DECIMAL(18,2)::VARCHAR AS c,
              sum((mrp - retail_price) * quantity)::DECIMAL(18,2)::VARCHAR AS g
         FROM ${sales} GROUP BY 1 ORDER BY 1`)).map((r) => ({ ...r, m: marginPct(r.g, r.s) }));
    assert.deepEqual(ours, theirs, `${name} equals DuckDB's aggregate over main/sales`);
  }
  await same('store_sales',
    `SELECT store_name, store_location, total_sales::VARCHAR AS s,
            total_profit_per_brand::VARCHAR AS g, orders::BIGINT AS o, total_quantity::BIGINT AS u
       FROM ${table('store_sales')} ORDER BY 1, 2`,
    `SELECT store_name, store_location,
            sum(total)::DECIMAL(18,2)::VARCHAR AS s,
            sum((mrp - retail_price) * quantity)::DECIMAL(18,2)::VARCHAR AS g,
            count(*)::BIGINT AS o, sum(quantity)::BIGINT AS u FROM ${sales} GROUP BY 1, 2 ORDER BY 1, 2`);
  await same('highest_sold_product',
    `SELECT product_name, brand, store_name, store_location, total_quantity::BIGINT AS u,
            total_sales::VARCHAR AS s, orders::BIGINT AS o
       FROM ${table('highest_sold_product')} ORDER BY total_sales DESC, total_quantity DESC, 1, 2, 3, 4`,
    `SELECT product_name, brand, store_name, store_location, sum(quantity)::BIGINT AS u,
            sum(total)::DECIMAL(18,2)::VARCHAR AS s, count(*)::BIGINT AS o
       FROM ${sales} GROUP BY 1, 2, 3, 4 ORDER BY sum(total) DESC, sum(quantity) DESC, 1, 2, 3, 4`);
  await same('daily_sales',
    `SELECT date::VARCHAR AS d, store_id, product_id, store_name, store_location, product_name,
            category, brand, orders::BIGINT AS o, units::BIGINT AS u,
            sales::VARCHAR AS s, cost::VARCHAR AS c, gross_profit::VARCHAR AS g,
            year::INT AS y, month::INT AS m, day::INT AS dd
       FROM ${table('daily_sales')} ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`,
    `SELECT (timestamp AT TIME ZONE 'UTC')::DATE::VARCHAR AS d, store_id, product_id, store_name,
            store_location, product_name, category, brand,
            count(*)::BIGINT AS o, sum(quantity)::BIGINT AS u, sum(total)::DECIMAL(18,2)::VARCHAR AS s,
            sum(retail_price * quantity)::DECIMAL(18,2)::VARCHAR AS c,
            sum((mrp - retail_price) * quantity)::DECIMAL(18,2)::VARCHAR AS g,
            any_value(year)::INT AS y, any_value(month)::INT AS m, any_value(day)::INT AS dd
       FROM ${sales} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`);
  // The partition a sale sits in is its day (UTC here: the run's default business offset).
  const [misplaced] = await rows(
    `SELECT count(*)::BIGINT AS n FROM ${sales}
      WHERE make_date(year::INT, month::INT, day::INT) <> (timestamp AT TIME ZONE 'UTC')::DATE`);
  assert.equal(Number(misplaced.n), 0);
}

before(async () => {
  assert.ok(bin, 'SALESLAKE_BINARY must name the saleslake binary');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-e2e-'));
  const db = await DuckDBInstance.create(':memory:');
  con = await db.connect();
  await con.run("SET TimeZone = 'UTC'");
  api = await startApi();
  await waitHttp(`${api.url}/healthz`);
});

after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function runArgs(lake) {
  return ['run', '--api', `${api.url}/v1/sales?records=${RECORDS}&dirty=0.02`, '--batches',
    String(BATCHES), '--lake', lake, '--format', 'json', '--log-format', 'json'];
}

test('run: api -> 10 batches of 10k (2% dirty) -> raw, main, quarantine and aggregates DuckDB agrees with', async () => {
  const lake = path.join(dir, 'lake');
  const before = await recordsServed();
  const run = JSON.parse(saleslake(runArgs(lake)).trim());
  assert.equal(await recordsServed() - before, BATCHES * RECORDS, 'the API served what we asked');
  assert.equal(run.status, 'ok');
  assert.equal(run.batches.length, BATCHES);
  assert.equal(run.rows_extracted, BATCHES * RECORDS);
  assert.equal(run.transform.rows_in, BATCHES * RECORDS);
  await checkLake(lake, run);

  // The run left its record, and status shows the lake.
  const records = fs.readdirSync(path.join(lake, '_runs'));
  assert.equal(records.length, 1);
  assert.match(records[0], new RegExp(`^\\d{8}T\\d{6}\\.\\d{6}Z-${run.run_id}\\.json$`));
  const record = JSON.parse(fs.readFileSync(path.join(lake, '_runs', records[0]), 'utf8'));
  assert.equal(record.transform.rows_main, run.transform.rows_main);
  // The crawl ran after the transform, into the lake's default catalog.
  assert.deepEqual(run.after.map((s) => s.step), ['crawl']);
  assert.ok(run.after[0].summary.tables >= 9, JSON.stringify(run.after[0].summary));
  assert.ok(fs.existsSync(path.join(lake, '_catalog', 'catalog.db')));
  const status = JSON.parse(saleslake(['status', '--lake', lake, '--format', 'json']));
  assert.equal(status.batches.pending, 0);
});

test('run on an s3:// lake against moto: the same lake, read back through saleslake fs cp', async (t) => {
  if (spawnSync('python3', ['-c', 'import moto.server']).status !== 0) {
    t.skip('python3 cannot import moto.server (scripts/install-deps.sh installs it)');
    return;
  }
  const port = await freePort();
  const moto = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
  });
  children.push(moto);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitHttp(endpoint);
  const bucket = `sl-e2e-${process.pid}`;
  const made = await fetch(`${endpoint}/${bucket}`, { method: 'PUT' });
  assert.equal(made.status, 200, await made.text());
  const env = {
    AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1',
    SALESLAKE_S3_ENDPOINT: endpoint,
  };
  const lake = `s3://${bucket}/lake`;
  const run = JSON.parse(saleslake(runArgs(lake), env).trim());
  assert.equal(run.status, 'ok');
  assert.equal(run.transform.rows_in, BATCHES * RECORDS);
  const copy = path.join(dir, 's3-copy');
  saleslake(['fs', 'cp', '-r', lake, copy], env);
  await checkLake(copy, run);
  // A second run of the same lake adds 10 new batches; the first ones are not transformed again.
  const again = JSON.parse(saleslake([...runArgs(lake).slice(0, 3), '--batches', '1', '--lake', lake,
    '--format', 'json'], env).trim());
  assert.equal(again.transform.rows_in, RECORDS);
  moto.kill('SIGKILL');
});

test('run --every: SIGTERM lets the run under way finish, records it, and exits 0', async () => {
  const lake = path.join(dir, 'every');
  const child = spawn(bin, ['run', '--api', `${api.url}/v1/sales?records=20000`, '--batches', '3',
    '--every', '200ms', '--lake', lake, '--log-format', 'json', '--skip', 'crawl'],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  // Wait for the first run to start its second batch, then ask it to stop.
  for (let i = 0; i < 600 && !/"event":"run.batch"/.test(stderr); ++i) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(stderr, /"event":"run.batch"/);
  child.kill('SIGTERM');
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 0, stderr);
  assert.match(stderr, /"event":"run.stopped"/);
  const records = fs.readdirSync(path.join(lake, '_runs')).sort();
  assert.ok(records.length >= 1);
  const last = JSON.parse(fs.readFileSync(path.join(lake, '_runs', records.at(-1)), 'utf8'));
  assert.ok(['interrupted', 'ok'].includes(last.status), last.status);
  // What it landed was transformed: nothing is left pending.
  const status = JSON.parse(saleslake(['status', '--lake', lake, '--format', 'json']));
  assert.equal(status.batches.pending, 0);
  assert.equal(status.batches.extracted, status.batches.transformed);
});
