// Scale-out, end to end, on real servers: PostgreSQL (Debian's postgresql-15, initdb into a
// temporary directory, started as an unprivileged user on a free loopback port, password
// authentication) as the commit log, and moto as S3. The same raw batches are transformed once
// by one process with the embedded log, and by `transform --workers 3` with the PostgreSQL log
// (map per batch, reduce per day, one finalize) while a worker is SIGKILLed mid-map, mid-reduce,
// or paused (SIGSTOP) past its lease in a reduce or the finalize and resumed after another worker
// finished its task: its late result or commit is refused. main, quarantine, the rollups and the
// six tables must hold the same rows each time, and the password never appears in any output. Skips, saying what is missing, without
// PostgreSQL's server binaries or moto.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';

const bin = process.env.SALESLAKE_BINARY;
const NOW = '2026-11-26T09:00:00';
const PASSWORD = `pw-${process.pid}-S3cret`;
const TABLES = ['main/sales', 'quarantine/sales', 'main/daily_sales', 'main/brand_sales',
  'main/category_sales', 'main/profit_per_brand', 'main/profit_per_category', 'main/store_sales',
  'main/highest_sold_product'];

let dir;
let pg = null;    // { bin, data, port, runAs }
let moto = null;  // { proc, endpoint }
let missing = '';
const outputs = [];  // every stdout/stderr seen, to look for the password

