// GNU make as the oracle of the Kbuild walk (tests and bench/kbuild-walk.ts): what scripts/Makefile.build would
// build in one directory, the directory's Kbuild file evaluated by make itself with Makefile.lib's list arithmetic
// (composites expanded), as research §4.1 does it, in a configured O= build directory.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// `src` is absolute, as Makefile.build makes it for O= builds (`src := $(VPATH)/$(obj)`)
const LIST_MAKEFILE = `include include/config/auto.conf
include $(srctree)/scripts/Kbuild.include
kbuild-file := $(or $(wildcard $(src)/Kbuild),$(src)/Makefile)
include $(kbuild-file)
include $(srctree)/scripts/Makefile.lib
list:
\t@echo Y $(real-obj-y)
\t@echo M $(real-obj-m)
\t@echo L $(filter-out $(real-obj-y),$(lib-y))
`;

/** make's object lists of directory `dir` of tree `src` in build directory `out` (after syncconfig): Y, M, L. */
export function makeObjectLists(src: string, out: string, dir: string): { readonly y: string[]; readonly m: string[]; readonly lib: string[] } {
  const file = join(out, 'kfit-list.mk');
  if (!existsSync(file)) writeFileSync(file, LIST_MAKEFILE);
  const r = spawnSync('make', ['-s', '-f', 'kfit-list.mk', `srctree=${src}`, `src=${src}/${dir}`, `obj=${dir}`, 'ARCH=x86_64', 'SRCARCH=x86', 'BITS=64', 'list'], { cwd: out, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`make list in ${dir}: ${r.stderr}`);
  const lists = new Map(r.stdout.trim().split('\n').map((l) => [l[0], l.slice(2).split(' ').filter((w) => w.endsWith('.o'))]));
  return { y: lists.get('Y') ?? [], m: lists.get('M') ?? [], lib: lists.get('L') ?? [] };
}
