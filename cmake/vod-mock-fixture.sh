#!/bin/sh
# vod-mock as a ctest fixture (vod_conformance_add_mock): start it in the background and wait
# until it listens, or stop it.
# usage: vod-mock-fixture.sh start PID_FILE TOKEN_VARIABLE|"" VOD_MOCK [ARGUMENT...]
#        vod-mock-fixture.sh stop PID_FILE
set -u
action=$1 pid_file=$2
log=$pid_file.log
case $action in
start)
  token_variable=$3
  shift 3
  if [ -n "$token_variable" ]; then
    eval "token=\${$token_variable:-}"
    [ -n "$token" ] || { echo "vod-mock-fixture: the token variable $token_variable is empty or unset" >&2; exit 2; }
    set -- "$@" --token "$token"
  fi
  # Its output goes to the log, so ctest does not wait for it to end.
  "$@" </dev/null >"$log" 2>&1 &
  echo $! >"$pid_file"
  tries=0
  until grep -q "^listening on " "$log"; do
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      echo "vod-mock-fixture: vod-mock ($1) exited:" >&2
      cat "$log" >&2
      exit 1
    fi
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ]; then
      echo "vod-mock-fixture: vod-mock did not listen within 10 s:" >&2
      cat "$log" >&2
      kill "$(cat "$pid_file")"
      exit 1
    fi
    sleep 0.1
  done
  grep "^listening on " "$log"
  ;;
stop)
  [ -f "$pid_file" ] || { echo "vod-mock-fixture: no $pid_file: vod-mock was not started" >&2; exit 1; }
  pid=$(cat "$pid_file")
  rm -f "$pid_file"
  kill "$pid" 2>/dev/null || { echo "vod-mock-fixture: vod-mock ($pid) had already ended:" >&2; cat "$log" >&2; exit 1; }
  tries=0
  while kill -0 "$pid" 2>/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -le 50 ] || { echo "vod-mock-fixture: vod-mock ($pid) did not stop within 5 s" >&2; kill -9 "$pid"; exit 1; }
    sleep 0.1
  done
  echo "vod-mock stopped"
  # Its closing lines: how many assets the API created and how many are still there.
  grep "^vod-mock: " "$log"
  ;;
*)
  echo "usage: vod-mock-fixture.sh start|stop PID_FILE ..." >&2
  exit 2
  ;;
esac
