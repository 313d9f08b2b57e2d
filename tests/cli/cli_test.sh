#!/usr/bin/env bash
# Command-line checks of conform and vod-mock: exit codes, messages, modes.
# usage: cli_test.sh CHECK CONFORM VOD_MOCK SOURCE_DIR WORK_DIR
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # fail, need, expect
check=$1 conform=$2 mock=$3 source=$4 work=$5/$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

# clean_run ARGS...: the whole suite with conform ARGS exits 0 with no failure, no error and no
# skip but of cases that cannot apply to the run's credentials (so every applicable case ran and
# passed).
clean_run() {
  expect 0 "[0-9]+ passed, 0 failed, 0 errors, [0-9]+ skipped" -- "$conform" run "$@"
  only_not_applicable_skips
}
# only_not_applicable_skips: each case skipped in $out was not applicable (it tampers with a
# signature, and the run signs nothing).
only_not_applicable_skips() {
  [ "$(grep -c "^SKIP " <<<"$out")" -eq "$(grep -c "^      not applicable: " <<<"$out")" ] \
    || fail "a case was skipped for another reason:"$'\n'"$out"
}
# start_mock ARGS...: a vod-mock on a free port (in place of the last one), stopped on exit;
# sets $mock_url. The one place the tests read vod-mock's "listening on URL" line.
start_mock() {
  [ -z "${MOCK_PID:-}" ] || { kill "$MOCK_PID"; wait "$MOCK_PID"; } 2>/dev/null
  coproc MOCK { exec "$mock" --port 0 "$@"; }
  trap 'kill $MOCK_PID 2>/dev/null' EXIT
  read -r line <&"${MOCK[0]}" || fail "vod-mock did not start"
  mock_url=${line#listening on }
}

case "$check" in
usage:*)
  # One line of usage_errors.tsv: an invocation, its exit code and its message.
  line=$(grep -P "^${check#usage:}\t" "$here/usage_errors.tsv") || fail "no line ${check#usage:} in usage_errors.tsv"
  IFS=$'\t' read -r _ code pattern command <<<"$line"
  eval "expect \"\$code\" \"\$pattern\" -- $command"
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
  rm cases/delete-assets/broken.json
  # Hostile or careless contract files: exit 2 and the file (and pointer), never a crash or a hang.
  printf '{\n "id": 1e400}' > cases/delete-assets/D1-x.json
  expect 2 "cases/delete-assets/D1-x.json:2:8: invalid JSON: number overflow" -- "$conform" lint --cases cases
  repeat() { head -c "$2" /dev/zero | tr '\0' "$1"; }
  { printf '{"id": "D1-'; repeat a 102400; printf '"}'; } > cases/delete-assets/D1-x.json
  expect 2 "cases/delete-assets/D1-x.json: /id: .*keyword maxLength" -- "$conform" lint --cases cases
  { printf '{"steps": '; repeat '[' 100000; repeat ']' 100000; printf '}'; } > cases/delete-assets/D1-x.json
  expect 2 "cases/delete-assets/D1-x.json:1:74: invalid JSON: nesting deeper than 64 levels" -- "$conform" run --mock --cases cases --junit r.xml
  rm cases/delete-assets/D1-x.json
  ln -s loop.json cases/delete-assets/loop.json
  expect 2 "cases/delete-assets/loop.json: cannot be read: .*symbolic links" -- "$conform" lint --cases cases
  rm cases/delete-assets/loop.json
  cp -r "$source/schemas" schemas
  echo '{"$ref": "#"}' > schemas/loop.schema.json
  expect 2 "schemas/loop.schema.json: /\\\$ref: \\\$ref cycle" -- "$conform" lint --cases cases --schemas schemas
  rm schemas/loop.schema.json
  sed -i 's|"openapi": "vod.openapi.json"|"openapi": "/dev/zero"|' schemas/contract.json
  expect 2 "/dev/zero: cannot be read: not a regular file" -- "$conform" lint --cases cases --schemas schemas
  echo '[]' > schemas/contract.json
  expect 2 "schemas/contract.json: \\[\\]: .*keyword type" -- "$conform" run --mock --cases cases --schemas schemas --junit r.xml
  [ ! -e r.xml ] || fail "a report was written although nothing ran"
  sed -i 's|"length": 1|"matches": "(a"|' "$f"
  expect 2 "D1-delete-created-asset.json: /steps/0/expect/body/0/matches: invalid regular expression /\(a/" -- "$conform" lint --cases cases
  ;;
