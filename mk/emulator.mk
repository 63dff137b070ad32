# The emulator's targets, included by the top Makefile: ffmpeg for the RTMP(S) ingest tests and
# the broadcast demo, and the demo itself.
.PHONY: emulator-tools demo-broadcast

## ffmpeg, from Debian's packages when missing (as c-tools installs valgrind).
emulator-tools:
	@if ! command -v ffmpeg >/dev/null; then \
	  echo "emulator: installing ffmpeg"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null; \
	fi

# The ingest tests (crates/emulator/tests/ingest.rs, python/tests/test_broadcast.py,
# node/test/broadcast.test.mjs) start ffmpeg.
test-rust test-python test-node: emulator-tools

## A real broadcast: ffmpeg publishes a few seconds of a test pattern over RTMPS.
demo-broadcast: emulator-tools
	$(CARGO) run -q -p libivs-emulator --example broadcast

demo: demo-broadcast
