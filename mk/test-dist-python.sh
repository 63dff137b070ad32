#!/usr/bin/env bash
# `make test-dist-python`: installs dist/'s wheel into a fresh venv outside the tree (no index:
# libivs needs nothing from the network), runs python/tests against it from a copy laid out
# away from the sources, and installs the sdist from source into a second fresh venv.
# Usage: mk/test-dist-python.sh <scratch dir> <version> [<maturin args for the sdist's build>]
set -euo pipefail
scratch=$1 version=$2 sdist_args=${3:---profile dist}
tree=$(cd "$(dirname "$0")/.." && pwd)
dist=$tree/dist
wheel=$(ls "$dist"/libivs-"$version"-cp39-abi3-manylinux*_x86_64.whl)
rm -rf "$scratch" && mkdir -p "$scratch/model"

python3 -m venv "$scratch/venv"
"$scratch/venv/bin/pip" install -q --disable-pip-version-check --no-index "$wheel"
# The tests' own tools (pytest, boto3 for parity, PyJWT, mypy for the typing tests) come from
# the registry like any user's; libivs itself came from the wheel alone.
grep -v '^maturin' "$tree/python/requirements-dev.txt" > "$scratch/requirements-test.txt"
"$scratch/venv/bin/pip" install -q --disable-pip-version-check -r "$scratch/requirements-test.txt"
installed=$(cd "$scratch" && "$scratch/venv/bin/python" -c 'import libivs; print(libivs.__file__)')
case "$installed" in
  "$scratch"/venv/*) echo "test-dist-python: libivs $version from $installed" ;;
  *) echo "test-dist-python: imported libivs from $installed, not the venv" >&2; exit 1 ;;
esac
reported=$(cd "$scratch" && "$scratch/venv/bin/python" -c 'import libivs; print(libivs.__version__)')
test "$reported" = "$version" || { echo "libivs.__version__ is $reported, Cargo.toml says $version" >&2; exit 1; }
echo "test-dist-python: installed size $(du -sk "$scratch"/venv/lib/python3*/site-packages/libivs | cut -f1) kB"

# The tests find the model (and botocore's, which test_model_source compares it with) at
# <root>/model (conftest: two levels above itself).
cp -r "$tree/python/tests" "$scratch/suite-tests" && mkdir -p "$scratch/suite" && mv "$scratch/suite-tests" "$scratch/suite/tests"
cp -rL "$tree/model/ivs-2020-07-14.json" "$tree"/model/botocore-* "$scratch/model/"
# test_readme runs the README's examples against the installed package.
cp "$tree/README.md" "$scratch/README.md"
(cd "$scratch/suite" && "$scratch/venv/bin/python" -m pytest -q -p no:cacheprovider tests)

# The sdist compiles: pip builds it from source with maturin (from the registry, in pip's
# isolated build environment) into a second fresh venv. It shares the tree's cargo target dir
# and `make dist`'s profile, target and zig toolchain (<maturin args>, and the environment
# mk/dist.mk sets), so that only the libivs crates, unpacked from the sdist, compile again;
# aws-sdk-ivs and the other registry crates are reused from `make dist`.
python3 -m venv "$scratch/sdist-venv"
sdist_started=$(date +%s)
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$tree/target}" MATURIN_PEP517_ARGS="$sdist_args" \
  "$scratch/sdist-venv/bin/pip" install -q --disable-pip-version-check --no-cache-dir \
  "$dist/libivs-$version.tar.gz"
echo "test-dist-python: pip built and installed the sdist ($sdist_args) in $(( $(date +%s) - sdist_started )) s"
(cd "$scratch" && "$scratch/sdist-venv/bin/python" -c '
import libivs
with libivs.Emulator() as emulator, emulator.client() as ivs:
    name = ivs.create_channel(name="from-sdist")["channel"]["name"]
    assert name == "from-sdist", name
    print("test-dist-python: the sdist built and answered", name, "as libivs", libivs.__version__)
')
