// Differential test: our kmod re-implementation against kmod's own `modprobe --resolve-alias` on Debian's
// real 6.12 module tree, for every modalias of the fixtures plus strings generated from the alias patterns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lookupAlias, readAliasDb } from '../core/hardware/alias-db.ts';
import { snapshotModaliases } from '../core/hardware/snapshot.ts';
import { ensureDebianModuleTree, modprobeResolveAlias, readModuleTree, type DebianModuleTree } from './module-tree.ts';
import { collectSysfs } from './sysfs.ts';

const fixtures = new URL('../../test/fixtures/hardware/', import.meta.url).pathname;

let tree: DebianModuleTree | undefined;
let why = '';
try {
  tree = ensureDebianModuleTree();
} catch (error) {
  why = `Debian module tree unavailable: ${(error as Error).message}`;
}

/** Turns an alias pattern into a concrete string it matches (and variants that probe the edges). */
function instantiate(pattern: string, fill: string): string {
  return pattern.replace(/\[!?([^\]]+)\]/g, (_m, body: string) => body[0]!).replace(/\*/g, fill).replace(/\?/g, '0').replace(/\\(.)/g, '$1');
}

function generated(aliasText: string): string[] {
  const patterns = aliasText.split('\n').filter((l) => l.startsWith('alias ')).map((l) => l.split(' ')[1]!);
  const out: string[] = [];
  for (let i = 0; i < patterns.length; i += 47) {
    const p = patterns[i]!;
    out.push(instantiate(p, ''), instantiate(p, 'Z9'), instantiate(p, '-').replace(/_/g, '-'));
  }
  out.push('platform:rtc_cmos', 'platform:rtc-cmos', 'e1000', 'fs-ext4', 'acpi:PNP0501:', 'dmi:bvnLENOVO:svnLENOVO:pn20XW:', 'nothing:at:all');
  return out;
}

test('our lookup agrees with modprobe --resolve-alias on every fixture and generated string', { skip: tree === undefined ? why : false }, (t2) => {
  const t = tree!;
  const db = readAliasDb(readModuleTree(t.dir)).value;
  const fromFixtures = readdirSync(fixtures, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => snapshotModaliases(collectSysfs({ sysfs: join(fixtures, e.name, 'sys') })));
  const strings = [...new Set([...fromFixtures, ...generated(readModuleTree(t.dir).alias ?? '')])];
  assert.ok(fromFixtures.length >= 20, `fixture strings: ${fromFixtures.length}`);
  const disagreements: string[] = [];
  let matched = 0;
  for (const s of strings) {
    const ours = lookupAlias(db, s).modules;
    const kmod = modprobeResolveAlias(t, s);
    if (kmod.length > 0) matched++;
    if (ours.join(' ') !== kmod.join(' ')) disagreements.push(`${s}\n  kfit: ${ours.join(' ')}\n  kmod: ${kmod.join(' ')}`);
  }
  assert.deepEqual(disagreements, []);
  assert.ok(matched > strings.length / 2, `matched ${matched}/${strings.length}`);
  t2.diagnostic(`kmod agreement: ${strings.length - disagreements.length}/${strings.length} strings (${fromFixtures.length} from fixtures, ${matched} matched by kmod)`);
});
