#!/usr/bin/env bash
# Fill a local copy of the JavaScript packages the Solara server otherwise loads from a
# public CDN at run time, for machines that reach only the package registries.
#
#   tests/app/browser/fetch_solara_assets.sh DIR
#
# Each package is fetched with `npm pack` and unpacked into DIR/<name>@<version>/, the
# layout the server reads when started with SOLARA_ASSETS_PROXY_CACHE_DIR=DIR. Packages
# already there are kept, so a second call costs nothing. Users online need none of this.
set -euo pipefail

dest=${1:?usage: $0 CACHE_DIR}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

# name@version exactly as the Solara page asks for it (vega's "@5" and "@6" are literal).
packages=(
  "@widgetti/solara-vuetify-app@10.1.1"
  "@widgetti/vue-grid-layout@2.3.13-alpha.2"
  "requirejs@2.3.6"
  "font-awesome@4.5.0"
  "vega@5"
  "vega-lite@5"
  "vega-embed@6"
)

command -v npm >/dev/null 2>&1 || { echo "error: npm is needed to fetch the Solara assets" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for spec in "${packages[@]}"; do
  target="$dest/$spec"
  if [ -f "$target/package.json" ]; then
    continue
  fi
  tarball=$(cd "$work" && npm pack --silent "$spec" | tail -n 1)
  staging="$work/unpack"
  rm -rf "$staging" && mkdir -p "$staging"
  tar -xzf "$work/$tarball" -C "$staging" --strip-components=1
  mkdir -p "$(dirname "$target")"
  rm -rf "$target"
  mv "$staging" "$target"
  echo "fetched $spec"
done
