#!/usr/bin/env bash
# CI's smoke run on newer Node majors (default 22 and 24): build with that Node, run the
# README examples through the packed tarball (tests/suite/consumer-project.test.js and the
# README host-loop test) and the CLI demo. Node comes from the npm registry's
# node-<platform>-<arch> package (the binary the `node` package's preinstall would fetch,
# taken directly so no install script has to be approved). A Node that cannot be installed
# fails the run: the smoke run is part of CI, not a best effort.
# Usage: scripts/smoke-node.sh [major...]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
platform=$(node -p 'process.platform + "-" + process.arch')
majors=("$@")
[ ${#majors[@]} -eq 0 ] && majors=(22 24)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for major in "${majors[@]}"; do
  dir="$work/node$major"
  mkdir -p "$dir"
  echo '{"private":true}' > "$dir/package.json"
  if ! (cd "$dir" && npm install --no-audit --no-fund --no-package-lock --silent "node-$platform@$major"); then
    echo "smoke: could not install node-$platform@$major from the npm registry" >&2
    exit 1
  fi
  bin="$dir/node_modules/node-$platform/bin/node"
  echo "smoke: $("$bin" -v)"
  "$bin" node_modules/typescript/bin/tsc -p tsconfig.json
  "$bin" scripts/build-cjs.mjs
  # The tests print TAP; their exit status is what counts.
  # Run alone (not under the tap runner) a test file has tap's 30 s default; the consumer projects take longer.
  TAP_TIMEOUT=300 "$bin" dist/tests/suite/consumer-project.test.js > "$dir/consumer.tap" || { cat "$dir/consumer.tap"; exit 1; }
  TAP_TIMEOUT=300 "$bin" dist/tests/suite/readme-host-loop.test.js > "$dir/host-loop.tap" || { cat "$dir/host-loop.tap"; exit 1; }
  "$bin" dist/src/cli/main.js demo > "$dir/demo.out" 2>&1 || { cat "$dir/demo.out"; exit 1; }
  grep -q 'streams: .* 0 failed' "$dir/demo.out" || { cat "$dir/demo.out"; exit 1; }
  echo "smoke: node $major ok (consumer projects, README examples, host loop, demo)"
done
cd "$root"
