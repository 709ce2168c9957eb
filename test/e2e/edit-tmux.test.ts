// `kfit edit` driven through tmux: menuconfig from the real 6.12 tree on a scratch copy of defconfig; search SOUND,
// switch it off, save; kfit prints the diff grouped by menu and writes a Nix file that parses and says SOUND = no.
// Needs tmux, make, gcc, flex, bison, libncurses-dev (setup.sh) and the unpacked 6.12 tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const src = join(process.env.KFIT_CACHE ?? '', 'linux-6.12');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const ready = hasTmux && existsSync(join(src, 'scripts/kconfig/mconf.c')) && existsSync('/usr/include/ncurses.h');

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', args, { encoding: 'utf8' });
  return r.stdout ?? '';
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function waitFor(session: string, pattern: RegExp, seconds: number): string {
  let screen = '';
  for (let i = 0; i < seconds * 4; i++) {
    screen = tmux('capture-pane', '-p', '-t', session);
    if (pattern.test(screen)) return screen;
    sleep(250);
  }
  assert.fail(`timed out waiting for ${pattern} on the screen:\n${screen}`);
}

function editSoundOff(extra: string[], check: (history: string, nix: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-edit-test-'));
  const out = join(dir, 'edit.nix');
  const done = join(dir, 'done');
  const session = `kfit-edit-${process.pid}-${extra.length}`;
  const command = [
    `cd ${root}`,
    `${process.execPath} --import tsx test/e2e/command-runner.ts ${root}src/cli/commands/edit.ts registerEdit edit --src ${src} --out ${out} ${extra.join(' ')}`,
    `echo $? > ${done}`,
    'sleep 120',
  ].join('; ');
  tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '48', command);
  try {
    waitFor(session, /Linux\/x86_64 6\.12\.\d+ Kernel Configuration/, 480);
    tmux('send-keys', '-t', session, '/');
    waitFor(session, /Search Configuration Parameter|Enter \(sub\)string/, 10);
    tmux('send-keys', '-t', session, '^SOUND$', 'Enter');
    waitFor(session, /Symbol: SOUND \[=[ym]\]/, 10);
    tmux('send-keys', '-t', session, '1');
    waitFor(session, /Sound card support/, 10);
    tmux('send-keys', '-t', session, 'n');
    waitFor(session, /< > Sound card support/, 10);
    for (let i = 0; i < 6 && !/save your new configuration/.test(tmux('capture-pane', '-p', '-t', session)); i++) {
      tmux('send-keys', '-t', session, 'Escape', 'Escape');
      sleep(1000);
    }
    waitFor(session, /save your new configuration/, 10);
    tmux('send-keys', '-t', session, 'Enter');
    for (let i = 0; i < 2400 && !existsSync(done); i++) sleep(250);
    const history = tmux('capture-pane', '-p', '-S', '-2000', '-t', session);
    assert.equal(readFileSync(done, 'utf8').trim(), '0', history);
    const nix = readFileSync(out, 'utf8');
    assert.equal(spawnSync('nix-instantiate', ['--parse', out]).status, 0);
    check(history, nix);
  } finally {
    tmux('kill-session', '-t', session);
    rmSync(dir, { recursive: true, force: true });
  }
}

test('kfit edit: menuconfig through tmux, SOUND off, Nix file written', { skip: !ready, timeout: 900_000 }, () => {
  editSoundOff(['--from', 'test/fixtures/nixos/stock-6.12-defconfig/base.config'], (history, nix) => {
    assert.match(history, /Device Drivers > Sound card support > Advanced Linux Sound Architecture/);
    assert.match(history, /^ *SOUND y -> n {2}# Sound card support$/m);
    assert.match(nix, /\n {4}SOUND = no; # Device Drivers: Sound card support\n/);
    assert.doesNotMatch(nix, /SND_HDA/, 'children that vanish with SOUND are left out');
  });
});

test('kfit edit --from nixos: the NixOS fallout of SOUND off is unset with mkForce', { skip: !ready, timeout: 1_200_000 }, () => {
  editSoundOff(['--from', 'nixos', '--nixos', 'test/fixtures/nixos/stock-6.12-defconfig/structured.json'], (history, nix) => {
    assert.match(history, /^ *SOUND [ym] -> n {2}# Sound card support$/m);
    assert.match(nix, /\n {4}SOUND = no; /);
    assert.match(nix, /\n {4}SND_HDA_RECONFIG = lib\.mkForce unset; /);
    assert.doesNotMatch(nix, /SND_HDA_INTEL =/, 'NixOS does not answer it: it simply vanishes');
  });
});