function pgBin() {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return '';
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')));
  versions.sort((a, b) => Number(a) - Number(b));
  return versions.length ? path.join(root, versions.at(-1), 'bin') : '';
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function asPgUser(cmd, args) {
  const full = pg.runAs ? ['-u', 'nobody', '--', cmd, ...args] : args;
  const r = spawnSync(pg.runAs ? 'runuser' : cmd, full, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
}

function uri(schema) {
  return `postgresql://saleslake:${PASSWORD}@127.0.0.1:${pg.port}/postgres?schema=${schema}`;
}

function env(extra = {}) {
  return {
    ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1',
    SALESLAKE_S3_ENDPOINT: moto.endpoint, ...extra,
  };
}

function run(args, extra = {}) {
  const r = spawnSync(bin, args, { encoding: 'utf8', env: env(extra), maxBuffer: 256 << 20 });
  outputs.push(r.stdout, r.stderr);
  assert.equal(r.status, 0, `saleslake ${args.join(' ')}\n${r.stderr}`);
  return r.stdout;
}

async function waitHttp(url) {
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} never answered`);
}

before(async () => {
  if (!bin) {
    missing = 'SALESLAKE_BINARY is not set';
    return;
  }
  const binDir = pgBin();
  if (!binDir) {
    missing = 'PostgreSQL server binaries not found under /usr/lib/postgresql (install postgresql-15)';
    return;
  }
  if (spawnSync('python3', ['-c', 'import moto.server']).status !== 0) {
    missing = 'python3 cannot import moto.server (scripts/install-deps.sh installs it)';
    return;
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-scale-'));
  const pgDir = path.join(dir, 'pg');
  fs.mkdirSync(pgDir);
  const runAs = process.getuid() === 0;
  if (runAs) {
    fs.chmodSync(dir, 0o711);  // nobody must reach its own directory inside
    execFileSync('chown', ['nobody', pgDir]);
  }
  const pwfile = path.join(pgDir, 'pw');
  fs.writeFileSync(pwfile, PASSWORD + '\n');
  if (runAs) execFileSync('chown', ['nobody', pwfile]);
  pg = { bin: binDir, data: path.join(pgDir, 'data'), port: await freePort(), runAs, dir: pgDir };
  asPgUser(path.join(binDir, 'initdb'), ['-D', pg.data, '-U', 'saleslake', `--pwfile=${pwfile}`,
    '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--no-sync']);
  asPgUser(path.join(binDir, 'pg_ctl'), ['-D', pg.data, '-l', path.join(pgDir, 'log'), '-w', '-o',
    `-p ${pg.port} -k ${pgDir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  const port = await freePort();
  const proc = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  moto = { proc, endpoint: `http://127.0.0.1:${port}` };
  await waitHttp(moto.endpoint);
  const made = await fetch(`${moto.endpoint}/scale`, { method: 'PUT' });
  assert.equal(made.status, 200);
});

after(() => {
  if (moto) moto.proc.kill('SIGKILL');
  if (pg) {
    spawnSync(pg.runAs ? 'runuser' : path.join(pg.bin, 'pg_ctl'),
      [...(pg.runAs ? ['-u', 'nobody', '--', path.join(pg.bin, 'pg_ctl')] : []), '-D', pg.data, '-m', 'immediate', 'stop']);
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// Lands the same three raw batches in `lake` (the batch ids come from the files' content).
function landBatches(lake, extra = {}) {
  for (let i = 0; i < 3; i++) {
    const file = path.join(dir, `batch${i}.ndjson`);
    if (!fs.existsSync(file)) {
      execFileSync(bin, ['generate', '--records', '4000', '--seed', String(300 + i), '--format', 'ndjson',
        '--dirty', '0.03', '--days', '20', '--now', NOW, '--out', file]);
    }
    run(['extract', '--from', file, '--lake', lake, '--now', NOW + 'Z', '--log-level', 'warn'], extra);
  }
}

// Every table's rows, sorted, as DuckDB reads a local copy of the lake.
async function tableRows(lake, extra = {}) {
  const copy = fs.mkdtempSync(path.join(dir, 'copy-'));
  run(['fs', 'cp', '-r', lake, copy], extra);
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  const out = {};
  for (const table of TABLES) {
    const files = path.join(copy, table);
    if (!fs.existsSync(files)) {
      out[table] = [];
      continue;
    }
    const reader = await db.runAndReadAll(
      `SELECT * FROM read_parquet('${files}/**/*.parquet', hive_partitioning = false) ORDER BY ALL`);
    out[table] = JSON.stringify(reader.getRowsJson());
  }
  return out;
}

// Starts `transform --workers 3` on `lake`; the worker that claims the run's first task of kind
// `stopIn` stops itself once that task's files are written, before recording it (a hung worker);
// `onStopped(event, logs)` decides what happens next.
async function transformWithWorkers(lake, schema, stopIn, onStopped) {
  const proc = spawn(bin, ['transform', '--workers', '3', '--lake', lake, '--now', '2026-11-26T10:00:00Z',
    '--log-format', 'json', '--format', 'json'], {
    env: env({ SALESLAKE_COMMIT_LOG: uri(schema), SALESLAKE_LEASE_SECONDS: '2', SALESLAKE_STOP_IN: stopIn }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs = [];
  let stdout = '';
  proc.stdout.on('data', (d) => { stdout += d; });
  const lines = readline.createInterface({ input: proc.stderr });
  let handled = false;
  lines.on('line', (l) => {
    logs.push(l);
    let e;
    try { e = JSON.parse(l); } catch { return; }
    if (e.event === 'task.stopping' && !handled) {
      handled = true;
      onStopped(e, logs);
    }
  });
  const code = await new Promise((resolve) => proc.on('exit', resolve));
  await new Promise((r) => setTimeout(r, 50));
  outputs.push(stdout, logs.join('\n'));
  assert.equal(code, 0, logs.join('\n'));
  assert.ok(handled, `no worker stopped in a ${stopIn} task`);
  return { result: JSON.parse(stdout.trim()), events: logs.map((l) => { try { return JSON.parse(l); } catch { return {}; } }) };
}

async function waitFor(pred, what) {
  for (let i = 0; i < 600; i++) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Whether another worker has finished the task `stopped` held.
function doneByAnother(logs, stopped) {
  return logs.some((l) => {
    if (!l.includes('"event":"task.done"')) return false;
    const e = JSON.parse(l);
    return e.task_id === stopped.task_id && e.worker_id !== stopped.worker_id;
  });
}

test('transform --workers 3 with PostgreSQL: workers killed or paused mid-map, mid-reduce and in the finalize change nothing', async (t) => {
  if (missing) {
    t.skip(missing);
    return;
  }
  // One process, embedded commit log: the reference.
  const one = 's3://scale/one';
  landBatches(one);
  run(['transform', '--lake', one, '--now', '2026-11-26T10:00:00Z', '--log-level', 'warn']);
  const expected = await tableRows(one);
  for (const table of TABLES) assert.ok(expected[table].length > 10, `${table} has rows`);

  // SIGKILLed once its files are written (mid-map, mid-reduce): another worker claims the task
  // after the lease. Paused past its lease and resumed once another worker finished its task: its
  // late result (a reduce's) or its late commit (the finalize's) is refused.
  const scenarios = [
    { schema: 'killmap', stopIn: 'map', kill: true },
    { schema: 'killreduce', stopIn: 'reduce', kill: true },
    { schema: 'pausereduce', stopIn: 'reduce', kill: false },
    { schema: 'paused', stopIn: 'finalize', kill: false },
  ];
  for (const sc of scenarios) {
    run(['commit-log', 'migrate', '--commit-log', uri(sc.schema)]);
    const lake = `s3://scale/${sc.schema}`;
    landBatches(lake, { SALESLAKE_COMMIT_LOG: uri(sc.schema) });
    let stopped = null;
    const r = await transformWithWorkers(lake, sc.schema, sc.stopIn, (e, logs) => {
      stopped = e;
      if (sc.kill) {
        process.kill(e.pid, 'SIGKILL');
      } else {
        waitFor(() => doneByAnother(logs, e), 'another worker to finish the task')
          .then(() => process.kill(e.pid, 'SIGCONT'));
      }
    });
    const what = `${sc.kill ? 'killed' : 'paused'} in ${sc.stopIn}`;
    assert.equal(r.result.committed, true, what);
    assert.equal(r.result.batches.length, 3, what);
    const kinds = new Set(r.events.filter((e) => e.event === 'task.claimed').map((e) => e.kind));
    assert.deepEqual([...kinds].sort(), ['finalize', 'map', 'reduce'], what);
    const claims = r.events.filter((e) => e.event === 'task.claimed' && e.task_id === stopped.task_id);
    assert.ok(claims.length >= 2, `${what}: the task was claimed again`);
    assert.ok(r.events.filter((e) => e.event === 'task.claimed').every((e) => e.worker_id && e.task_id),
      'worker logs carry worker and task ids');
    if (!sc.kill) {
      assert.ok(r.events.some((e) => e.event === 'task.refused' && e.worker_id === stopped.worker_id),
        `${what}: the late result was refused`);
    }
    const finalized = r.events.filter((e) => e.event === 'task.done' && e.kind === 'finalize');
    assert.equal(finalized.length, 1, `${what}: one finalize`);
    assert.deepEqual(await tableRows(lake, { SALESLAKE_COMMIT_LOG: uri(sc.schema) }), expected, what);
  }

  // run --workers 2: the extract in the calling process, then the distributed transform. Its
  // one clock (--now) also stamps the batches' ingestion, so quarantine is compared by count.
  run(['commit-log', 'migrate', '--commit-log', uri('run')]);
  const ran = JSON.parse(run(['run', '--workers', '2', '--lake', 's3://scale/run', '--skip', 'crawl',
    '--now', '2026-11-26T10:00:00Z', '--format', 'json', '--log-level', 'warn',
    ...[0, 1, 2].flatMap((i) => ['--from', path.join(dir, `batch${i}.ndjson`)])],
  { SALESLAKE_COMMIT_LOG: uri('run') }));
  assert.equal(ran.status, 'ok', JSON.stringify(ran));
  assert.equal(ran.transform.batches.length, 3);
  const viaRun = await tableRows('s3://scale/run', { SALESLAKE_COMMIT_LOG: uri('run') });
  for (const table of TABLES) {
    if (table === 'quarantine/sales') {
      assert.equal(JSON.parse(viaRun[table]).length, JSON.parse(expected[table]).length);
    } else {
      assert.deepEqual(viaRun[table], expected[table], `run --workers: ${table}`);
    }
  }

  // status shows the tasks, the retry and the refused commit; the password never shows.
  const paused = 's3://scale/paused';
  const status = JSON.parse(run(['status', '--lake', paused, '--format', 'json'],
    { SALESLAKE_COMMIT_LOG: uri('paused') }));
  assert.ok(status.commit_log.tasks.done >= 5, JSON.stringify(status.commit_log.tasks));
  assert.equal(status.commit_log.tasks.queued ?? 0, 0);
  assert.ok(status.commit_log.retries >= 1);
  assert.ok(status.commit_log.refused_commits >= 1);
  assert.equal(status.commit_log.workers.length, 3);
  const text = run(['status', '--lake', paused], { SALESLAKE_COMMIT_LOG: uri('paused') });
  assert.match(text, /refused late commit/);

  // serve's /metrics has the task queue's counts when its commit log is PostgreSQL.
  const serve = spawn(bin, ['serve', '--lake', paused, '--listen', '127.0.0.1:0', '--log-format', 'json'], {
    env: env({ SALESLAKE_COMMIT_LOG: uri('paused') }), stdio: ['ignore', 'pipe', 'pipe'],
  });
  const serveLogs = [];
  readline.createInterface({ input: serve.stderr }).on('line', (l) => serveLogs.push(l));
  try {
    const url = await new Promise((resolve, reject) => {
      readline.createInterface({ input: serve.stdout }).on('line', (line) => {
        const m = line.match(/dashboard at (http:\/\/[^/ ]+)\//);
        if (m) resolve(m[1]);
      });
      serve.on('exit', (c) => reject(new Error(`serve exited ${c}: ${serveLogs.join('\n')}`)));
    });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    outputs.push(metrics, serveLogs.join('\n'));
    const value = (name) => Number((metrics.match(new RegExp(`^${name} (\\S+)$`, 'm')) ?? [])[1]);
    assert.equal(value('saleslake_tasks\\{state="done"\\}'), status.commit_log.tasks.done, metrics);
    assert.equal(value('saleslake_tasks\\{state="queued"\\}'), 0);
    assert.ok(value('saleslake_task_claims') > status.commit_log.tasks.done);
    assert.ok(value('saleslake_task_retries') >= 1);
    assert.ok(value('saleslake_task_refused_commits') >= 1);
    assert.equal(value('saleslake_task_workers\\{state="stopped"\\}'), 3);
    assert.equal(value('saleslake_task_queue_up'), 1);
  } finally {
    serve.kill('SIGTERM');
  }
  for (const o of outputs) assert.ok(!String(o).includes(PASSWORD), 'the password appeared in an output');
});

test('a worker stops on SIGTERM, exits 0 and is recorded as stopped', async (t) => {
  if (missing) {
    t.skip(missing);
    return;
  }
  // The lake and commit log of the first test (its run is over: the worker finds nothing to do).
  const proc = spawn(bin, ['worker', '--lake', 's3://scale/paused', '--log-format', 'json'], {
    env: env({ SALESLAKE_COMMIT_LOG: uri('paused') }), stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs = [];
  readline.createInterface({ input: proc.stderr }).on('line', (l) => logs.push(l));
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  await waitFor(() => logs.some((l) => l.includes('"event":"worker.started"')), 'the worker to start');
  proc.kill('SIGTERM');
  assert.equal(await exited, 0, logs.join('\n'));
  assert.ok(logs.some((l) => l.includes('"event":"worker.stopped"')), logs.join('\n'));
  outputs.push(logs.join('\n'));
  assert.ok(!logs.join('\n').includes(PASSWORD));
  const status = JSON.parse(run(['status', '--lake', 's3://scale/paused', '--format', 'json'],
    { SALESLAKE_COMMIT_LOG: uri('paused') }));
  const me = status.commit_log.workers.find((w) => w.pid === proc.pid);
  assert.equal(me?.state, 'stopped', JSON.stringify(status.commit_log.workers));
});

test('--workers without the PostgreSQL commit log points to --threads', (t) => {
  if (!bin) {
    t.skip('SALESLAKE_BINARY is not set');
    return;
  }
  const lake = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-noworkers-'));
  const file = path.join(lake, 'b.ndjson');
  execFileSync(bin, ['generate', '--records', '10', '--seed', '1', '--format', 'ndjson', '--out', file]);
  execFileSync(bin, ['extract', '--from', file, '--lake', path.join(lake, 'lake'), '--log-level', 'warn']);
  const r = spawnSync(bin, ['transform', '--workers', '2', '--lake', path.join(lake, 'lake')], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--threads/);
  assert.equal(r.stderr.trim().split('\n')[0].startsWith('saleslake transform: error:'), true);
  // run --workers: the same, before it extracts anything.
  const rr = spawnSync(bin, ['run', '--workers', '2', '--from', file, '--lake', path.join(lake, 'lake')], { encoding: 'utf8' });
  assert.notEqual(rr.status, 0);
  assert.match(rr.stderr, /--workers needs the PostgreSQL commit log.*--threads/);
  fs.rmSync(lake, { recursive: true, force: true });
});