short-secret-warning)
  # Too short to be masked inside bodies: said once, without showing it.
  out=$("$conform" run --mock --token tiny123 --case U1-single-published-asset --junit r.xml 2>&1)
  [ "$(grep -c 'warning: the token is shorter than 8 characters' <<<"$out")" -eq 1 ] || fail "no single warning: $out"
  grep 'warning' <<<"$out" | grep -q tiny123 && fail "the warning shows the token: $out"
  echo '{"project_id": "p", "assets": {"PUBLISHED": ["p1"]}}' > f.json
  expect 4 "warning: the password in --base-url is shorter than 8" -- "$conform" run --base-url http://me:pw@127.0.0.1:9 --fixtures f.json --ignore-ledger --case U1-single-published-asset --junit r.xml
  out=$("$conform" run --base-url http://me:a-long-password@127.0.0.1:9 --fixtures f.json --ignore-ledger --case U1-single-published-asset --junit r.xml 2>&1)
  grep -q "ERROR" <<<"$out" || fail "no request was tried: $out"
  grep -q "warning" <<<"$out" && fail "a long password was warned about: $out"
  grep -q "a-long-password" r.xml && fail "the password is in the report"
  echo ok
  ;;
wrong-token-fails)
  # The mock wants another token than the one conform sends: the run's premise fails first,
  # with one message and exit 4, not as 56 deviations; the reports still list every case.
  expect 4 "conform: credentials refused: ListAssetList answered 401 APIGW.0301: .*decrypt token fail" -- \
    "$conform" run --mock --mock-arg=--token=another-token --junit r.xml
  grep -q '<testcase name="S1-delete-without-credentials"' r.xml || fail "report lacks the auth cases"
  ! grep -q '<failure' r.xml || fail "a wrong token was reported as a deviation"
  echo ok
  ;;
premises-refused)
  # Wrong token, wrong project, unreachable endpoint: exit 4 with one message saying which, no
  # case request sent, the ledger as it was (absent, then unchanged).
  start_mock --seed 3 --token right-token --project-id p --fixtures-out fixtures.json
  need python3 python3
  python3 -c 'import json; f=json.load(open("fixtures.json")); f["project_id"]="not-this-one"; json.dump(f, open("other.json","w"))' \
    || fail "python3 could not write the other project's fixtures file"
  refused() {  # CODE PATTERN ARGS...: exit 4, the message, nothing sent by a case, no ledger written
    local pattern=$1; shift
    expect 4 "$pattern" -- "$conform" run "$@" --junit r.xml --json r.json
    grep -Eq '"requests_sent": ?0' r.json || fail "cases sent requests after the premise failed"
    [ "$(grep -c '^conform: ' <<<"$out")" -eq 2 ] || fail "not one message (and the ledger note):"$'\n'"$out"
  }
  refused "conform: credentials refused: ListAssetList answered 401 APIGW.0301" --base-url "$mock_url" --token wrong-token --fixtures fixtures.json
  [ ! -e fixtures.json.ledger.json ] || fail "a refused run wrote the ledger"
  refused "conform: project unknown or not accessible with these credentials \(project id 'not-this-one'\): ListAssetList answered 403 VOD.10054" \
    --base-url "$mock_url" --token right-token --fixtures other.json
  [ ! -e other.json.ledger.json ] || fail "a refused run wrote the ledger"
  refused "conform: the endpoint is unreachable: " --base-url http://127.0.0.1:9 --token right-token --fixtures fixtures.json
  # A ledger already there stays byte for byte as it was.
  expect 0 "" -- "$conform" run --base-url "$mock_url" --token right-token --fixtures fixtures.json --case D1-delete-created-asset --junit r.xml
  before=$(md5sum < fixtures.json.ledger.json)
  refused "credentials refused" --base-url "$mock_url" --token wrong-token --fixtures fixtures.json
  [ "$(md5sum < fixtures.json.ledger.json)" = "$before" ] || fail "a refused run changed the ledger"
  echo ok
  ;;
