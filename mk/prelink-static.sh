#!/usr/bin/env bash
# `make dist`'s libivs.a: rustc's static library is an archive of every crate's objects (about 2,000
# members), with LLVM bitcode (.llvmbc, for LTO) in the Rust ones, the standard library's debug
# info, one section per function and every internal symbol global. This strips the bitcode and
# debug info, then prelinks it into a single relocatable object: `ld -r --gc-sections` rooted at
# the ivs_* exports keeps only the code they reach, the linker script mk/prelink-static.ld merges the
# per-function sections (keeping .eh_frame, so that panics still unwind), and objcopy leaves only
# the ivs_* functions global, so that libivs's Rust internals cannot clash with a consumer's own
# (another Rust static library, say). The archive is rewritten in place, deterministic.
# Usage: mk/prelink-static.sh <libivs.a>
set -euo pipefail
archive=$1
mk=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
before=$(du -k "$archive" | cut -f1)
# First the bitcode and debug sections out (binutils takes members with .llvmbc for LTO objects
# it has no plugin for, and sees no symbols in them).
strip --strip-debug --remove-section=.llvmbc --remove-section=.llvmcmd \
  --enable-deterministic-archives "$archive"
nm -g --defined-only "$archive" 2>/dev/null | awk '$3 ~ /^ivs_/ {print $3}' | sort -u > "$work/exports"
test -s "$work/exports" || { echo "prelink-static: $archive defines no ivs_* symbol" >&2; exit 1; }
ld -r --gc-sections -T "$mk/prelink-static.ld" $(sed 's/^/-u /' "$work/exports") \
  -o "$work/libivs.o" "$archive"
objcopy --keep-global-symbols="$work/exports" --strip-unneeded "$work/libivs.o"
# Every export is still defined and global; the unwind tables are still there.
nm -g --defined-only "$work/libivs.o" | awk '{print $3}' | sort -u | cmp -s - "$work/exports" || {
  echo "prelink-static: the prelinked object's globals are not exactly the ivs_* exports" >&2; exit 1; }
readelf -S -W "$work/libivs.o" | grep -q ' \.eh_frame ' || { echo "prelink-static: no .eh_frame" >&2; exit 1; }
rm -f "$archive" && ar rcD "$archive" "$work/libivs.o"
echo "prelink-static: $(basename "$archive") $before kB -> $(du -k "$archive" | cut -f1) kB ($(wc -l < "$work/exports") ivs_* exports)"
