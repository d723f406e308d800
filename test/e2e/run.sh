#!/usr/bin/env bash
# Cairn end-to-end tests (`npm run test:e2e`): a real VS Code workbench (code-server from npm) driven by
# Debian chromium + playwright-core, talking to the local Anthropic Messages API emulator. Fully offline.
#
#   setup (cache outside the repo) -> npm run build -> npm run package -> emulator -> fresh profile in
#   .e2e/run/ -> install dist/cairn.vsix -> code-server on 127.0.0.1:<free port> -> UI e2e ->
#   mocha suite inside the real extension host -> stop everything.
#
# Env knobs:
#   CAIRN_E2E_CACHE   where setup.sh keeps Node 24 + code-server (default ~/.cache/cairn-e2e)
#   SKIP_BUILD=1      reuse dist/ and out/ (no build, no package)
#   SKIP_UI=1 / SKIP_EXT_HOST=1   skip one of the two test stages
#   E2E_FLOWS=30,50   only the flows whose names contain one of these (no ui.e2e.mjs)
#   KEEP_SERVER=1     leave code-server + emulator running at the end (PIDs printed); stop with Ctrl-C
#   HEADED=1          show the browser (needs a display)
#   VERBOSE=1         forward all extension-host console output
# Output: test-results/e2e/ (screenshots, per-stage JSON), logs in .e2e/run/.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
# shellcheck source=common.sh
source "$REPO/test/e2e/common.sh"

PROFILE="$REPO/.e2e/run"
RESULTS="$REPO/test-results/e2e"
PASSED=0
FAILED=0
EMULATOR_PID=""
CS_PID=""
CS_TMP=""
FAILED_STAGE=""
TEST_PID=""

