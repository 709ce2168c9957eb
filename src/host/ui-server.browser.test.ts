// `kfit ui` in a real browser: Debian's chromium driven by puppeteer-core (no browser download). The page is
// built from src/ui/app.ts with esbuild into a temp dir; the tree is the real 6.12 one when installed, else a
// small hand-made one. Search, set a value, see the row, the status and the changes list update, undo.
// KFIT_UI_SCREENSHOT=FILE keeps the screenshot (test/fixtures/ui/kfit-ui.png was made so).
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { loadKernelTree, makeBaseConfig } from './nixos-system.ts';
import { startUiServer } from './ui-server.ts';
import { UiSession } from '../ui/ui-session.ts';
import { fakeTree } from './ui-server.test-support.ts';

const CHROMIUM = '/usr/bin/chromium';
const cache = process.env.KFIT_CACHE ?? join(process.env.HOME ?? '', '.cache', 'kfit');
const tree612 = join(cache, 'linux-6.12');

const SMALL = 'mainmenu "Fake"\nconfig MODULES\n\tbool "Modules"\n\tdefault y\n\tmodules\nmenu "Drivers"\nconfig USB_STORAGE\n\ttristate "USB Mass Storage support"\n\tdefault y\nconfig USB_STORAGE_DEBUG\n\tbool "debug"\n\tdepends on USB_STORAGE\nconfig SEL\n\tbool "selects CRC32"\n\tdefault y\n\tselect CRC32\nconfig CRC32\n\ttristate "CRC32"\nendmenu\n';

test('the page: search, set a value, the row, status and changes follow; undo', { skip: !existsSync(CHROMIUM) && `no ${CHROMIUM} (apt-get install chromium; setup.sh lists it)`, timeout: 120_000 }, async () => {
  const { default: puppeteer } = await import('puppeteer-core');
  const out = mkdtempSync(join(tmpdir(), 'kfit-ui-page-'));
  const real = existsSync(join(tree612, 'Kconfig'));
  const src = real ? tree612 : fakeTree(SMALL);
  const tree = loadKernelTree(src, 'x86_64');
  const start = real ? makeBaseConfig(tree, 'defconfig') : 'CONFIG_MODULES=y\nCONFIG_USB_STORAGE=y\n';
  await build({ entryPoints: [new URL('../ui/app.ts', import.meta.url).pathname], bundle: true, format: 'esm', outfile: join(out, 'app.js'), logLevel: 'warning' });
  const session = UiSession.start(tree.model, start, { file: real ? 'defconfig' : 'start.config' });
  const server = await startUiServer({ session, assetsDir: out, info: { mainmenu: tree.model.mainmenu, srctree: src, arch: 'x86_64', flavor: tree.model.flavor, start: real ? 'defconfig' : 'start.config' } });
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 860 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url);
    await page.waitForSelector('.tree .row');
    // the tree has the focus from the start: the arrow keys move at once
    await page.waitForFunction(() => document.activeElement?.classList.contains('tree'));
    await page.keyboard.press('ArrowDown');
    await page.waitForSelector('.tree .row.sel');
    // search, then set USB_STORAGE to m from the hit's own control
    await page.type('.search', 'usb_storage');
    const hit = '.hit .row[data-name="USB_STORAGE"]';
    await page.waitForSelector(hit);
    assert.equal(await page.$eval(`${hit} .v.on`, (e) => e.textContent), 'y');
    await page.click(`${hit} .v[data-v="m"]`);
    await page.waitForFunction(() => document.querySelector('.status')?.textContent?.startsWith('USB_STORAGE = m'));
    await page.waitForFunction((sel: string) => document.querySelector(`${sel} .v.on`)?.textContent === 'm', {}, hit);
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.changes .edits li')).some((li) => li.textContent?.includes('USB_STORAGE')));
    const diff = await page.$$eval('.changes .diff tr', (rows) => rows.map((r) => Array.from(r.querySelectorAll("td")).map((td) => td.textContent).join(' ')));
    assert.ok(diff.includes('USB_STORAGE y → m'), diff.join('\n'));
    assert.equal((await session.changes()).diff.find((d) => d.name === 'USB_STORAGE')?.after, 'm');
    // reveal the hit in the tree: its menus open, the row is selected, the help panel shows it
    await page.click('.hit .path');
    await page.waitForSelector('.tree .row.sel[data-name="USB_STORAGE"]');
    await page.waitForFunction(() => document.querySelector('.help h3')?.textContent === 'CONFIG_USB_STORAGE');
    const why = await page.$eval('.help .why', (e) => e.textContent ?? '');
    assert.match(why, /USB_STORAGE = m: your value m/);
    // keyboard: y on the selected row
    await page.focus('.tree');
    await page.keyboard.press('y');
    await page.waitForFunction(() => document.querySelector('.tree .row.sel .v.on')?.textContent === 'y');
    await page.keyboard.press('m');
    await page.waitForFunction(() => document.querySelector('.tree .row.sel .v.on')?.textContent === 'm');
    const shot = process.env.KFIT_UI_SCREENSHOT ?? join(out, 'kfit-ui.png');
    await page.screenshot({ path: shot as `${string}.png` });
    // undo from the changes list: back to y, the list empty
    await page.click('.changes .edits li .undo');
    await page.waitForFunction(() => document.querySelector('.tree .row.sel .v.on')?.textContent === 'y');
    await page.waitForFunction(() => document.querySelectorAll('.changes .edits li').length === 0);
    assert.equal(session.editList().length, 0);
    // a refused value: the status line says why, nothing changes
    await page.click('.search', { count: 3 });
    await page.type('.search', 'crc32');
    await page.waitForSelector('.hit .row[data-name="CRC32"]');
    await page.click('.hit .row[data-name="CRC32"] .v[data-v="n"]');
    await page.waitForFunction(() => /^CRC32 is selected by /.test(document.querySelector('.status.err')?.textContent ?? ''));
    assert.equal(session.editList().length, 0);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
    rmSync(out, { recursive: true, force: true });
    if (!real) rmSync(src, { recursive: true, force: true });
  }
});
