#!/usr/bin/env bash
# The reports, end to end: conform run against the mock (faithful or with a mutation), then
# conform report from the saved results. usage: report_test.sh CHECK CONFORM SOURCE_DIR WORK_DIR
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # fail, need, expect
check=$1 conform=$2 source=$3 work=$4/$1
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

# serve COMMAND...: a server that prints "listening on URL" first, in the background until this
# script ends; sets $url.
serve() {
  coproc SERVER { exec "$@"; }
  trap 'kill $SERVER_PID 2>/dev/null' EXIT
  read -r line <&"${SERVER[0]}" || fail "$* did not start"
  url=${line#listening on }
}

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
  # Issue 13 (1), issue 20 (3): an interrupted run is not green: cut-off and unrun cases are errors.
  "$conform" run --mock --mock-arg=--latency-ms=100 --jobs 2 --junit r.xml --json r.json > out.txt 2>&1 &
  pid=$!
  sleep 1.5
  kill -INT $pid
  wait $pid; code=$?
  [ "$code" -eq 130 ] || fail "interrupted run exited $code, expected 130: $(cat out.txt)"
  grep -q '<property name="interrupted" value="true"/>' r.xml || fail "no suite-level marker"
  grep -q 'type="Interrupted"' r.xml || fail "no cut-off case reported as an error"
  grep -q '<error message="not run: the run was interrupted" type="Interrupted">' r.xml || fail "unrun cases are not errors"
  [ "$(xmllint --xpath 'count(//testsuite[@failures=0 and @errors=0])' r.xml)" = 0 ] || fail "a suite reads green"
  python3 -c 'import json, sys
cases = [c for c in json.load(open("r.json"))["cases"] if c["cause"] == "interrupted"]
sys.exit(not cases or any(c["outcome"] != "error" for c in cases))' || fail "the JSON results do not say error, interrupted"
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
  grep -Eq '^## VOD conformance: FAILED \(127\.0\.0\.1:[0-9]+\)$' r.md || fail "no verdict line: $(head -3 r.md)"
  grep -qF '| CancelAssetTranscodeTask | 4 | 4 | 0 | 0 | 0 |' r.md || fail "no counts per operation: $(cat r.md)"
  grep -qF -- '- **FAIL** `T2-running-transcode-is-not-cancelled` `[T2] /error_code: got "VOD.10053", expected "VOD.10083" (step 1, DELETE /v1.0/{project_id}/asset/process?asset_id={{a}})`' r.md \
    || fail "no one-line failure: $(cat r.md)"
  [ "$(wc -l < r.md)" -lt 30 ] || fail "the summary is not short"
  ;;
junit-readers)
  # Issue 13 "done when": reports of passing, failing, warning, erroring, skipping and
  # interrupted runs, read by two independent JUnit readers (Debian's python3-junitparser,
  # counting testcase results; npm's junit-report-merger, adding up suite counts), agree with
  # conform's own summary; xunit-viewer renders each without error. Issue 20 (6): five more
  # readers from npm (junit_readers.mjs) show the counts and verdict the README's table says,
  # every suite of the interrupted run red.
  bin="$source/tools/node_modules/.bin"
  for tool in "$bin/jrm" "$bin/xunit-viewer" "$bin/junit-viewer" "$bin/junit2json" "$bin/junit-to-ctrf" "$bin/junit-cli-report-viewer"; do
    [ -x "$tool" ] || fail "$tool missing (cd tools && npm ci)"
  done
  need node nodejs
  /usr/bin/python3 -c 'import junitparser' || fail "python3-junitparser is not installed (scripts/install-deps.sh)"
  need xmllint libxml2-utils
  echo '{"project_id": "p", "assets": {}}' > empty-fixtures.json
  run() {  # NAME conform-args...: a run's report and its summary line
    local name=$1; shift
    "$conform" run --junit "$name.xml" --json "$name.json" "$@" > "$name.out" 2>&1
    grep -E '^(interrupted: )?[0-9]+ passed, ' "$name.out" > "$name.summary" || fail "$name: no summary: $(tail -3 "$name.out")"
  }
  run passing --mock --case D1-delete-created-asset --case T2-running-transcode-is-not-cancelled
  run failing --mock --mock-arg=--mutation=transcode-wrong-error-code
  run warning --mock --mock-arg=--mutation=delete-no-batch-limit
  run erroring --base-url http://127.0.0.1:9 --project-id p --timeout 2
  run skipping --base-url http://127.0.0.1:9 --fixtures empty-fixtures.json --timeout 2
  "$conform" run --mock --mock-arg=--latency-ms=100 --jobs 2 --junit interrupted.xml --json interrupted.json > interrupted.out 2>&1 &
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
    "$conform" report --from "$name.json" --junit-form extended --junit "$name.extended.xml" > /dev/null || fail "$name: conform report failed"
    node "$source/tests/cli/junit_readers.mjs" "$source/tools" "$name.xml" "$name.extended.xml" \
      "$((passed + failed + errors + skipped)) $passed $failed $errors $skipped" "$([ "$name" = interrupted ] && echo every-suite-red)" \
      || fail "$name: a JUnit reader shows another count or verdict (above)"
    echo "ok: $name: $want"
  done
  ;;
