// conf as the oracle of the dialogue adapter on small trees: every case of oldconfig.cases.txt is piped into the
// real `conf --oldconfig|--oldaskconfig` of both trees and played through OldconfigDialogue; stdout, exit status
// and .config must be the same, and stdout equal to the recorded text. (Debian's configs: test/differential/dialogue.test.ts.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { dialogueCases, playDialogue } from '../../test/dep-check-cases.ts';
import { confBinary, confEnvironment, kernelTree } from './kconfig-oracle.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kfit-oldconfig-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const present = existsSync(join(kernelTree('6.12'), 'Kconfig')) && existsSync(join(kernelTree('6.1'), 'Kconfig'));

for (const c of dialogueCases()) {
  test(`dialogue "${c.name}": conf prints and writes what kfit does`, { skip: !present && 'trees not installed' }, () => {
    for (const flavor of c.flavors) {
      const version = flavor === 'v6.12' ? '6.12' : '6.1';
      confEnvironment(version, 'x86_64');
      const dir = mkdtempSync(join(scratch, 'case-'));
      writeFileSync(join(dir, 'Kconfig'), c.kconfig);
      writeFileSync(join(dir, '.config'), c.config);
      const r = spawnSync(confBinary(version, 'x86_64'), [`--${c.mode}`, 'Kconfig'], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, input: c.input, encoding: 'utf8', timeout: 20_000 });
      const ours = playDialogue(c, flavor);
      assert.equal(r.stdout, c.expect[flavor], `Linux ${version}: the recorded text in oldconfig.cases.txt is no longer conf's`);
      assert.equal(ours.stdout, r.stdout, `Linux ${version}`);
      assert.equal(ours.exit, r.status ?? -1, `Linux ${version}`);
      if (r.status === 0) assert.equal(ours.config, readFileSync(join(dir, '.config'), 'utf8'), `Linux ${version}`);
    }
  });
}
