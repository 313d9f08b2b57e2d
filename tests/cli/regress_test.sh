#!/usr/bin/env bash
# Checking an endpoint over time (issue 14), end to end against the mock: known deviations
# (conform run --baseline, conform baseline), drift (conform diff) and shards (--shard K/N).
# usage: regress_test.sh CHECK CONFORM VOD_MOCK SOURCE_DIR WORK_DIR
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # fail, need, expect
check=$1 conform=$2 mock=$3 source=$4 work=$5/$1
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

# lines PREFIX: the case ids of the console lines of $out that start with PREFIX, sorted
lines() { sed -n "s/^$1 *\([^ ]*\) .*/\1/p" <<<"$out" | sort | tr '\n' ' '; }
junit_valid() { xmllint --noout --schema "$source/tests/data/jenkins-junit-10.xsd" "$@" || fail "$* not valid against the Jenkins XSD"; }
names() { xmllint --xpath '//testcase/@name' "$1" | grep -o '"[^"]*"' | tr -d '"' | sort; }
counts() { xmllint --xpath 'concat(/testsuites/@tests, " ", /testsuites/@failures, " ", /testsuites/@errors)' "$1"; }

mutated=--mock-arg=--mutation=transcode-wrong-error-code
transcode="T1-cancel-queued-transcode T2-running-transcode-is-not-cancelled T3-created-asset-has-no-transcode-task T3-published-asset-has-no-transcode-task "

case "$check" in
baseline-flow)
  # The issue's "done when", first point: a run against a mutation, a baseline made from its
  # results, then the baseline against the same mutation, the faithful mock and another mutation.
  expect 1 "57 passed, 4 failed" -- "$conform" run --mock --no-generated "$mutated" --json mutated.json --junit mutated.xml
  expect 0 "4 known deviation\(s\) written to baseline.json" -- "$conform" baseline --from mutated.json --reason "vendor ticket 42" --output baseline.json
  grep -q '"format": "conform-baseline/1"' baseline.json || fail "not a baseline: $(cat baseline.json)"
  grep -q '"pointer": "/error_code"' baseline.json || fail "the entries do not name the failures' place: $(cat baseline.json)"

  expect 0 "57 passed, 0 failed, 0 errors, 7 skipped \(4 known deviations\)" -- \
    "$conform" run --mock --no-generated "$mutated" --baseline baseline.json --json known.json --junit known.xml --html known.html --markdown known.md
  [ "$(lines KNOWN)" = "$transcode" ] || fail "not the four known deviations: $(lines KNOWN)"
  grep -q "known deviation: vendor ticket 42" <<<"$out" || fail "the console does not give the reason"
  junit_valid known.xml
  [ "$(grep -c '<skipped message="known deviation: vendor ticket 42: \[T[123]\] /error_code' known.xml)" -eq 4 ] \
    || fail "JUnit lacks the known deviations: $(grep '<skipped' known.xml)"
  [ "$(grep -c 'type="known-deviation"' known.xml)" -eq 4 ] || fail "JUnit skips are not typed known-deviation"
  [ "$(counts known.xml)" = "64 0 0" ] || fail "JUnit counts: $(counts known.xml)"
  [ "$(grep -c '"verdict":"known"' known.json)" -eq 4 ] || fail "the JSON results lack the known verdicts"
  grep -q '"baseline":{"expires":"","gates":false,"reason":"vendor ticket 42","state":"known"}' known.json || fail "the JSON lacks the baseline mark"
  grep -q 'known deviation: vendor ticket 42' known.html || fail "the HTML report does not show the reason"
  grep -q '^- \*\*KNOWN\*\* `T2-running-transcode-is-not-cancelled` `known deviation: vendor ticket 42: \[T2\]' known.md || fail "the Markdown summary lacks the known deviation: $(cat known.md)"
  # The results read back: conform report gives the same JUnit.
  expect 0 "" -- "$conform" report --from known.json --junit again.xml
  cmp known.xml again.xml || fail "conform report renders the known deviations differently: $(diff known.xml again.xml | head)"

  expect 0 "61 passed, 0 failed, 0 errors, 3 skipped" -- "$conform" run --mock --no-generated --baseline baseline.json --junit fixed.xml
  [ "$(grep -c 'fixed: remove it from the baseline (known deviation: vendor ticket 42)' <<<"$out")" -eq 4 ] || fail "fixed entries not reported"
  grep -q "baseline: 4 known deviation(s) fixed: remove them from the baseline" <<<"$out" || fail "no fixed summary"
  expect 1 "57 passed, 4 failed" -- "$conform" run --mock --no-generated --baseline baseline.json --strict-baseline --junit strict.xml
  junit_valid strict.xml
  [ "$(grep -c 'type="KnownDeviationFixed"' strict.xml)" -eq 4 ] || fail "--strict-baseline: fixed entries are not JUnit failures"

  # Another mutation, of another operation: exit 1 naming its failure alone.
  expect 1 "60 passed, 1 failed" -- "$conform" run --mock --no-generated --mock-arg=--mutation=confirm-unknown-asset-200 --baseline baseline.json --junit other.xml
  [ "$(lines FAIL)" = "C4-nonexistent-asset " ] || fail "not only the new failure: $(lines FAIL)"
  # One that fails listed cases at another place (status, not /error_code): still regressions.
  expect 1 "58 passed, 3 failed" -- "$conform" run --mock --no-generated --mock-arg=--mutation=transcode-cancel-no-task-204 --baseline baseline.json --junit other.xml
  [ "$(lines FAIL)" = "T1-cancel-queued-transcode T3-created-asset-has-no-transcode-task T3-published-asset-has-no-transcode-task " ] \
    || fail "listed cases failing in another way are not failures: $(lines FAIL)"
  [ -z "$(lines KNOWN)" ] || fail "a different failure was taken as known: $(lines KNOWN)"
  ;;
baseline-expiry)
  # An entry past its date is reported expired; it gates only with --strict-baseline.
  cat > expired.json <<'EOF'
{"format": "conform-baseline/1", "known_deviations": [
  {"case": "T2-running-transcode-is-not-cancelled", "reason": "until the fix ships", "rule": "T2", "expires": "2020-01-31"}]}
