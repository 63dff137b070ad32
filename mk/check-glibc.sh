#!/usr/bin/env bash
# `make dist`'s check that a shipped binary loads on glibc <max> (2.17: manylinux2014, Amazon
# Linux 2, RHEL 7+): the highest GLIBC_ version it requires (its version references and the
# versions of the symbols it imports, `objdump -p` / `objdump -T`) is at most <max>, and it
# imports no libc function unversioned (zig links one that glibc 2.17 lacks as an unversioned
# undefined symbol, which would only fail at load time). Symbols the host process provides are
# named by <host symbols> (an extended regex: napi_ for Node, Py for Python). It must also unwind
# with the system's libgcc_s.so.1, not a copy of its own (see mk/zig-cc).
# Usage: mk/check-glibc.sh <max> <binary> [<host symbols regex>]
set -euo pipefail
max=$1 binary=$2 host=${3:-}
versions=$( { objdump -p "$binary" | awk '/^Version References/ {on=1; next} on && /^$/ {on=0} on' ;
              objdump -T "$binary"; } | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV)
highest=$(tail -n 1 <<< "$versions")
if [ "$(printf '%s\n%s\n' "$highest" "$max" | sort -V | tail -n 1)" != "$max" ]; then
  echo "check-glibc: $binary needs GLIBC_$highest (> $max):" >&2
  objdump -T "$binary" | grep -E "GLIBC_($(sed 's/\./\\./g' <<< "$highest"))\)" >&2 || true
  exit 1
fi
# Undefined, not weak, without a version: the columns are address, flags, section, size, name.
unversioned=$(objdump -T "$binary" | awk '$NF != "" && /\*UND\*/ && !/\(/ && $2 != "w" {print $NF}' |
  { if [ -n "$host" ]; then grep -Ev "^($host)" || true; else cat; fi })
if [ -n "$unversioned" ]; then
  echo "check-glibc: $binary imports symbols with no version (not in glibc $max?):" >&2
  echo "$unversioned" | head -n 20 >&2
  exit 1
fi
# One unwinder, the system's: _Unwind_* come from libgcc_s.so.1 (mk/zig-cc), none is built in.
if ! grep -Eq '\(GCC_3\.0\) +_Unwind_Resume$' <<< "$(objdump -T "$binary")"; then
  echo "check-glibc: $binary does not take _Unwind_Resume from libgcc_s.so.1 (a built-in unwinder?)" >&2
  exit 1
fi
echo "check-glibc: $(basename "$binary") needs at most GLIBC_$highest (<= $max) and unwinds with libgcc_s"
