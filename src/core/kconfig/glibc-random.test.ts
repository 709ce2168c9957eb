// Checks GlibcRandom and the KCONFIG_SEED / KCONFIG_PROBABILITY parsers against the real glibc: a tiny C
// program is compiled with gcc at test time and prints what srand()/rand() and strtol() give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GlibcRandom,
  KconfigProbabilityError,
  formatKconfigSeed,
  parseKconfigProbability,
  parseKconfigSeed,
  strtol,
} from './glibc-random.ts';

// Reads commands from stdin: "R seed count" prints count rand() values after srand(seed);
// "S text" prints strtol(text, 0) as "value end"; "T text" prints strtol(text, 10).
const program = String.raw`
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
  char line[4096];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    if (line[0] == 'R') {
      unsigned long long seed; int count;
      sscanf(line + 2, "%llu %d", &seed, &count);
      srand((unsigned int)seed);
      for (int i = 0; i < count; i++) printf("%d%c", rand(), i + 1 < count ? ' ' : '\n');
    } else {
      char *end; long v = strtol(line + 2, &end, line[0] == 'S' ? 0 : 10);
      printf("%ld %ld\n", v, (long)(end - (line + 2)));
    }
  }
  return 0;
}
`;

function withOracle(run: (ask: (lines: string[]) => string[]) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-glibc-rand-'));
  try {
    writeFileSync(join(dir, 'rand.c'), program);
    execFileSync('gcc', ['-O0', '-o', join(dir, 'rand'), join(dir, 'rand.c')]);
    run((lines) => {
      const out = execFileSync(join(dir, 'rand'), { input: lines.join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 << 20 });
      return out.trimEnd().split('\n');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('GlibcRandom matches glibc rand() for many seeds, including 0, 1, and seeds above 2**31', () => {
  const seeds = [0, 1, 2, 3, 42, 0x7fffffff, 0x80000000, 0xdeadbeef, 0xffffffff, 4294967296 + 7];
  for (let i = 0; i < 300; i++) seeds.push((i * 2654435761) % 4294967296);
  const count = 700; // > 2 × 31 so the feedback wraps many times; randconfig draws thousands on real trees
  withOracle((ask) => {
    const expected = ask(seeds.map((s) => `R ${s} ${count}`));
    seeds.forEach((seed, i) => {
      const rng = new GlibcRandom(seed);
      const got = Array.from({ length: count }, () => rng.next()).join(' ');
      assert.equal(got, expected[i], `seed ${seed}`);
    });
  });
});

test('a long stream stays in step with glibc (50,000 draws from one seed)', () => {
  withOracle((ask) => {
    const [line] = ask(['R 12345 50000']);
    const rng = new GlibcRandom(12345);
    const got = Array.from({ length: 50000 }, () => rng.next());
    assert.deepEqual(got, line.split(' ').map(Number));
  });
});

test('strtol matches glibc for seeds and probabilities as conf reads them', () => {
  const texts = [
    '0', '42', '0x2A', '0X2a', '052', '08', '0x', '0xg', ' 17', '\t-5', '+9', '-0x10', '12abc', 'abc', '',
    '4294967295', '4294967296', '-1', '99999999999999999999', '-99999999999999999999', '9223372036854775807',
    '9223372036854775808', ':50', '50:', '33:33', '0x7fffffff', '   ', '-', '+',
  ];
  withOracle((ask) => {
    const base0 = ask(texts.map((t) => `S ${t}`));
    const base10 = ask(texts.map((t) => `T ${t}`));
    texts.forEach((text, i) => {
      const a = strtol(text, 0);
      assert.equal(`${a.value} ${a.end}`, base0[i], `strtol(${JSON.stringify(text)}, 0)`);
      const b = strtol(text, 10);
      assert.equal(`${b.value} ${b.end}`, base10[i], `strtol(${JSON.stringify(text)}, 10)`);
    });
  });
});

test('parseKconfigSeed accepts only fully parsed numbers and truncates to unsigned int', () => {
  assert.equal(parseKconfigSeed(undefined), undefined);
  assert.equal(parseKconfigSeed(''), undefined);
  assert.equal(parseKconfigSeed('12x'), undefined);
  assert.equal(parseKconfigSeed('0x'), undefined);
  assert.equal(parseKconfigSeed('0x10'), 16);
  assert.equal(parseKconfigSeed('010'), 8);
  assert.equal(parseKconfigSeed('-1'), 0xffffffff);
  assert.equal(parseKconfigSeed('4294967297'), 1);
  assert.equal(formatKconfigSeed(0xdeadbeef), 'KCONFIG_SEED=0xDEADBEEF');
  assert.equal(formatKconfigSeed(5), 'KCONFIG_SEED=0x5');
});

test('parseKconfigProbability follows conf: one, two or three numbers, junk read as 0, range errors', () => {
  assert.deepEqual(parseKconfigProbability(undefined), { pby: 50, pty: 33, ptm: 33 });
  assert.deepEqual(parseKconfigProbability(''), { pby: 50, pty: 33, ptm: 33 });
  assert.deepEqual(parseKconfigProbability('25'), { pby: 25, pty: 13, ptm: 12 });
  assert.deepEqual(parseKconfigProbability('20:30'), { pby: 50, pty: 20, ptm: 30 });
  assert.deepEqual(parseKconfigProbability('10:20:30'), { pby: 10, pty: 20, ptm: 30 });
  assert.deepEqual(parseKconfigProbability('abc'), { pby: 0, pty: 0, ptm: 0 });
  assert.deepEqual(parseKconfigProbability('40x'), { pby: 40, pty: 0, ptm: 0 });
  assert.throws(() => parseKconfigProbability('101'), KconfigProbabilityError);
  assert.throws(() => parseKconfigProbability('-1'), KconfigProbabilityError);
  assert.throws(() => parseKconfigProbability('60:50'), KconfigProbabilityError);
});
