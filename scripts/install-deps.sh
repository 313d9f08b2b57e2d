#!/usr/bin/env bash
# Installs what building and running, or testing, need, from Debian's packages and the npm
# registry only. Idempotent: installs nothing when everything is already there.
# usage: install-deps.sh run    the compiler and the libraries conform and vod-mock link
#        install-deps.sh test   that, and every tool the tests use (scripts/test), the OpenAPI linter too
# apt's own output goes to build/install-deps.log, named if apt fails.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
set_name=${1:-}
case "$set_name" in
  run | test) ;;
  *) echo "usage: install-deps.sh run|test" >&2; exit 2 ;;
esac

# package -> why the project needs it. The run set builds and runs conform and vod-mock.
declare -A why=(
  [g++]="C++ compiler"
  [cmake]="build system and ctest"
  [pkg-config]="locates libmicrohttpd and RE2"
  [nlohmann-json3-dev]="JSON values everywhere"
  [libfmt-dev]="string formatting"
  [libcurl4-openssl-dev]="conform's HTTP client"
  [libmicrohttpd-dev]="vod-mock's HTTP server (epoll: idle or slow clients do not hold up others)"
  [libre2-dev]="linear-time regular expressions: matches predicates and schema patterns on endpoint strings"
  [libssl-dev]="SHA-256 and HMAC for AK/SK signing"
)
# The test set adds what the tests, CI and fuzzing use.
if [ "$set_name" = test ]; then
  why+=(
    [libvalijson-dev]="JSON Schema validation of contract files and responses (installed, for the fuzz build)"
    [catch2]="unit tests"
    [dpkg-dev]="dpkg-shlibdeps: the Debian package's Depends, in the package test"
    [libxml2-utils]="xmllint, validates JUnit reports against the Jenkins XSD in tests"
    [openssl]="a self-signed TLS endpoint for the TLS verification test"
    [chromium]="headless browser: the HTML report test opens the page, the README screenshot"
    [python3-junitparser]="a JUnit reader the report reader test checks conform's counts with"
    [clang]="compiles the libFuzzer targets in tests/fuzz (ctest label fuzz)"
    [clang-format-14]="checks the C++ sources' formatting in CI (scripts/check-format)"
    [libclang-rt-14-dev]="libFuzzer and the sanitizer runtimes clang links the fuzz targets with"
    [nodejs]="runs @redocly/cli, the OpenAPI linter, and the JUnit readers"
    [npm]="installs @redocly/cli and the JUnit readers"
  )
fi

missing=()
for pkg in "${!why[@]}"; do
  case "$pkg" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

# valijson (JSON Schema validation of contract files and responses) is header-only, but Debian's
# libvalijson-dev depends on the JSON library of every adapter it ships (Qt 5, Poco, yaml-cpp...:
# some 180 packages, 90 MB). For running, its headers are unpacked from the .deb into
# build/deps/valijson instead, unless the package is installed; scripts/build.sh points CMake there.
valijson_deb_dir="$here/build/deps/valijson"
unpack_valijson=false
if [ "$set_name" = run ] && ! dpkg-query -W -f='${Status}' libvalijson-dev 2>/dev/null | grep -q "install ok installed" &&
  [ ! -f "$valijson_deb_dir/usr/share/cmake/valijson/valijsonConfig.cmake" ]; then
  unpack_valijson=true
fi

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
mkdir -p "$here/build"
log="$here/build/install-deps.log"
apt_failed() {
  echo "install-deps: $1 failed; its last lines (the whole output is in $log):" >&2
  tail -n 15 "$log" >&2
  exit 1
}
if ((${#missing[@]})) || $unpack_valijson; then
  "${sudo_cmd[@]}" apt-get update -q >"$log" 2>&1 || apt_failed "apt-get update"
fi

if ((${#missing[@]})); then
  # About how long on a fresh Debian 12 machine (README "Install and run"), by set.
  if [ "$set_name" = run ]; then estimate="about 1 min"; else estimate="about 6 min"; fi
  echo "install-deps: installing ${#missing[@]} Debian packages ($estimate); apt's output goes to $log"
  for pkg in "${missing[@]}"; do echo "  $pkg: ${why[$pkg]}"; done
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$log" 2>&1 ||
    apt_failed "apt-get install"
fi

if $unpack_valijson; then
  echo "install-deps: unpacking valijson's headers (libvalijson-dev) into build/deps/valijson"
  rm -rf "$valijson_deb_dir" && mkdir -p "$valijson_deb_dir"
  (cd "$valijson_deb_dir" && apt-get download -q libvalijson-dev) >>"$log" 2>&1 || apt_failed "apt-get download libvalijson-dev"
  dpkg-deb -x "$valijson_deb_dir"/libvalijson-dev_*.deb "$valijson_deb_dir" >>"$log" 2>&1 || apt_failed "dpkg-deb -x libvalijson-dev"
fi

# The OpenAPI linter and the JUnit readers, pinned by tools/package-lock.json (1.x: it runs on
# Debian 12's Node 18). The stamp is the lock file npm ci last installed from: a changed lock
# installs again.
if [ "$set_name" = test ] && ! cmp -s "$here/tools/package-lock.json" "$here/tools/node_modules/.conform-installed-lock"; then
  echo "install-deps: installing @redocly/cli (OpenAPI linter), junit-report-merger and xunit-viewer (JUnit readers) into tools/node_modules"
  (cd "$here/tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$here/tools/package-lock.json" "$here/tools/node_modules/.conform-installed-lock"
fi
