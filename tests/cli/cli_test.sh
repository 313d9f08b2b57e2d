#!/usr/bin/env bash
# Command-line checks of conform and vod-mock: exit codes, messages, modes.
# usage: cli_test.sh CHECK CONFORM VOD_MOCK SOURCE_DIR WORK_DIR
set -uo pipefail
check=$1 conform=$2 mock=$3 source=$4 work=$5/$1
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

fail() { echo "FAIL: $*"; exit 1; }
# expect CODE PATTERN -- command...: exit code CODE and PATTERN (grep -E) in stdout+stderr
expect() {
  local code=$1 pattern=$2; shift 3
  local out; out=$("$@" 2>&1); local got=$?
  [ "$got" -eq "$code" ] || fail "'$*' exited $got, expected $code; output:"$'\n'"$out"
  [ -z "$pattern" ] || grep -Eq -- "$pattern" <<<"$out" || fail "'$*' output lacks /$pattern/:"$'\n'"$out"
  echo "ok: $* -> $code"
}

case "$check" in
usage-errors)
  expect 2 "no command given" -- "$conform"
  expect 2 "unknown command 'frobnicate'" -- "$conform" frobnicate
  expect 2 "unknown option --bogus" -- "$conform" run --mock --bogus
  expect 2 "--jobs: 'many' is not a whole number from 1 to 64" -- "$conform" run --mock --jobs many
  expect 2 "--jobs needs a value" -- "$conform" run --mock --jobs
  expect 2 "give --base-url URL, or --mock" -- "$conform" run
  expect 2 "not an http:// or https:// URL" -- "$conform" run --base-url ftp://x
  expect 2 "--ak and --sk go together" -- "$conform" run --mock --ak A
  expect 2 "--level: 'MAY' is neither MUST nor SHOULD" -- "$conform" list --level MAY
  expect 2 "--case: no case with id 'nope'" -- "$conform" run --mock --case nope
  expect 2 "--strict is an option of 'conform run'" -- "$conform" list --strict
  expect 2 "no project id" -- "$conform" run --base-url http://127.0.0.1:9
  expect 0 "^conform [0-9]" -- "$conform" --version
  expect 0 "exit codes" -- "$conform" --help
  expect 2 "--port: 'abc' is not a whole number" -- "$mock" --port abc
  expect 2 "no mutation 'nope'" -- "$mock" --mutation nope
  expect 0 "delete-processing-assets" -- "$mock" --list-mutations
  expect 3 "mock binary not found" -- "$conform" run --mock --mock-binary /nonexistent/vod-mock
  expect 2 "/assets/PUBLISHED: must be an array" -- bash -c "echo '{\"assets\":{\"PUBLISHED\":1}}' > f.json; '$conform' run --base-url http://127.0.0.1:9 --project-id p --fixtures f.json"
  ;;
bad-case-file)
  cp -r "$source/cases" cases
  f=cases/delete-assets/D1-delete-created-asset.json
  sed -i 's/"level": "MUST"/"level": "MAYBE"/' "$f"
  expect 2 "cases/delete-assets/D1-delete-created-asset.json: /level: .*enum" -- "$conform" lint --cases cases
  expect 2 "D1-delete-created-asset.json: /level" -- "$conform" run --mock --cases cases --junit r.xml
  [ ! -e r.xml ] || fail "a report was written although nothing ran"
  cp "$source/cases/delete-assets/D1-delete-created-asset.json" "$f"
  printf '{"id": ' > cases/delete-assets/broken.json
  expect 2 "cases/delete-assets/broken.json:1:8: invalid JSON" -- "$conform" lint --cases cases
  ;;
wrong-token-fails)
  # The mock wants another token than the one conform sends: authenticated cases fail, clearly.
  expect 1 "decrypt token fail" -- "$conform" run --mock --mock-arg=--token=another-token --junit r.xml
  grep -q '<testcase name="S1-delete-without-credentials"' r.xml || fail "report lacks the auth cases"
  out=$("$conform" run --mock --mock-arg=--token=another-token --junit r.xml --tag auth 2>&1)
  grep -q "FAIL  S1-delete-without-credentials" <<<"$out" || fail "the S1 probe needs the right token: $out"
  echo ok
  ;;
aksk-mode)
  expect 0 "60 passed|[0-9]+ passed, 0 failed, 0 errors, 0 skipped" -- "$conform" run --mock --ak CONFORMTESTAK --sk CONFORM-TEST-SECRET-KEY --junit r.xml
  ! grep -q "CONFORM-TEST-SECRET-KEY\|CONFORMTESTAK" r.xml || fail "the AK or SK appears in the report"
  HUAWEICLOUD_SDK_AK=ENVAK123 HUAWEICLOUD_SDK_SK=ENV-SECRET-99 "$conform" run --mock --junit r2.xml --verbose > out.txt 2>&1 || fail "env AK/SK run failed: $(cat out.txt)"
  ! grep -q "ENV-SECRET-99" r2.xml out.txt || fail "the SK from the environment leaked"
  echo ok
  ;;
