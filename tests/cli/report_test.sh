#!/usr/bin/env bash
# The reports, end to end: conform run against the mock (faithful or with a mutation), then
# conform report from the saved results. usage: report_test.sh CHECK CONFORM SOURCE_DIR WORK_DIR
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # fail, need, expect
check=$1 conform=$2 source=$3 work=$4/$1
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

case "$check" in
failure-names-rule)
  # Issue 13 (4, 5): the message leads with the rule and the deviation, names placeholders,
  # and the failure text gives the rule's text and source.
  expect 1 "" -- "$conform" run --mock --mock-arg=--mutation=transcode-wrong-error-code --case T2-running-transcode-is-not-cancelled --junit r.xml
  grep -qF '<failure message="[T2] /error_code: got &quot;VOD.10053&quot;, expected &quot;VOD.10083&quot; (step 1, DELETE /v1.0/{project_id}/asset/process?asset_id={{a}})"' r.xml \
    || fail "the failure message is not rule first: $(grep '<failure' r.xml)"
  grep -qF 'T2 (MUST): A running transcode (TRANSCODING) cannot be cancelled: 400 VOD.10083.' r.xml || fail "no rule text"
  grep -qF '  source: vod_' r.xml || fail "no rule source"
  grep -qF 'curl -sS -i -X DELETE' r.xml || fail "no curl line"
  grep -qF -- '-H "X-Auth-Token: $CONFORM_TOKEN"' r.xml || fail "the curl line does not take the token from the environment"
  expect 1 "\[R1\] Content-Type: got \"text/plain\"" -- "$conform" run --mock --mock-arg=--mutation=content-type-text-plain --case D1-delete-created-asset --junit r.xml
  expect 1 "\[R2\] body: .*error.schema.json" -- "$conform" run --mock --mock-arg=--mutation=error-envelope-renamed --case T2-running-transcode-is-not-cancelled --junit r.xml
  ;;
report-reproduces-junit)
  # Issue 13 "done when": conform report --from reproduces the run's JUnit byte for byte.
  expect 1 "" -- "$conform" run --mock --mock-arg=--mutation=delete-no-batch-limit --mock-arg=--mutation=transcode-wrong-error-code \
    --run-name staging --json r.json --junit r.xml
  expect 0 "report: again.xml" -- "$conform" report --from r.json --junit again.xml
  cmp r.xml again.xml || fail "conform report wrote another JUnit than the run: $(diff r.xml again.xml | head -20)"
  expect 1 "" -- "$conform" run --mock --mock-arg=--mutation=transcode-wrong-error-code --junit-form extended --json e.json --junit e.xml --strict
  expect 0 "" -- "$conform" report --from e.json --junit-form extended --junit e2.xml
  cmp e.xml e2.xml || fail "the extended form differs: $(diff e.xml e2.xml | head -20)"
  grep -q '"run_name":"staging"' r.json || fail "no run name in the results"
  ;;
interrupted-run)
  # Issue 13 (1): an interrupted run is not green: cut-off cases are errors, the rest typed skips.
  "$conform" run --mock --mock-arg=--latency-ms=100 --jobs 2 --junit r.xml --json r.json > out.txt 2>&1 &
  pid=$!
  sleep 1.5
  kill -INT $pid
  wait $pid; code=$?
  [ "$code" -eq 130 ] || fail "interrupted run exited $code, expected 130: $(cat out.txt)"
  grep -q '<property name="interrupted" value="true"/>' r.xml || fail "no suite-level marker"
  grep -q 'type="Interrupted"' r.xml || fail "no cut-off case reported as an error"
  grep -q '<skipped message="not run: the run was interrupted" type="interrupted">' r.xml || fail "unrun cases are not typed skips"
  need xmllint libxml2-utils
  xmllint --noout --schema "$source/tests/data/jenkins-junit-10.xsd" r.xml || fail "interrupted report is not valid"
  grep -q "^interrupted: " out.txt || fail "console summary does not say interrupted"
  expect 0 "" -- "$conform" report --from r.json --junit again.xml
  cmp r.xml again.xml || fail "report of an interrupted run differs"
  ;;
report-bad-input)
  expect 2 "conform report needs --from FILE" -- "$conform" report --junit x.xml
  expect 2 "unknown option --base-url for 'conform report'" -- "$conform" report --from x.json --base-url http://x
  echo '{"format": "conform-results/1"}' > bogus.json
  expect 2 "bogus.json: /: .*required" -- "$conform" report --from bogus.json --junit x.xml
  expect 2 "missing.json" -- "$conform" report --from missing.json --junit x.xml
  printf '{"format": ' > broken.json
  expect 2 "broken.json:1:12: invalid JSON" -- "$conform" report --from broken.json --junit x.xml
  [ ! -e x.xml ] || fail "a report was written from bad input"
  ;;
