#!/usr/bin/env bash
# ctest "sdk: the official Node.js SDK drives every operation of vod-mock": installs the pinned
# SDK (package-lock.json) into tests/sdk/node_modules with npm ci when it is missing or older
# than the lock file, then runs sdk_test.js. Fails, naming what is missing, without npm or the SDK.
# usage: sdk_test.sh VOD_MOCK OUTPUT_DIR
set -u
mock=$(realpath "$1") out=$(realpath -m "$2")
here=$(cd "$(dirname "$0")" && pwd)
for tool in node npm; do
  command -v "$tool" > /dev/null || { echo "sdk test: $tool not found: it installs and runs @huaweicloud/huaweicloud-sdk-vod (apt-get install nodejs npm)"; exit 1; }
done
marker=$here/node_modules/.package-lock.json
if [ ! -f "$marker" ] || [ "$here/package-lock.json" -nt "$marker" ]; then
  echo "sdk test: npm ci in $here (@huaweicloud/huaweicloud-sdk-vod, @huaweicloud/huaweicloud-sdk-core)"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) ||
    { echo "sdk test: npm ci failed: cannot install @huaweicloud/huaweicloud-sdk-vod from the npm registry"; exit 1; }
fi
cd "$here" && exec node sdk_test.js "$mock" "$out"
