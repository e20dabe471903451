#!/usr/bin/env bash
# tessera-core and tessera-vault (everything that computes codes and keeps accounts) must build
# without cmake or a C++ compiler: QR reading (zxing-cpp, bundled C++) is tessera-qr's alone.
# Fails when zxing-cpp or the cmake crate is in their dependency tree, then compiles and lints
# the two crates on their own (their own features, not the workspace's). A check, not a build:
# both are libraries, so a build would add code generation and no linking, and the test build
# compiles them again with the workspace's features anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo=${CARGO:-cargo}

tree=$($cargo tree --locked -p tessera-core -p tessera-vault -e normal,build --prefix none)
for heavy in zxing-cpp cmake; do
  if grep -q "^$heavy v" <<<"$tree"; then
    echo "check-lean-core: $heavy is in the dependency tree of tessera-core or tessera-vault:" >&2
    $cargo tree --locked -p tessera-core -p tessera-vault -e normal,build -i "$heavy" >&2
    exit 1
  fi
done
$cargo clippy --locked --quiet -p tessera-core -p tessera-vault -- -D warnings
echo "check-lean-core: tessera-core and tessera-vault compile and lint clean without zxing-cpp or cmake"