premises-live)
  # States that move on by themselves (each after 1 to 3 s) and a fixtures file written 8 s
  # before the run, default flags, token and AK/SK: no failure, no error; the cases whose
  # fixtures drifted are premise lost with the state found, and the ledger records them.
  per_kind=$("$conform" list --fixtures-needed | awk '{print $2}' | sort -n | tail -1)
  for mode in "--token CONFORM-TEST-TOKEN" "--ak CONFORMTESTAK --sk CONFORM-TEST-SECRET-KEY"; do
    # shellcheck disable=SC2086
    start_mock --seed "$per_kind" --project-id p --fixtures-out fixtures.json --live-ms 2000 $mode
    rm -f fixtures.json.ledger.json
    sleep 8
    # shellcheck disable=SC2086
    "$conform" run --base-url "$mock_url" --fixtures fixtures.json $mode --junit r.xml --json r.json > out.txt 2>&1
    code=$?
    [ "$code" -eq 0 ] || [ "$code" -eq 5 ] || fail "$mode: exit $code: $(cat out.txt)"
    grep -Eq " passed, 0 failed, 0 errors, " out.txt || fail "$mode: $(cat out.txt)"
    grep -Eq "^LOST  T2-running-transcode-is-not-cancelled " out.txt || fail "$mode: T2's finished transcode was not caught: $(cat out.txt)"
    grep -Eq "expected transcode_status TRANSCODING, found transcode_status TRANSCODE_" out.txt || fail "$mode: the state found is not named"
    grep -q 'type="premise-lost"' r.xml || fail "$mode: JUnit lacks the premise-lost skips"
    grep -q '"drifted"' fixtures.json.ledger.json || fail "$mode: the ledger does not record the drifted fixtures"
    echo "ok: $mode"
  done
  ;;
aksk-mode)
  clean_run --mock --ak CONFORMTESTAK --sk CONFORM-TEST-SECRET-KEY --junit r.xml
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
  need openssl openssl
  openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 1 \
    -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" > /dev/null 2>&1 || fail "openssl req failed"
  port=$(( 20000 + RANDOM % 20000 ))
  openssl s_server -quiet -accept "127.0.0.1:$port" -cert cert.pem -key key.pem -www > /dev/null 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null' EXIT
  sleep 0.5
  base="https://127.0.0.1:$port"
  expect 4 "SSL|certificate" -- "$conform" run --base-url "$base" --project-id p --token t --case C4-nonexistent-asset --timeout 2 --junit r.xml --jobs 1
  out=$("$conform" run --base-url "$base" --project-id p --token t --case C4-nonexistent-asset --timeout 2 --junit r.xml --insecure 2>&1)
  ! grep -Eq "SSL|certificate" <<<"$out" || fail "--insecure still verifies: $out"
  out=$("$conform" run --base-url "$base" --project-id p --token t --case C4-nonexistent-asset --timeout 2 --junit r.xml --cacert cert.pem 2>&1)
  ! grep -Eq "SSL|certificate" <<<"$out" || fail "--cacert is not used: $out"
  echo ok
  ;;
