# `make check` is what CI runs (through .ci/run): type check, lint, the whole tap suite
# under c8 with a coverage gate. `make bench` is separate and never part of check.
NPX := npx --no-install
LINES ?= 95
BRANCHES ?= 90

.PHONY: check build typecheck lint test coverage bench demo clean

check: lint test

build:
	$(NPX) tsc -p tsconfig.json

typecheck: build

# The build already runs the compiler in its strictest unused-code mode (tsconfig.json);
# lint adds the house rules tsc cannot check: layers, file length, no `any`.
lint: build
	node scripts/lint.mjs

test: build
	rm -rf .tap/test-results
	$(NPX) c8 --check-coverage --lines $(LINES) --branches $(BRANCHES) \
		--all --src dist/src --include 'dist/src/**' --exclude 'dist/src/cli/main.js' --exclude 'dist/src/**/*.d.ts' \
		--exclude 'dist/src/http/types.js' --exclude 'dist/src/providers/adapter.js' \
		--reporter text-summary --reporter text \
		$(NPX) tap --reporter=dot 'dist/tests/**/*.test.js'
	node scripts/test-summary.mjs

# The bench is its own package (the peer SDKs are its devDependencies only).
bench: build
	cd bench && npm ci --no-audit --no-fund && $(NPX) tsc -p tsconfig.json && node dist/run.js

demo: build
	node dist/src/cli/main.js demo

clean:
	rm -rf dist coverage .tap
