// `saleslake serve` over HTTP against a real lake: every endpoint, numbers equal to DuckDB's
// reading of main/sales (the rollups must agree with the sales they summarise), bad parameters,
// paging, headers, metrics, refresh after a new run, and the access rules (401/403, CSRF,
// sign-in, refusing to listen off loopback without users), and the DNS rebinding defence (Host
// and Origin checked against the server's own names).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import readline from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';
import { bin, NOW, makeLake, addBatch, startServe, removeDir, saleslake } from './lake_fixture.mjs';

let lake, dir, server, con;

before(async () => {
  ({ dir, lake } = makeLake('sl-serve-api-'));
  server = await startServe(lake);
  const db = await DuckDBInstance.create(':memory:');
  con = await db.connect();
  await con.run(`CREATE VIEW sales AS SELECT *, make_date(year::INT, month::INT, day::INT) AS d
                   FROM read_parquet('${path.join(lake, 'main/sales/**/*.parquet')}', hive_partitioning = true)`);
});

after(async () => {
  if (server) await server.stop();
  removeDir(dir);
});

async function duck(sql) {
  return (await con.runAndReadAll(sql)).getRowObjectsJson();
}

async function get(p, headers = {}) {
  const res = await fetch(server.url + p, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function getJson(p) {
  const r = await get(p);
  assert.equal(r.status, 200, `${p}: ${r.text}`);
  return { json: JSON.parse(r.text), text: r.text };
}

// The exact decimal text of `key`'s value in a JSON document (JSON.parse would lose "x.x0").
function kpi(text, key) {
  const m = text.match(new RegExp(`"${key}":\\{"value":(-?[0-9.]+|null)`));
  assert.ok(m, `no ${key} in ${text.slice(0, 300)}`);
  return m[1];
}

const money = `sum(total)::VARCHAR AS sales, count(*)::INT AS orders, sum(quantity)::INT AS units,
               sum((mrp - retail_price) * quantity)::VARCHAR AS profit`;

test('summary over all data equals SQL over main/sales', async () => {
  const { json, text } = await getJson('/api/v1/summary?range=all');
  const [d] = await duck(`SELECT ${money}, min(d)::VARCHAR AS first, max(d)::VARCHAR AS last FROM sales`);
  assert.equal(kpi(text, 'sales'), d.sales);
  assert.equal(json.kpis.orders.value, d.orders);
  assert.equal(json.kpis.units.value, d.units);
  assert.equal(kpi(text, 'gross_profit'), d.profit);
  assert.equal(json.period.from, d.first);
  assert.equal(json.period.to, d.last);
  assert.ok(d.orders > 50000, 'the lake holds the sales extracted');
});

test('month to date vs the same days of last month, with filters, equals SQL', async () => {
  const { json, text } = await getJson('/api/v1/summary?brand=Apple&city=Mumbai');
  assert.equal(json.period.from, '2026-03-01');
  assert.equal(json.period.to, '2026-03-20');
  // The server's clock is not on 2026-03-20: a period ending on a past day compares whole days.
  assert.deepEqual(json.previous, { from: '2026-02-01', to: '2026-02-20', days: 20,
    start: '2026-02-01T00:00:00.000+00:00', end: '2026-02-21T00:00:00.000+00:00' });
  const where = `brand = 'Apple' AND store_location = 'Mumbai'`;
  const [cur] = await duck(`SELECT ${money} FROM sales WHERE ${where} AND d BETWEEN '2026-03-01' AND '2026-03-20'`);
  const [prev] = await duck(`SELECT ${money} FROM sales WHERE ${where} AND d BETWEEN '2026-02-01' AND '2026-02-20'`);
  assert.ok(cur.orders > 0 && prev.orders > 0, 'both periods hold sales');
  assert.equal(kpi(text, 'sales'), cur.sales);
  assert.equal(json.kpis.orders.value, cur.orders);
  assert.equal(json.kpis.sales.previous.toFixed(2), Number(prev.sales).toFixed(2));
  const change = ((Number(cur.sales) - Number(prev.sales)) / Number(prev.sales)) * 100;
  assert.ok(Math.abs(json.kpis.sales.change_pct - change) < 0.006, `${json.kpis.sales.change_pct} vs ${change}`);
});

test('a period ending now compares the earlier period up to the same time of day (pinned clock)', async () => {
  const pinned = await startServe(lake, ['--now', '2026-03-20T10:20:00Z']);
  try {
    const us = (iso) => BigInt(Date.parse(iso)) * 1000n;
    for (const filter of ['', '&brand=Apple&city=Mumbai']) {
      const r = await fetch(`${pinned.url}/api/v1/summary?range=mtd${filter}`);
      const text = await r.text();
      assert.equal(r.status, 200, text);
      const json = JSON.parse(text);
      assert.equal(json.period.end, '2026-03-20T10:20:00.000+00:00');
      assert.deepEqual(json.previous, { from: '2026-02-01', to: '2026-02-20', days: 20,
        start: '2026-02-01T00:00:00.000+00:00', end: '2026-02-20T10:20:00.000+00:00' });
      const where = filter ? `brand = 'Apple' AND store_location = 'Mumbai' AND ` : '';
      const [prev] = await duck(`SELECT ${money} FROM sales WHERE ${where}
          epoch_us(timestamp) >= ${us('2026-02-01T00:00:00Z')} AND epoch_us(timestamp) < ${us('2026-02-20T10:20:00Z')}`);
      const [later] = await duck(`SELECT count(*)::INT AS n FROM sales WHERE ${where}
          epoch_us(timestamp) >= ${us('2026-02-20T10:20:00Z')} AND d = '2026-02-20'`);
      assert.ok(later.n > 0, 'the boundary day has sales after the cut');
      assert.equal(json.kpis.orders.previous, prev.orders);
      assert.equal(json.kpis.units.previous, prev.units);
      assert.equal(text.match(/"sales":\{"value":[0-9.]+,"previous":([0-9.]+)/)[1], prev.sales);
      assert.equal(text.match(/"gross_profit":\{"value":[0-9.]+,"previous":([0-9.]+)/)[1], prev.profit);
    }
  } finally {
    await pinned.stop();
  }
});

for (const [label, q, where] of [
  ['filtered', 'from=2026-02-10&to=2026-03-05&category=Laptop', `category = 'Laptop' AND d BETWEEN '2026-02-10' AND '2026-03-05'`],
  ['unfiltered (pre-aggregated)', 'from=2026-02-10&to=2026-03-05', `d BETWEEN '2026-02-10' AND '2026-03-05'`],
]) test(`breakdowns, time series and top products equal SQL: ${label}`, async () => {
  for (const [by, col] of [['brand', 'brand'], ['city', 'store_location'], ['store', 'store_id'], ['category', 'category']]) {
    const { json } = await getJson(`/api/v1/breakdowns?by=${by}&limit=1000&${q}`);
    const rows = await duck(`SELECT ${col} AS key, sum(total)::VARCHAR AS sales, count(*)::INT AS orders
                               FROM sales WHERE ${where} GROUP BY 1 ORDER BY sum(total) DESC, 1`);
    assert.ok(rows.length > 0, `the filter keeps some ${by}s`);
    assert.deepEqual(json.rows.map((r) => [r.key, r.sales.toFixed(2), r.orders]),
      rows.map((r) => [r.key, Number(r.sales).toFixed(2), r.orders]), by);
  }
  const { json: ts } = await getJson(`/api/v1/timeseries?${q}`);
  assert.equal(ts.points.length, 24);
  const days = await duck(`SELECT d::VARCHAR AS date, sum(total)::VARCHAR AS sales FROM sales WHERE ${where} GROUP BY 1 ORDER BY 1`);
  const byDay = new Map(days.map((r) => [r.date, Number(r.sales).toFixed(2)]));
  for (const p of ts.points) assert.equal(p.sales.toFixed(2), byDay.get(p.date) || '0.00', p.date);
  const { json: top } = await getJson(`/api/v1/top-products?limit=5&order=units&${q}`);
  const tops = await duck(`SELECT product_id, sum(quantity)::INT AS units FROM sales WHERE ${where}
                             GROUP BY 1 ORDER BY units DESC, sum(total) DESC, 1 LIMIT 5`);
  assert.deepEqual(top.rows.map((r) => [r.product_id, r.units]), tops.map((r) => [r.product_id, r.units]));
});

test('bad parameters are 400 with a message naming the parameter', async () => {
  for (const [p, param] of [
    ['/api/v1/summary?from=2026-02-30', 'from'],
    ['/api/v1/summary?from=2026-03-10&to=2026-03-01', 'from'],
    ['/api/v1/summary?range=year', 'range'],
    ['/api/v1/summary?colour=red', 'colour'],
    ['/api/v1/timeseries?grain=hour', 'grain'],
    ['/api/v1/breakdowns?by=planet', 'by'],
    ['/api/v1/breakdowns?by=brand&limit=-1', 'limit'],
    ['/api/v1/top-products?limit=100000', 'limit'],
    ['/api/v1/runs?offset=x', 'offset'],
  ]) {
    const r = await get(p);
    assert.equal(r.status, 400, p);
    const body = JSON.parse(r.text);
    assert.equal(body.error.parameter, param, p);
    assert.ok(body.error.message.length > 10, p);
  }
  assert.equal((await get('/api/v1/nothing')).status, 404);
  const post = await fetch(server.url + '/api/v1/query', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'x'.repeat(70000) });
  assert.equal(post.status, 413);
});

test('runs are paged; catalog, filters, status and quarantine list what the lake holds', async () => {
  const { json: all } = await getJson('/api/v1/runs?limit=500');
  assert.equal(all.total_runs, all.runs.length);
  assert.ok(all.total_runs >= 4, 'three extracts and their transforms');
  const { json: page } = await getJson('/api/v1/runs?limit=2&offset=1');
  assert.equal(page.runs.length, 2);
  assert.deepEqual(page.runs.map((r) => r.run_id), all.runs.slice(1, 3).map((r) => r.run_id));
  const transform = all.runs.find((r) => r.kinds.includes('transform'));
  assert.ok(transform.rows_main > 0);

  const { json: status } = await getJson('/api/v1/status');
  assert.equal(status.batches.extracted, 3);
  assert.equal(status.batches.pending, 0);
  const st = JSON.parse(saleslake(['status', '--lake', lake, '--format', 'json']).stdout);
  assert.deepEqual(status.tables.map((t) => [t.table, t.rows]), st.tables.map((t) => [t.table, t.rows]));

  const { json: cat } = await getJson('/api/v1/catalog');
  const sales = cat.tables.find((t) => t.name === 'main/sales' || t.location === 'main/sales');
  assert.ok(sales, 'main/sales is in the catalog');
  assert.ok(sales.columns.some((c) => c.name === 'transaction_id'));
  const { json: filters } = await getJson('/api/v1/filters');
  const brands = await duck('SELECT DISTINCT brand FROM sales ORDER BY 1');
  assert.deepEqual(filters.brands, brands.map((r) => r.brand));

  const { json: q } = await getJson('/api/v1/quarantine?samples=5');
  assert.deepEqual(q.by_reason, st.quarantine_by_reason);
  assert.ok(q.samples.length > 0 && q.samples[0].reason.length > 0);
});

test('openapi lists every route; health, readiness, metrics; security headers', async () => {
  const { json: doc } = await getJson('/openapi.json');
  for (const p of ['/api/v1/summary', '/api/v1/timeseries', '/api/v1/breakdowns', '/api/v1/top-products',
    '/api/v1/runs', '/api/v1/catalog', '/api/v1/query', '/api/v1/quarantine', '/api/v1/status', '/healthz', '/readyz', '/metrics']) {
    assert.ok(doc.paths[p], p);
  }
  assert.equal((await get('/healthz')).status, 200);
  assert.equal((await get('/readyz')).status, 200);
  const metrics = (await get('/metrics')).text;
  assert.match(metrics, /saleslake_http_requests_total\{[^}]*route="\/api\/v1\/summary"[^}]*status="200"/);
  assert.match(metrics, /saleslake_http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/summary"/);
  assert.match(metrics, /saleslake_lake_rows\{table="main\/sales"\} [1-9]/);
  assert.match(metrics, /saleslake_quarantine_rows\{reason="[a-z_]+"\} [1-9]/);
  assert.match(metrics, /saleslake_last_run_age_seconds /);
  const page = await get('/');
  assert.equal(page.status, 200);
  assert.match(page.text, /<script src="\/assets\/app.js">/);
  assert.doesNotMatch(page.text, /<script>/, 'no inline script');
  const csp = page.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self';/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  const js = await get('/assets/echarts.min.js', { 'Accept-Encoding': 'gzip' });
  assert.equal(js.status, 200);
  const again = await get('/assets/app.js', { 'If-None-Match': (await get('/assets/app.js')).headers.get('etag') });
  assert.equal(again.status, 304);
});

test('a new run is picked up without a restart', async () => {
  const before = (await getJson('/api/v1/status')).json.commit;
  const file = path.join(dir, 'late.ndjson');
  execFileSync(bin, ['generate', '--records', '2000', '--seed', '999', '--now', NOW, '--days', '3', '--format', 'ndjson', '--out', file]);
  addBatch(lake, file);
  let status;
  for (let i = 0; i < 100; i++) {
    status = (await getJson('/api/v1/status')).json;
    if (status.commit >= before + 2) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(status.commit, before + 2);
  const { text } = await getJson('/api/v1/summary?range=all');
  const [d] = await duck(`SELECT sum(total)::VARCHAR AS sales FROM sales`);
  assert.equal(kpi(text, 'sales'), d.sales);
});

test('access: open only on loopback; keys and roles; sign-in with cookie and CSRF', async () => {
  const refused = saleslake(['serve', '--lake', lake, '--listen', '0.0.0.0:0']);
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /needs users or API keys.*--auth-file/);

  const keys = {};
  const auth = { users: [], api_keys: [], rate_limit_per_minute: 100000 };
  for (const role of ['viewer', 'analyst', 'admin']) {
    const out = saleslake(['serve', '--new-api-key']).stdout;
    keys[role] = out.match(/key: +(\S+)/)[1];
    auth.api_keys.push({ name: role + '-key', role, key_sha256: out.match(/key_sha256: +(\S+)/)[1] });
  }
  const hash = saleslake(['serve', '--hash-password'], 'hunter2 hunter2\n').stdout.trim();
  assert.match(hash, /^pbkdf2-sha256\$\d+\$/);
  auth.users.push({ name: 'ana', role: 'analyst', password_hash: hash });
  const authFile = path.join(dir, 'auth.json');
  fs.writeFileSync(authFile, JSON.stringify(auth));
  assert.doesNotMatch(fs.readFileSync(authFile, 'utf8'), /hunter2|slk_/, 'secrets are stored hashed');

  const s = await startServe(lake, ['--auth-file', authFile]);
  try {
    const call = (p, opts = {}) => fetch(s.url + p, opts);
    const bearer = (role, extra = {}) => ({ headers: { Authorization: 'Bearer ' + keys[role], ...extra } });
    assert.equal((await call('/api/v1/summary')).status, 401);
    assert.equal((await call('/api/v1/summary', { headers: { Authorization: 'Bearer slk_wrong' } })).status, 401);
    assert.equal((await call('/api/v1/summary', bearer('viewer'))).status, 200);
    assert.equal((await call('/', {})).status, 200, 'the page shell loads, then asks to sign in');
    const json = { 'Content-Type': 'application/json' };
    const sql = JSON.stringify({ sql: 'SELECT 1' });
    // Personal data per role: viewers read customer names and e-mails masked (SQL and the
    // catalog's statistics), analysts and admins as stored.
    const emails = JSON.stringify({ sql: 'SELECT customer_name, customer_email FROM sales LIMIT 50' });
    for (const role of ['viewer', 'analyst', 'admin']) {
      const res = await call('/api/v1/query', { method: 'POST', body: emails, ...bearer(role, json) });
      assert.equal(res.status, 200, role);
      const { rows } = await res.json();
      assert.ok(rows.length > 0);
      for (const [name, email] of rows) {
        if (role === 'viewer') {
          assert.match(email, /^[^@]\*\*\*@[^*]+$/, email);
          assert.match(name, /^(\S\*\*\* ?)+$/u, name);
        } else {
          assert.doesNotMatch(email, /\*\*\*/, email);
          assert.doesNotMatch(name, /\*\*\*/, name);
        }
      }
      const cat = await (await call('/api/v1/catalog?table=sales', bearer(role))).json();
      const col = cat.tables[0].columns.find((c) => c.name === 'customer_email');
      assert.equal(/\*\*\*/.test(col.min + col.max), role === 'viewer', `${role}: ${col.min} ${col.max}`);
    }
    const probe = JSON.stringify({ sql: 'SELECT count(*) FROM sales WHERE customer_email LIKE \'%@%\' AND customer_email NOT LIKE \'%***%\'' });
    const probed = await (await call('/api/v1/query', { method: 'POST', body: probe, ...bearer('viewer', json) })).json();
    assert.equal(probed.rows[0][0], 0, 'a viewer filters on masked values only');
    assert.equal((await call('/api/v1/quarantine?samples=3', bearer('viewer'))).status, 403);
    assert.equal((await call('/api/v1/quarantine?samples=3', bearer('analyst'))).status, 200);
    assert.equal((await call('/api/v1/runs', { method: 'POST', body: '{}', ...bearer('analyst', json) })).status, 403);
    assert.equal((await call('/api/v1/runs', { method: 'POST', body: '{}', ...bearer('admin') })).status, 415, 'POST must be JSON');
    assert.equal((await call('/api/v1/runs', { method: 'POST', body: '{}', ...bearer('admin', { ...json, Origin: 'http://evil.example' }) })).status, 403);

    // Sign-in: wrong password, then the cookie; a POST with the cookie needs the CSRF token.
    const nullOrigin = await call('/api/v1/login', { method: 'POST', headers: { ...json, Origin: 'null' }, body: JSON.stringify({ user: 'ana', password: 'hunter2 hunter2' }) });
    assert.equal(nullOrigin.status, 403, 'a sign-in from Origin: null is refused');
    const bad = await call('/api/v1/login', { method: 'POST', headers: json, body: JSON.stringify({ user: 'ana', password: 'nope' }) });
    assert.equal(bad.status, 401);
    const ok = await call('/api/v1/login', { method: 'POST', headers: json, body: JSON.stringify({ user: 'ana', password: 'hunter2 hunter2' }) });
    assert.equal(ok.status, 200);
    const cookie = ok.headers.get('set-cookie');
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const { csrf, role } = await ok.json();
    assert.equal(role, 'analyst');
    const session = { Cookie: cookie.split(';')[0] };
    assert.equal((await call('/api/v1/summary', { headers: session })).status, 200);
    const noToken = await call('/api/v1/query', { method: 'POST', body: sql, headers: { ...session, ...json } });
    assert.equal(noToken.status, 403);
    assert.match((await noToken.json()).error.message, /CSRF/);
    const withToken = await call('/api/v1/query', { method: 'POST', body: sql, headers: { ...session, ...json, 'X-CSRF-Token': csrf } });
    assert.notEqual(withToken.status, 403);
    assert.notEqual(withToken.status, 401);
    await call('/api/v1/logout', { method: 'POST', headers: { ...session, ...json, 'X-CSRF-Token': csrf }, body: '{}' });
    assert.equal((await call('/api/v1/summary', { headers: session })).status, 401);
  } finally {
    assert.equal(await s.stop(), 0, 'SIGTERM drains and exits 0');
  }

  // Per-key rate limits: a bucket of 10 requests that refills at 6 a minute.
  const limited = await startServe(lake, [], { SALESLAKE_AUTH: JSON.stringify({ ...auth, rate_limit_per_minute: 6 }) });
  try {
    const codes = [];
    for (let i = 0; i < 12; i++) {
      codes.push((await fetch(limited.url + '/api/v1/filters', { headers: { Authorization: 'Bearer ' + keys.viewer } })).status);
    }
    assert.deepEqual(codes.slice(0, 10), Array(10).fill(200));
    assert.equal(codes[11], 429);
    const other = await fetch(limited.url + '/api/v1/filters', { headers: { Authorization: 'Bearer ' + keys.admin } });
    assert.equal(other.status, 200, 'each key has its own bucket');
  } finally {
    await limited.stop();
  }
});

async function query(body, headers = {}) {
  const res = await fetch(server.url + '/api/v1/query', { method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

test('SQL: answers equal DuckDB, big results come in pages, writes and bad SQL are 400 with a position', async () => {
  const r = await query({ sql: 'SELECT brand, SUM(total) AS sales, COUNT(*) AS n FROM sales GROUP BY brand ORDER BY brand' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.deepEqual(r.json.columns.map((c) => c.name), ['brand', 'sales', 'n']);
  const rows = await duck('SELECT brand, sum(total)::VARCHAR AS sales, count(*)::INT AS n FROM sales GROUP BY 1 ORDER BY 1');
  assert.deepEqual(r.json.rows.map(([b, s, n]) => [b, Number(s).toFixed(2), n]), rows.map((x) => [x.brand, Number(x.sales).toFixed(2), x.n]));
  assert.equal(r.json.more, false);

  const ids = (await duck('SELECT transaction_id FROM sales ORDER BY 1')).map((x) => x.transaction_id);
  assert.ok(ids.length > 50000);
  const sql = 'SELECT transaction_id FROM sales ORDER BY transaction_id';
  const first = await query({ sql, limit: 1000 });
  assert.equal(first.json.rows.length, 1000);
  assert.equal(first.json.more, true);
  assert.deepEqual(first.json.rows.map((x) => x[0]), ids.slice(0, 1000));
  const deep = await query({ sql, offset: 50000, limit: 10000 });
  assert.deepEqual(deep.json.rows.map((x) => x[0]), ids.slice(50000, 60000));
  assert.equal(deep.json.more, ids.length > 60000);

  for (const [body, pattern] of [
    [{ sql: 'DELETE FROM sales' }, /read-only|not authorized|prohibited|denied/i],
    [{ sql: 'SELECT nope FROM sales' }, /nope/],
    [{ sql: 'SELECT 1', limit: 0 }, /limit/],
    [{ sql: 'SELECT 1', offset: 999999, limit: 10000 }, /offset \+ limit/],
    [{ query: 'SELECT 1' }, /sql/],
  ]) {
    const bad = await query(body);
    assert.equal(bad.status, 400, JSON.stringify(body));
    assert.match(bad.json.error.message, pattern);
  }
  const at = await query({ sql: 'SELECT brand\nFROM sales\nWHERE brand = = 1' });
  assert.equal(at.status, 400);
  assert.equal(typeof at.json.error.position, 'number');
  assert.ok(at.json.error.position >= 'SELECT brand\nFROM sales\n'.length, JSON.stringify(at.json));
});

test('catalog: tables from the crawl, partitions, files, schema versions, DDL per dialect', async () => {
  const { json: cat } = await getJson('/api/v1/catalog');
  assert.equal(cat.source, 'catalog');
  const sales = cat.tables.find((t) => t.location === 'main/sales');
  const { json: one } = await getJson('/api/v1/catalog?table=' + sales.name);
  const t = one.tables[0];
  const [d] = await duck('SELECT count(*)::INT AS n, count(DISTINCT d)::INT AS days FROM sales');
  assert.equal(t.rows, d.n);
  assert.equal(t.partitions.length, d.days);
  assert.equal(t.file_list.reduce((a, f) => a + f.rows, 0), d.n);
  assert.ok(t.schema_versions.length >= 1);
  const ddl = await get(`/api/v1/catalog?table=${sales.name}&dialect=duckdb`);
  assert.equal(ddl.status, 200);
  assert.match(ddl.text, /read_parquet/);
  assert.match((await get(`/api/v1/catalog?table=${sales.name}&dialect=athena`)).text, /CREATE EXTERNAL TABLE/);
  assert.equal((await get('/api/v1/catalog?table=nope')).status, 404);
  assert.equal((await get(`/api/v1/catalog?table=${sales.name}&dialect=cobol`)).status, 400);
});

test('run now: an admin starts a run (extract from the API, transform, crawl); its record shows in runs', async () => {
  const api = spawn(bin, ['api', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const apiUrl = await new Promise((resolve) => {
      readline.createInterface({ input: api.stdout }).on('line', (l) => {
        const m = l.match(/serving (http:\/\/\S+)/);
        if (m) resolve(m[1]);
      });
    });
    const s = await startServe(lake, ['--run-api', `${apiUrl}/v1/sales?records=700&now=2026-03-20T12:00:00`]);
    try {
      const before = await (await fetch(s.url + '/api/v1/summary?range=all')).json();
      const start = await fetch(s.url + '/api/v1/runs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      assert.equal(start.status, 202);
      let state;
      for (let i = 0; i < 300; i++) {
        state = (await (await fetch(s.url + '/api/v1/status')).json()).run_now.state;
        if (state !== 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(state, 'ok');
      const after = await (await fetch(s.url + '/api/v1/summary?range=all')).json();
      assert.ok(after.kpis.orders.value > before.kpis.orders.value);
      const runs = await (await fetch(s.url + '/api/v1/runs?limit=1')).json();
      assert.equal(runs.runs[0].status, 'ok');
      assert.ok(runs.runs[0].kinds.includes('extract') && runs.runs[0].kinds.includes('transform'));
      assert.equal(runs.runs[0].rows_extracted, 700);
      const metrics = await (await fetch(s.url + '/metrics')).text();
      assert.match(metrics, /saleslake_last_run\{status="ok"\} 1/);
    } finally {
      await s.stop();
    }
  } finally {
    api.kill('SIGTERM');
  }
});

// A raw request with a Host header of our choosing (fetch does not let a page, or Node, set one).
function rawRequest(url, { method = 'GET', host, headers = {}, body } = {}) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method,
      headers: { Host: host ?? u.host, ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

test('DNS rebinding: a page on evil.example rebound to the server can neither start a run nor read SQL results', async () => {
  const port = new URL(server.url).port;
  const evil = `evil.example:${port}`;
  const json = { 'Content-Type': 'application/json', Origin: `http://${evil}` };
  const runsBefore = (await (await fetch(server.url + '/api/v1/runs?limit=500')).json()).runs.length;
  const run = await rawRequest(server.url + '/api/v1/runs', { method: 'POST', host: evil, headers: json, body: '{}' });
  assert.equal(run.status, 421, run.text);
  assert.match(JSON.parse(run.text).error.message, /--allowed-host evil\.example/);
  const sql = JSON.stringify({ sql: 'SELECT customer_email FROM sales LIMIT 5' });
  const read = await rawRequest(server.url + '/api/v1/query', { method: 'POST', host: evil, headers: json, body: sql });
  assert.equal(read.status, 421);
  assert.doesNotMatch(read.text, /@/);
  assert.equal((await rawRequest(server.url + '/api/v1/summary', { host: evil })).status, 421);
  const runsAfter = (await (await fetch(server.url + '/api/v1/runs?limit=500')).json()).runs.length;
  assert.equal(runsAfter, runsBefore, 'no run was started');

  // With a Host of ours, the Origin is compared with our own origins, not with the Host.
  const ours = { host: `127.0.0.1:${port}` };
  for (const origin of ['null', `http://${evil}`, `http://localhost:${Number(port) + 1}`]) {
    const r = await rawRequest(server.url + '/api/v1/query', { method: 'POST', ...ours,
      headers: { 'Content-Type': 'application/json', Origin: origin }, body: sql });
    assert.equal(r.status, 403, `${origin}: ${r.text}`);
  }
  for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
    const r = await rawRequest(server.url + '/api/v1/query', { method: 'POST', host: `localhost:${port}`,
      headers: { 'Content-Type': 'application/json', Origin: origin }, body: sql });
    assert.equal(r.status, 200, `${origin}: ${r.text}`);
  }
});

test('--allowed-host lets the server answer to another name (e.g. behind a proxy)', async () => {
  const s = await startServe(lake, ['--allowed-host', 'sales.example']);
  try {
    const port = new URL(s.url).port;
    const r = await rawRequest(s.url + '/api/v1/filters', { host: `sales.example:${port}` });
    assert.equal(r.status, 200, r.text);
    assert.equal((await rawRequest(s.url + '/api/v1/filters', { host: `other.example:${port}` })).status, 421);
  } finally {
    await s.stop();
  }
});
