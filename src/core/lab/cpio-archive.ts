// A writer for the cpio "newc" format (the one the kernel unpacks as an initramfs; see
// Documentation/driver-api/early-userspace/buffer-format.rst). Written here so the archive can hold
// /dev/console as a device node without root, mknod or the cpio tool.

/** One archive member. Modes are the full st_mode (type bits included), e.g. 0o100755 for an executable. */
export type CpioEntry =
  | { readonly kind: 'dir'; readonly path: string; readonly mode?: number }
  | { readonly kind: 'file'; readonly path: string; readonly data: Uint8Array; readonly mode?: number }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'chardev'; readonly path: string; readonly major: number; readonly minor: number; readonly mode?: number };

const encoder = new TextEncoder();

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

function header(ino: number, mode: number, size: number, rdevMajor: number, rdevMinor: number, nameSize: number): string {
  // c_magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
  return (
    '070701' +
    [ino, mode, 0, 0, 1, 0, size, 0, 0, rdevMajor, rdevMinor, nameSize, 0].map(hex8).join('')
  );
}

/**
 * Encodes entries as a newc archive with a `TRAILER!!!` end. Paths are stored without the leading `/`;
 * parent directories must be listed before their children (the kernel creates them in order).
 */
export function writeCpio(entries: readonly CpioEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let length = 0;
  const push = (bytes: Uint8Array) => {
    parts.push(bytes);
    length += bytes.length;
    const pad = (4 - (length % 4)) % 4;
    if (pad) {
      parts.push(new Uint8Array(pad));
      length += pad;
    }
  };
  const member = (ino: number, mode: number, data: Uint8Array, name: string, major = 0, minor = 0) => {
    const nameBytes = encoder.encode(`${name}\0`);
    const head = encoder.encode(header(ino, mode, data.length, major, minor, nameBytes.length));
    const both = new Uint8Array(head.length + nameBytes.length);
    both.set(head, 0);
    both.set(nameBytes, head.length);
    push(both);
    if (data.length) push(data);
  };
  entries.forEach((e, i) => {
    const name = e.path.replace(/^\/+/, '');
    const ino = i + 1;
    switch (e.kind) {
      case 'dir':
        member(ino, 0o040000 | (e.mode ?? 0o755), new Uint8Array(0), name);
        break;
      case 'file':
        member(ino, 0o100000 | ((e.mode ?? 0o644) & 0o7777), e.data, name);
        break;
      case 'symlink':
        member(ino, 0o120777, encoder.encode(e.target), name);
        break;
      case 'chardev':
        member(ino, 0o020000 | (e.mode ?? 0o600), new Uint8Array(0), name, e.major, e.minor);
        break;
    }
  });
  member(0, 0, new Uint8Array(0), 'TRAILER!!!');
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Lists the parent directories of `paths` (each once, parents first), e.g. `/usr/lib/x` → `/usr`, `/usr/lib`. */
export function parentDirectories(paths: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of paths) {
    const parts = p.replace(/^\/+/, '').split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = `/${parts.slice(0, i).join('/')}`;
      if (!seen.has(dir)) {
        seen.add(dir);
        out.push(dir);
      }
    }
  }
  return out;
}
