# libivs: `make demo` runs the main job (every language driving the embedded emulator),
# `make test` runs every test. Both install what they need (a local venv with maturin and
# pytest, the napi CLI in node/node_modules) from the package registries.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# One target dir and one (dev) profile for cargo, maturin and napi: aws-sdk-ivs compiles once.
export CARGO_TARGET_DIR := $(CURDIR)/target
# Tests and demos never reach for EC2 instance metadata (it is not on loopback).
export AWS_EC2_METADATA_DISABLED := true
CARGO ?= cargo

.PHONY: all build codegen check-generated workspace-hack lint lint-rust test test-rust demo demo-rust \
        bench bench-rust bench-logging emulator soak clean

all: build

build:
	$(CARGO) build --workspace

## Regenerate every generated file from model/ivs-2020-07-14.json.
codegen:
	$(CARGO) run -q -p xtask -- codegen

## Fail when a committed generated file differs from what codegen would write, or when the
## builds of `make test` would compile a dependency twice (crates/workspace-hack gone stale).
check-generated:
	$(CARGO) run -q -p xtask -- codegen --check
	bash mk/check-one-build.sh

## Regenerate crates/workspace-hack (cargo-hakari, installed into .tools/ on first use).
HAKARI := $(CURDIR)/.tools/bin/cargo-hakari
$(HAKARI):
	$(CARGO) install -q --locked --root $(CURDIR)/.tools cargo-hakari --version 0.9.39
workspace-hack: $(HAKARI)
	PATH=$(CURDIR)/.tools/bin:$$PATH $(CARGO) hakari generate
	PATH=$(CURDIR)/.tools/bin:$$PATH $(CARGO) hakari manage-deps --yes
	bash mk/check-one-build.sh

lint-rust:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --all-features -- -D warnings

lint: lint-rust lint-c lint-python lint-node

test-rust:
	$(CARGO) test --workspace

test: check-generated lint test-rust test-c test-python test-node test-cross

demo-rust:
	$(CARGO) run -q -p libivs-core --example demo

demo: demo-rust demo-c demo-python demo-node

bench-rust:
	$(CARGO) run -q --release -p libivs-bench --bin core_vs_sdk
	$(CARGO) run -q --release -p libivs-bench --bin client_creation

## Instructions per call with logging off, a sink at WARN and at DEBUG (callgrind).
bench-logging:
	$(CARGO) build -q --release -p libivs-bench --bin core_vs_sdk --bin bench-server
	bash bench/logging.sh $(CARGO_TARGET_DIR)/release/core_vs_sdk

bench: bench-rust bench-logging bench-c bench-python bench-node

## Run the emulator on port 4566 (override with PORT=...).
emulator:
	$(CARGO) run -q -p libivs-emulator --bin ivs-emulator -- --port $${PORT:-4566}

## The long soak of every face: 100k calls and 10k paginator create/drop cycles each, RSS growth
## under 5% over the second half (`make test` runs a short one).
SOAK_CALLS ?= 100000
soak:
	LIBIVS_SOAK_CALLS=$(SOAK_CALLS) $(MAKE) -s soak-c
	LIBIVS_SOAK_CALLS=$(SOAK_CALLS) $(MAKE) -s soak-python
	LIBIVS_SOAK_CALLS=$(SOAK_CALLS) $(MAKE) -s soak-node

clean:
	$(CARGO) clean
	rm -rf .venv node/node_modules

include mk/c.mk mk/python.mk mk/node.mk mk/cross.mk mk/emulator.mk mk/dist.mk