list-and-filters)
  n=$("$conform" list | wc -l); [ "$n" -ge 50 ] || fail "conform list shows $n cases"
  auth=$("$conform" list --tag auth)
  [ -n "$auth" ] || fail "--tag auth lists nothing"
  ! grep -qv "^S[0-9][0-9]*-" <<<"$auth" || fail "--tag auth lists non-auth cases: $auth"
  expect 0 "SHOULD" -- "$conform" list --level SHOULD
  expect 0 "^PUBLISHED  [0-9]+" -- "$conform" list --fixtures-needed
  expect 2 "unknown option --fixtures-needed" -- "$conform" run --mock --fixtures-needed
  out=$("$conform" run --mock --level SHOULD --junit r.xml) || fail "SHOULD run failed"
  ran=$(grep -E '^(PASS|FAIL|WARN)' <<<"$out") || fail "--level SHOULD ran nothing: $out"
  grep -q "MUST" <<<"$ran" && fail "--level SHOULD ran MUST cases"
  expect 0 "" -- "$conform" run --mock --case D1-delete-created-asset --case T2-running-transcode-is-not-cancelled --junit r.xml --junit-form extended
  grep -q 'file="cases/delete-assets/D1-delete-created-asset.json"' r.xml || fail "extended form lacks file"
  ;;
install-finds-contract)
  build=$(dirname "$(dirname "$conform")")
  cmake --install "$build" --prefix "$work/prefix" > install.log || fail "install failed: $(cat install.log)"
  cd / && expect 0 "contract ok" -- "$work/prefix/bin/conform" lint
  expect 0 "passed" -- "$work/prefix/bin/conform" run --mock --junit "$work/r.xml" --tag smoke
  ;;
throttled-suite)
  # A gateway that admits 30 requests in any 3 s and answers the rest 429 APIGW.0308, and
  # deletes that settle in 1.5 s, with conform's default flags: the 429s are resent, never
  # reported (the settling probes are paced too); token and AK/SK mode.
  for mode in "--token CONFORM-TEST-TOKEN" "--ak CONFORMTESTAK --sk CONFORM-TEST-SECRET-KEY"; do
    # shellcheck disable=SC2086
    clean_run --mock --no-generated --mock-arg=--rate-limit=30/3 --mock-arg=--async-delete-ms=1500 $mode --junit r.xml
    grep -Eq "^quota: [1-9][0-9]* request\(s\) throttled" <<<"$out" || fail "no request was throttled: the check proves nothing"
    grep -Eq '<property name="requests.throttled" value="[1-9][0-9]*"/>' r.xml || fail "the report does not carry the throttled count"
    grep -q '<property name="quota.wait_seconds" value="' r.xml || fail "the report does not carry the quota wait"
  done
  ;;
exit-codes)
  # 4: nothing deviated but nothing could be evaluated (the endpoint is unreachable).
  expect 4 "0 failed, 1 errors" -- "$conform" run --base-url http://127.0.0.1:9 --project-id p --token t --case C4-nonexistent-asset --junit r.xml
  # 5: a fixtures file without UPLOADING ids: the MUST cases needing one are skipped. Each run
  # gets a fresh mock (a run consumes its assets) and its fixtures less the UPLOADING ids.
  mock_without_uploading() {
    start_mock --token T --seed 20 --project-id p --fixtures-out all.json "$@"
    need python3 python3
    python3 -c 'import json; f=json.load(open("all.json")); del f["assets"]["UPLOADING"]; json.dump(f, open("partial.json","w"))' \
      || fail "python3 is needed to write the partial fixtures file"
  }
  mock_without_uploading
  expect 5 "selected MUST case\(s\) did not run, e.g. [^ ]+: needs 1 UPLOADING fixture" -- "$conform" run --base-url "$mock_url" --token T --fixtures partial.json --junit r.xml
  mock_without_uploading
  expect 0 "UPLOADING [0-9]+/0 \(short\)" -- "$conform" run --base-url "$mock_url" --token T --fixtures partial.json --junit r.xml --allow-skips
  # 0: with a token, the cases that tamper with a signature do not apply; skipped, typed, no gap.
  expect 0 "^      not applicable: the case tampers with a signed request" -- \
    "$conform" run --mock --case S4-signature-date-half-an-hour-old --junit r.xml
  grep -q "^SKIP  S4-signature-date-half-an-hour-old " <<<"$out" || fail "S4 is not skipped: $out"
  grep -q 'type="not-applicable"' r.xml || fail "the skip is not typed in the report"
  # 1 wins over 5: a deviation is the news, even when cases were skipped.
  mock_without_uploading --mutation auth-not-enforced
  expect 1 "FAIL  S1-" -- "$conform" run --base-url "$mock_url" --token T --fixtures partial.json --junit r.xml
  ;;
