# The c face's targets, included by the top Makefile: libivs.so / libivs.a from bindings/c,
# include/ivs.h (cbindgen, through `make codegen`) and include/ivs.hpp (C++17 wrapper).
.PHONY: test-c-readme test-c test-c-asan soak-c demo-c bench-c lint-c c-lib c-header-check c-tools install-c c-package-test

C_TARGET_DIR := $(CARGO_TARGET_DIR)
C_LIB_DIR := $(C_TARGET_DIR)/debug
C_BUILD := $(C_TARGET_DIR)/c-tests
C_TESTS := test_operations test_errors test_async test_paginators test_playback test_reliability test_logging
CC ?= cc
CXX ?= c++
C_FLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wpedantic -Werror -g -Iinclude
CXX_FLAGS := -std=c++17 -Wall -Wextra -Wpedantic -Werror -g -Iinclude
C_LINK := -L$(C_LIB_DIR) -livs -lpthread -ldl -lm -Wl,-rpath,$(C_LIB_DIR)
# Leak-checked: any error, or any block definitely/indirectly lost, fails the run. The
# suppressions cover only "possibly lost" process-lifetime statics (see the file's comments).
VALGRIND := valgrind --leak-check=full --error-exitcode=1 --num-callers=40 \
	--suppressions=bindings/c/tests/valgrind.supp --quiet

## valgrind, a C++ compiler, pkg-config and cmake (for the package tests), from Debian's
## packages when missing.
c-tools:
	@missing=""; \
	for tool in valgrind:valgrind g++:g++ pkg-config:pkg-config cmake:cmake; do \
	  command -v $${tool%%:*} >/dev/null || missing="$$missing $${tool##*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "c face: installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

## Installs libivs.so (SONAME libivs.so.0: libivs.so -> libivs.so.0 -> libivs.so.<version>),
## libivs.a, ivs.h, ivs.hpp, libivs.pc and the CMake package under PREFIX (C_PROFILE=release by
## default, or dist / ci-dist / debug; C_TRIPLE to build with `--target` and C_PACKAGES to build
## more packages in the same cargo invocation, as `make dist` does; DESTDIR for staging). The .pc
## and CMake files find the prefix from where they are, so the installed tree can be moved.
PREFIX ?= /usr/local
C_PROFILE ?= release
C_TRIPLE ?=
C_PACKAGES ?= -p libivs-c
C_OUT = $(C_TARGET_DIR)/$(if $(C_TRIPLE),$(C_TRIPLE)/)$(C_PROFILE)
C_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
C_SOVERSION := 0
install-c:
	$(CARGO) build -q $(if $(filter debug,$(C_PROFILE)),,--profile $(C_PROFILE)) \
	  $(if $(C_TRIPLE),--target $(C_TRIPLE)) $(C_PACKAGES)
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/lib/cmake/libivs $(DESTDIR)$(PREFIX)/include
	install -m 755 $(C_OUT)/libivs.so $(DESTDIR)$(PREFIX)/lib/libivs.so.$(C_VERSION)
	ln -sf libivs.so.$(C_VERSION) $(DESTDIR)$(PREFIX)/lib/libivs.so.$(C_SOVERSION)
	ln -sf libivs.so.$(C_SOVERSION) $(DESTDIR)$(PREFIX)/lib/libivs.so
	install -m 644 $(C_OUT)/libivs.a $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/ivs.h include/ivs.hpp $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@VERSION@|$(C_VERSION)|' bindings/c/pkgconfig/libivs.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/libivs.pc
	install -m 644 bindings/c/cmake/libivsConfig.cmake $(DESTDIR)$(PREFIX)/lib/cmake/libivs/
	sed -e 's|@VERSION@|$(C_VERSION)|' bindings/c/cmake/libivsConfigVersion.cmake.in \
	  > $(DESTDIR)$(PREFIX)/lib/cmake/libivs/libivsConfigVersion.cmake

## Consumers of an installed libivs: pkg-config and find_package(libivs) build and run the demos.
C_PREFIX := $(C_BUILD)/prefix
c-package-test: c-tools | $(C_BUILD)
	rm -rf $(C_PREFIX) $(C_BUILD)/cmake-consumer
	$(MAKE) -s install-c C_PROFILE=debug PREFIX=$(C_PREFIX)
	$(CC) -std=c11 -Wall -Werror bindings/c/examples/demo.c \
	  $$(PKG_CONFIG_PATH=$(C_PREFIX)/lib/pkgconfig pkg-config --cflags --libs libivs) \
	  -Wl,-rpath,$(C_PREFIX)/lib -o $(C_BUILD)/demo_pkgconfig
	$(C_BUILD)/demo_pkgconfig | tail -n 2
	cmake -S bindings/c/cmake/consumer -B $(C_BUILD)/cmake-consumer -DCMAKE_PREFIX_PATH=$(C_PREFIX) \
	  -DCMAKE_BUILD_RPATH=$(C_PREFIX)/lib > /dev/null
	cmake --build $(C_BUILD)/cmake-consumer -j 2 > /dev/null
	$(C_BUILD)/cmake-consumer/demo_c | tail -n 1
	$(C_BUILD)/cmake-consumer/demo_cpp | tail -n 1
	$(C_BUILD)/cmake-consumer/demo_static | tail -n 1

# libivs.so carries the SONAME libivs.so.0 (bindings/c/build.rs): what links against it loads
# libivs.so.0, which the dev build gets as a symlink.
c-lib:
	$(CARGO) build -q -p libivs-c
	ln -sf libivs.so $(C_LIB_DIR)/libivs.so.0

