# `make check` is what CI runs (through .ci/run): type check, lint, the whole tap suite
# under c8 with a coverage gate. `make bench` is separate and never part of check.
NPX := npx --no-install
LINES ?= 95
BRANCHES ?= 90

.PHONY: check build typecheck lint test coverage bench bench-batch demo clean fuzz chaos

check: lint test

# From scratch: a test file deleted from tests/ must not live on in dist/.
build:
	rm -rf dist
	$(NPX) tsc -p tsconfig.json
	node scripts/build-cjs.mjs

typecheck: build

# The build already runs the compiler in its strictest unused-code mode (tsconfig.json);
# lint adds the house rules tsc cannot check: layers, file length, no `any`.
lint: build
	node scripts/lint.mjs

# The reporter is silent (tap's drawing reporters cost a core on a 2-core machine); the raw
# TAP of the whole run goes to .tap/run.tap, and test-summary names every failing file and
# assertion from it, including files that timed out or exited non-zero without a failed
# assertion. The recipe keeps the run's own exit status.
test: build
	rm -rf .tap/test-results .tap/run.tap
	mkdir -p .tap
	status=0; $(NPX) c8 --check-coverage --lines $(LINES) --branches $(BRANCHES) \
		--all --src dist/src --include 'dist/src/**' --exclude 'dist/src/cli/main.js' --exclude 'dist/src/**/*.d.ts' \
		--exclude 'dist/src/http/types.js' --exclude 'dist/src/providers/adapter.js' \
		--reporter text-summary --reporter text \
		$(NPX) tap --reporter=silent --output-file=.tap/run.tap 'dist/tests/**/*.test.js' || status=$$?; \
	node scripts/test-summary.mjs .tap/run.tap || { [ $$status -ne 0 ] || status=1; }; \
	exit $$status

# A long fuzz campaign (not part of check; its bounded run is tests/fuzz/*.test.ts).
# FUZZ_SEED (default: from the clock), FUZZ_SECONDS (60), FUZZ_POLICY (passing | all);
# FUZZ_REPLAY=<case seed> reruns one failing case as the campaign printed it.
FUZZ_SEED ?=
FUZZ_SECONDS ?= 60
FUZZ_POLICY ?= passing
FUZZ_REPLAY ?=
fuzz: build
	FUZZ_SEED=$(FUZZ_SEED) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_POLICY=$(FUZZ_POLICY) FUZZ_REPLAY=$(FUZZ_REPLAY) \
		node dist/tests/fuzz/lib/main.js

# The chaos test alone (it is part of check too): a misbehaving loopback server, thousands
# of requests over the README host loop, run() and autoPump(), random cancels, cleanup() mid-run.
chaos: build
	$(NPX) tap --reporter=terse dist/tests/suite/chaos.test.js

# The bench is its own package (the peer SDKs are its devDependencies only).
bench: build
	cd bench && npm ci --no-audit --no-fund && $(NPX) tsc -p tsconfig.json && node dist/run.js

# runBatch's client CPU per request against the bare engine's (bench/src/batch-overhead.ts).
bench-batch: build
	cd bench && $(NPX) tsc -p tsconfig.json && node dist/batch-overhead.js

demo: build
	node dist/src/cli/main.js demo

clean:
	rm -rf dist coverage .tap
