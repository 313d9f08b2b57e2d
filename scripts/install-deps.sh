#!/usr/bin/env bash
# Installs what building and testing need, from Debian's packages and the npm registry only.
# Idempotent: installs nothing when everything is already there.
# usage: install-deps.sh [--with-linter]   (the OpenAPI linter is only needed by the tests)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
with_linter=false
[ "${1:-}" = "--with-linter" ] && with_linter=true

# package -> why the project needs it
declare -A why=(
  [g++]="C++ compiler"
  [cmake]="build system and ctest"
  [pkg-config]="locates libmicrohttpd"
  [nlohmann-json3-dev]="JSON values everywhere"
  [libfmt-dev]="string formatting"
  [libcurl4-openssl-dev]="conform's HTTP client"
  [libmicrohttpd-dev]="vod-mock's HTTP server (epoll: idle or slow clients do not hold up others)"
  [libvalijson-dev]="JSON Schema validation of contract files and responses"
  [libre2-dev]="linear-time regular expressions: matches predicates and schema patterns on endpoint strings"
  [libssl-dev]="SHA-256 and HMAC for AK/SK signing"
  [catch2]="unit tests"
  [libxml2-utils]="xmllint, validates JUnit reports against the Jenkins XSD in tests"
  [openssl]="a self-signed TLS endpoint for the TLS verification test"
  [chromium]="headless browser: the HTML report test opens the page, the README screenshot"
  [python3-junitparser]="a JUnit reader the report reader test checks conform's counts with"
  [clang]="compiles the libFuzzer targets in tests/fuzz (ctest label fuzz)"
  [clang-format-14]="checks the C++ sources' formatting in CI (scripts/check-format)"
  [libclang-rt-14-dev]="libFuzzer and the sanitizer runtimes clang links the fuzz targets with"
)
if $with_linter; then
  why[nodejs]="runs @redocly/cli, the OpenAPI linter"
  why[npm]="installs @redocly/cli"
fi

missing=()
for pkg in "${!why[@]}"; do
  case "$pkg" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${#missing[@]} Debian package(s):"
  for pkg in "${missing[@]}"; do echo "  $pkg: ${why[$pkg]}"; done
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The OpenAPI linter, pinned by tools/package-lock.json (1.x: it runs on Debian 12's Node 18).
# The stamp is the lock file npm ci last installed from: a changed lock installs again.
if $with_linter && ! cmp -s "$here/tools/package-lock.json" "$here/tools/node_modules/.conform-installed-lock"; then
  echo "install-deps: installing @redocly/cli (OpenAPI linter), junit-report-merger and xunit-viewer (JUnit readers) into tools/node_modules"
  (cd "$here/tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$here/tools/package-lock.json" "$here/tools/node_modules/.conform-installed-lock"
fi
