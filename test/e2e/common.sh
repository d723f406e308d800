# Shared shell helpers for test/e2e/run.sh and test/e2e/start.sh (sourced, not executed).
# Expects: REPO (repository root). Provides: timing/step helpers, free ports, the emulator, an isolated
# code-server profile, vsix install, code-server start/stop. Every background process is started in its
# own process group (setsid) and stopped by that id only.

E2E_T0=${E2E_T0:-$(date +%s)}
_STEP_NAME=""
_STEP_T=0
step() {
  step_end
  _STEP_NAME="$*"
  _STEP_T=$(date +%s)
  printf '\n\033[1m== [%4ss] %s\033[0m\n' "$(( $(date +%s) - E2E_T0 ))" "$_STEP_NAME"
}
step_end() {
  if [ -n "$_STEP_NAME" ]; then
    printf -- '-- %s: %ss\n' "$_STEP_NAME" "$(( $(date +%s) - _STEP_T ))"
    STEP_TIMES+=("$(printf '%4ss  %s' "$(( $(date +%s) - _STEP_T ))" "$_STEP_NAME")")
  fi
  _STEP_NAME=""
}
STEP_TIMES=()
current_step() { echo "$_STEP_NAME"; }

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Load CS_NODE, CS_ENTRY, ... from setup.sh (which installs whatever is missing).
load_setup() {
  local env_file
  env_file="$(bash "$REPO/test/e2e/setup.sh" --print-env)" || return 1
  eval "$env_file"
  export CAIRN_E2E_CACHE CS_NODE CS_NODE_DIR CS_ENTRY CODE_SERVER_VERSION CHROMIUM
}

# start_emulator LOG [extra args...] -> sets EMULATOR_PID, EMULATOR_URL. Port 0 = the OS picks one.
start_emulator() {
  local log="$1"; shift
  : > "$log"
  ( cd "$REPO" && exec setsid node --import tsx test/emulator/cli.ts --port 0 "$@" ) >"$log" 2>&1 &
  EMULATOR_PID=$!
  EMULATOR_URL=""
  local i
  for i in $(seq 1 150); do
    EMULATOR_URL="$(grep -o 'emulator listening on http://[^ ]*' "$log" 2>/dev/null | head -1 | sed 's/^emulator listening on //' || true)"
    [ -n "$EMULATOR_URL" ] && break
    kill -0 "$EMULATOR_PID" 2>/dev/null || { echo "emulator exited early:"; tail -n 40 "$log"; return 1; }
    sleep 0.2
  done
  [ -n "$EMULATOR_URL" ] || { echo "emulator did not print its URL within 30s:"; tail -n 40 "$log"; return 1; }
  EMULATOR_URL="${EMULATOR_URL%/}"
  echo "emulator PID $EMULATOR_PID at $EMULATOR_URL (log: ${log#"$REPO"/})"
}

# stop_group PID [name]: stop a process group we started with setsid (TERM, then KILL after 5 s).
stop_group() {
  local pid="$1" name="${2:-process}" i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || { kill -- -"$pid" 2>/dev/null; return 0; }
  kill -TERM -- -"$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL -- -"$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null; fi
  # stragglers of the group (extension hosts exit a moment after the server)
  for i in $(seq 1 30); do kill -0 -- -"$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- -"$pid" 2>/dev/null || true
  echo "stopped $name (pid $pid)"
}

# write_user_settings FILE THEME [BASE_URL]: settings that keep the workbench quiet and offline.
write_user_settings() {
  local file="$1" theme="$2" base_url="${3:-}"
  mkdir -p "$(dirname "$file")"
  node -e '
    const [file, theme, baseUrl] = process.argv.slice(1);
    const s = {
      "workbench.startupEditor": "none",
      "workbench.tips.enabled": false,
      "workbench.enableExperiments": false,
      "workbench.welcomePage.walkthroughs.openOnInstall": false,
      "workbench.colorTheme": theme,
      "security.workspace.trust.enabled": false,
      "telemetry.telemetryLevel": "off",
      "update.mode": "none",
      "extensions.autoUpdate": false,
      "extensions.autoCheckUpdates": false,
      "extensions.ignoreRecommendations": true,
      "chat.disableAIFeatures": true,
      "workbench.secondarySideBar.defaultVisibility": "hidden",
      "git.enabled": false,
      "window.restoreWindows": "none",
    };
    if (baseUrl) s["cairn.baseUrl"] = baseUrl;
    require("fs").writeFileSync(file, JSON.stringify(s, null, 2) + "\n");
  ' "$file" "$theme" "$base_url"
}

