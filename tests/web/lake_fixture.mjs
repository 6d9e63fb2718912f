// A real lake for the dashboard's tests: generated sales extracted and transformed by the built
// binary, a `saleslake serve` process over it, and DuckDB reading main/sales as the oracle.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export const bin = process.env.SALESLAKE_BINARY;
export const NOW = '2026-03-20T12:00:00';

export function saleslake(args, input) {
  return spawnSync(bin, args, { input, encoding: 'utf8', maxBuffer: 256 << 20 });
}

// Builds a lake with `batches` batches of `records` sales over 70 days up to NOW (some dirty).
export function makeLake(prefix, { batches = 3, records = 20000 } = {}) {
  assert.ok(bin, 'SALESLAKE_BINARY must name the saleslake binary');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const lake = path.join(dir, 'lake');
  for (let i = 0; i < batches; i++) {
    const file = path.join(dir, `batch${i}.ndjson`);
    execFileSync(bin, ['generate', '--records', String(records), '--seed', String(100 + i), '--now', NOW,
      '--days', '70', '--format', 'ndjson', '--dirty', '0.01', '--out', file]);
    addBatch(lake, file);
  }
  return { dir, lake };
}

export function addBatch(lake, file) {
  let r = saleslake(['extract', '--from', file, '--lake', lake, '--now', NOW + 'Z', '--log-level', 'warn']);
  assert.equal(r.status, 0, r.stderr);
  r = saleslake(['transform', '--lake', lake, '--now', '2026-03-20T13:00:00Z', '--log-level', 'warn']);
  assert.equal(r.status, 0, r.stderr);
}

// Starts `saleslake serve` on a free loopback port; resolves to {url, proc, stop()}.
export async function startServe(lake, extra = [], env = {}) {
  const proc = spawn(bin, ['serve', '--lake', lake, '--listen', '127.0.0.1:0', '--poll', '200ms',
    '--log-format', 'json', ...extra], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs = [];
  readline.createInterface({ input: proc.stderr }).on('line', (l) => logs.push(l));
  const url = await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: proc.stdout });
    lines.on('line', (line) => {
      const m = line.match(/dashboard at (http:\/\/[^/ ]+)\//);
      if (m) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`serve exited ${code}: ${logs.join('\n')}`)));
  });
  return {
    url, proc, logs,
    stop: () => new Promise((resolve) => {
      if (proc.exitCode !== null) return resolve(proc.exitCode);
      proc.on('exit', (code) => resolve(code));
      proc.kill('SIGTERM');
    }),
  };
}

export function removeDir(dir) {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
