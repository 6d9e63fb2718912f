// `saleslake serve --pg-listen` against real PostgreSQL clients on a real lake: psql (queries,
// \dt, \d sales, SQLSTATEs), node-postgres (parameterised query), psycopg2 (Superset's driver:
// parameters, cancel), pgjdbc (Metabase's and DBeaver's driver: DatabaseMetaData and a prepared
// statement past prepareThreshold with binary results), sign-in with SCRAM-SHA-256 and API keys,
// TLS, and hostile bytes. Results are compared with `saleslake query`'s. A client that is not
// installed skips its test with a message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { spawn } from 'node:child_process';
import { bin, makeLake, saleslake } from '../web/lake_fixture.mjs';

const PYTHON = '/usr/bin/python3';
const JAR = '/usr/share/java/postgresql.jar';
let dir;
let lake;
let server;

function have(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0;
}
const hasPsql = have('psql');
const hasPsycopg2 = have(PYTHON, ['-c', 'import psycopg2']);
const hasJava = fs.existsSync(JAR) && have('javac', ['-version']) && have('java', ['-version']);
let pg = null;
try {
  pg = (await import('pg')).default;
} catch {
  pg = null;
}

// Starts serve with the PostgreSQL front; resolves to {port, logs, stop()}.
async function startPg(extra = []) {
  const proc = spawn(bin, ['serve', '--lake', lake, '--listen', '127.0.0.1:0', '--pg-listen', '127.0.0.1:0',
    '--log-format', 'json', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs = [];
  readline.createInterface({ input: proc.stderr }).on('line', (l) => logs.push(l));
  const port = await new Promise((resolve, reject) => {
    readline.createInterface({ input: proc.stdout }).on('line', (line) => {
      const m = line.match(/PostgreSQL protocol on [^ ]+:(\d+)/);
      if (m) resolve(Number(m[1]));
    });
    proc.on('exit', (code) => reject(new Error(`serve exited ${code}: ${logs.join('\n')}`)));
  });
  return {
    port, logs, proc,
    stop: () => new Promise((resolve) => {
      if (proc.exitCode !== null) return resolve(proc.exitCode);
      proc.on('exit', (code) => resolve(code));
      proc.kill('SIGTERM');
    }),
  };
}

// `saleslake query`'s cells as text (its CSV), for comparisons that must be exact.
function oursText(sql) {
  const r = saleslake(['query', '--lake', lake, '--format', 'csv', '--log-level', 'warn', sql]);
  assert.equal(r.status, 0, `${sql}\n${r.stderr}`);
  return r.stdout.trim().split('\n').slice(1).map((l) => l.split(','));
}

function ours(sql) {
  const r = saleslake(['query', '--lake', lake, '--format', 'json', '--log-level', 'warn', sql]);
  assert.equal(r.status, 0, `${sql}\n${r.stderr}`);
  return JSON.parse(r.stdout).rows;
}

// Waits (up to 10 s) for a log line of the server that satisfies `pred`.
async function waitForLog(server, pred) {
  for (let i = 0; i < 100; i++) {
    const found = server.logs.map((l) => { try { return JSON.parse(l); } catch { return {}; } }).find(pred);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no such log line in:\n${server.logs.join('\n')}`);
}

// Rows as text cells, numbers normalised so 5 and "5.00" and 5.0 compare equal.
const norm = (rows) => rows.map((r) => r.map((v) => {
  if (v === null || v === undefined) return null;
  const s = String(v);
  return /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(s) ? Number(s) : s;
}));

function psql(port, args, env = {}) {
  return spawnSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'tester', '-d', 'saleslake',
    '-X', '-v', 'ON_ERROR_STOP=1', '-v', 'VERBOSITY=verbose', ...args],
  { encoding: 'utf8', env: { ...process.env, PGCONNECT_TIMEOUT: '10', ...env } });
}

before(async () => {
  ({ dir, lake } = makeLake('sl-pgwire-', { batches: 1, records: 20000 }));
  server = await startPg();
});

after(async () => {
  if (server) await server.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const BRANDS = 'SELECT brand, COUNT(*) AS n, SUM(total) AS revenue, MIN(timestamp) AS first FROM sales GROUP BY brand ORDER BY brand';

test('psql runs queries whose results equal saleslake query', { skip: !hasPsql && 'psql is not installed' }, () => {
  const r = psql(server.port, ['-At', '-F', '|', '-c', BRANDS]);
  assert.equal(r.status, 0, r.stderr);
  const got = r.stdout.trim().split('\n').map((l) => l.split('|'));
  assert.ok(got.length > 5);
  assert.deepEqual(norm(got), norm(ours(BRANDS)));
  // Several statements in one simple query, PostgreSQL forms, no-ops and settings.
  const many = psql(server.port, ['-At', '-c',
    "BEGIN; SET extra_float_digits = 3; SELECT '7'::int + 1, EXTRACT(YEAR FROM '2026-03-01 10:00:00'), " +
    "version() LIKE 'PostgreSQL 15%', current_schema(), current_database(); SHOW TRANSACTION ISOLATION LEVEL; COMMIT"]);
  assert.equal(many.status, 0, many.stderr);
  assert.deepEqual(many.stdout.trim().split('\n'), ['BEGIN', 'SET', '8|2026|1|public|saleslake', 'read committed', 'COMMIT']);
});

test('psql \\dt and \\d sales describe the lake', { skip: !hasPsql && 'psql is not installed' }, () => {
  const dt = psql(server.port, ['-c', '\\dt']);
  assert.equal(dt.status, 0, dt.stderr);
  assert.match(dt.stdout, /public \| sales\s+\| table/);
  assert.match(dt.stdout, /public \| daily_sales\s+\| table/);
  const d = psql(server.port, ['-c', '\\d sales']);
  assert.equal(d.status, 0, d.stderr);
  assert.match(d.stdout, /Table "public\.sales"/);
  assert.match(d.stdout, /transaction_id\s+\| text/);
  assert.match(d.stdout, /total\s+\| numeric\(18,2\)/);
  assert.match(d.stdout, /timestamp\s+\| timestamp without time zone/);
  // \l (an E'\n' escape string, PostgreSQL 15's pg_database columns), \dt+ (pg_size_pretty), \df.
  for (const [cmd, want] of [['\\l', /saleslake\s+\| saleslake\s+\| UTF8/], ['\\dt+', /public \| sales\s+\| table/],
    ['\\df', /List of functions/]]) {
    const r = psql(server.port, ['-c', cmd]);
    assert.equal(r.status, 0, `${cmd}: ${r.stderr}`);
    assert.match(r.stdout, want, cmd);
  }
});

test('errors carry SQLSTATEs', { skip: !hasPsql && 'psql is not installed' }, () => {
  const cases = [['SELECT * FROM nope', '42P01'], ['SELEC 1', '42601'],
    ["INSERT INTO sales (brand) VALUES ('x')", '25006'], ['SELECT nope FROM sales', '42703']];
  for (const [sql, state] of cases) {
    const r = psql(server.port, ['-c', sql]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, new RegExp(`ERROR:\\s+${state}`), `${sql}: ${r.stderr}`);
  }
});

test('node-postgres runs a parameterised query', { skip: !pg && 'the npm package pg is not installed (tests/package.json)' }, async () => {
  const client = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'tester', database: 'saleslake' });
  await client.connect();
  try {
    const res = await client.query({
      text: 'SELECT store_id, COUNT(*) AS n, SUM(total) AS revenue FROM sales WHERE quantity >= $1 AND category = $2 GROUP BY store_id ORDER BY store_id',
      values: [2, 'Laptop'], rowMode: 'array' });
    // SUM over DECIMAL is exact and numeric, even when every total is whole rupees.
    assert.deepEqual(res.fields.map((f) => f.dataTypeID), [25, 20, 1700]);
    assert.ok(res.rows.length > 0);
    assert.deepEqual(norm(res.rows), norm(ours("SELECT store_id, COUNT(*) AS n, SUM(total) AS revenue FROM sales WHERE quantity >= 2 AND category = 'Laptop' GROUP BY store_id ORDER BY store_id")));
    const typed = await client.query('SELECT total, quantity, timestamp FROM sales ORDER BY transaction_id LIMIT 1');
    assert.deepEqual(typed.fields.map((f) => f.dataTypeID), [1700, 23, 1114]);  // quantity is INT32
    await assert.rejects(client.query('SELECT * FROM nope WHERE x = $1', [1]), (e) => e.code === '42P01');
    // After an error the connection goes on.
    assert.equal((await client.query('SELECT 1 AS one')).rows[0].one, '1');
  } finally {
    await client.end();
  }
});

test('psycopg2 runs a parameterised query and cancels', { skip: !hasPsycopg2 && 'python3-psycopg2 is not installed' }, () => {
  const script = `
import json, sys, threading, psycopg2
conn = psycopg2.connect(host='127.0.0.1', port=${server.port}, user='tester', dbname='saleslake')
conn.autocommit = True
cur = conn.cursor()
cur.execute("SELECT brand, COUNT(*), SUM(quantity) FROM sales WHERE category = %s AND quantity >= %s GROUP BY brand ORDER BY brand", ('Laptop', 2))
print(json.dumps([list(r) for r in cur.fetchall()], default=str))
print(json.dumps([conn.server_version, conn.get_parameter_status('DateStyle')]))
t = threading.Timer(0.5, conn.cancel)
t.start()
try:
    cur.execute("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r")
    print(json.dumps("not cancelled"))
except psycopg2.Error as e:
    print(json.dumps(e.pgcode))
cur.execute("SELECT 2")
print(json.dumps(cur.fetchone()[0]))
`;
  const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
  const [rows, info, cancelled, after] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(norm(rows), norm(ours("SELECT brand, COUNT(*), SUM(quantity) FROM sales WHERE category = 'Laptop' AND quantity >= 2 GROUP BY brand ORDER BY brand")));
  assert.deepEqual(info, [150000, 'ISO, MDY']);
  assert.equal(cancelled, '57014');
  assert.equal(after, 2);
});

test('pgjdbc reads metadata and gets binary results past prepareThreshold', { skip: !hasJava && 'pgjdbc or a JDK is not installed' }, async () => {
  const out = path.join(path.dirname(bin), 'pgjdbc-check');
  fs.mkdirSync(out, { recursive: true });
  const src = path.join(process.env.SALESLAKE_SOURCE_DIR ?? path.resolve('..'), 'tests', 'sql', 'PgJdbcCheck.java');
  execFileSync('javac', ['-cp', JAR, '-d', out, src]);
  const r = spawnSync('java', ['-cp', `${JAR}:${out}`, 'PgJdbcCheck', String(server.port), 'tester'], { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const tables = lines[0].tables;
  for (const t of ['sales', 'daily_sales', 'brand_sales']) assert.ok(tables.includes(t), `${t} in ${tables}`);
  const cols = Object.fromEntries(lines[1].columns.map(([n, t, sqlType]) => [n, [t, sqlType]]));
  assert.deepEqual(cols.total, ['numeric', 2]);          // java.sql.Types.NUMERIC
  assert.ok(['int8', 'int4'].includes(cols.quantity[0]), String(cols.quantity));
  assert.deepEqual(cols.timestamp, ['timestamp', 93]);   // TIMESTAMP
  const expected = ours("SELECT brand, COUNT(*) AS n, SUM(quantity) AS units, MIN(total) AS low, MAX(timestamp) AS latest FROM sales WHERE quantity >= 2 AND category = 'Laptop' GROUP BY brand ORDER BY brand");
  const runs = lines.filter((l) => l.run);
  assert.equal(runs.length, 8);
  for (const run of runs) {
    assert.deepEqual(norm(run.rows.map((r) => r.slice(0, 4))), norm(expected.map((r) => r.slice(0, 4))), `run ${run.run}`);
    // java.sql.Timestamp prints "2026-01-10 08:15:02.0"
    assert.deepEqual(run.rows.map((r) => r[4].replace(/\.0$/, '')), expected.map((r) => r[4].replace(/\.0+$/, '')));
  }
  const store = ours('SELECT MIN(store_id) FROM sales')[0][0];
  assert.equal(store, 'S001', 'the store the Java program asks for');
  const direct = ours("SELECT transaction_id, quantity, total, timestamp FROM sales WHERE store_id = 'S001' AND quantity = 3 ORDER BY transaction_id LIMIT 25");
  const directRuns = lines.filter((l) => l.direct);
  assert.equal(directRuns.length, 8);
  assert.ok(direct.length > 0);
  for (const run of directRuns) {
    assert.deepEqual(norm(run.rows.map((r) => r.slice(0, 3))), norm(direct.map((r) => r.slice(0, 3))), `direct run ${run.direct}`);
    assert.deepEqual(run.rows.map((r) => r[3].replace(/\.0$/, '')), direct.map((r) => r[3].replace(/\.0+$/, '')));
  }
  const sums = lines.filter((l) => l.decimal);
  assert.equal(sums.length, 8);
  const expectedSums = oursText("SELECT brand, SUM(total), AVG(total), CAST(MIN(timestamp) AS DATE) FROM sales WHERE category = 'Laptop' GROUP BY brand ORDER BY brand");
  for (const run of sums) {
    assert.deepEqual(run.types, ['text', 'numeric', 'numeric', 'date'], `decimal run ${run.decimal}`);
    assert.deepEqual(run.rows, expectedSums, `decimal run ${run.decimal}`);
  }
  assert.deepEqual(lines.at(-1), { x: 42, y: "it's" });
  // The server saw binary result formats once pgjdbc switched to its named statement.
  await waitForLog(server, (l) => l.event === 'pg.disconnected' && Number(l.binary_results) > 0);
});

const SUMS = "SELECT category, SUM(total) AS revenue, AVG(total) AS mean, SUM(total) * 2 AS twice FROM sales GROUP BY category ORDER BY category";

test('DECIMAL results are numeric with the exact digits of saleslake query (psql, node-postgres, psycopg2)', async () => {
  const expected = oursText(SUMS);
  assert.ok(expected.length > 3);
  const whole = oursText('SELECT SUM(total) FROM sales');
  assert.match(whole[0][0], /^\d+\.\d\d$/);
  if (hasPsql) {
    const r = psql(server.port, ['-At', '-F', ',', '-c', SUMS, '-c', 'SELECT SUM(total) FROM sales']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(',')), [...expected, ...whole]);
  }
  if (pg) {
    const client = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'tester', database: 'saleslake' });
    await client.connect();
    try {
      for (const text of [SUMS, SUMS.replace('GROUP BY', 'WHERE quantity >= $1 GROUP BY')]) {
        const res = await client.query({ text, values: text.includes('$1') ? [1] : [], rowMode: 'array' });
        assert.deepEqual(res.fields.map((f) => f.dataTypeID), [25, 1700, 1700, 1700]);
        assert.deepEqual(res.rows, expected);  // node-postgres gives numeric as its text
      }
      const one = await client.query({ text: 'SELECT SUM(total) FROM sales', rowMode: 'array' });
      assert.equal(one.fields[0].dataTypeID, 1700);
      assert.deepEqual(one.rows, whole);
    } finally {
      await client.end();
    }
  }
  if (hasPsycopg2) {
    const script = `
import json, decimal, psycopg2
conn = psycopg2.connect(host='127.0.0.1', port=${server.port}, user='tester', dbname='saleslake')
cur = conn.cursor()
cur.execute(${JSON.stringify(SUMS)})
print(json.dumps([d.type_code for d in cur.description]))
rows = cur.fetchall()
print(json.dumps([all(isinstance(v, decimal.Decimal) for v in r[1:]) for r in rows]))
print(json.dumps([[r[0]] + [str(v) for v in r[1:]] for r in rows]))
cur.execute("SELECT SUM(total) FROM sales WHERE category = %s", ('Laptop',))
v = cur.fetchone()[0]
print(json.dumps([type(v).__name__, str(v)]))
`;
    const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 0, r.stderr);
    const [codes, decimals, rows, laptop] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(codes, [25, 1700, 1700, 1700]);
    assert.ok(decimals.every((d) => d));
    assert.deepEqual(rows, expected);
    assert.deepEqual(laptop, ['Decimal', oursText("SELECT SUM(total) FROM sales WHERE category = 'Laptop'")[0][0]]);
  }
});

// The lake's sales end on 2026-03-20 (lake_fixture.mjs), so arithmetic from a fixed day is exact.
const DATES = [
  "SELECT COUNT(*) FROM sales WHERE timestamp >= TIMESTAMP '2026-03-20 00:00:00' - interval '7 days'",
  "SELECT COUNT(*) FROM sales WHERE timestamp >= TIMESTAMP '2026-03-20 00:00:00' - INTERVAL '7' DAY",
  "SELECT DATE '2026-03-20' - interval '7' day, date_add('day', -7, DATE '2026-03-20'), TIMESTAMP '2026-03-20 00:00:00' - interval '1 day 2 hours'",
  "SELECT current_date - interval '7' day = date_add('day', -7, current_date), now() - interval '7 days' < now(), CAST(now() AS DATE) >= current_date - interval '1' day",
];

test('date arithmetic: INTERVAL (both spellings), date_add, now() and current_date, over pgwire as in query', async () => {
  const expected = DATES.map((q) => oursText(q));
  assert.equal(expected[0][0][0], expected[1][0][0]);
  assert.deepEqual(expected[2], [['2026-03-13', '2026-03-13', '2026-03-18 22:00:00']]);
  assert.deepEqual(expected[3], [['1', '1', '1']]);
  if (hasPsql) {
    for (let i = 0; i < 3; i++) {
      const r = psql(server.port, ['-At', '-F', ',', '-c', DATES[i]]);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(',')), expected[i], DATES[i]);
    }
    // The PostgreSQL spellings, too.
    const r = psql(server.port, ['-At', '-F', ',', '-c', "SELECT (DATE '2026-03-20' - '7 days'::interval)::date, EXTRACT(DOW FROM DATE '2026-03-20')"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '2026-03-13,5');
  }
  if (pg) {
    const client = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'tester', database: 'saleslake' });
    await client.connect();
    try {
      const res = await client.query({ text: "SELECT now() - interval '7 days' AS week_ago, current_date - interval '7' day AS d, date_add('day', -7, current_date) AS e, $1::int AS n", values: [7], rowMode: 'array' });
      assert.deepEqual(res.fields.map((f) => f.dataTypeID), [1114, 1082, 1082, 20]);  // integers are int8
      assert.ok(res.rows[0][0] instanceof Date);
      assert.deepEqual(res.rows[0][1], res.rows[0][2]);
      const counted = await client.query({ text: DATES[0], rowMode: 'array' });
      assert.equal(counted.rows[0][0], expected[0][0][0]);
    } finally {
      await client.end();
    }
  }
});

test('SET statement_timeout is honoured per session, RESET restores it', { skip: !hasPsql && 'psql is not installed' }, async () => {
  const endless = 'WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r';
  for (const value of ["'1s'", '1000']) {
    const r = psql(server.port, ['-c', `SET statement_timeout = ${value}`, '-c', endless]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /ERROR:\s+57014: canceling statement due to statement timeout/);
  }
  const shown = psql(server.port, ['-At', '-c', "SET statement_timeout = '5s'", '-c', 'SHOW statement_timeout',
    '-c', "SELECT current_setting('statement_timeout')", '-c', 'RESET statement_timeout', '-c', 'SHOW statement_timeout',
    '-c', 'SET statement_timeout = 250', '-c', 'SHOW statement_timeout', '-c', 'SET statement_timeout TO DEFAULT',
    '-c', 'SHOW statement_timeout']);
  assert.equal(shown.status, 0, shown.stderr);
  assert.deepEqual(shown.stdout.trim().split('\n'), ['SET', '5s', '5s', 'RESET', '0', 'SET', '250ms', 'SET', '0']);
  const bad = psql(server.port, ['-c', "SET statement_timeout = 'soon'"]);
  assert.match(bad.stderr, /22023/);
  // Per session: another connection has none, and libpq's PGOPTIONS sets it at startup.
  const other = psql(server.port, ['-At', '-c', 'SHOW statement_timeout']);
  assert.equal(other.stdout.trim(), '0');
  const viaOptions = psql(server.port, ['-c', endless], { PGOPTIONS: '-c statement_timeout=1s' });
  assert.match(viaOptions.stderr, /57014/);
  // SET LOCAL lasts until the transaction ends.
  const local = psql(server.port, ['-At', '-c', 'BEGIN', '-c', "SET LOCAL statement_timeout = '2s'", '-c', 'SHOW statement_timeout',
    '-c', 'COMMIT', '-c', 'SHOW statement_timeout']);
  assert.deepEqual(local.stdout.trim().split('\n'), ['BEGIN', 'SET', '2s', 'COMMIT', '0']);
  if (pg) {
    // node-postgres's statement_timeout option goes in the startup packet.
    const client = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'tester', database: 'saleslake', statement_timeout: 1000 });
    await client.connect();
    try {
      await assert.rejects(client.query(endless), (e) => e.code === '57014');
      assert.equal((await client.query('SELECT 1 AS one')).rows[0].one, '1');
    } finally {
      await client.end();
    }
  }
});

test('users sign in with SCRAM-SHA-256, API keys in clear on loopback; roles apply', { skip: !hasPsql && 'psql is not installed' }, async () => {
  const hash = (pw) => saleslake(['serve', '--hash-password'], pw + '\n').stdout.trim();
  const key = 'slk_' + 'k'.repeat(43);
  const keyHash = execFileSync(PYTHON, ['-c', `import hashlib;print(hashlib.sha256(b"${key}").hexdigest())`], { encoding: 'utf8' }).trim();
  const auth = { users: [{ name: 'ana', role: 'analyst', password_hash: hash('s3cret pw') },
    { name: 'vic', role: 'viewer', password_hash: hash('viewer pw') }],
  api_keys: [{ name: 'ci', role: 'analyst', key_sha256: keyHash }] };
  const file = path.join(dir, 'auth.json');
  fs.writeFileSync(file, JSON.stringify(auth));
  const s = await startPg(['--auth-file', file]);
  try {
    const run = (user, password) => spawnSync('psql', ['-h', '127.0.0.1', '-p', String(s.port), '-U', user, '-d', 'saleslake',
      '-X', '-At', '-c', 'SELECT COUNT(*) FROM sales'], { encoding: 'utf8', env: { ...process.env, PGPASSWORD: password } });
    const ok = run('ana', 's3cret pw');
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(Number(ok.stdout.trim()), ours('SELECT COUNT(*) FROM sales')[0][0]);
    assert.match(run('ana', 'wrong').stderr, /password authentication failed/);
    assert.match(run('nobody', 'x').stderr, /password authentication failed/);
    assert.match(run('vic', 'viewer pw').stderr, /analyst/);
    const viaKey = run('ci', key);
    assert.equal(viaKey.status, 0, viaKey.stderr);
    assert.match(run('ci', 'slk_wrong').stderr, /password authentication failed/);
  } finally {
    await s.stop();
  }
});

test('TLS with --pg-tls-cert/--pg-tls-key; without it SSLRequest is refused', { skip: (!hasPsql || !have('openssl', ['version'])) && 'psql or openssl is not installed' }, async () => {
  const noTls = psql(server.port, ['-At', '-c', 'SELECT 1'], { PGSSLMODE: 'require' });
  assert.notEqual(noTls.status, 0);
  assert.match(noTls.stderr, /does not support SSL/);
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-subj', '/CN=localhost', '-days', '1'], { stdio: 'ignore' });
  const s = await startPg(['--pg-tls-cert', cert, '--pg-tls-key', key]);
  try {
    const r = psql(s.port, ['-At', '-c', "SELECT 'over tls'"], { PGSSLMODE: 'require' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'over tls');
    await waitForLog(s, (l) => l.event === 'pg.connected' && l.tls === 'yes');
  } finally {
    await s.stop();
  }
});

test('hostile bytes get an error and a closed connection, and the server goes on', async () => {
  const send = (bytes) => new Promise((resolve) => {
    const sock = net.connect(server.port, '127.0.0.1');
    const chunks = [];
    sock.on('data', (d) => chunks.push(d));
    sock.on('close', () => resolve(Buffer.concat(chunks)));
    sock.on('error', () => resolve(Buffer.concat(chunks)));
    sock.write(bytes);
  });
  const huge = Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 3, 0, 0]);
  const reply = await send(huge);
  assert.equal(String.fromCharCode(reply[0]), 'E');
  assert.match(reply.toString('latin1'), /08P01/);
  // A valid startup, then a message that claims 2 GiB.
  const params = Buffer.from('user\0tester\0database\0saleslake\0\0', 'latin1');
  const startup = Buffer.alloc(8);
  startup.writeInt32BE(8 + params.length, 0);
  startup.writeInt32BE(196608, 4);
  const bad = Buffer.from([0x51, 0x7f, 0xff, 0xff, 0xff]);
  const reply2 = await send(Buffer.concat([startup, params, bad]));
  assert.match(reply2.toString('latin1'), /08P01/);
  if (hasPsql) {
    const r = psql(server.port, ['-At', '-c', 'SELECT 1']);
    assert.equal(r.stdout.trim(), '1');
  }
});
