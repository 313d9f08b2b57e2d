#!/usr/bin/env bash
# Checks that schemas/vod.openapi.bundled.json is the linter's current single-file bundle of
# schemas/vod.openapi.json (no external $ref: Dredd and Prism refuse multi-file documents) and
# that it lints. Fails, never skips, when the linter is missing.
# usage: openapi_bundle.sh REDOCLY SOURCE_DIR OUTPUT_DIR
set -euo pipefail
redocly="$1" root="$2" out="$3"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
update="tools/node_modules/.bin/redocly bundle schemas/vod.openapi.json -o schemas/vod.openapi.bundled.json"

if [ ! -x "$redocly" ]; then
  echo "openapi_bundle: @redocly/cli not found (${redocly}): run scripts/install-deps.sh test"
  exit 1
fi
mkdir -p "$out"
fresh="$out/vod.openapi.bundled.json"
rm -f "$fresh"
(cd "$root" && "$redocly" bundle schemas/vod.openapi.json -o "$fresh")
if grep -n '"\$ref": "[^#]' "$fresh"; then
  echo "openapi_bundle: the bundle still has external \$refs (above)"
  exit 1
fi
if ! cmp -s "$fresh" "$root/schemas/vod.openapi.bundled.json"; then
  diff -u "$root/schemas/vod.openapi.bundled.json" "$fresh" | head -40 || true
  echo "openapi_bundle: schemas/vod.openapi.bundled.json is not the bundle of schemas/vod.openapi.json:"
  echo "run '$update' in $root to update it"
  exit 1
fi
"$redocly" lint --format=stylish "$root/schemas/vod.openapi.bundled.json"
