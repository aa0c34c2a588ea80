/**
 * The HTML document in headless Chromium: loads offline, no console errors, the ER diagram names every table.
 * Needs Debian's chromium at /usr/bin/chromium, or CHROMIUM_PATH (playwright-core downloads no browser);
 * runs in `npm run test:external`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { buildDesignDocument, check, renderHtml } from '../../src/index.js';
import { ROOT, tempDir } from '../helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('HTML in a browser', () => {
  it('renders every Mermaid diagram as SVG with no console errors', async () => {
    const r = await check({ target: join(ROOT, 'examples/case-assignment'), cwd: ROOT });
    assert.ok(r.ok);
    const file = join(tempDir(), 'design.html');
    writeFileSync(file, renderHtml(buildDesignDocument(r)));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (req) => { if (!req.url().startsWith('file:') && !req.url().startsWith('data:')) requests.push(req.url()); });
      await page.goto(`file://${file}`);
      await page.waitForFunction(() => [...document.querySelectorAll('pre.mermaid')].every((p) => p.querySelector('svg')), null, { timeout: 30_000 });
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, [], 'nothing is fetched');
      const er = await page.$eval('section#logical-model pre.mermaid svg', (s) => s.textContent ?? '');
      for (const t of r.catalog.tables.values()) assert.ok(er.includes(t.name), `ER diagram names ${t.name}`);
      const outDir = join(ROOT, 'test-output');
      mkdirSync(outDir, { recursive: true });
      await page.locator('section#logical-model figure').first().screenshot({ path: join(outDir, 'er-diagram.png') });
      await page.screenshot({ path: join(outDir, 'design-document.png'), fullPage: false });
    } finally {
      await browser.close();
    }
  });
});
