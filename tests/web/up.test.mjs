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
    assert.ok(lines.some((l) => /4000 sales extracted/.test(l)), lines.join('\n'));
    const first = await (await fetch(url + '/api/v1/summary?range=all')).json();
    assert.ok(first.kpis.orders.value > 3500 && first.kpis.orders.value <= 4000);
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
