#!/usr/bin/env bash
# The generated cases on the command line (issue 15): listed with --generated, the same list
# twice, their cost printed by list --fixtures-needed, off by default against an endpoint.
# usage: generated_test.sh CONFORM WORK_DIR
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # fail, need, expect
conform=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

"$conform" list --generated > first.txt || fail "conform list --generated failed"
"$conform" list --generated > second.txt || fail "conform list --generated failed the second time"
cmp -s first.txt second.txt || fail "two lists of the generated cases differ"
n=$(grep -c '^gen/' first.txt)
[ "$n" -ge 60 ] || fail "$n generated cases listed, expected at least 60"
bad=$(grep '^gen/' first.txt | grep -Ev '^gen/[A-Z][0-9]+/[a-z_]+/[A-Za-z0-9._-]+  [A-Za-z]+  (MUST|SHOULD)$')
[ -z "$bad" ] || fail "ids not of the form gen/RULE/member/variant: $bad"
! "$conform" list | grep -q '^gen/' || fail "conform list shows generated cases without --generated"

"$conform" list --generated --tag generated --fixtures-needed > kinds.txt 2> cost.txt || fail "--fixtures-needed failed"
grep -Eq '^UPLOADING  [0-9]+$' kinds.txt || fail "no UPLOADING count: $(cat kinds.txt)"
grep -Eq "^$n cases: [0-9]+ requests when every probe holds at once; [0-9]+ assets, [0-9]+ of them consumed, [0-9]+ shared$" cost.txt \
  || fail "no cost line: $(cat cost.txt)"

# Against an endpoint they are off unless asked for (nothing listens on port 9: no request is sent).
out=$("$conform" run --base-url http://127.0.0.1:9 --project-id p --token conform-test-token --tag generated --junit r.xml 2>&1)
grep -q "plan: 0 cases selected" <<<"$out" || fail "generated cases ran against an endpoint without --generated: $out"
out=$("$conform" run --mock --no-generated --tag generated --junit r.xml 2>&1)
grep -q "plan: 0 cases selected" <<<"$out" || fail "--no-generated did not leave them out: $out"
echo ok
