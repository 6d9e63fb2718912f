// The Overview's first load in Debian's chromium (headless, empty cache): milliseconds from
// navigation to the first full render of the page's data, bytes transferred (compressed, all
// resources), and a screenshot. Prints one JSON object {"ms", "bytes", "requests"}.
//   node chromium_first_load.mjs URL SCREENSHOT.png [RUNS]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tests/package.json'));
const { chromium } = require('playwright-core');

const [url, screenshot, runs = '3'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.SALESLAKE_CHROMIUM || '/usr/bin/chromium',
  headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
let best = null;
for (let i = 0; i < Number(runs); i++) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const start = performance.now();
  await page.goto(url);
  await page.waitForFunction(() => Number(document.getElementById('main').dataset.loaded || 0) >= 1);
  const ms = performance.now() - start;
  const bytes = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return performance.getEntriesByType('resource').reduce((a, r) => a + r.transferSize, nav ? nav.transferSize : 0);
  });
  const requests = await page.evaluate(() => performance.getEntriesByType('resource').length + 1);
  if (!best || ms < best.ms) best = { ms, bytes, requests };
  if (i === 0 && screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  await context.close();
}
await browser.close();
console.log(JSON.stringify(best));