finish() {
  local rc=$?
  set +e
  trap 'true' INT TERM   # a signal now only ends the KEEP_SERVER wait below; cleanup still runs
  local at_step
  at_step="$(current_step)"
  step_end
  if [ -n "$FAILED_STAGE" ] || [ "$FAILED" -gt 0 ] || [ "$rc" -ne 0 ]; then
    if [ "$rc" -ne 0 ] && [ -n "$at_step" ]; then
      echo
      echo "!! step \"$at_step\" failed (exit code $rc)"
      FAILED=$((FAILED + 1)); FAILED_STAGE="${FAILED_STAGE:-$at_step}"
    fi
    if [ "$PASSED" -eq 0 ] && [ "$FAILED" -eq 0 ]; then FAILED=1; fi
    echo
    echo "===== failure diagnostics${FAILED_STAGE:+ (stage: $FAILED_STAGE)} ====="
    tail_logs "$PROFILE"
    ls "$RESULTS"/*failure*.png 2>/dev/null | sed "s|^$REPO/|screenshot: |"
  fi
  if [ -n "${KEEP_SERVER:-}" ] && [ -n "$CS_PID" ] && kill -0 "$CS_PID" 2>/dev/null; then
    echo
    echo "KEEP_SERVER: code-server $CS_URL (pid $CS_PID), emulator $EMULATOR_URL (pid $EMULATOR_PID). Ctrl-C to stop."
    wait "$CS_PID" 2>/dev/null
  fi
  if [ -n "$TEST_PID" ] && kill -0 "$TEST_PID" 2>/dev/null; then kill -TERM "$TEST_PID" 2>/dev/null; wait "$TEST_PID" 2>/dev/null; fi
  [ -n "$CS_PID" ] && stop_group "$CS_PID" code-server
  [ -n "$EMULATOR_PID" ] && stop_group "$EMULATOR_PID" emulator
  [ -n "$CS_TMP" ] && rm -rf "$CS_TMP"
  echo
  echo "timings:"
  printf '  %s\n' "${STEP_TIMES[@]}"
  echo "  total $(( $(date +%s) - E2E_T0 ))s"
  echo
  echo "e2e: $PASSED passed, $FAILED failed"
  if [ "$FAILED" -gt 0 ] || [ "$rc" -ne 0 ]; then exit 1; fi
  exit 0
}
trap finish EXIT
trap 'echo; echo "interrupted"; exit 130' INT TERM

# run_test CMD...: run a test stage in the background and wait for it, so that a TERM/INT reaches our
# trap at once (bash defers traps while a foreground child runs); its exit code is in $rc.
run_test() {
  rc=0
  "$@" &
  TEST_PID=$!
  wait "$TEST_PID" || rc=$?
  TEST_PID=""
}

# add_results FILE: add a stage's {passed, failed} to the totals (missing file = the stage crashed).
add_results() {
  local file="$1" name="$2" p f
  if [ -s "$file" ]; then
    read -r p f < <(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(r.passed|0, r.failed|0)' "$file")
  else
    p=0; f=0
  fi
  if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "$name exited with code $3 without reporting a failed test: counting 1 failure"; fi
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
  echo "$name: $p passed, $f failed"
  [ "$f" -eq 0 ] || FAILED_STAGE="${FAILED_STAGE:-$name}"
}

step "setup (cache: ${CAIRN_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cairn-e2e})"
load_setup
echo "node $("$CS_NODE" -v) · code-server $CODE_SERVER_VERSION · $("$CHROMIUM" --version 2>/dev/null | grep -v 'unexpected operator' | head -1)"

if [ -z "${SKIP_BUILD:-}" ]; then
  step "npm run build"
  npm run --silent build
  step "npm run package"
  npm run --silent package
fi
[ -f "$REPO/dist/cairn.vsix" ] || { echo "dist/cairn.vsix missing (run npm run package)"; exit 1; }
[ -f "$REPO/out/test/vscode/suite/index.js" ] || { echo "out/test/vscode/suite/index.js missing (npm run build bundles test/vscode/suite/*.ts)"; exit 1; }

step "fresh profile in .e2e/run + emulator"
rm -rf "$PROFILE" "$RESULTS"
mkdir -p "$PROFILE/user-data/User" "$PROFILE/extensions" "$RESULTS"
CS_TMP="$(mktemp -d /tmp/cairn-cs-XXXXXX)"   # short: unix socket paths must stay < 108 chars
# a small delay between SSE events makes the streaming state observable in the UI
start_emulator "$PROFILE/emulator.log" --record "$PROFILE/emulator-record.jsonl" --stream-delay-ms 20 --control
write_user_settings "$PROFILE/user-data/User/settings.json" "Default Light Modern" "$EMULATOR_URL"
make_workspace "$PROFILE/workspace"
cs_cmd "$PROFILE" "$CS_TMP"

step "install dist/cairn.vsix into the isolated extensions dir"
install_vsix "$REPO/dist/cairn.vsix"

step "start code-server"
PORT="$(free_port)"
CS_URL="http://127.0.0.1:$PORT"
# The extension host inherits this env: a dummy key (nothing may reach the real API), no env base URL
# (the emulator URL comes from the USER setting cairn.baseUrl), no demo mode.
start_code_server "127.0.0.1:$PORT" "$PROFILE/code-server.log" "$PROFILE/workspace" \
  -u ANTHROPIC_BASE_URL -u CAIRN_DEMO_URL ANTHROPIC_API_KEY=sk-ant-e2e-dummy-key-not-real

export CS_URL EMULATOR_URL
export WORKSPACE="$PROFILE/workspace"
export USER_SETTINGS="$PROFILE/user-data/User/settings.json"
export EMULATOR_RECORD="$PROFILE/emulator-record.jsonl"
export RESULTS_DIR="$RESULTS"

if [ -z "${SKIP_UI:-}" ]; then
  step "UI e2e (chromium + playwright-core)"
  if [ -z "${E2E_FLOWS:-}" ]; then
    run_test env E2E_RESULTS="$RESULTS/ui.json" node test/e2e/ui.e2e.mjs
    add_results "$RESULTS/ui.json" "UI e2e" "$rc"
  fi
  # Further flows: every test/e2e/flows/*.e2e.mjs, in name order. Each scripts its own model turns
  # through the emulator's control endpoints (POST $EMULATOR_URL/_emulator/enqueue).
  for flow in test/e2e/flows/*.e2e.mjs; do
    [ -e "$flow" ] || continue
    name="$(basename "$flow" .e2e.mjs)"
    # E2E_FLOWS=30,50 runs only the flows whose names contain one of those parts (and skips ui.e2e.mjs).
    if [ -n "${E2E_FLOWS:-}" ]; then
      keep=""; IFS=',' read -ra parts <<< "$E2E_FLOWS"
      for part in "${parts[@]}"; do [[ "$name" == *"$part"* ]] && keep=1; done
      [ -n "$keep" ] || continue
    fi
    step "flow: $name"
    run_test env E2E_RESULTS="$RESULTS/flow-$name.json" node "$flow"
    add_results "$RESULTS/flow-$name.json" "flow $name" "$rc"
  done
fi

if [ -z "${SKIP_EXT_HOST:-}" ]; then
  step "mocha suite inside the real extension host"
  run_test env E2E_RESULTS="$RESULTS/ext-host.json" EXT_DEV_PATH="$REPO" \
    EXT_TESTS_PATH="$REPO/out/test/vscode/suite/index.js" node test/e2e/ext-host.mjs
  add_results "$RESULTS/ext-host.json" "ext-host mocha" "$rc"
fi
step_end