EOF
  run() { "$conform" run --mock --no-generated "$mutated" --case T2-running-transcode-is-not-cancelled --baseline expired.json --junit e.xml "$@"; }
  expect 0 "known deviation, baseline entry expired 2020-01-31: until the fix ships" -- run
  expect 1 "0 passed, 1 failed" -- run --strict-baseline
  sed 's/2020-01-31/2999-12-31/' expired.json > later.json
  expect 0 "^KNOWN T2-running" -- "$conform" run --mock --no-generated "$mutated" --case T2-running-transcode-is-not-cancelled --baseline later.json --strict-baseline --junit e.xml
  # A rule the failure does not break: the entry does not match, the failure gates.
  sed 's/"rule": "T2"/"rule": "T1"/' expired.json > other-rule.json
  expect 1 "^FAIL  T2-running" -- "$conform" run --mock --no-generated "$mutated" --case T2-running-transcode-is-not-cancelled --baseline other-rule.json --junit e.xml
  ;;
baseline-bad-input)
  # A malformed baseline: exit 2 naming the file and the JSON pointer, before anything is sent.
  echo '{"format": "conform-baseline/1", "known_deviations": [{"case": "T1-cancel-queued-transcode"}]}' > no-reason.json
  expect 2 "no-reason.json: /known_deviations/0: .*reason" -- "$conform" run --mock --no-generated --baseline no-reason.json --junit r.xml
  [ ! -e r.xml ] || fail "a report was written for a run that did not start"
  echo '{"format": "conform-baseline/1", "known_deviations": [{"case": "T1", "reason": "r", "expires": "2026-02-30"}]}' > bad-date.json
  expect 2 "bad-date.json: /known_deviations/0/expires: '2026-02-30' is not a date" -- "$conform" run --mock --no-generated --baseline bad-date.json
  echo '{"format": "conform-baseline/1", "known_deviations": [' > broken.json
  expect 2 "broken.json" -- "$conform" run --mock --no-generated --baseline broken.json
  expect 2 "cannot|not found|No such" -- "$conform" run --mock --no-generated --baseline missing.json
  echo '{"format": "conform-baseline/1", "known_deviations": [{"case": "no-such-case", "reason": "r"}]}' > unknown.json
  expect 0 "warning: unknown.json lists case 'no-such-case'" -- "$conform" run --mock --no-generated --case T1-cancel-queued-transcode --baseline unknown.json --junit r.xml
  expect 2 "--strict-baseline needs --baseline FILE" -- "$conform" run --mock --no-generated --strict-baseline
  expect 2 "conform baseline needs --from FILE" -- "$conform" baseline
  echo '{}' > not-results.json
  expect 2 "not-results.json: /: .*not results of conform run --json" -- "$conform" baseline --from not-results.json
  ;;
