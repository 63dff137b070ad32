#!/usr/bin/env bash
# `make test-dist-c`: unpacks dist/'s C package into a scratch prefix outside the tree, builds the
# C tests and demos against it through pkg-config (shared and static) and through CMake's
# find_package(libivs) (C, C++, static), runs them, then moves the prefix and runs the shared
# builds again with LD_LIBRARY_PATH (they link by SONAME, with no rpath).
# Usage: mk/test-dist-c.sh <scratch dir> <version>
set -euo pipefail
scratch=$1 version=$2
tree=$(cd "$(dirname "$0")/.." && pwd)
name=libivs-$version-x86_64-linux-gnu
rm -rf "$scratch" && mkdir -p "$scratch/unpacked" "$scratch/bin"
tar -C "$scratch/unpacked" -xzf "$tree/dist/$name.tar.gz"
prefix=$scratch/unpacked/$name
for file in lib/libivs.so lib/libivs.so.0 "lib/libivs.so.$version" lib/libivs.a include/ivs.h \
    include/ivs.hpp lib/pkgconfig/libivs.pc lib/cmake/libivs/libivsConfig.cmake \
    lib/cmake/libivs/libivsConfigVersion.cmake; do
  test -e "$prefix/$file" || { echo "test-dist-c: $name lacks $file" >&2; exit 1; }
done
readelf -d "$prefix/lib/libivs.so" | grep -q 'SONAME.*\[libivs\.so\.0\]'
echo "test-dist-c: installed size $(du -sk "$prefix" | cut -f1) kB (libivs.so $(du -k "$prefix/lib/libivs.so.$version" | cut -f1) kB)"

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
test "$(pkg-config --modversion libivs)" = "$version"
cflags=$(pkg-config --cflags libivs)
tests=(test_operations test_errors test_async test_paginators test_playback)
for t in "${tests[@]}"; do
  cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror $cflags "$tree/bindings/c/tests/$t.c" \
    $(pkg-config --libs libivs) -o "$scratch/bin/$t"
done
c++ -std=c++17 -Wall -Wextra -Werror $cflags "$tree/bindings/c/tests/test_hpp.cpp" \
  $(pkg-config --libs libivs) -o "$scratch/bin/test_hpp"
cc -std=c11 -D_GNU_SOURCE -Wall -Werror $cflags "$tree/bindings/c/tests/test_errors.c" \
  "$prefix/lib/libivs.a" $(pkg-config --libs-only-other --static libivs) -lpthread -ldl -lm \
  -o "$scratch/bin/test_errors_static"
# ivs_version() and the header's IVS_VERSION_* macros agree with the package.
cat > "$scratch/version.c" <<'C'
#include <stdio.h>
#include <string.h>
#include "ivs.h"
int main(void) {
    char header[32];
    snprintf(header, sizeof header, "%d.%d.%d", IVS_VERSION_MAJOR, IVS_VERSION_MINOR, IVS_VERSION_PATCH);
    printf("%s %s\n", ivs_version(), header);
    return strcmp(ivs_version(), header) != 0;
}
C
cc -std=c11 -Wall -Werror $cflags "$scratch/version.c" $(pkg-config --libs libivs) -o "$scratch/bin/version"

cmake -S "$tree/bindings/c/cmake/consumer" -B "$scratch/cmake" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_SKIP_RPATH=ON > /dev/null
cmake --build "$scratch/cmake" -j 2 > /dev/null
for demo in demo_c demo_cpp demo_static; do cp "$scratch/cmake/$demo" "$scratch/bin/"; done

run_all() {
  local passed=0
  test "$("$scratch/bin/version")" = "$version $version"
  for t in "${tests[@]}" test_hpp test_errors_static; do
    "$scratch/bin/$t" > "$scratch/$t.log" 2>&1 || { cat "$scratch/$t.log"; echo "test-dist-c: $t failed" >&2; return 1; }
    n=$(sed -n 's/^\([0-9]*\) passed, 0 failed$/\1/p' "$scratch/$t.log")
    passed=$((passed + ${n:-0}))
  done
  for demo in demo_c demo_cpp demo_static; do "$scratch/bin/$demo" > /dev/null; done
  echo "test-dist-c: $1: $passed checks passed, demos ran (pkg-config and CMake, C and C++, shared and static)"
}
LD_LIBRARY_PATH=$prefix/lib run_all "installed at $prefix"
moved=$scratch/moved/$name
mkdir -p "$scratch/moved" && mv "$prefix" "$moved"
LD_LIBRARY_PATH=$moved/lib run_all "moved to $moved"
# Linked by SONAME and not by path: without the library path the shared build does not load.
if "$scratch/bin/demo_c" > /dev/null 2>&1; then echo "test-dist-c: demo_c ran without libivs.so.0 on its path" >&2; exit 1; fi
# pkg-config and CMake find the moved prefix too.
PKG_CONFIG_PATH=$moved/lib/pkgconfig pkg-config --cflags libivs | grep -q "$moved"
cmake -S "$tree/bindings/c/cmake/consumer" -B "$scratch/cmake-moved" -DCMAKE_PREFIX_PATH="$moved" > /dev/null
cmake --build "$scratch/cmake-moved" -j 2 > /dev/null
"$scratch/cmake-moved/demo_cpp" > /dev/null
echo "test-dist-c: pkg-config and find_package(libivs) work from the moved prefix"
