// conf as the oracle of evaluation.cases.txt: every case (a one-file Kconfig, a target, an input .config) is run
// through the real conf of its flavor's tree, and what conf wrote (.config, the savedefconfig file, listnewconfig's
// stdout) and printed on stderr must be the recorded text, which src/core/kconfig/evaluation.test.ts holds kfit to.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { confBinary, confEnvironment, kernelTree } from './kconfig-oracle.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kfit-evaluation-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface RecordedCase {
  name: string;
  flavor: string;
  kconfig: string;
  target: string;
  config: string;
  expect: string;
  stderr: string;
}

// the same sections as evaluation.test.ts reads
function recordedCases(): RecordedCase[] {
  const text = readFileSync(new URL('../core/kconfig/evaluation.cases.txt', import.meta.url), 'utf8');
  return text
    .split(/^=== /m)
    .slice(1)
    .map((block) => {
      const section = (key: string): string => new RegExp(`^--- ${key}[ \\n]([\\s\\S]*?)(?=^--- |$(?![\\s\\S]))`, 'm').exec(block)?.[1] ?? '';
      return {
        name: block.slice(0, block.indexOf('\n')),
        flavor: section('flavor').trim(),
        kconfig: section('kconfig'),
        target: section('target').trim(),
        config: section('config'),
        expect: section('expect'),
        stderr: section('stderr'),
      };
    });
}

for (const c of recordedCases()) {
  const version = c.flavor === 'v6.1' ? '6.1' : '6.12';
  const present = existsSync(join(kernelTree(version), 'Kconfig'));
  test(`${c.flavor}: ${c.name}: conf ${c.target} writes the recorded text`, { skip: !present && `no ${version} tree` }, () => {
    confEnvironment(version, 'x86_64'); // builds the oracle's conf once
    const dir = mkdtempSync(join(scratch, 'case-'));
    writeFileSync(join(dir, 'Kconfig'), c.kconfig);
    if (c.config) writeFileSync(join(dir, '.config'), c.config);
    const args = c.target === 'savedefconfig' ? ['--savedefconfig=defconfig', 'Kconfig'] : [`--${c.target}`, 'Kconfig'];
    const r = spawnSync(confBinary(version, 'x86_64'), args, { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    const written = c.target === 'listnewconfig' ? r.stdout : readFileSync(join(dir, c.target === 'savedefconfig' ? 'defconfig' : '.config'), 'utf8');
    assert.equal(written, c.expect);
    assert.equal(r.stderr, c.stderr);
  });
}
