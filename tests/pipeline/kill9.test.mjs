// A real crash, many times: `saleslake run` (extract of four files, then transform) on a local lake
// is killed with SIGKILL at 24 instants spread over a clean run's duration (some of them twice in a
// row), re-run to the end, and the lake must then hold exactly the data files of a clean run, byte
// for byte, with no transaction_id twice in main. The files are deterministic: the inputs, the
// clock (--now) and the batch ids fix every byte.
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

function runArgs(lake) {
  const args = ['run', '--lake', lake, '--now', NOW, '--log-level', 'warn'];
  for (const f of inputs) args.push('--from', f);
  return args;
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

// Starts a run and kills it with SIGKILL after `ms`; resolves with how it ended.
function runAndKill(lake, ms) {
  return new Promise((resolve) => {
    const child = spawn(bin, runArgs(lake), { stdio: ['ignore', 'ignore', 'pipe'] });
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
  // Two clean runs: the files of the first are the expectation (and the second must equal them);
  // the faster one sets the span the kill instants are spread over (90% of it).
  const clean = path.join(dir, 'clean');
  let duration = Infinity;
  for (const lake of [clean, path.join(dir, 'clean2')]) {
    const t0 = Date.now();
    const r = spawnSync(bin, runArgs(lake), { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    duration = Math.min(duration, 0.9 * (Date.now() - t0));
  }
  const expected = dataFiles(clean);
  assert.deepEqual(dataFiles(path.join(dir, 'clean2')), expected, 'two clean runs agree');
  assert.ok(Object.keys(expected).length > 10, 'a clean run writes raw, main, quarantine and aggregate files');

  const random = mulberry32(20261126);
  let killed = 0;
  for (let i = 0; i < KILLS; ++i) {
    const lake = path.join(dir, `crash${i}`);
    // Instants spread over the whole run (the i-th slice of it), jittered inside the slice.
    const at = Math.max(1, Math.round(duration * (i + random()) / KILLS));
    const first = await runAndKill(lake, at);
    if (first.signal === 'SIGKILL') ++killed;
    else assert.equal(first.code, 0, `run ${i} (kill at ${at} ms) failed by itself: ${first.stderr}`);
    if (i % 3 === 0) {
      // Crash the recovery too.
      await runAndKill(lake, Math.max(1, Math.round(duration * random())));
    }
    const rerun = spawnSync(bin, runArgs(lake), { encoding: 'utf8' });
    assert.equal(rerun.status, 0, `re-run after a kill at ${at} ms: ${rerun.stderr}`);
    assert.deepEqual(dataFiles(lake), expected, `lake after a kill at ${at} ms of ${duration} ms`);
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
