// The first hour of a new user, command by command: a mistyped lake is an error that creates
// nothing, mistyped flags and commands get a suggestion, JSON inputs are strict, a response with
// no sales lands nothing and says so, transform --rebuild and --reference-* none, read-only SQL
// names the statement's verb, dot-commands in the prompt, JSON logs with one key style.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const bin = process.env.SALESLAKE_BINARY;
let dir;
let lake;

function saleslake(args, input) {
  const r = spawnSync(bin, args, { encoding: 'utf8', input, maxBuffer: 1 << 26, cwd: dir });
  if (r.error) throw r.error;
  return r;
}
function ok(args, input) {
  const r = saleslake(args, input);
  assert.equal(r.status, 0, `saleslake ${args.join(' ')}: ${r.stderr}`);
  return r;
}

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-first-hour-'));
  lake = path.join(dir, 'lake');
  const ndjson = ok(['generate', '--records', '2000', '--seed', '7', '--format', 'ndjson']).stdout;
  ok(['extract', '--from', '-', '--lake', lake], ndjson);
  ok(['transform', '--lake', lake]);
  ok(['crawl', '--lake', lake]);
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('a lake that does not exist is an error for every reading command, and nothing is made', () => {
  const reading = [['status'], ['transform'], ['compact'], ['vacuum'], ['crawl'], ['catalog', 'tables'],
    ['query', 'SELECT 1'], ['serve', '--listen', '127.0.0.1:0'], ['quarantine', '--lake', './lak', 'list']];
  for (const args of reading) {
    const r = saleslake(args.includes('--lake') ? args : [...args, '--lake', './lak']);
    assert.notEqual(r.status, 0, `${args[0]} must fail`);
    assert.match(r.stderr, /no lake at \.\/lak: /, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.ok(!fs.existsSync(path.join(dir, 'lak')), `${args[0]} created ./lak`);
  }
});

test('an unknown flag or command suggests the nearest one', () => {
  let r = saleslake(['status', '--lak', lake]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /did you mean --lake\?/);
  r = saleslake(['stauts']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /did you mean 'status'\?/);
  r = saleslake(['fs', 'lss', lake]);
  assert.match(r.stderr, /did you mean 'ls'\?/);
  r = saleslake(['catalog', 'tabels', '--lake', lake]);
  assert.match(r.stderr, /did you mean 'tables'\?/);
  r = saleslake(['extract', 'sales.ndjson', '--lake', lake]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /name input files with --from \(saleslake extract --from sales\.ndjson/);
});

test("the servers' request threads: --request-threads, with --workers as the older name", () => {
  for (const cmd of ['api', 'serve']) {
    for (const flag of ['--request-threads', '--workers']) {
      const r = saleslake([cmd, flag, '0']);
      assert.equal(r.status, 2, `${cmd} ${flag} 0: ${r.stderr}`);
      assert.match(r.stderr, /request-threads/, `${cmd} ${flag} 0: ${r.stderr}`);
    }
  }
});

test('strict JSON: a bad response lands nothing and says why; a bad record is quarantined', () => {
  const l = path.join(dir, 'strict');
  const good = ok(['generate', '--records', '2', '--seed', '3', '--format', 'json']).stdout.trim();
  const bad = [
    ['trailing comma', good.replace(/\]\s*$/, ',]')],
    ['comment', `// sales\n${good}`],
    ['leading comma', good.replace('[', '[,')],
    ['two commas', good.replace('},', '},,')],
  ];
  for (const [what, body] of bad) {
    const r = saleslake(['extract', '--from', '-', '--lake', l], body);
    assert.notEqual(r.status, 0, `${what}: ${r.stdout}`);
    assert.ok(r.stderr.trim().length > 0, what);
    const status = saleslake(['status', '--lake', l, '--format', 'json']);
    if (status.status === 0) assert.equal(JSON.parse(status.stdout).batches.extracted, 0, what);
  }
  // One record with NaN, a leading zero or a trailing comma: quarantined with a reason.
  const lines = ok(['generate', '--records', '3', '--seed', '4', '--format', 'ndjson']).stdout.trim().split('\n');
  const records = [
    lines[0].replace(/"quantity":\d/, '"quantity":NaN'),
    lines[1].replace(/"quantity":(\d)/, '"quantity":0$1'),
    lines[2].replace(/}$/, ',}'),
    lines[0].replace(/"transaction_id":"/, "'transaction_id':'").replace(/^\{/, '{'),
  ];
  ok(['extract', '--from', '-', '--lake', l], records.join('\n') + '\n');
  const t = JSON.parse(ok(['transform', '--lake', l, '--format', 'json']).stdout);
  assert.equal(t.rows_main, 0);
  assert.equal(t.rows_quarantined, 4);
});

test('a response with no sales records lands nothing and says so', () => {
  const l = path.join(dir, 'empty');
  for (const body of ['[]', '{"statusCode":200,"body":[]}', '{"status":"ok"}']) {
    const r = saleslake(['extract', '--from', '-', '--lake', l], body);
    assert.notEqual(r.status, 0, body);
    assert.match(r.stderr, /no (sales )?records/, body);
  }
});

test('transform --reference-* none turns the check off; --rebuild re-derives from raw', () => {
  const l = path.join(dir, 'rebuild');
  let ndjson = ok(['generate', '--records', '500', '--seed', '9', '--format', 'ndjson']).stdout;
  ndjson = ndjson.replace('"store_id":"S0', '"store_id":"X0');  // one unknown store
  ok(['extract', '--from', '-', '--lake', l], ndjson);
  let t = JSON.parse(ok(['transform', '--lake', l, '--format', 'json', '--reference-products', 'none',
    '--reference-stores', 'none']).stdout);
  assert.equal(t.rows_quarantined, 0);
  assert.equal(t.reference, 'none');
  t = JSON.parse(ok(['transform', '--lake', l, '--format', 'json', '--rebuild']).stdout);
  assert.equal(t.reference, 'builtin:seed');
  assert.equal(t.rows_main, 499);
  assert.equal(t.rows_quarantined, 1);
  assert.equal(t.quarantine_by_reason.unknown_store, 1);
  const q = ok(['query', '--lake', l, '--format', 'json', 'SELECT count(*) AS n FROM sales']).stdout;
  assert.equal(JSON.parse(q).rows[0][0], 499);
});

test('read-only SQL names the statement\'s own verb', () => {
  for (const [sql, verb] of [['DROP TABLE sales', 'DROP TABLE'], ['CREATE VIEW v AS SELECT 1', 'CREATE VIEW'],
    ['INSERT INTO sales SELECT * FROM sales', 'INSERT'], ['DELETE FROM sales', 'DELETE'],
    ['CREATE TABLE t AS SELECT * FROM sales', 'CREATE TABLE']]) {
    const r = saleslake(['query', '--lake', lake, sql]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, new RegExp(`error: ${verb} is not allowed`), `${sql}: ${r.stderr}`);
  }
});

test('in the SQL prompt a dot-command never swallows the statement after it', () => {
  const r = ok(['query', '--lake', lake, '--format', 'csv'], '.tables;\nSELECT 1 + 1 AS two;\n.tables\nSELECT 2 AS x;\n');
  assert.match(r.stdout, /^brand_sales/m);
  assert.match(r.stdout, /two\n2\n/);
  assert.match(r.stdout, /x\n2\n/);
});

test('DECIMAL prints with its scale in text, JSON and CSV', () => {
  const sql = 'SELECT total_sales FROM brand_sales ORDER BY brand LIMIT 3';
  const csv = ok(['query', '--lake', lake, '--format', 'csv', sql]).stdout.trim().split('\n').slice(1);
  for (const v of csv) assert.match(v, /^\d+\.\d\d$/);
  const json = ok(['query', '--lake', lake, '--format', 'json', sql]).stdout;
  assert.match(json, /"rows":\[\[\d+\.\d\d\]/);
  const table = ok(['query', '--lake', lake, '--format', 'table', sql]).stdout;
  assert.match(table, /\d+\.\d\d\s*$/m);
});

test('JSON logs: snake_case keys, numbers as numbers, the same keys across commands', () => {
  const l = path.join(dir, 'logs');
  const ndjson = ok(['generate', '--records', '300', '--seed', '11', '--format', 'ndjson']).stdout;
  const logs = [
    ok(['extract', '--from', '-', '--lake', l, '--log-format', 'json', '--log-level', 'debug'], ndjson).stderr,
    ok(['transform', '--lake', l, '--log-format', 'json', '--log-level', 'debug']).stderr,
    ok(['crawl', '--lake', l, '--log-format', 'json', '--log-level', 'debug']).stderr,
  ].join('');
  const lines = logs.trim().split('\n').filter((x) => x.startsWith('{'));
  assert.ok(lines.length >= 2, logs);
  const numeric = new Set(['commit', 'rows', 'rows_in', 'rows_main', 'rows_quarantined', 'bytes', 'ms', 'records']);
  for (const line of lines) {
    const o = JSON.parse(line);
    for (const [k, v] of Object.entries(o)) {
      assert.match(k, /^[a-z][a-z0-9_]*$/, `key ${k} in ${line}`);
      if (numeric.has(k)) assert.equal(typeof v, 'number', `${k} in ${line}`);
    }
  }
  const committed = lines.map((x) => JSON.parse(x)).find((o) => o.event === 'transform.committed');
  assert.ok(committed && typeof committed.commit === 'number', logs);
});