diff-alternative)
  # A mutation that only changes which documented alternative the mock takes (U5: 403
  # VOD.10062 instead of 200 NOASSET): no case fails, conform diff reports the drift, exit 0;
  # --fail-on-drift makes it gate.
  expect 0 "61 passed, 0 failed" -- "$conform" run --mock --no-generated --json faithful.json --junit f.xml
  expect 0 "61 passed, 0 failed" -- "$conform" run --mock --no-generated --mock-arg=--mutation=unpublish-unknown-ids-403 --json u5.json --junit u.xml
  expect 0 "U5-only-nonexistent-ids step 1 \(unpublish\): alternative 1 \(status 200\) -> alternative 2 \(status 403\)" -- \
    "$conform" diff faithful.json u5.json
  grep -q "^conform diff: drift within the contract" <<<"$out" || fail "no verdict line"
  ! grep -q "outcome changes" <<<"$out" || fail "an outcome changed: $out"
  expect 1 "alternative drift" -- "$conform" diff faithful.json u5.json --fail-on-drift
  expect 0 "^conform diff: no regression" -- "$conform" diff faithful.json faithful.json
  grep -q "^no change" <<<"$out" || fail "a run differs from itself: $out"
  # A regression: exit 1, naming the cases.
  expect 1 "regressed: T2-running-transcode-is-not-cancelled passed -> failed: \[T2\] /error_code" -- bash -c \
    "'$conform' run --mock --no-generated $mutated --json mutated.json --junit m.xml > /dev/null; '$conform' diff faithful.json mutated.json"
  expect 0 "fixed: T2-running-transcode-is-not-cancelled failed -> passed" -- "$conform" diff mutated.json faithful.json
  expect 2 "conform diff needs two results files" -- "$conform" diff faithful.json
  expect 2 "nope.json" -- "$conform" diff faithful.json nope.json
  ;;
diff-shape)
  # A mutation that drops an optional response field: the shape drift names it, exit 0.
  expect 0 "61 passed, 0 failed" -- "$conform" run --mock --no-generated --json faithful.json --junit f.xml
  expect 0 "61 passed, 0 failed" -- "$conform" run --mock --no-generated --mock-arg=--mutation=unpublish-drops-description --json drops.json --junit d.xml
  expect 0 "UnpublishAssets 200: /asset_info_array/\*/description removed \(string\)" -- "$conform" diff faithful.json drops.json
  expect 0 '^- UnpublishAssets 200: `/asset_info_array/\*/description` removed \(string\)' -- "$conform" diff faithful.json drops.json --markdown
  grep -q '^## conform diff: drift within the contract' <<<"$out" || fail "no Markdown heading: $out"
  expect 0 "/asset_info_array/\*/description added \(string\)" -- "$conform" diff drops.json faithful.json
  ;;
