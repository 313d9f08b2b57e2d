#!/usr/bin/env bash
# Builds and runs the libFuzzer targets (ctest label "fuzz"; README "Fuzzing").
#   fuzz.sh build BUILD_DIR                   configure tests/fuzz with clang into BUILD_DIR, build
#   fuzz.sh run BUILD_DIR TARGET SECONDS [libFuzzer flags]
#                                             fuzz TARGET for SECONDS from tests/fuzz/TARGET/;
#                                             fails, naming the saved input, on any finding
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

case "${1:-}" in
build)
  build="$2"
  for tool in clang clang++; do
    command -v "$tool" >/dev/null || { echo "fuzz: $tool not found: install the Debian packages clang and libclang-rt-14-dev (scripts/install-deps.sh)"; exit 1; }
  done
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  CC=clang CXX=clang++ cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE= "${launcher[@]}" >/dev/null
  cmake --build "$build" --parallel "$(nproc)"
  ;;
run)
  build="$2" target="$3" seconds="$4"
  shift 4
  corpus="$build/corpus/$target" artifacts="$build/artifacts/$target"
  rm -rf "$corpus"
  mkdir -p "$corpus" "$artifacts"
  # New inputs go into the first directory (build/), the seeds stay as they are.
  status=0
  "$build/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -print_funcs=0 -dict="$here/fuzz.dict" -artifact_prefix="$artifacts/" "$@" "$corpus" "$here/$target" || status=$?
  if ((status != 0)); then
    echo
    echo "fuzz: $target found a defect (exit $status); its input is saved in:"
    ls -t "$artifacts"/* 2>/dev/null | head -1 | sed 's/^/  /'
    echo "fuzz: reproduce with $build/$target FILE; add the input to tests/fuzz/$target/ and write a regression test in tests/unit/"
    exit 1
  fi
  ;;
*)
  sed -n '2,6p' "$0"
  exit 2
  ;;
esac
