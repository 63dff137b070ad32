# The python face's targets, included by the top Makefile.
# A venv at .venv (made here if missing) holds the pinned tools of python/requirements-dev.txt;
# `maturin develop` builds bindings/python (dev profile, the shared target dir) into it.
.PHONY: test-python soak-python demo-python bench-python lint-python python-venv python-develop python-stubs

PY_VENV := $(CURDIR)/.venv
PY := $(PY_VENV)/bin/python
PY_STAMP := $(PY_VENV)/.libivs-python-deps
PY_ENV := VIRTUAL_ENV=$(PY_VENV) PATH=$(PY_VENV)/bin:$$PATH

$(PY_STAMP): python/requirements-dev.txt
	test -x $(PY) || python3 -m venv $(PY_VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r python/requirements-dev.txt
	touch $@

python-venv: $(PY_STAMP)

python-develop: python-venv
	cd python && $(PY_ENV) maturin develop -q --features test-hooks

# `_libivs.pyi` from the built module's declarations (pyo3's experimental-inspect);
# `test-python` fails when the committed stub differs.
PY_MODULE := $(CURDIR)/python/libivs/_libivs.abi3.so
python-stubs: python-develop
	$(CARGO) run -q -p xtask -- python-stubs $(PY_MODULE)

test-python: python-develop
	$(CARGO) run -q -p xtask -- python-stubs $(PY_MODULE) --check
	cd python && $(PY_ENV) LIBIVS_EXPECT_TEST_HOOKS=1 python -m pytest -q -p no:cacheprovider tests

## The soak test alone (LIBIVS_SOAK_CALLS calls; `make soak` sets 100k).
soak-python: python-develop
	cd python && $(PY_ENV) python -m pytest -q -p no:cacheprovider tests/test_reliability.py -k soak

demo-python: python-develop
	$(PY_ENV) python python/examples/demo.py

# Release build for the benchmark only (the tests use the dev build, restored afterwards).
bench-python: python-venv
	$(CARGO) build -q --release -p libivs-bench --bin bench-server --bin core_vs_sdk
	cd python && $(PY_ENV) maturin develop -q --release
	status=0; $(PY_ENV) python bench/python/bench.py || status=$$?; \
	  cd python && $(PY_ENV) maturin develop -q --features test-hooks; exit $$status

lint-python: python-venv
	cd python && $(PY_ENV) mypy --strict libivs examples/demo.py
