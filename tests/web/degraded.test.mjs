// One committed daily_sales file cut short used to keep `saleslake serve` from starting. Now the
// server starts degraded: the panels built on daily_sales answer 503 naming the file, /healthz
// says "degraded", and the SQL console and the other pages keep working. Error bodies name the
// file lake-relative, never by the server's own path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeLake, startServe, removeDir } from './lake_fixture.mjs';

let dir;
let lake;
let broken;

function committedFiles(root, table) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.parquet') && !e.name.startsWith('_')) out.push(p);
    }
  };
  walk(path.join(root, table));
  return out.sort();
}

before(() => {
  ({ dir, lake } = makeLake('sl-degraded-', { batches: 1, records: 3000 }));
  broken = committedFiles(lake, 'main/daily_sales')[0];
  fs.truncateSync(broken, 200);
});

after(() => removeDir(dir));

test('serve starts degraded over a truncated daily_sales file', async () => {
  const relative = path.relative(lake, broken);
  const s = await startServe(lake);
  try {
    const health = await (await fetch(s.url + '/healthz')).json();
    assert.equal(health.status, 'degraded');
    assert.ok(health.unreadable_files.some((f) => f.includes(relative)), JSON.stringify(health));
    assert.ok(!JSON.stringify(health).includes(lake), 'no server path in /healthz');

    for (const p of ['/api/v1/summary?range=all', '/api/v1/timeseries?range=all', '/api/v1/top-products?range=all']) {
      const res = await fetch(s.url + p);
      assert.equal(res.status, 503, p);
      const body = await res.text();
      assert.ok(body.includes(relative), `${p}: ${body}`);
      assert.ok(!body.includes(lake), `${p} shows a server path: ${body}`);
    }
    // The rest works: status, catalog, and SQL over the other tables.
    assert.equal((await fetch(s.url + '/api/v1/status')).status, 200);
    assert.equal((await fetch(s.url + '/api/v1/catalog')).status, 200);
    const post = (sql) => fetch(s.url + '/api/v1/query', { method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sql }) });
    const sales = await post('SELECT count(*) FROM sales');
    assert.equal(sales.status, 200, await sales.clone().text());
    assert.ok((await sales.json()).rows[0][0] > 0);
    // Error bodies name lake-relative paths (the catalog's file once showed its absolute path).
    const nope = await fetch(s.url + '/api/v1/catalog?table=nope');
    assert.equal(nope.status, 404);
    const nopeText = await nope.text();
    assert.match(nopeText, /_catalog\/catalog\.db/);
    assert.ok(!nopeText.includes(lake), `a server path: ${nopeText}`);
    // SQL that needs the broken file fails naming it.
    const daily = await post('SELECT sum(orders) FROM daily_sales');
    assert.notEqual(daily.status, 200);
    const text = await daily.text();
    assert.ok(text.includes(relative), text);
    assert.ok(!text.includes(lake), `a server path: ${text}`);
  } finally {
    assert.equal(await s.stop(), 0);
  }
});
