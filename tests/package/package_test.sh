#!/usr/bin/env bash
# The Debian package (issue 21): cpack makes it with the programs, the contract, the CMake package
# and the README; its Depends is computed; unpacked anywhere (dpkg -x), its conform finds the
# contract and the vod-mock beside itself and the whole suite passes.
# usage: package_test.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -uo pipefail
build=$1 src=$2 work=$3
# shellcheck source=../cli/lib.sh
source "$src/tests/cli/lib.sh"
need cpack cmake
need dpkg-deb dpkg
need dpkg-shlibdeps dpkg-dev
rm -rf "$work" && mkdir -p "$work" && cd "$work" || fail "cannot make $work"

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >cpack.log 2>&1 || fail "cpack failed: $(cat cpack.log)"
debs=(out/*.deb)
[ "${#debs[@]}" -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one .deb in $work/out, got: ${debs[*]}"
deb=${debs[0]}
echo "ok: $deb"

# Depends comes from the binaries (dpkg-shlibdeps): the libraries conform and vod-mock link.
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libstdc++6 libcurl4 libmicrohttpd12 libre2 libfmt libssl3; do
  grep -q "\b$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
echo "ok: Depends: $depends"

contents=$(dpkg-deb -c "$deb")
for file in ./usr/bin/conform ./usr/bin/vod-mock ./usr/share/vod-conformance/schemas/contract.json \
  ./usr/share/vod-conformance/schemas/vod.openapi.json ./usr/share/vod-conformance/cases/delete-assets/ \
  ./usr/share/doc/vod-conformance/README.md ./usr/share/cmake/VodConformance/VodConformanceConfig.cmake; do
  grep -q " $file\$" <<<"$contents" || fail "the package lacks $file"
done
echo "ok: the package holds the programs, the contract, the CMake package and the README"

dpkg -x "$deb" "$work/root" || fail "dpkg -x failed"
bin="$work/root/usr/bin"
cd / || fail "cannot cd /"
expect 0 " passed, 0 failed, 0 errors" -- "$bin/conform" run --mock --junit "$work/junit.xml"

# The contract it ran is the unpacked one, not the source tree's: without one case file there,
# the case is gone from the unpacked conform's list and still in the build tree's.
case_file=$(find "$work/root/usr/share/vod-conformance/cases" -name 'D*.json' | sort | head -n 1)
[ -n "$case_file" ] || fail "no DeleteAssets case file in the unpacked contract"
id=$(basename "$case_file" .json)
expect 0 "^$id  " -- "$build/bin/conform" list
rm "$case_file"
"$bin/conform" list >list.txt 2>&1 || fail "the unpacked conform list failed: $(cat list.txt)"
grep -q "^$id  " list.txt && fail "the unpacked conform still lists $id: it does not read the unpacked contract"
echo "ok: the unpacked conform reads the unpacked contract"

# And the mock it starts is the one beside it.
mv "$bin/vod-mock" "$work/vod-mock.moved"
expect 3 "$bin/vod-mock" -- "$bin/conform" run --mock --junit "$work/junit.xml"