should-gates-only-strict)
  # D7 is SHOULD: a mock without the batch limit is reported, but fails the run only with --strict.
  expect 0 "WARN  D7-more-than-ten-ids" -- "$conform" run --mock --mock-arg=--mutation=delete-no-batch-limit --junit r.xml
  grep -q 'SHOULD not met (gates only with --strict)' r.xml || fail "the SHOULD deviation is not in the report"
  expect 1 "FAIL  D7-more-than-ten-ids" -- "$conform" run --mock --mock-arg=--mutation=delete-no-batch-limit --junit r.xml --strict
  grep -qF '<failure message="[D7] ' r.xml || fail "--strict does not report it as a failure"
  ;;
tls-verification)
  # A TLS endpoint with a self-signed certificate: refused by default, reached with --cacert
  # or --insecure (its answers are not the API's, so those runs fail, but not on TLS).
  openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 1 \
    -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" > /dev/null 2>&1 || fail "openssl req failed"
  port=$(( 20000 + RANDOM % 20000 ))
  openssl s_server -quiet -accept "127.0.0.1:$port" -cert cert.pem -key key.pem -www > /dev/null 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null' EXIT
  sleep 0.5
  base="https://127.0.0.1:$port"
  expect 1 "SSL|certificate" -- "$conform" run --base-url "$base" --project-id p --token t --case C4-nonexistent-asset --timeout 2 --junit r.xml --jobs 1
  out=$("$conform" run --base-url "$base" --project-id p --token t --case C4-nonexistent-asset --timeout 2 --junit r.xml --insecure 2>&1)
  ! grep -Eq "SSL|certificate" <<<"$out" || fail "--insecure still verifies: $out"
  out=$("$conform" run --base-url "$base" --project-id p --token t --case C4-nonexistent-asset --timeout 2 --junit r.xml --cacert cert.pem 2>&1)
  ! grep -Eq "SSL|certificate" <<<"$out" || fail "--cacert is not used: $out"
  echo ok
  ;;
interrupt-keeps-report)
  "$conform" run --mock --mock-arg=--latency-ms=100 --jobs 1 --junit r.xml > out.txt 2>&1 &
  pid=$!
  sleep 1.5
  kill -INT $pid
  wait $pid; code=$?
  [ "$code" -eq 130 ] || fail "interrupted run exited $code, expected 130: $(cat out.txt)"
  grep -q 'not run: the run was interrupted' r.xml || fail "unrun cases are not reported skipped"
  xmllint --noout --schema "$source/tests/data/jenkins-junit-10.xsd" r.xml || fail "interrupted report is not valid"
  grep -q "^interrupted: " out.txt || fail "console summary does not say interrupted"
  echo ok
  ;;
list-and-filters)
  n=$("$conform" list | wc -l); [ "$n" -ge 50 ] || fail "conform list shows $n cases"
  ! "$conform" list --tag auth | grep -qv "^S[12]-" || fail "--tag auth lists non-auth cases"
  expect 0 "SHOULD" -- "$conform" list --level SHOULD
  expect 0 "^PUBLISHED  [0-9]+" -- "$conform" list --fixtures-needed
  expect 2 "unknown option --fixtures-needed" -- "$conform" run --mock --fixtures-needed
  out=$("$conform" run --mock --level SHOULD --junit r.xml) || fail "SHOULD run failed"
  grep -q "MUST" <<<"$(grep -E '^(PASS|FAIL)' <<<"$out")" && fail "--level SHOULD ran MUST cases"
  expect 0 "" -- "$conform" run --mock --case D1-delete-created-asset --case T2-running-transcode-is-not-cancelled --junit r.xml --junit-form extended
  grep -q 'file="cases/delete-assets/D1-delete-created-asset.json"' r.xml || fail "extended form lacks file"
  ;;
install-finds-contract)
  build=$(dirname "$(dirname "$conform")")
  cmake --install "$build" --prefix "$work/prefix" > install.log || fail "install failed: $(cat install.log)"
  cd / && expect 0 "contract ok" -- "$work/prefix/bin/conform" lint
  expect 0 "passed" -- "$work/prefix/bin/conform" run --mock --junit "$work/r.xml" --tag smoke
  ;;
*) fail "unknown check $check" ;;
esac
