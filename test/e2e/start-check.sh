#!/usr/bin/env bash
# `npm run test:start`: what a newcomer does first, on a cold machine. Against an EMPTY set-up cache
# (a fresh temporary CAIRN_E2E_CACHE), it runs `npm start` and, at the same moment, `npm run setup:e2e`:
#   * both start from npm scripts (the inner code-server install must not inherit npm's environment);
#   * both set up the same cache at once (one installs under the lock, the other waits and reuses it);
#   * `npm start` must then print its URL, that URL must serve the VS Code workbench, and Ctrl-C (TERM)
#     must stop everything it started.
# Costs one cold code-server install (~2-3 min on 2 cores). Last line: "start-check: N passed, N failed".
#
# Env: CAIRN_START_CHECK_CACHE (use this folder instead of a new temporary one; it must be empty),
#      START_CHECK_TIMEOUT (seconds for npm start to print its URL, default 900).
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
TIMEOUT="${START_CHECK_TIMEOUT:-900}"
CACHE="${CAIRN_START_CHECK_CACHE:-$(mktemp -d /tmp/cairn-start-check-XXXXXX)}"
LOGS="$REPO/test-results/start-check"
mkdir -p "$LOGS"
passed=0; failed=0
ok() { echo "  ✔ $*"; passed=$((passed + 1)); }
fail() { echo "  ✘ $*"; failed=$((failed + 1)); }
START_PID=""
SETUP_PID=""
finish() {
  set +e
  if [ -n "$START_PID" ] && kill -0 "$START_PID" 2>/dev/null; then
    kill -TERM -- -"$START_PID" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$START_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- -"$START_PID" 2>/dev/null
  fi
  [ -n "$SETUP_PID" ] && kill -0 "$SETUP_PID" 2>/dev/null && kill -TERM -- -"$SETUP_PID" 2>/dev/null
  [ -z "${CAIRN_START_CHECK_CACHE:-}" ] && rm -rf "$CACHE"
  echo "start-check: $passed passed, $failed failed"
  [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
}
trap 'finish; exit $?' EXIT
trap 'exit 130' INT TERM

[ -z "$(ls -A "$CACHE" 2>/dev/null)" ] || { fail "the cache $CACHE is not empty"; exit 1; }
PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
echo "cold cache: $CACHE · port $PORT · logs: ${LOGS#"$REPO"/}/"

# Both in their own process group (setsid), so that each can be stopped as a whole by its own id.
setsid env -u ANTHROPIC_API_KEY CAIRN_E2E_CACHE="$CACHE" PORT="$PORT" CAIRN_START_MODE=browser \
  npm start >"$LOGS/npm-start.log" 2>&1 &
START_PID=$!
sleep 2   # let npm start's set-up take the lock first: the second set-up must wait for it
setsid env CAIRN_E2E_CACHE="$CACHE" npm run --silent setup:e2e >"$LOGS/setup.log" 2>&1 &
SETUP_PID=$!

URL=""
for _ in $(seq 1 "$((TIMEOUT * 2))"); do
  URL="$(grep -oE "http://127\.0\.0\.1:$PORT/\?folder=[^ ]+" "$LOGS/npm-start.log" | head -1)"
  [ -n "$URL" ] && break
  kill -0 "$START_PID" 2>/dev/null || break
  sleep 0.5
done

setup_rc=0
wait "$SETUP_PID" || setup_rc=$?
SETUP_PID=""
if [ "$setup_rc" = 0 ]; then ok "a second set-up (npm run setup:e2e) at the same time succeeded"
else fail "the concurrent npm run setup:e2e exited $setup_rc:"; tail -n 30 "$LOGS/setup.log"; fi
grep -q 'waiting for it' "$LOGS/setup.log" "$LOGS/npm-start.log" &&
  ok "one set-up waited for the other's lock" || fail "neither set-up waited for the other (no lock?)"
grep -q "code-server .*: npm install" "$LOGS/npm-start.log" "$LOGS/setup.log" &&
  ok "code-server was installed from scratch" || fail "code-server was not installed (the cache was not cold?)"
[ "$(cat "$LOGS/npm-start.log" "$LOGS/setup.log" | grep -c "code-server .*: npm install")" = 1 ] &&
  ok "code-server was installed once, not twice" || fail "code-server was installed more than once"

if [ -z "$URL" ]; then
  fail "npm start printed no URL within ${TIMEOUT}s; its log ends:"; tail -n 60 "$LOGS/npm-start.log"
  exit 1
fi
ok "npm start printed $URL"
grep -q 'installed: .*cairn' "$LOGS/npm-start.log" && ok "the Cairn extension is installed" || fail "no Cairn extension in the list of installed extensions"
html="$(curl -fsS --max-time 20 "$URL" 2>&1)"
if grep -q 'workbench' <<<"$html"; then ok "the URL serves the VS Code workbench"
else fail "the URL did not serve the workbench: $(head -c 300 <<<"$html")"; fi
curl -fsS --max-time 20 "http://127.0.0.1:$PORT/healthz" >/dev/null && ok "code-server answers /healthz" || fail "no /healthz"

# Stop it as Ctrl-C would, and check that nothing is left listening.
kill -TERM -- -"$START_PID" 2>/dev/null
for _ in $(seq 1 150); do kill -0 "$START_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$START_PID" 2>/dev/null; then fail "npm start did not stop within 15 s of TERM"; else ok "npm start stopped on TERM"; START_PID=""; fi
sleep 1
for what in code-server emulator; do
  pid="$(grep -oE "$what PID [0-9]+" "$LOGS/npm-start.log" | head -1 | grep -oE '[0-9]+$')"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then fail "the $what npm start started (pid $pid) is still running"; kill -TERM -- -"$pid" 2>/dev/null
  elif [ -n "$pid" ]; then ok "the $what (pid $pid) is stopped"; fi
done
if curl -fsS --max-time 3 "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then fail "code-server still listens on $PORT after npm start stopped"
else ok "nothing listens on $PORT any more"; fi