# make_workspace DIR: the sample project to chat about (test/fixtures/sample-workspace: a README, two small
# modules, and tests run by `npm test` of which one fails on purpose, for the offline demo's tour).
make_workspace() {
  local dir="$1"
  mkdir -p "$dir"
  cp -R "$REPO/test/fixtures/sample-workspace/." "$dir/"
}

# cs_env_args PROFILE_DIR TMPDIR -> CS (array): env + node + entry.js with XDG isolation.
cs_cmd() {
  local profile="$1" tmp="$2"
  mkdir -p "$profile/xdg-config" "$profile/xdg-data" "$profile/xdg-cache"
  CS=(env XDG_CONFIG_HOME="$profile/xdg-config" XDG_DATA_HOME="$profile/xdg-data" XDG_CACHE_HOME="$profile/xdg-cache"
      TMPDIR="$tmp" "$CS_NODE" "$CS_ENTRY")
  CS_ARGS=(--config "$profile/code-server.yaml" --auth none
           --user-data-dir "$profile/user-data" --extensions-dir "$profile/extensions"
           --disable-telemetry --disable-update-check --disable-workspace-trust
           --disable-getting-started-override --ignore-last-opened)
  [ -f "$profile/code-server.yaml" ] || printf 'auth: none\ncert: false\n' > "$profile/code-server.yaml"
}

install_vsix() {
  local vsix="$1"
  "${CS[@]}" "${CS_ARGS[@]}" --install-extension "$vsix" --force
  "${CS[@]}" "${CS_ARGS[@]}" --list-extensions --show-versions
}

# start_code_server BIND LOG WORKSPACE [env assignments...] -> CS_PID; waits for /healthz.
start_code_server() {
  local bind="$1" log="$2" ws="$3"; shift 3
  : > "$log"
  local extra=()
  "${CS[@]}" --help 2>/dev/null | grep -q -- '--vscode-option' && extra=(--vscode-option enable-smoke-test-driver)
  # "$@": extra env for the server + extension host (e.g. ANTHROPIC_API_KEY=...).
  setsid env "$@" "${CS[@]}" "${CS_ARGS[@]}" --bind-addr "$bind" "${extra[@]}" "$ws" >"$log" 2>&1 &
  CS_PID=$!
  local i
  for i in $(seq 1 240); do
    curl -fsS "http://$bind/healthz" >/dev/null 2>&1 && { echo "code-server PID $CS_PID on http://$bind (log: ${log#"$REPO"/})"; return 0; }
    kill -0 "$CS_PID" 2>/dev/null || { echo "code-server exited early:"; tail -n 60 "$log"; return 1; }
    sleep 0.25
  done
  echo "code-server not healthy after 60s:"; tail -n 60 "$log"; return 1
}

tail_logs() {
  local profile="$1" f
  for f in "$profile/code-server.log" "$profile/emulator.log"; do
    [ -s "$f" ] || continue
    echo "----- tail ${f#"$REPO"/} -----"
    tail -n "${LOG_TAIL_LINES:-60}" "$f"
  done
  # The remote extension host log (activation errors, stack traces) and Cairn's own output channel.
  while IFS= read -r f; do
    [ -s "$f" ] || continue
    echo "----- tail ${f#"$REPO"/} -----"
    tail -n "${LOG_TAIL_LINES:-60}" "$f"
  done < <(find "$profile/user-data/logs" -type f \( -name 'remoteexthost.log' -o -iname '*cairn*.log' \) 2>/dev/null | sort | tail -n 4)
}