project-id-precedence)
  # The project id: --project-id, then HUAWEICLOUD_SDK_PROJECT_ID, then the fixtures file. A
  # fixtures file written for another project must not send the run there.
  start_mock --token T --seed 3 --project-id flag-project --fixtures-out all.json
  need python3 python3
  python3 -c 'import json; f=json.load(open("all.json")); f["project_id"]="file-project"; json.dump(f, open("other.json","w"))' \
    || fail "python3 is needed to write the fixtures file"
  expect 0 "1 passed, 0 failed" -- "$conform" run --base-url "$mock_url" --token T --fixtures other.json --project-id flag-project --case U1-single-published-asset --junit r.xml
  expect 0 "1 passed, 0 failed" -- env HUAWEICLOUD_SDK_PROJECT_ID=flag-project "$conform" run --base-url "$mock_url" --token T --fixtures other.json --case U1-single-published-asset --junit r.xml
  # Without either, the file's id is used: the mock of another project refuses the run's premises.
  expect 4 "project unknown or not accessible with these credentials \\(project id 'file-project'\\)" -- "$conform" run --base-url "$mock_url" --token T --fixtures other.json --case U1-single-published-asset --junit r.xml
  expect 0 "without it HUAWEICLOUD_SDK_PROJECT_ID, then the" -- "$conform" --help
  ;;
tmpdir-missing)
  # The environment refuses: a clear message and exit 3, never terminate (exit 134).
  expect 3 "the temporary folder /nonexistent \(TMPDIR\) is not a folder" -- env TMPDIR=/nonexistent "$conform" run --mock --case C4-nonexistent-asset --junit r.xml
  ;;
report-folder-unwritable)
  # A report that cannot be written is exit 3, and the reports that could be are still written.
  expect 3 "conform: .*/proc/forbidden" -- "$conform" run --mock --case C4-nonexistent-asset --junit /proc/forbidden/junit.xml --json results.json
  [ -s results.json ] || fail "the JSON results were lost with the JUnit report"
  ;;
port-taken)
  start_mock --token T
  port=${mock_url##*:}
  expect 3 "vod-mock: cannot listen on 127.0.0.1:$port" -- "$mock" --port "$port" --token T
  ;;
fixtures-unreadable)
  mkdir -p a-folder.json
  expect 2 "a-folder.json" -- "$conform" run --base-url http://127.0.0.1:9 --project-id p --token t --fixtures a-folder.json
  expect 2 "missing.json" -- "$conform" run --base-url http://127.0.0.1:9 --project-id p --token t --fixtures missing.json
  ;;