## The committed header must be what cbindgen writes from the crate now.
c-header-check:
	$(CARGO) run -q -p xtask -- codegen --check

$(C_BUILD):
	mkdir -p $@

test-c: c-tools c-lib | $(C_BUILD)
	$(CARGO) test -q -p libivs-c --lib
	@# The headers compile alone: ivs.h as C99, ivs.hpp as C++17.
	printf '#include "ivs.h"\nint main(void){return 0;}\n' > $(C_BUILD)/header_c.c
	$(CC) -std=c99 -Wall -Wextra -Wpedantic -Werror -Iinclude $(C_BUILD)/header_c.c -o $(C_BUILD)/header_c
	printf '#include "ivs.hpp"\nint main(){return 0;}\n' > $(C_BUILD)/header_cpp.cpp
	$(CXX) $(CXX_FLAGS) $(C_BUILD)/header_cpp.cpp -o $(C_BUILD)/header_cpp
	@for t in $(C_TESTS); do \
	  $(CC) $(C_FLAGS) bindings/c/tests/$$t.c $(C_LINK) -o $(C_BUILD)/$$t || exit 1; \
	done
	$(CXX) $(CXX_FLAGS) bindings/c/tests/test_hpp.cpp $(C_LINK) -o $(C_BUILD)/test_hpp
	@# The static library links too, and the installed package works through pkg-config and CMake.
	$(CC) $(C_FLAGS) bindings/c/tests/test_errors.c $(C_LIB_DIR)/libivs.a -lpthread -ldl -lm -o $(C_BUILD)/test_errors_static
	$(C_BUILD)/test_errors_static > /dev/null
	$(MAKE) -s c-package-test
	@passed=0; failed=0; \
	for t in $(C_TESTS) test_hpp; do \
	  echo "== $$t (valgrind)"; \
	  if $(VALGRIND) $(C_BUILD)/$$t > $(C_BUILD)/$$t.log 2>&1; then status=ok; else status=FAILED; failed=$$((failed+1)); fi; \
	  cat $(C_BUILD)/$$t.log; \
	  n=$$(sed -n 's/^\([0-9]*\) passed, 0 failed$$/\1/p' $(C_BUILD)/$$t.log); \
	  passed=$$((passed+$${n:-0})); \
	  echo "== $$t: $$status"; \
	done; \
	echo "c: $$passed passed, $$failed failed"; \
	test $$failed -eq 0
	$(MAKE) -s test-c-readme
	$(MAKE) -s test-c-asan
	$(MAKE) -s soak-c

## The README's C and C++ examples as written (bindings/c/tests/readme_examples.py puts each in a
## main that starts an emulator and points the AWS environment at it), under valgrind.
test-c-readme: c-lib | $(C_BUILD)
	@rm -rf $(C_BUILD)/readme
	@sources=$$(python3 bindings/c/tests/readme_examples.py README.md $(C_BUILD)/readme) || exit 1; \
	for source in $$sources; do \
	  program=$${source%.*}; \
	  case $$source in \
	    *.cpp) $(CXX) -std=c++17 -g -Iinclude $$source $(C_LINK) -o $$program ;; \
	    *) $(CC) -std=c11 -D_GNU_SOURCE -g -Iinclude $$source $(C_LINK) -o $$program ;; \
	  esac || exit 1; \
	  $(VALGRIND) $$program > $$program.log 2>&1 || { cat $$program.log; echo "== $$source: FAILED"; exit 1; }; \
	  echo "== README example $$(basename $$source): ok"; \
	done

## Many calls and paginator cycles with the resident set watched (LIBIVS_SOAK_CALLS, 20k here;
## `make soak` runs 100k).
soak-c: c-lib | $(C_BUILD)
	$(CC) $(C_FLAGS) bindings/c/tests/soak.c $(C_LINK) -o $(C_BUILD)/soak
	$(C_BUILD)/soak

## The C tests again under AddressSanitizer + UBSan (the test programs instrumented; leaks are
## valgrind's job above, so LeakSanitizer is off: it cannot see libivs's process-lifetime statics).
C_ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
test-c-asan: c-lib | $(C_BUILD)
	@passed=0; \
	for t in $(C_TESTS); do \
	  $(CC) $(C_FLAGS) $(C_ASAN_FLAGS) bindings/c/tests/$$t.c $(C_LINK) -o $(C_BUILD)/$$t-asan || exit 1; \
	  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 $(C_BUILD)/$$t-asan > $(C_BUILD)/$$t-asan.log 2>&1 \
	    || { cat $(C_BUILD)/$$t-asan.log; echo "== $$t (asan): FAILED"; exit 1; }; \
	  n=$$(sed -n 's/^\([0-9]*\) passed, 0 failed$$/\1/p' $(C_BUILD)/$$t-asan.log); \
	  passed=$$((passed+$${n:-0})); \
	done; \
	echo "c (asan): $$passed passed, 0 failed"

demo-c: c-lib | $(C_BUILD)
	$(CC) $(C_FLAGS) bindings/c/examples/demo.c $(C_LINK) -o $(C_BUILD)/demo
	$(CXX) $(CXX_FLAGS) bindings/c/examples/demo.cpp $(C_LINK) -o $(C_BUILD)/demo_cpp
	$(C_BUILD)/demo
	$(C_BUILD)/demo_cpp

## C API against raw aws-sdk-ivs on the same loopback endpoint (release builds).
bench-c:
	bash bench/c/run.sh

lint-c:
	$(CARGO) fmt -p libivs-c --check
	$(CARGO) clippy -q -p libivs-c --all-targets -- -D warnings
