// Helpers of the `kfit ui` tests: a small kernel-like tree and a client of the JSON API.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UiSetResult } from '../ui/api.ts';
import type { UiServer } from './ui-server.ts';

/** A kernel-like tree with only a top Kconfig and Makefile (as src/cli/commands/config.test.ts makes them). */
export function fakeTree(kconfig: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-ui-tree-'));
  mkdirSync(join(dir, 'arch', 'x86', 'configs'), { recursive: true });
  writeFileSync(join(dir, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\nEXTRAVERSION =\n');
  writeFileSync(join(dir, 'arch', 'x86', 'Makefile'), '');
  writeFileSync(join(dir, 'arch', 'x86', 'configs', 'x86_64_defconfig'), '');
  writeFileSync(join(dir, 'Kconfig'), kconfig);
  return dir;
}

/** A small client of the API. */
export function client(server: UiServer) {
  const get = async <T>(path: string): Promise<T> => {
    const r = await fetch(new URL(path, server.url));
    const text = await r.text();
    if (!r.ok) throw new Error(`${r.status}: ${text}`);
    return (r.headers.get('content-type') ?? '').startsWith('application/json') ? (JSON.parse(text) as T) : (text as T);
  };
  const post = async <T>(path: string, body: unknown): Promise<{ status: number; json: T }> => {
    const r = await fetch(new URL(path, server.url), { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: r.status, json: (await r.json()) as T };
  };
  return { get, post, set: async (name: string, value: string) => (await post<UiSetResult>('/api/set', { name, value })).json };
}

