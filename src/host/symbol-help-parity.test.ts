// conf as the oracle of kfit's helpnewconfig on small trees: every case of symbol-help.cases.txt runs through the
// real `conf --helpnewconfig` of both trees and through runTarget(); stdout must be the same bytes, and equal to
// the recorded text. (The Debian 6.1 configs on the 6.12 tree are in the differential matrix.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { depCheckCases, helpNewConfigStdout } from '../../test/dep-check-cases.ts';
import { confBinary, confEnvironment, kernelTree } from './kconfig-oracle.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kfit-helpnew-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const versions = [
  ['6.12', 'v6.12'],
  ['6.1', 'v6.1'],
] as const;
const present = versions.every(([v]) => existsSync(join(kernelTree(v), 'Kconfig')));

for (const c of depCheckCases('symbol-help.cases.txt')) {
  test(`helpnewconfig "${c.name}": conf 6.12 and 6.1 print what kfit prints`, { skip: !present && 'trees not installed' }, () => {
    for (const [version, flavor] of versions) {
      confEnvironment(version, 'x86_64');
      const dir = mkdtempSync(join(scratch, 'case-'));
      writeFileSync(join(dir, 'Kconfig'), c.kconfig);
      if (c.config) writeFileSync(join(dir, '.config'), c.config);
      const r = spawnSync(confBinary(version, 'x86_64'), ['--helpnewconfig', 'Kconfig'], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(helpNewConfigStdout(c.kconfig, c.config, flavor), r.stdout, `Linux ${version}`);
      assert.equal(c.expect[flavor], r.stdout, `Linux ${version}: the recorded text in symbol-help.cases.txt is no longer conf's`);
    }
  });
}