openapi-required-not-boolean)
  # An OpenAPI document of another shape is exit 2 naming the file and the pointer, in lint and run alike.
  need python3 python3
  for edit in 'o["paths"]["/v1.0/{project_id}/asset"]["delete"]["parameters"][1]["required"]=1' \
              'o["paths"]["/v1.0/{project_id}/asset/status/unpublish"]["post"]["requestBody"]["required"]=[]'; do
    rm -rf schemas && cp -r "$source/schemas" schemas
    python3 -c "import json; o=json.load(open('schemas/vod.openapi.json')); $edit; json.dump(o, open('schemas/vod.openapi.json','w'))" \
      || fail "python3 could not edit the OpenAPI document"
    expect 2 "schemas/vod.openapi.json: /paths/.*/required: " -- "$conform" lint --schemas schemas --cases "$source/cases"
    expect 2 "schemas/vod.openapi.json: /paths/.*/required: " -- "$conform" run --mock --schemas schemas --cases "$source/cases"
  done
  ;;
async-delete-suite)
  # Deletes that settle asynchronously (DELETING for 1.5 s): the probes wait, nothing fails.
  expect 0 " passed, 0 failed, 0 errors, [0-9]+ skipped" -- "$conform" run --mock --mock-arg=--async-delete-ms=1500 --junit r.xml
  only_not_applicable_skips
  grep -q "is gone ([0-9]* tries in [0-9.]* s)" r.xml || fail "no probe waited for a delete to settle"
  ;;
ledger-second-run)
  # A persistent endpoint, one fixtures file, two runs: the second hands out nothing the first
  # consumed (those cases are skipped, saying why) and reports no failure.
  per_kind=$("$conform" list --fixtures-needed | awk '{print $2}' | sort -n | tail -1)
  start_mock --seed "$per_kind" --token ledger-token --project-id p --fixtures-out fixtures.json
  run() { "$conform" run --base-url "$mock_url" --token ledger-token --fixtures fixtures.json "$@"; }
  expect 0 " passed, 0 failed, 0 errors, [0-9]+ skipped" -- run --junit first.xml
  only_not_applicable_skips
  [ -s fixtures.json.ledger.json ] || fail "the first run wrote no ledger"
  grep -q '"D1-delete-created-asset"' fixtures.json.ledger.json || fail "the ledger lacks D1's asset"
  ! grep -q '"T3-created-asset-has-no-transcode-task"' fixtures.json.ledger.json || fail "an unchanged fixture was recorded"
  run --junit second.xml > second.txt 2>&1; code=$?
  # 0, or 5 where MUST cases skipped for want of fixtures gate the run (issue 12, part 5).
  [ "$code" -eq 0 ] || [ "$code" -eq 5 ] || fail "second run exited $code: $(cat second.txt)"
  grep -Eq " passed, 0 failed, 0 errors, [1-9][0-9]* skipped" second.txt || fail "second run: $(cat second.txt)"
  grep -q "used up by earlier runs; see fixtures.json.ledger.json: list fresh ids in fixtures.json" second.xml \
    || fail "the skip reason does not name the ledger"
  grep -q "^PASS  T3-created-asset-has-no-transcode-task" second.txt || fail "a case sharing an unchanged fixture did not run again"
  before=$(md5sum < fixtures.json.ledger.json)
  out=$(run --ignore-ledger --case D1-delete-created-asset --junit third.xml 2>&1)
  ! grep -q "used up" <<<"$out" || fail "--ignore-ledger still skips: $out"
  [ "$(md5sum < fixtures.json.ledger.json)" = "$before" ] || fail "--ignore-ledger changed the ledger"
  # A ledger that cannot be locked or written stops the run before it sends anything; one
  # that is not a ledger is named with its pointer.
  cp fixtures.json locked.json && mkdir locked.json.ledger.lock
  expect 3 "the fixtures ledger: cannot open the lock file locked.json.ledger.lock" -- run --fixtures locked.json --junit locked.xml
  [ ! -e locked.xml ] || fail "a report was written although nothing ran"
  cp fixtures.json broken.json && echo '{"consumed": []}' > broken.json.ledger.json
  expect 2 "broken.json.ledger.json: /consumed: must be an object" -- run --fixtures broken.json --junit broken.xml
  echo ok
  ;;
*) fail "unknown check $check" ;;
esac