html-in-chromium)
  # Issue 13 "done when": headless Chromium opens the page: the matrix and a failing case are
  # in the DOM, the console stays quiet, and nothing is fetched (the page's CSP forbids it, so
  # an attempt would show as a console error).
  need chromium chromium
  expect 1 "report: r.html" -- "$conform" run --mock --mock-arg=--mutation=transcode-wrong-error-code --json r.json --junit r.xml --html r.html
  ! grep -Eiq '<script|<link|<img|<iframe|(src|href|action|srcset)=|url\(|@import' r.html || fail "the page refers to something outside itself"
  grep -qF "default-src 'none'" r.html || fail "no content security policy"
  timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$work/profile" --enable-logging=stderr --v=0 \
    --dump-dom "file://$work/r.html" > dom.html 2> chromium.log || fail "chromium failed: $(tail -5 chromium.log)"
  grep -q '<table class="matrix">' dom.html || fail "no matrix in the DOM"
  grep -q '<th title="A running transcode (TRANSCODING) cannot be cancelled: 400 VOD.10083.">T2</th><td class="text">MUST: A running transcode (TRANSCODING) cannot be cancelled: 400 VOD.10083.<br><small>' dom.html || fail "the matrix lacks rule T2, failed for the first operation"
  grep -q '<article class="case failed" id="case-T2-running-transcode-is-not-cancelled">' dom.html || fail "the failing case is not in the DOM"
  grep -q '<mark>/error_code</mark>' dom.html || fail "the failure's pointer is not highlighted"
  ! grep -E 'CONSOLE|Refused to|ERR_' chromium.log || fail "console errors or blocked requests"
  # conform report renders the same page from the results.
  expect 0 "" -- "$conform" report --from r.json --html again.html
  cmp r.html again.html || fail "conform report renders another page"
  ;;
markdown-summary)
  expect 1 "report: r.md" -- "$conform" run --mock --no-generated --mock-arg=--mutation=transcode-wrong-error-code --markdown r.md --junit r.xml
  grep -q '^## VOD conformance: FAILED (127.0.0.1)$' r.md || fail "no verdict line: $(head -3 r.md)"
  grep -qF '| CancelAssetTranscodeTask | 4 | 4 | 0 | 0 | 0 |' r.md || fail "no counts per operation: $(cat r.md)"
  grep -qF -- '- **FAIL** `T2-running-transcode-is-not-cancelled` `[T2] /error_code: got "VOD.10053", expected "VOD.10083" (step 1, DELETE /v1.0/{project_id}/asset/process?asset_id={{a}})`' r.md \
    || fail "no one-line failure: $(cat r.md)"
  [ "$(wc -l < r.md)" -lt 30 ] || fail "the summary is not short"
  ;;
junit-readers)
  # Issue 13 "done when": reports of passing, failing, warning, erroring, skipping and
  # interrupted runs, read by two independent JUnit readers (Debian's python3-junitparser,
  # counting testcase results; npm's junit-report-merger, adding up suite counts), agree with
  # conform's own summary; xunit-viewer renders each without error.
  bin="$source/tools/node_modules/.bin"
  for tool in "$bin/jrm" "$bin/xunit-viewer"; do
    [ -x "$tool" ] || fail "$tool missing (cd tools && npm ci)"
  done
  /usr/bin/python3 -c 'import junitparser' || fail "python3-junitparser is not installed (scripts/install-deps.sh)"
  need xmllint libxml2-utils
  echo '{"project_id": "p", "assets": {}}' > empty-fixtures.json
  run() {  # NAME conform-args...: a run's report and its summary line
    local name=$1; shift
    "$conform" run --junit "$name.xml" "$@" > "$name.out" 2>&1
    grep -E '^(interrupted: )?[0-9]+ passed, ' "$name.out" > "$name.summary" || fail "$name: no summary: $(tail -3 "$name.out")"
  }
  run passing --mock --case D1-delete-created-asset --case T2-running-transcode-is-not-cancelled
  run failing --mock --mock-arg=--mutation=transcode-wrong-error-code
  run warning --mock --mock-arg=--mutation=delete-no-batch-limit
  run erroring --base-url http://127.0.0.1:9 --project-id p --timeout 2
  run skipping --base-url http://127.0.0.1:9 --fixtures empty-fixtures.json --timeout 2
  "$conform" run --mock --mock-arg=--latency-ms=100 --jobs 2 --junit interrupted.xml > interrupted.out 2>&1 &
  pid=$!; sleep 1.5; kill -INT $pid; wait $pid
  grep -E '^interrupted: [0-9]+ passed, ' interrupted.out > interrupted.summary || fail "interrupted: no summary"
  for name in passing failing warning erroring skipping interrupted; do
    read -r passed failed errors skipped < <(sed -E 's/^(interrupted: )?([0-9]+) passed, ([0-9]+) failed, ([0-9]+) errors, ([0-9]+) skipped.*/\2 \3 \4 \5/' "$name.summary")
    want="$((passed + failed + errors + skipped)) $failed $errors $skipped"
    got=$(/usr/bin/python3 - "$name.xml" <<'PY'
import sys
from junitparser import JUnitXml, Failure, Error, Skipped
tests = failures = errors = skipped = 0
for suite in JUnitXml.fromfile(sys.argv[1]):
    for case in suite:
        tests += 1
        kinds = [type(r) for r in case.result]
        failures += Failure in kinds
        errors += Error in kinds
        skipped += Skipped in kinds
print(tests, failures, errors, skipped)
PY
)
    [ "$got" = "$want" ] || fail "$name: junitparser counts $got (tests failures errors skipped), conform says $want"
    "$bin/jrm" "$name.merged.xml" "$name.xml" > /dev/null || fail "$name: junit-report-merger failed"
    merged=$(xmllint --xpath 'concat(/testsuites/@tests, " ", /testsuites/@failures, " ", /testsuites/@errors, " ", /testsuites/@skipped)' "$name.merged.xml")
    [ "$merged" = "$want" ] || fail "$name: junit-report-merger counts $merged, conform says $want"
    timeout 120 "$bin/xunit-viewer" --results="$name.xml" --output="$name.html" > "$name.xv.log" 2>&1 \
      || fail "$name: xunit-viewer failed: $(tail -5 "$name.xv.log")"
    [ -s "$name.html" ] || fail "$name: xunit-viewer wrote nothing"
    echo "ok: $name: $want"
  done
  ;;
*)
  fail "unknown check $check"
  ;;
esac