hostile-endpoint)
  # Issue 20 "done when": an endpoint answering reader directives, ANSI sequences and C1
  # controls, as JSON and as raw bytes in a body that is not JSON, acts on no reader: no "[["
  # in a report, no C1 or invalid UTF-8 in the XML, no ESC, BEL or CR on the console (plain
  # and verbose) or in the Markdown; each shows the text escaped instead.
  need python3 python3
  need xmllint libxml2-utils
  "$conform" list --fixtures-needed | python3 -c '
import json, sys
kinds = dict(line.split() for line in sys.stdin)
print(json.dumps({"project_id": "p", "assets": {k: ["%s-%d" % (k.lower(), i) for i in range(int(n))] for k, n in kinds.items()}}))' > fixtures.json
  serve python3 "$source/tests/cli/hostile_endpoint.py"
  for form in plain verbose; do
    flags=(); [ "$form" = plain ] || flags=(--verbose)
    "$conform" run --base-url "$url" --fixtures fixtures.json --ignore-ledger --token hostile-token-0123 "${flags[@]}" \
      --junit "$form.xml" --json "$form.json" --html "$form.html" --markdown "$form.md" > "$form.out" 2>&1
    code=$?
    [ "$code" -eq 1 ] || fail "$form: exited $code, expected 1: $(tail -5 "$form.out")"
    expect 0 "" -- "$conform" report --from "$form.json" --junit "$form.again.xml"
    cmp "$form.xml" "$form.again.xml" || fail "$form: conform report writes another JUnit"
    xmllint --noout --schema "$source/tests/data/jenkins-junit-10.xsd" "$form.xml" || fail "$form: the report is not valid"
  done
  # What each file may hold: a terminal's (console, Markdown), XML's, JSON's (escaped by JSON).
  python3 - plain.out verbose.out plain.md plain.xml verbose.xml plain.html plain.json <<'PY' || fail "an endpoint's text acts on a reader"
import re, sys
bad = False
for name in sys.argv[1:]:
    text = open(name, "rb").read().decode("utf-8", "surrogateescape")
    found = []
    if "[[" in text and not name.endswith(".json"):
        found.append("[[ (a reader directive)")
    if re.search("[\udc80-\udcff]", text):
        found.append("bytes that are not UTF-8")
    if re.search("[\x80-\x9f]", text):
        found.append("C1 controls")
    controls = "[\x00-\x08\x0b-\x1f\x7f]" if name.endswith((".out", ".md")) else "[\x00-\x08\x0b\x0c\x0e-\x1f]"
    if re.search(controls, text):
        found.append("control characters: " + repr(sorted(set(re.findall(controls, text)))))
    # The text is there, escaped, not dropped (the plain console shows headlines only).
    if name != "plain.out" and "ATTACHMENT|/etc/hostname" not in text:
        found.append("no trace of the endpoint's text")
    if name.endswith((".xml", ".html", ".md")) or name == "verbose.out":
        if "\\x1b" not in text:
            found.append("no \\x1b: the ESC was not shown escaped")
    print(("FAIL: " if found else "ok: ") + name + (": " + "; ".join(found) if found else ""))
    bad = bad or bool(found)
