# `make dist`: the artifacts a user installs, in dist/ — the Python wheel (abi3, manylinux2014)
# and sdist, the npm packages `libivs` and `@libivs/linux-x64-gnu` (npm pack tarballs), and the C
# package libivs-<version>-x86_64-linux-gnu.tar.gz. `make test-dist` installs each one outside
# the source tree, with no compiler step and no network for libivs itself, and runs the face's
# tests against the installed copy.
#
# Binaries come from the cargo profile DIST_PROFILE: `dist` (Cargo.toml: release with fat LTO,
# cold crates built for size, stripped) for releases, `ci-dist` (opt-level 1, no LTO, stripped)
# where build time matters more than the code. All three
# are built for --target x86_64-unknown-linux-gnu with zig as C compiler and linker against
# glibc 2.17 (mk/zig-cc, through the pinned ziglang and cargo-zigbuild packages), so that they
# share one set of dependency builds under target/x86_64-unknown-linux-gnu/<profile>/ (build
# scripts and proc macros under target/<profile>/, linked by zig too), and every shipped
# binary is checked to need no glibc above 2.17 (mk/check-glibc.sh; auditwheel for the wheel).
.PHONY: dist dist-python dist-node dist-c dist-tools test-dist test-dist-python test-dist-node \
        test-dist-c

DIST := $(CURDIR)/dist
DIST_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
DIST_PROFILE ?= dist
DIST_TRIPLE := x86_64-unknown-linux-gnu
DIST_GLIBC := 2.17
DIST_OUT := $(CARGO_TARGET_DIR)/$(DIST_TRIPLE)/$(DIST_PROFILE)
DIST_STAGE := $(CARGO_TARGET_DIR)/dist-stage
# What every dist build runs with: zig as the target's C compiler and linker, and the venv's tools
# (maturin) on PATH.
DIST_ZIG_ENV := CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER=$(CURDIR)/mk/zig-cc \
	CC_x86_64_unknown_linux_gnu=$(CURDIR)/mk/zig-cc CXX_x86_64_unknown_linux_gnu=$(CURDIR)/mk/zig-c++
DIST_ENV := $(PY_ENV) $(DIST_ZIG_ENV)
DIST_CARGO := --profile $(DIST_PROFILE) --target $(DIST_TRIPLE)
# The Node addon and the C library are built in one cargo invocation with the Python crate, so
# that the dependencies resolve the same features as in maturin's build of the wheel: alone,
# libivs-node and libivs-c leave out a feature of syn that pyo3's macros enable, and every crate
# behind a proc macro (tokio, serde, aws-sdk-ivs...) would compile a second time.
DIST_PACKAGES := -p libivs-node -p libivs-c -p libivs-python
DIST_WHEEL_GLOB := $(DIST)/libivs-$(DIST_VERSION)-cp39-abi3-manylinux*_x86_64.whl
DIST_SDIST := $(DIST)/libivs-$(DIST_VERSION).tar.gz
DIST_NPM := $(DIST)/libivs-$(DIST_VERSION).tgz
DIST_NPM_PLATFORM := $(DIST)/libivs-linux-x64-gnu-$(DIST_VERSION).tgz
DIST_C_NAME := libivs-$(DIST_VERSION)-x86_64-linux-gnu
DIST_C := $(DIST)/$(DIST_C_NAME).tar.gz
DIST_TOOLS_STAMP := $(PY_VENV)/.libivs-dist-tools

$(DIST_TOOLS_STAMP): python/requirements-dist.txt $(PY_STAMP)
	$(PY) -m pip install -q --disable-pip-version-check -r python/requirements-dist.txt
	touch $@

dist-tools: $(DIST_TOOLS_STAMP)

dist: dist-python dist-node dist-c
	@ls -l $(DIST)

