// A bounded load run: `wrk` (Debian) on loopback, 16 connections for a few seconds, against the
// summary endpoint and the Overview page of `saleslake serve`. Asserts only outcomes: requests
// were answered, none failed. (Throughput figures belong to bench/cases/serve.sh.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { makeLake, startServe, removeDir } from './lake_fixture.mjs';

const WRK = '/usr/bin/wrk';
const opts = { skip: fs.existsSync(WRK) ? false : 'no wrk (scripts/install-deps.sh installs it)' };
let dir, lake, server;

before(async () => {
  if (opts.skip) return;
  ({ dir, lake } = makeLake('sl-load-', { batches: 1, records: 20000 }));
  server = await startServe(lake, ['--log-level', 'warn']);
});

after(async () => {
  if (server) await server.stop();
  removeDir(dir);
});

function wrk(url) {
  const r = spawnSync(WRK, ['-t2', '-c16', '-d3s', '--timeout', '5s', '-H', 'Accept-Encoding: gzip', url], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const requests = Number((r.stdout.match(/(\d+) requests in/) || [])[1]);
  return { out: r.stdout, requests };
}

for (const [name, path] of [['summary endpoint', '/api/v1/summary?range=last30'], ['Overview page', '/']]) {
  test(`wrk, 16 connections on loopback: the ${name} answers every request`, opts, () => {
    const { out, requests } = wrk(server.url + path);
    assert.ok(requests > 0, out);
    assert.doesNotMatch(out, /Non-2xx or 3xx responses/, out);
    assert.doesNotMatch(out, /Socket errors/, out);
  });
}
