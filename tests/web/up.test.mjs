// `saleslake up`, the demo: the generator in the process, a first run, the dashboard, more runs
// on a timer, and a clean exit on Ctrl-C (SIGINT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { bin } from './lake_fixture.mjs';

// Starts `up` and resolves with its stdout lines up to the dashboard's URL.
function startUp(args) {
  const proc = spawn(bin, ['up', ...args, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const lines = [];
  const ready = new Promise((resolve, reject) => {
    readline.createInterface({ input: proc.stdout }).on('line', (l) => {
      lines.push(l);
      const m = l.match(/dashboard at (http:\/\/[^/ ]+)\//);
      if (m) resolve(m[1]);
    });
    exited.then((e) => reject(new Error(`up exited ${JSON.stringify(e)}: ${lines.join('\n')}`)));
  });
  return { proc, exited, lines, ready };
}

test('up on an existing lake resumes it: no second first run', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-up-resume-'));
  const lake = path.join(dir, 'lake');
  try {
    for (const round of [1, 2]) {
      const up = startUp(['--lake', lake, '--batches', '1', '--records', '500', '--every', '1h',
        '--listen', '127.0.0.1:0']);
      const url = await up.ready;
      const status = await (await fetch(url + '/api/v1/status')).json();
      assert.equal(status.batches.transformed, 1, `round ${round}: one batch, the first run's`);
      if (round === 1) {
        assert.ok(up.lines.some((l) => /first run/.test(l)), up.lines.join('\n'));
      } else {
        assert.ok(up.lines.some((l) => /resuming the lake at/.test(l)), up.lines.join('\n'));
        assert.ok(!up.lines.some((l) => /first run/.test(l)), up.lines.join('\n'));
      }
      up.proc.kill('SIGINT');
      assert.equal((await up.exited).code, 0);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('up on a busy port fails at once, naming the port and --listen, before any run', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-up-busy-'));
  const lake = path.join(dir, 'lake');
  const net = await import('node:net');
  const blocker = net.createServer();
  await new Promise((r) => blocker.listen(0, '127.0.0.1', r));
  const { port } = blocker.address();
  try {
    const up = spawn(bin, ['up', '--lake', lake, '--listen', `127.0.0.1:${port}`],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let out = '';
    up.stderr.on('data', (d) => { err += d; });
    up.stdout.on('data', (d) => { out += d; });
    const code = await new Promise((r) => up.on('exit', r));
    assert.notEqual(code, 0);
    assert.match(err, new RegExp(`port ${port} .*in use.*--listen`));
    assert.equal(out, '', 'nothing ran');
    assert.ok(!fs.existsSync(lake), 'no lake was made');
  } finally {
    blocker.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('up: first run, dashboard with its numbers, a later run lands, SIGINT exits 0', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-up-'));
  const lake = path.join(dir, 'lake');
  const proc = spawn(bin, ['up', '--lake', lake, '--batches', '2', '--records', '2000', '--every', '1s',
    '--listen', '127.0.0.1:0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    const lines = [];
    const url = await new Promise((resolve, reject) => {
      readline.createInterface({ input: proc.stdout }).on('line', (l) => {
        lines.push(l);
        const m = l.match(/dashboard at (http:\/\/[^/ ]+)\//);
        if (m) resolve(m[1]);
      });
      exited.then((e) => reject(new Error(`up exited ${JSON.stringify(e)}: ${lines.join('\n')}`)));
    });
    // Clean by default: every sale lands in main, none in quarantine.
    assert.ok(lines.some((l) => /4000 sales extracted, 4000 in main, 0 quarantined/.test(l)), lines.join('\n'));
    const first = await (await fetch(url + '/api/v1/summary?range=all')).json();
    assert.ok(first.kpis.orders.value >= 4000);
    let status;
    for (let i = 0; i < 300; i++) {
      status = await (await fetch(url + '/api/v1/status')).json();
      if (status.batches.transformed >= 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(status.batches.transformed >= 3, 'a later run landed');
    const runs = await (await fetch(url + '/api/v1/runs')).json();
    // A run under way has commits but no record yet: "committed".
    assert.ok(runs.runs.every((r) => r.status === 'ok' || r.status === 'committed'), JSON.stringify(runs.runs.map((r) => r.status)));
    assert.ok(runs.runs.filter((r) => r.status === 'ok').length >= 1);
    const sql = await fetch(url + '/api/v1/query', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT COUNT(*) FROM sales' }) });
    assert.equal(sql.status, 200, 'the crawl ran: SQL sees the tables');
  } finally {
    proc.kill('SIGINT');
    const { code } = await exited;
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 0);
  }
});
