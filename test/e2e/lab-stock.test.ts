// The second proof: Debian's stock linux-image-6.12…-amd64-unsigned (apt-get download into the cache, not
// installed) boots under QEMU with the same crypt payload (its AF_ALG/AES-NI modules loaded by /init), and
// `kfit bench compare` of stock vs the minimal kernel prints the ratio table and writes the SVG chart.
// Measured here: ≈ 15 s per stock boot under TCG (5 s guest uptime to /init), so it runs in CI;
// KFIT_E2E_STOCK=0 (or KFIT_E2E=0) skips it, e.g. without network for apt-get download.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMinimalKernel, json, kfit } from './kfit-cli.ts';

const skip = process.env.KFIT_E2E === '0' || process.env.KFIT_E2E_STOCK === '0' ? 'KFIT_E2E(_STOCK)=0' : false;
const minutes = 60_000;

interface ResultJson {
  label: string;
  kernel: { procVersion: string; environment: string };
  metrics: { suite: string; name: string; samples: number[] }[];
}

test('stock Debian 6.12 vs minimal: bench run --in-vm on both, compare with chart', { skip, timeout: 40 * minutes }, async (t) => {
  const fetched = await kfit(['lab', 'fetch-kernel', '--debian', '6.12', '--json']);
  assert.equal(fetched.status, 0, fetched.stderr);
  const stock = json<{ vmlinuz: string; modulesDir: string }>(fetched);
  assert.ok(existsSync(join(stock.modulesDir, 'modules.dep')));
  const minimal = await buildMinimalKernel();
  const dir = mkdtempSync(join(tmpdir(), 'kfit-bench-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // One run, both kernels, boots interleaved (stock, minimal, stock, minimal) so host load hits both alike.
  const run = await kfit([
    'bench', 'run', '--in-vm', stock.vmlinuz, '--in-vm', minimal.bzImage, '--label', 'e2e-stock', '--label', 'e2e-minimal',
    '--suite', 'crypt,boot', '--boots', '2', '--json',
  ]);
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  const [stockResult, minimalResult] = json<ResultJson[]>(run);
  const results: Record<string, ResultJson> = { stock: stockResult, minimal: minimalResult };
  for (const [label, r] of Object.entries(results)) {
    assert.equal(r.label, `e2e-${label}`);
    const xts = r.metrics.find((m) => m.name === 'aes-xts-256b-encrypt');
    assert.equal(xts?.samples.length, 2, `${label}: one AES-XTS 256b sample per boot`);
    assert.ok(r.metrics.some((m) => m.suite === 'boot' && m.name === 'init-uptime'));
  }
  assert.match(results.stock.kernel.procVersion, /^Linux version 6\.12\.\d+\+deb\d+-amd64 /);
  assert.equal(results.stock.kernel.environment, results.minimal.kernel.environment);
  const svg = join(dir, 'chart.svg');
  const cmp = await kfit(['bench', 'compare', 'e2e-stock', 'e2e-minimal', '--svg', svg]);
  assert.equal(cmp.status, 0, cmp.stderr);
  assert.match(cmp.stdout, /crypt\/aes-xts-256b-encrypt/);
  assert.match(cmp.stdout, /boot\/init-uptime/);
  if (results.stock.kernel.environment === 'tcg') assert.match(cmp.stdout, /TCG, emulated/);
  const chart = readFileSync(svg, 'utf8');
  assert.ok(chart.startsWith('<svg '));
  assert.ok((chart.match(/<rect /g)?.length ?? 0) >= 5, 'one bar per compared metric');
});
