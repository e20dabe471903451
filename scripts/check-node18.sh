#!/usr/bin/env bash
# Debian 12's own Node.js is 18. This shows that the set-up and the UI's build work with it:
# Node 18 (and an npm that runs on it) from the npm registry into target/node18, then, in a
# scratch copy of the UI, scripts/ensure-deps.sh run and the UI's build with that Node first
# on the PATH. The checkout's own ui/ is not touched.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
node18=$root/target/node18
if [ ! -x "$node18/node_modules/.bin/node" ]; then
  mkdir -p "$node18"
  npm install --prefix "$node18" --no-fund --no-audit --loglevel=error node@18 npm@10
fi
export PATH="$node18/node_modules/.bin:$PATH"
version=$(node --version)
case "$version" in
  v18.*) ;;
  *) echo "check-node18: expected Node 18, got $version" >&2; exit 1 ;;
esac

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tessera-node18.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/scripts" "$scratch/ui"
cp scripts/ensure-deps.sh "$scratch/scripts/"
(cd ui && cp -r index.html package.json package-lock.json tsconfig.json vite.config.ts src "$scratch/ui/")
# The window's catalogues, which the UI's build bundles.
cp -r locales "$scratch/"
(cd "$scratch" && scripts/ensure-deps.sh run && npm --prefix ui run build --silent)
test -s "$scratch/ui/dist/index.html"
echo "check-node18: ensure-deps and the UI build work with Node $version (npm $(npm --version))"
