# The cross-language suite (tests/), included by the top Makefile: one scenario through all 46
# operations from C, Python and Node against one ivs-emulator; tests/run_cross.py resets the
# emulator between faces and compares what they return, step by step.
.PHONY: test-cross lint-cross

CROSS_BUILD := $(CARGO_TARGET_DIR)/cross
CROSS_DRIVER := $(CROSS_BUILD)/driver
CROSS_EMULATOR := $(CARGO_TARGET_DIR)/debug/ivs-emulator

$(CROSS_BUILD):
	mkdir -p $@

lint-cross: python-venv node-deps
	$(PY_ENV) mypy --strict tests/run_cross.py tests/driver.py
	node --check tests/driver.mjs

test-cross: lint-cross c-lib python-develop build-node | $(CROSS_BUILD)
	$(CARGO) build -q -p libivs-emulator --bin ivs-emulator
	$(CC) $(C_FLAGS) tests/driver.c $(C_LINK) -o $(CROSS_DRIVER)
	$(PY) tests/run_cross.py --emulator $(CROSS_EMULATOR) --c-driver $(CROSS_DRIVER) \
	  --python $(PY) --out $(CROSS_BUILD)/results