sys.exit(1 if bad else 0)
PY
  # test-results-parser turns [[ATTACHMENT|path]] in <system-out> into an attachment: none here,
  # but one in the same report with the escape undone (so the check can fail).
  tools="$source/tools/node_modules"
  [ -d "$tools/test-results-parser" ] || fail "$tools/test-results-parser missing (cd tools && npm ci)"
  sed 's/\\x5b/[/g' verbose.xml > undone.xml
  attachments() {
    NODE_PATH="$tools" node -e 'const r = require("test-results-parser").parse({type: "junit", files: [process.argv[1]]});
      console.log(r.suites.flatMap(s => s.cases).flatMap(c => c.attachments || []).length)' "$1"
  }
  [ "$(attachments verbose.xml)" = 0 ] || fail "test-results-parser finds an attachment in the report"
  [ "$(attachments undone.xml)" -gt 0 ] || fail "the control failed: test-results-parser reads no attachment even unescaped"
  ;;
early-interrupt)
  # Issue 20 (4): Ctrl-C at any point of start-up, from 50 ms after the start on (the contract
  # loading, the mock starting, before it answers, the first cases) writes a report in which
  # every case not run is an error, stops the mock, removes the temporary fixtures file and
  # exits 130. conform catches SIGINT from the first thing its main does; before that the
  # dynamic loader runs (about 10 ms on an idle machine, several times that on a loaded one),
  # so the Ctrl-C waits for the handler (SigCgt in /proc/PID/status) if it is not there yet:
  # the check is of conform, not of the machine's load.
  need xmllint libxml2-utils
  need python3 python3
  export TMPDIR="$work/tmp" VOD_MOCK="$(dirname "$conform")/vod-mock"
  mkdir -p "$TMPDIR"
  interrupt_at() {  # NAME SECONDS conform-args...
    local name=$1 delay=$2; shift 2
    local started=$EPOCHREALTIME
    "$conform" run --junit "$name.xml" --json "$name.json" "$@" > "$name.out" 2>&1 &
    local pid=$! caught
    for _ in $(seq 2000); do  # shell builtins only: a fork per try would be slower than conform
      caught=0
      while read -r key value; do [ "$key" = SigCgt: ] && caught=$value; done < "/proc/$pid/status" 2> /dev/null
      (( (16#$caught >> 1) & 1 )) && break  # bit 1: SIGINT (2)
    done
    local handler; handler=$(bc <<<"$EPOCHREALTIME - $started")
    local left; left=$(bc <<<"$delay - $handler")
    [[ "$left" == -* ]] || sleep "$left"
    kill -INT "$pid"
    wait "$pid"; local code=$?
    local took; took=$(bc <<<"$EPOCHREALTIME - $started")
    [ "$code" -eq 130 ] || fail "$name: exited $code, expected 130: $(tail -5 "$name.out")"
    [ -s "$name.xml" ] || fail "$name: no report: $(tail -5 "$name.out")"
    xmllint --noout --schema "$source/tests/data/jenkins-junit-10.xsd" "$name.xml" || fail "$name: the report is not valid"
    local green; green=$(xmllint --xpath 'count(//testsuite[@failures=0 and @errors=0])' "$name.xml")
    [ "$green" = 0 ] || fail "$name: $green suite(s) read green"
    grep -q '<error message="not run: the run was interrupted" type="Interrupted">' "$name.xml" || fail "$name: no case marked not run"
    grep -q "^interrupted: " "$name.out" || fail "$name: the console does not say interrupted"
    ! pgrep -f "conform-fixtures-$pid" > /dev/null || fail "$name: the mock is still running: $(pgrep -af "conform-fixtures-$pid")"
    [ -z "$(ls -A "$TMPDIR")" ] || fail "$name: left in the temporary directory: $(ls -A "$TMPDIR")"
    echo "ok: $name: Ctrl-C after $delay s (handler after $handler s): exit 130 after $took s, $(grep -c 'not run: the run was interrupted' "$name.xml") case(s) not run"
  }
  for delay in 0.05 0.1 0.2 0.3 0.5 0.8; do
    interrupt_at "at-$delay" "$delay" --mock --mock-arg=--latency-ms=50
  done
  # A mock that has written its fixtures file but does not answer for 30 s.
  interrupt_at slow-mock 0.5 --mock --mock-binary "$source/tests/cli/slow_mock.py"
  [ "$(grep -c 'not run: the run was interrupted' slow-mock.xml)" = "$(xmllint --xpath 'string(/testsuites/@tests)' slow-mock.xml)" ] \
    || fail "slow-mock: a case ran without a mock"
  expect 0 "" -- "$conform" report --from slow-mock.json --junit slow-mock.again.xml
  cmp slow-mock.xml slow-mock.again.xml || fail "conform report renders the interrupted run otherwise"
  ;;
merge-two-endpoints)
  # Issue 20 (5): the default run name is the endpoint's host and port, so the reports of two
  # local endpoints merge without a suite name in common: the merged file and xunit-viewer keep
  # every case (with one name for both, xunit-viewer kept half and dropped the failures).
  need xmllint libxml2-utils
  bin="$source/tools/node_modules/.bin"
  for tool in "$bin/jrm" "$bin/xunit-viewer"; do
    [ -x "$tool" ] || fail "$tool missing (cd tools && npm ci)"
  done
  mkdir -p apart same
  expect 0 "" -- "$conform" run --mock --no-generated --junit apart/a.xml
  expect 1 "" -- "$conform" run --mock --no-generated --mock-arg=--mutation=transcode-wrong-error-code --junit apart/b.xml
  name_a=$(xmllint --xpath 'string(//property[@name="run.name"]/@value)' apart/a.xml)
  name_b=$(xmllint --xpath 'string(//property[@name="run.name"]/@value)' apart/b.xml)
  [[ "$name_a" =~ ^127\.0\.0\.1:[0-9]+$ ]] || fail "the default run name is '$name_a', not host:port"
  [ "$name_a" != "$name_b" ] || fail "two endpoints share the run name $name_a"
  total=$(( $(xmllint --xpath 'string(/testsuites/@tests)' apart/a.xml) + $(xmllint --xpath 'string(/testsuites/@tests)' apart/b.xml) ))
  failures=$(xmllint --xpath 'string(/testsuites/@failures)' apart/b.xml)
  "$bin/jrm" merged.xml apart/a.xml apart/b.xml > /dev/null || fail "junit-report-merger failed"
  [ "$(xmllint --xpath 'count(//testcase)' merged.xml)" = "$total" ] || fail "the merged report lost cases"
  [ "$(xmllint --xpath 'count(//testsuite)' merged.xml)" = "$(xmllint --xpath '//testsuite/@name' merged.xml | sort -u | wc -l)" ] \
    || fail "two suites of the merged report have one name"
  xunit_count() {  # DIR: the cases xunit-viewer shows for the reports in DIR
    timeout 120 "$bin/xunit-viewer" -r "$1" -c -n -C false -o "$1.html" > "$1.log" 2>&1 || fail "xunit-viewer failed: $(tail -5 "$1.log")"
    local summary; summary=$(grep -E '^[0-9]+ [a-z]+(, [0-9]+ [a-z]+)*$' "$1.log" | tail -1)  # "118 passed, 6 skipped, 4 failure"
    [ -n "$summary" ] || fail "xunit-viewer printed no summary: $(tail -3 "$1.log")"
    for word in passed failure error skipped; do
      grep -oE "[0-9]+ $word" <<<"$summary" | cut -d' ' -f1 | grep . || echo 0
    done | paste -sd' '
  }
  read -r passed failed errors skipped < <(xunit_count apart)
  [ "$((passed + failed + errors + skipped))" = "$total" ] && [ "$failed" = "$failures" ] \
    || fail "xunit-viewer shows $passed passed, $failed failed, $errors errors, $skipped skipped of $total cases, $failures failures"
  echo "ok: xunit-viewer shows all $total cases of two endpoints, $failed failures"
  # The control: the same two reports under one run name lose cases in xunit-viewer.
  sed "s/$name_b/$name_a/g" apart/b.xml > same/b.xml && cp apart/a.xml same/a.xml
  read -r passed failed errors skipped < <(xunit_count same)
  [ "$((passed + failed + errors + skipped))" -lt "$total" ] || fail "the control failed: xunit-viewer keeps every case under one name too"
  ;;
*)
  fail "unknown check $check"
  ;;
esac
