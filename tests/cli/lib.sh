# Helpers the command-line checks share; sourced, not run.

fail() { echo "FAIL: $*"; exit 1; }
# need TOOL PACKAGE: a check that needs a tool fails without it (never passes or skips)
need() { command -v "$1" > /dev/null || fail "$1 is not on PATH: install the Debian package $2 (scripts/install-deps.sh)"; }
# expect CODE PATTERN -- command...: exit code CODE and PATTERN (grep -E) in stdout+stderr,
# which it leaves in $out
expect() {
  local code=$1 pattern=$2; shift 3
  out=$("$@" 2>&1); local got=$?
  [ "$got" -eq "$code" ] || fail "'$*' exited $got, expected $code; output:"$'\n'"$out"
  [ -z "$pattern" ] || grep -Eq -- "$pattern" <<<"$out" || fail "'$*' output lacks /$pattern/:"$'\n'"$out"
  echo "ok: $* -> $code"
}
