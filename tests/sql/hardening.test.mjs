// Wrong answers the hardening issue found, reproduced on a lake made by the binary: a committed
// file removed or cut short was silently skipped by SQL (198013 rows instead of 200000, exit 0);
// with the last ledger commit removed, `query` said "no such table". Each now fails naming the
// file or the commit, and `status` and the catalog report the damage.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const bin = process.env.SALESLAKE_BINARY;
const NOW = '2026-11-26T10:00:00Z';
let dir;
let lake;

function saleslake(args) {
  return spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
}

function files(table) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.parquet') && !e.name.startsWith('_')) out.push(p);
    }
  };
  walk(path.join(lake, table));
  return out.sort();
}

beforeEach(() => {
  assert.ok(bin, 'SALESLAKE_BINARY must name the saleslake binary');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-harden-'));
  lake = path.join(dir, 'lake');
  const input = path.join(dir, 'sales.ndjson');
  execFileSync(bin, ['generate', '--records', '4000', '--seed', '7', '--format', 'ndjson',
    '--now', '2026-11-26T09:00:00', '--out', input]);
  for (const args of [['extract', '--from', input], ['transform']]) {
    const r = saleslake([...args, '--lake', lake, '--now', NOW, '--log-level', 'warn']);
    assert.equal(r.status, 0, r.stderr);
  }
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a removed or truncated committed file fails the query, naming it', () => {
  const [gone, cut] = files('main/sales');
  fs.rmSync(gone);
  fs.truncateSync(cut, 5000);
  const q = saleslake(['query', '--lake', lake, 'select count(*) from sales']);
  assert.notEqual(q.status, 0, q.stdout);
  const named = [gone, cut].map((f) => path.relative(lake, f));
  assert.ok(named.some((f) => q.stderr.includes(f)), q.stderr);
  assert.ok(!q.stderr.includes(`${lake}/main`), `an absolute path: ${q.stderr}`);
  // Both paths fail; json output too.
  for (const extra of [['--row-engine'], ['--format', 'json']]) {
    const r = saleslake(['query', '--lake', lake, ...extra, 'select sum(total) from sales']);
    assert.notEqual(r.status, 0, `${extra}: ${r.stdout}`);
  }
  // Tables that do not need those files still answer.
  const other = saleslake(['query', '--lake', lake, '--format', 'json', 'select count(*) from raw_sales']);
  assert.equal(other.status, 0, other.stderr);
  assert.equal(JSON.parse(other.stdout).rows[0][0], 4000);

  const problems = saleslake(['catalog', 'problems', '--lake', lake, '--format', 'json']);
  const text = problems.stdout + problems.stderr;
  for (const f of named) assert.ok(text.includes(f), `catalog problems lack ${f}: ${text}`);
  const tables = JSON.parse(saleslake(['catalog', 'tables', '--lake', lake, '--format', 'json']).stdout);
  const sales = (tables.tables || tables).find((t) => t.name === 'sales');
  assert.equal(sales.problem_files, 2, JSON.stringify(sales));

  const status = saleslake(['status', '--lake', lake, '--format', 'json']);
  assert.equal(status.status, 0, status.stderr);
  const listed = JSON.parse(status.stdout).problems.map((p) => p.path);
  assert.deepEqual(listed.sort(), named.sort());
  const statusText = saleslake(['status', '--lake', lake]).stdout;
  assert.match(statusText, /problems: 2 committed file/);
});

test('with the last ledger commit removed, query fails naming the commit', () => {
  // The lake was queried before (as `saleslake run` crawls after each run).
  const before = saleslake(['query', '--lake', lake, '--format', 'json', 'select count(*) from sales']);
  assert.equal(before.status, 0, before.stderr);
  const ledger = path.join(lake, '_ledger');
  const commits = fs.readdirSync(ledger).filter((f) => /^\d+\.json$/.test(f)).sort();
  fs.rmSync(path.join(ledger, commits.at(-1)));
  const q = saleslake(['query', '--lake', lake, 'select count(*) from sales']);
  assert.notEqual(q.status, 0, q.stdout);
  assert.doesNotMatch(q.stderr, /no such table/);
  const seq = String(Number(commits.at(-1).replace('.json', '')));
  assert.match(q.stderr, new RegExp(`commit ${seq}\\b`), q.stderr);
  assert.match(q.stderr, /restore it from a backup/);
  // The crawl refuses the same way (it would otherwise forget the lost commit's files).
  const crawl = saleslake(['crawl', '--lake', lake]);
  assert.notEqual(crawl.status, 0, crawl.stdout);
  assert.match(crawl.stderr, new RegExp(`commit ${seq}\\b`), crawl.stderr);
});
