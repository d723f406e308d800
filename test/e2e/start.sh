#!/usr/bin/env bash
# `npm start`: run Cairn in a real VS Code, for newcomers and manual testing.
#
#   * builds and packages the extension (dist/cairn.vsix);
#   * without ANTHROPIC_API_KEY, starts the local Anthropic emulator as an offline demo model
#     (CAIRN_DEMO_URL): on the first-run screen choose "Use the offline demo model";
#   * desktop VS Code (`code` on PATH and a display): opens it with --extensionDevelopmentPath=<repo>;
#     otherwise code-server (the real VS Code workbench in your browser) on 127.0.0.1:${PORT:-8080}
#     with a persistent profile in .e2e/demo/ and the vsix installed.
#   Stays in the foreground; Ctrl-C stops everything it started.
#
# Env: PORT (default 8080), ANTHROPIC_API_KEY (use the real API instead of the demo),
#      CAIRN_START_MODE=browser|desktop (override the choice), SKIP_BUILD=1, CAIRN_E2E_CACHE.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
# shellcheck source=common.sh
source "$REPO/test/e2e/common.sh"

PROFILE="$REPO/.e2e/demo"
WS="$PROFILE/workspace"
PORT="${PORT:-8080}"
EMULATOR_PID=""
CS_PID=""
CS_TMP=""
cleanup() {
  set +e
  trap - INT TERM EXIT
  echo
  [ -n "$CS_PID" ] && stop_group "$CS_PID" code-server
  [ -n "$EMULATOR_PID" ] && stop_group "$EMULATOR_PID" "demo emulator"
  [ -n "$CS_TMP" ] && rm -rf "$CS_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Which VS Code? Desktop when `code` is available and there is a display (or explicitly asked for).
MODE="${CAIRN_START_MODE:-}"
if [ -z "$MODE" ]; then
  if command -v code >/dev/null 2>&1 && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ]; }; then MODE=desktop; else MODE=browser; fi
fi

if [ "$MODE" = browser ]; then
  step "setup (code-server + Node 24, cached outside the repo)"
  load_setup
fi
if [ -z "${SKIP_BUILD:-}" ]; then
  step "npm run build"
  npm run --silent build
  if [ "$MODE" = browser ]; then
    step "npm run package"
    npm run --silent package
  fi
fi

step "profile and sample workspace (.e2e/demo, kept between runs)"
mkdir -p "$PROFILE/user-data/User" "$PROFILE/extensions"
[ -d "$WS" ] || make_workspace "$WS"
[ -f "$PROFILE/user-data/User/settings.json" ] || write_user_settings "$PROFILE/user-data/User/settings.json" "Default Dark Modern"

MODEL_ENV=()
if [ -n "${ANTHROPIC_API_KEY:-}" ]; then
  echo "ANTHROPIC_API_KEY is set: Cairn talks to ${ANTHROPIC_BASE_URL:-the Anthropic API} (no demo emulator)."
  MODEL_ENV=(-u CAIRN_DEMO_URL)
else
  step "offline demo model (the local Anthropic API emulator)"
  start_emulator "$PROFILE/emulator.log" --stream-delay-ms 15
  MODEL_ENV=(CAIRN_DEMO_URL="$EMULATOR_URL")
fi

if [ "$MODE" = desktop ]; then
  step "desktop VS Code"
  echo "code --extensionDevelopmentPath=$REPO $WS"
  echo "(the window runs Cairn from this checkout; close it or press Ctrl-C here to stop)"
  env "${MODEL_ENV[@]}" code --new-window --wait --extensionDevelopmentPath="$REPO" "$WS" &
  wait $! || true
  exit 0
fi

step "install dist/cairn.vsix into .e2e/demo/extensions"
CS_TMP="$(mktemp -d /tmp/cairn-cs-XXXXXX)"
cs_cmd "$PROFILE" "$CS_TMP"
install_vsix "$REPO/dist/cairn.vsix" >/dev/null
echo "installed: $("${CS[@]}" "${CS_ARGS[@]}" --list-extensions --show-versions | grep -i cairn || echo '?')"

step "code-server on 127.0.0.1:$PORT"
if curl -fsS "http://127.0.0.1:$PORT/" >/dev/null 2>&1 || (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "port $PORT is already in use: try PORT=$((PORT + 1)) npm start"
  exit 1
fi
start_code_server "127.0.0.1:$PORT" "$PROFILE/code-server.log" "$WS" "${MODEL_ENV[@]}"
step_end

URL="http://127.0.0.1:$PORT/?folder=$WS"
cat <<EOF

  Cairn is running in VS Code (code-server $CODE_SERVER_VERSION). Open:

      $URL

  then click the Cairn icon in the activity bar.
EOF
if [ -z "${ANTHROPIC_API_KEY:-}" ]; then
  echo "  No API key: choose \"Use the offline demo model\" (the local emulator at $EMULATOR_URL),"
  echo "  or \"Cairn: Set API Key\" to use Claude."
fi
if command -v code >/dev/null 2>&1; then
  echo
  echo "  Desktop VS Code is installed; instead you can run:"
  echo "      code --extensionDevelopmentPath=$REPO $WS"
  echo "  (or CAIRN_START_MODE=desktop npm start, which also starts the demo model)"
fi
cat <<EOF

  Remote machine? Forward the port first: ssh -L $PORT:127.0.0.1:$PORT <host>
  Logs: ${PROFILE#"$REPO"/}/code-server.log${EMULATOR_PID:+, ${PROFILE#"$REPO"/}/emulator.log}
  Press Ctrl-C to stop.
EOF
wait "$CS_PID" || true
echo "code-server exited; last log lines:"
tail -n 20 "$PROFILE/code-server.log"
