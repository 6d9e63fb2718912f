// A real crash, many times: `saleslake run` (extract of four files, then transform) on a local lake
// is killed with SIGKILL at 24 instants spread over a clean run's duration (some of them twice in a
// row), re-run to the end, and the lake must then hold exactly the data files of a clean run, byte
// for byte, with no transaction_id twice in main. The files are deterministic: the inputs, the
// clock (--now) and the batch ids fix every byte, at any --threads. The crashed runs and their
// re-runs use 1, 2 and 3 threads in turn (a re-run often with another count than the run it
// recovers), and the clean run at 1 thread is the expectation for all of them. Then the same for
// `saleslake compact` on a lake of small files, killed at --threads 2 and 3.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const bin = process.env.SALESLAKE_BINARY;
const NOW = '2026-11-26T10:00:00Z';
const KILLS = 24;
let dir;
let inputs = [];

before(() => {
  assert.ok(bin, 'SALESLAKE_BINARY must name the saleslake binary');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-kill9-'));
  for (let i = 0; i < 4; ++i) {
    const file = path.join(dir, `batch${i}.ndjson`);
    const out = execFileSync(bin, ['generate', '--records', '25000', '--seed', String(100 + i),
      '--format', 'ndjson', '--dirty', '0.02', '--days', '5', '--now', '2026-11-26T09:00:00',
      '--log-level', 'warn'],
    { maxBuffer: 256 << 20 });
    fs.writeFileSync(file, out);
    inputs.push(file);
  }
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function runArgs(lake, threads = 1, from = inputs) {
  const args = ['run', '--lake', lake, '--now', NOW, '--log-level', 'warn', '--threads', String(threads)];
  for (const f of from) args.push('--from', f);
  return args;
}

function compactArgs(lake, threads) {
  return ['compact', '--lake', lake, '--log-level', 'warn', '--threads', String(threads)];
}

// Every data file under the lake's layers (published names only), path -> sha256.
function dataFiles(lake) {
  const out = {};
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.parquet')) {
        out[path.relative(lake, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
      }
    }
  };
  for (const layer of ['raw', 'main', 'quarantine']) {
    if (fs.existsSync(path.join(lake, layer))) walk(path.join(lake, layer));
  }
  return out;
}

// Starts saleslake with `args` and kills it with SIGKILL after `ms`; resolves with how it ended.
function runAndKill(args, ms) {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

// A small seeded generator, so that a failure names instants that can be replayed.
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test(`kill -9 at ${KILLS} instants during extract and transform, re-run: the clean run's files`, async () => {
  // Two clean runs, at 1 and 2 threads: the files of the first are the expectation (and the
  // second must equal them); the faster one sets the span the kill instants are spread over (90%
  // of it).
  const clean = path.join(dir, 'clean');
  let duration = Infinity;
  for (const [lake, threads] of [[clean, 1], [path.join(dir, 'clean2'), 2]]) {
    const t0 = Date.now();
    const r = spawnSync(bin, runArgs(lake, threads), { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    duration = Math.min(duration, 0.9 * (Date.now() - t0));
  }
  const expected = dataFiles(clean);
  assert.deepEqual(dataFiles(path.join(dir, 'clean2')), expected, 'clean runs at 1 and 2 threads agree');
  assert.ok(Object.keys(expected).length > 10, 'a clean run writes raw, main, quarantine and aggregate files');

  const random = mulberry32(20261126);
  let killed = 0;
  for (let i = 0; i < KILLS; ++i) {
    const lake = path.join(dir, `crash${i}`);
    // Instants spread over the whole run (the i-th slice of it), jittered inside the slice.
    const at = Math.max(1, Math.round(duration * (i + random()) / KILLS));
    const threads = 1 + (i % 3);  // the crashed run's; its re-run uses the next count
    const rerunThreads = 1 + ((i + 1) % 3);
    const first = await runAndKill(runArgs(lake, threads), at);
    if (first.signal === 'SIGKILL') ++killed;
    else assert.equal(first.code, 0, `run ${i} (kill at ${at} ms) failed by itself: ${first.stderr}`);
    if (i % 3 === 0) {
      // Crash the recovery too (at 2 threads).
      await runAndKill(runArgs(lake, 2), Math.max(1, Math.round(duration * random())));
    }
    const rerun = spawnSync(bin, runArgs(lake, rerunThreads), { encoding: 'utf8' });
    const what = `a kill at ${at} ms of ${duration} ms (--threads ${threads}, re-run at ${rerunThreads})`;
    assert.equal(rerun.status, 0, `re-run after ${what}: ${rerun.stderr}`);
    assert.deepEqual(dataFiles(lake), expected, `lake after ${what}`);
    fs.rmSync(lake, { recursive: true, force: true });
  }
  // Most instants must have hit a live process (the others prove nothing).
  assert.ok(killed >= KILLS / 2, `only ${killed} of ${KILLS} kills hit a running process`);

  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const glob = `'${path.join(clean, 'main/sales/**/*.parquet')}'`;
  const [row] = (await con.runAndReadAll(
    `SELECT count(*)::BIGINT AS n, count(DISTINCT transaction_id)::BIGINT AS ids
       FROM read_parquet(${glob}, hive_partitioning = true)`)).getRowObjectsJson();
  assert.equal(row.n, row.ids);
});

// Sum of `total` and rows per transaction_id in main/sales, as DuckDB reads the folder.
async function mainFigures(lake) {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const glob = `'${path.join(lake, 'main/sales/**/*.parquet')}'`;
  const [row] = (await con.runAndReadAll(
    `SELECT count(*)::BIGINT AS n, count(DISTINCT transaction_id)::BIGINT AS ids,
            sum(total)::VARCHAR AS total
       FROM read_parquet(${glob}, hive_partitioning = true)`)).getRowObjectsJson();
  return row;
}

const COMPACT_KILLS = 8;

test(`kill -9 at ${COMPACT_KILLS} instants during compact --threads 2 and 3, re-run: the clean compaction's files`, async () => {
  // A lake of small files: three runs of one file each (each transform adds a file per day).
  const base = path.join(dir, 'small-files');
  for (const f of inputs.slice(0, 3)) {
    const r = spawnSync(bin, runArgs(base, 2, [f]), { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  const before = await mainFigures(base);
  const clean = path.join(dir, 'compact-clean');
  fs.cpSync(base, clean, { recursive: true });
  const t0 = Date.now();
  const c = spawnSync(bin, compactArgs(clean, 1), { encoding: 'utf8' });
  assert.equal(c.status, 0, c.stderr);
  const duration = 0.9 * (Date.now() - t0);
  const expected = dataFiles(clean);
  assert.ok(Object.keys(dataFiles(base)).length > Object.keys(expected).length, 'compaction merged files');
  assert.deepEqual(await mainFigures(clean), before, 'compaction kept every row');

  const random = mulberry32(20261207);
  for (let i = 0; i < COMPACT_KILLS; ++i) {
    const lake = path.join(dir, `compact-crash${i}`);
    fs.cpSync(base, lake, { recursive: true });
    const threads = 2 + (i % 2);
    const at = Math.max(1, Math.round(duration * (i + random()) / COMPACT_KILLS));
    const first = await runAndKill(compactArgs(lake, threads), at);
    if (first.signal !== 'SIGKILL') assert.equal(first.code, 0, `compact ${i} failed by itself: ${first.stderr}`);
    const rerun = spawnSync(bin, compactArgs(lake, threads), { encoding: 'utf8' });
    const what = `a kill at ${at} ms of ${duration} ms (--threads ${threads})`;
    assert.equal(rerun.status, 0, `compact again after ${what}: ${rerun.stderr}`);
    assert.deepEqual(dataFiles(lake), expected, `lake after ${what}`);
    assert.deepEqual(await mainFigures(lake), before, `rows after ${what}`);
    // The lake reopens: status reads its log.
    const st = spawnSync(bin, ['status', '--lake', lake, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(st.status, 0, st.stderr);
    fs.rmSync(lake, { recursive: true, force: true });
  }
});
