# The node face's targets, included by the top Makefile.
#
# The addon is the `libivs-node` cdylib, built by cargo into the shared target dir (dev profile)
# and copied to node/libivs.node. (`napi build` always passes `--target <host triple>`, which
# would compile aws-sdk-ivs a second time under target/<triple>/; the napi CLI stays a
# devDependency for `npm run build` and packaging.) node/node_modules comes from
# node/package-lock.json through `npm ci`.
.PHONY: test-node soak-node demo-node bench-node lint-node build-node node-deps

NODE_DIR := $(CURDIR)/node
NODE_ADDON := $(NODE_DIR)/libivs.node
NODE_STAMP := $(NODE_DIR)/node_modules/.libivs-installed

$(NODE_STAMP): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

node-deps: $(NODE_STAMP)

build-node: node-deps
	$(CARGO) build -q -p libivs-node --features test-hooks
	cp $(CARGO_TARGET_DIR)/debug/liblibivs_node.so $(NODE_ADDON).tmp
	mv -f $(NODE_ADDON).tmp $(NODE_ADDON)

test-node: build-node
	cd $(NODE_DIR) && LIBIVS_EXPECT_TEST_HOOKS=1 node --test --test-concurrency=1 test/

# The soak case of the reliability suite alone; `make soak` raises LIBIVS_SOAK_CALLS to 100k
# (10k paginator cycles), `make test-node` runs it at 20k.
soak-node: build-node
	cd $(NODE_DIR) && node --test --test-name-pattern=soak test/reliability.test.mjs

demo-node: build-node
	node $(NODE_DIR)/examples/demo.mjs

# The benchmarked addon is the one `make dist` ships: the `dist` profile (fat LTO, one codegen
# unit, cold crates built for size, stripped), built for the host into target/dist/. It goes to
# bench/node/ (the tests keep the dev addon). The endpoint is bench-server on loopback.
bench-node: node-deps
	$(CARGO) build -q --profile dist -p libivs-node
	$(CARGO) build -q --release -p libivs-bench --bin bench-server
	cp $(CARGO_TARGET_DIR)/dist/liblibivs_node.so $(CURDIR)/bench/node/libivs.node
	LIBIVS_NODE_BINARY=$(CURDIR)/bench/node/libivs.node node $(CURDIR)/bench/node/bench.mjs

lint-node: node-deps
	node --check $(NODE_DIR)/index.js
	node --check $(NODE_DIR)/generated.js
	node --check $(NODE_DIR)/index.mjs
	cd $(NODE_DIR) && npx --no-install tsc -p test/types/tsconfig.json