shards)
  # N shards of one run hold exactly its cases, each once; their merged report has the whole
  # run's counts. Against a mutation, so that failures and warnings are counted too.
  run() { "$conform" run --mock --no-generated "$mutated" --mock-arg=--mutation=delete-no-batch-limit "$@"; }
  run --json whole.json --junit whole.xml > whole.out 2>&1
  all=$(names whole.xml)
  shards=""
  for k in 1 2 3; do
    run --shard "$k/3" --json "shard-$k.json" --junit "shard-$k.xml" > "shard-$k.out" 2>&1
    [ -s "shard-$k.json" ] || fail "shard $k wrote no results: $(cat "shard-$k.out")"
    mine=$("$conform" list --shard "$k/3" | awk '{print $1}' | sort)
    [ "$mine" = "$(names "shard-$k.xml")" ] || fail "shard $k ran other cases than conform list --shard lists"
    shards+=$(names "shard-$k.xml")$'\n'
    requests=$(sed -n 's/.* (\([0-9]*\) requests, .*/\1/p' "shard-$k.out")
    echo "shard $k/3: $(wc -l <<<"$mine") cases, $requests requests"
  done
  [ "$(sort <<<"$shards" | sed '/^$/d')" = "$all" ] || fail "the shards' cases are not the whole run's, each once"
  expect 0 "report: merged.xml" -- "$conform" report --from shard-1.json --from shard-2.json --from shard-3.json --junit merged.xml
  [ "$(counts merged.xml)" = "$(counts whole.xml)" ] || fail "merged counts $(counts merged.xml), the whole run $(counts whole.xml)"
  skipped() { xmllint --xpath 'sum(//testsuite/@skipped)' "$1"; }
  [ "$(skipped merged.xml)" = "$(skipped whole.xml)" ] || fail "merged skips $(skipped merged.xml), the whole run $(skipped whole.xml)"
  junit_valid merged.xml
  # Deterministic: the same split again.
  [ "$("$conform" list --shard 2/3)" = "$("$conform" list --shard 2/3)" ] || fail "shard 2/3 differs between two calls"
  expect 2 "--shard: '4/3': K must be from 1 to N" -- "$conform" run --mock --no-generated --shard 4/3
  expect 2 "--shard: '1-3' is not K/N" -- "$conform" list --shard 1-3
  ;;
shard-fixtures)
  # One fixtures file serves three shards of a run against a persistent endpoint: each takes
  # its own slice of every kind. Without the ledger (--ignore-ledger) nothing else keeps two
  # shards from changing the same asset, so a slice that overlapped would fail a case.
  per_kind=$("$conform" list --fixtures-needed | awk '{print $2}' | sort -n | tail -1)
  "$mock" --port 0 --seed "$((per_kind * 3))" --ak shard-access-key --sk shard-secret-key --project-id p --fixtures-out fixtures.json > mock.out 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null' EXIT
  for _ in $(seq 50); do grep -q "^listening on" mock.out && break; sleep 0.1; done
  base=$(sed -n 's/^listening on //p' mock.out)
  [ -n "$base" ] || fail "vod-mock did not start: $(cat mock.out)"
  for k in 1 2 3; do
    expect 0 " passed, 0 failed, 0 errors, 0 skipped" -- "$conform" run --base-url "$base" --ak shard-access-key --sk shard-secret-key --fixtures fixtures.json \
      --ignore-ledger --shard "$k/3" --junit "shard-$k.xml"
  done
  # The same file whole, run again: every id it changes is gone or moved on, and the premise
  # checks see it: those cases are premise lost (exit 5), never failures.
  expect 5 "premise lost before step 1, not run" -- "$conform" run --base-url "$base" --ak shard-access-key --sk shard-secret-key --fixtures fixtures.json --ignore-ledger --junit again.xml
  ;;
*)
  fail "unknown check $check"
  ;;
esac
