# `make dist`: the artifacts a user installs, in dist/ — the Python wheel (abi3, manylinux2014)
# and sdist, the npm packages `libivs` and `@libivs/linux-x64-gnu` (npm pack tarballs), and the C
# package libivs-<version>-x86_64-linux-gnu.tar.gz. `make test-dist` installs each one outside
# the source tree, with no compiler step and no network for libivs itself, and runs the face's
# tests against the installed copy. Binaries come from the `dist` cargo profile (Cargo.toml:
# release with thin LTO, stripped).
.PHONY: dist dist-python dist-node dist-c dist-tools test-dist test-dist-python test-dist-node \
        test-dist-c

DIST := $(CURDIR)/dist
DIST_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
DIST_PROFILE := dist
DIST_STAGE := $(CARGO_TARGET_DIR)/dist-stage
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

## The wheel links through zig against glibc 2.17; auditwheel must agree that it is manylinux2014.
dist-python: dist-tools
	mkdir -p $(DIST)
	rm -f $(DIST)/libivs-*.whl $(DIST_SDIST)
	cd python && $(PY_ENV) maturin build -q --profile $(DIST_PROFILE) --zig \
	  --compatibility manylinux2014 --out $(DIST)
	cd python && $(PY_ENV) maturin sdist -q --out $(DIST)
	$(PY_ENV) auditwheel show $(DIST_WHEEL_GLOB) | tee $(DIST_STAGE).auditwheel
	grep -q 'consistent with the following platform tag: "manylinux_2_17_x86_64"' $(DIST_STAGE).auditwheel

dist-node: node-deps
	mkdir -p $(DIST)
	$(CARGO) build -q --profile $(DIST_PROFILE) -p libivs-node
	node node/npm/stage.mjs $(DIST_STAGE)/npm $(CARGO_TARGET_DIR)/$(DIST_PROFILE)/liblibivs_node.so
	rm -f $(DIST_NPM) $(DIST_NPM_PLATFORM)
	cd $(DIST_STAGE)/npm/linux-x64-gnu && npm pack -q --pack-destination $(DIST) > /dev/null
	cd $(DIST_STAGE)/npm/libivs && npm pack -q --pack-destination $(DIST) > /dev/null
	test -f $(DIST_NPM) && test -f $(DIST_NPM_PLATFORM)

dist-c:
	mkdir -p $(DIST)
	rm -rf $(DIST_STAGE)/c && mkdir -p $(DIST_STAGE)/c
	$(MAKE) -s install-c C_PROFILE=$(DIST_PROFILE) PREFIX=/$(DIST_C_NAME) DESTDIR=$(DIST_STAGE)/c
	tar -C $(DIST_STAGE)/c --owner=0 --group=0 -czf $(DIST_C) $(DIST_C_NAME)

## Installs each artifact of dist/ in a scratch directory outside the tree and tests it there.
test-dist: test-dist-python test-dist-node test-dist-c

DIST_SCRATCH := $(shell dirname $$(mktemp -u))/libivs-test-dist
test-dist-python: python-venv
	bash mk/test-dist-python.sh $(DIST_SCRATCH)/python $(DIST_VERSION)
test-dist-node: node-deps
	bash mk/test-dist-node.sh $(DIST_SCRATCH)/node $(DIST_VERSION)
test-dist-c: c-tools
	bash mk/test-dist-c.sh $(DIST_SCRATCH)/c $(DIST_VERSION)
