#!/usr/bin/env bash
# kfit's set-up on a fresh Debian machine: Debian packages, the kernel trees, npm packages.
#   ./setup.sh            install everything, unpack the trees, npm ci
#   ./setup.sh --trees    print the folder that holds the unpacked trees
# Trees: ${KFIT_CACHE:-$HOME/.cache/kfit}/linux-6.12 and …/linux-6.1 (from Debian's linux-source-* tarballs).
set -euo pipefail
cache="${KFIT_CACHE:-$HOME/.cache/kfit}"
if [ "${1:-}" = "--trees" ]; then echo "$cache"; exit 0; fi
cd "$(dirname "$0")"

# The packages the tests and the fixtures name: the kernel trees, what `conf` needs to build, the toolchain
# the Kconfig probes look at (the NixOS fixtures were made with gcc 12 + these), nix, QEMU and the guest parts.
packages=(
  linux-source-6.12 linux-source-6.1 linux-config-6.12 linux-config-6.1
  gcc make flex bison bc libelf-dev libssl-dev dwarves
  gcc-12-plugin-dev libgmp-dev libmpc-dev libmpfr-dev
  nix-bin qemu-system-x86 busybox-static cryptsetup-bin cpio kmod xz-utils tmux libc6-dev libncurses-dev pkg-config
  clang lld llvm
  chromium
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

mkdir -p "$cache"
for v in 6.12 6.1; do
  tarball="/usr/src/linux-source-$v.tar.xz"
  stamp="$cache/linux-$v/.kfit-unpacked"
  want="$(stat -c '%s %Y' "$tarball")"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setup: unpacking $tarball into $cache/linux-$v" >&2
    rm -rf "$cache/linux-$v" "$cache/tmp-$v"
    mkdir -p "$cache/tmp-$v"
    tar -xJf "$tarball" -C "$cache/tmp-$v"
    mv "$cache/tmp-$v/linux-source-$v" "$cache/linux-$v"
    rmdir "$cache/tmp-$v"
    echo "$want" > "$stamp"
  fi
done

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build --silent
echo "setup: ready; kernel trees in $cache" >&2
