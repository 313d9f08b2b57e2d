#!/usr/bin/env bash
# Installs what is needed, configures and builds into build/ (Release with debug info).
# usage: build.sh [--all] [cmake arguments...]
#   without --all: only conform and vod-mock, with what running them needs (scripts/run-suite);
#                  a new build/ is configured without the tests (no Catch2 needed)
#   --all:         every target, the tests included, with what the tests need (scripts/test)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
all=false
if [ "${1:-}" = "--all" ]; then
  all=true
  shift
fi
configure=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if $all; then
  "$here/scripts/install-deps.sh" test
  configure+=(-DCONFORM_BUILD_TESTS=ON)
  targets=()
  echo "build: configuring and building every target, the tests included, into build/"
else
  "$here/scripts/install-deps.sh" run
  # A build/ configured with the tests keeps them: they are only left out of a new one.
  [ -f "$here/build/CMakeCache.txt" ] || configure+=(-DCONFORM_BUILD_TESTS=OFF)
  targets=(--target conform vod-mock)
  echo "build: configuring and building conform and vod-mock into build/ (about 2 min on 2 cores the first time)"
fi
# valijson's headers, when install-deps.sh unpacked them rather than installing libvalijson-dev.
valijson_dir="$here/build/deps/valijson/usr/share/cmake/valijson"
[ -f "$valijson_dir/valijsonConfig.cmake" ] && configure+=("-Dvalijson_DIR=$valijson_dir")
cmake -S "$here" -B "$here/build" "${configure[@]}" "$@" >/dev/null
cmake --build "$here/build" --parallel "$(nproc)" "${targets[@]}"
