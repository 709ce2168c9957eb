// File access to a kernel source tree for the Kbuild evaluator and the device-table scanner.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { MakeHost } from '../core/kbuild/make.ts';

/** A cached, read-only view of a kernel source tree (paths relative to its root). */
export class SourceTree implements MakeHost {
  private readonly files = new Map<string, string | undefined>();
  private readonly dirs = new Map<string, readonly string[] | undefined>();

  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  /** Reads a file as Latin-1 (kernel sources are ASCII or UTF-8; no byte is lost); `undefined` when absent. */
  readFile(path: string): string | undefined {
    if (this.files.has(path)) return this.files.get(path);
    let text: string | undefined;
    try {
      text = readFileSync(join(this.root, path), 'latin1');
    } catch {
      text = undefined;
    }
    this.files.set(path, text);
    return text;
  }

  /** Names in a directory, or `undefined`. */
  listDir(path: string): readonly string[] | undefined {
    if (this.dirs.has(path)) return this.dirs.get(path);
    let names: string[] | undefined;
    try {
      names = readdirSync(join(this.root, path));
    } catch {
      names = undefined;
    }
    this.dirs.set(path, names);
    return names;
  }

  /** True when `path` is a directory. */
  isDir(path: string): boolean {
    try {
      return statSync(join(this.root, path)).isDirectory();
    } catch {
      return false;
    }
  }
}