## The wheel: maturin drives cargo with DIST_ENV (not `--zig`, whose own zig wrappers would make
## the C dependencies compile a second time); auditwheel must agree that it is manylinux2014.
dist-python: dist-tools
	mkdir -p $(DIST) $(DIST_STAGE)
	rm -f $(DIST)/libivs-*.whl $(DIST_SDIST)
	cd python && $(DIST_ENV) maturin build -q $(DIST_CARGO) --compatibility manylinux2014 --out $(DIST)
	cd python && $(PY_ENV) maturin sdist --out $(DIST) > $(DIST_STAGE)/sdist.log 2>&1 \
	  || { cat $(DIST_STAGE)/sdist.log; exit 1; }
	tail -n 1 $(DIST_STAGE)/sdist.log
	$(PY_ENV) auditwheel show $(DIST_WHEEL_GLOB) | tee $(DIST_STAGE)/auditwheel.txt
	tr -s ' \n' '  ' < $(DIST_STAGE)/auditwheel.txt \
	  | grep -q 'consistent with the following platform tag: "manylinux_2_17_x86_64"'
	rm -rf $(DIST_STAGE)/wheel && mkdir -p $(DIST_STAGE)/wheel
	cd $(DIST_STAGE)/wheel && $(PY) -m zipfile -e $(DIST_WHEEL_GLOB) .
	bash mk/check-glibc.sh $(DIST_GLIBC) $(DIST_STAGE)/wheel/libivs/_libivs.abi3.so '_?Py'

dist-node: node-deps dist-tools
	mkdir -p $(DIST)
	$(DIST_ENV) $(CARGO) build -q $(DIST_CARGO) $(DIST_PACKAGES)
	bash mk/check-glibc.sh $(DIST_GLIBC) $(DIST_OUT)/liblibivs_node.so 'napi_|uv_'
	node node/npm/stage.mjs $(DIST_STAGE)/npm $(DIST_OUT)/liblibivs_node.so
	rm -f $(DIST_NPM) $(DIST_NPM_PLATFORM)
	cd $(DIST_STAGE)/npm/linux-x64-gnu && npm pack -q --pack-destination $(DIST) > /dev/null
	cd $(DIST_STAGE)/npm/libivs && npm pack -q --pack-destination $(DIST) > /dev/null
	test -f $(DIST_NPM) && test -f $(DIST_NPM_PLATFORM)

## libivs.a is prelinked into one object holding what the ivs_* exports reach, with only those
## global (mk/prelink-static.sh: 222 MB -> 37 MB for the `dist` profile).
dist-c: dist-tools
	mkdir -p $(DIST)
	rm -rf $(DIST_STAGE)/c && mkdir -p $(DIST_STAGE)/c
	$(DIST_ENV) $(MAKE) -s install-c C_PROFILE=$(DIST_PROFILE) C_TRIPLE=$(DIST_TRIPLE) \
	  C_PACKAGES="$(DIST_PACKAGES)" PREFIX=/$(DIST_C_NAME) DESTDIR=$(DIST_STAGE)/c
	bash mk/check-glibc.sh $(DIST_GLIBC) $(DIST_STAGE)/c/$(DIST_C_NAME)/lib/libivs.so.$(DIST_VERSION)
	bash mk/prelink-static.sh $(DIST_STAGE)/c/$(DIST_C_NAME)/lib/libivs.a
	tar -C $(DIST_STAGE)/c --owner=0 --group=0 -czf $(DIST_C) $(DIST_C_NAME)

## Installs each artifact of dist/ in a scratch directory outside the tree and tests it there.
test-dist: test-dist-python test-dist-node test-dist-c

DIST_SCRATCH := $(shell dirname $$(mktemp -u))/libivs-test-dist
# The sdist's test build reuses `make dist`'s dependency builds: same profile, target and zig.
test-dist-python: python-venv dist-tools
	$(DIST_ZIG_ENV) bash mk/test-dist-python.sh $(DIST_SCRATCH)/python $(DIST_VERSION) \
	  "--profile $(DIST_PROFILE) --target $(DIST_TRIPLE)"
test-dist-node: node-deps
	bash mk/test-dist-node.sh $(DIST_SCRATCH)/node $(DIST_VERSION)
test-dist-c: c-tools
	bash mk/test-dist-c.sh $(DIST_SCRATCH)/c $(DIST_VERSION)
