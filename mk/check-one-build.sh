#!/usr/bin/env bash
# Fails when the builds that `make test` runs would compile a third-party crate with different
# features (so twice or more in one profile): `cargo test --workspace` against the faces' own
# builds (maturin's of libivs-python, cargo's of libivs-c and libivs-node with their test hooks,
# the emulator binary, the demos). crates/workspace-hack (cargo-hakari) keeps them equal;
# after a dependency change, `make workspace-hack` regenerates it. Reads `cargo tree` only:
# nothing is compiled.
set -euo pipefail
cd "$(dirname "$0")/.."

# "name version [features]" of every third-party crate of a build; a crate built for the host
# (build scripts, proc macros) and for the target with different features shows twice.
features_of() {
  cargo tree "$@" -f '{p} [{f}]' --prefix none --target x86_64-unknown-linux-gnu 2>/dev/null \
    | sed 's/ (\*)$//; s/ (proc-macro)$//' | grep -v ' (/' | grep -v '^$' | sort -u
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
features_of --workspace -e normal,build,dev > "$scratch/workspace"
status=0
check() {
  local name=$1
  shift
  features_of "$@" > "$scratch/$name"
  # Every crate of this build must be in the workspace build with the same features.
  local differing
  differing=$(comm -23 "$scratch/$name" "$scratch/workspace")
  if [ -n "$differing" ]; then
    echo "check-one-build: $name compiles these crates with other features than cargo test --workspace:"
    echo "$differing" | sed 's/^/  /'
    status=1
  fi
}
check libivs-c -p libivs-c -e normal,build,dev
check libivs-node -p libivs-node --features libivs-node/test-hooks -e normal,build
check libivs-python -p libivs-python --features libivs-python/test-hooks -e normal,build
check ivs-emulator -p libivs-emulator -e normal,build
check demos -p libivs-core -p libivs-emulator -e normal,build,dev
check xtask -p xtask -e normal,build
if [ $status -ne 0 ]; then
  echo "check-one-build: run \`make workspace-hack\` (cargo-hakari) and commit crates/workspace-hack"
  exit 1
fi
echo "check-one-build: every build of make test shares one set of dependency builds"
