#!/bin/sh
# kubectl-driftguard launcher: runs the bundled plugin (kubectl-driftguard.mjs, next to the real
# file of this script) with Node.js >= 22 from PATH, or $KUBECTL_DRIFTGUARD_NODE if set.
set -eu

# krew puts a symlink to this script in $KREW_ROOT/bin; follow it (and any chain of links) to find
# the bundle. `readlink -f` is not on macOS, so resolve one hop at a time.
self=$0
while [ -L "$self" ]; do
  target=$(readlink "$self")
  case $target in
    /*) self=$target ;;
    *) self=$(dirname "$self")/$target ;;
  esac
done
dir=$(cd "$(dirname "$self")" && pwd -P)
bundle=$dir/kubectl-driftguard.mjs
if [ ! -f "$bundle" ]; then
  echo "kubectl-driftguard: cannot find $bundle (broken installation? try: kubectl krew reinstall driftguard)" >&2
  exit 2
fi

node=${KUBECTL_DRIFTGUARD_NODE:-node}
if ! command -v "$node" >/dev/null 2>&1; then
  echo "kubectl-driftguard: Node.js >= 22 is required but '$node' was not found on PATH (https://nodejs.org); set KUBECTL_DRIFTGUARD_NODE=/path/to/node to use one elsewhere" >&2
  exit 2
fi
# `--version` answers before Node starts its JavaScript (~1 ms, where `-e` costs a whole start).
version=$("$node" --version 2>/dev/null || echo unknown)
major=${version#v}
major=${major%%.*}
case $major in
  ''|*[!0-9]*) major=0 ;;
esac
if [ "$major" -lt 22 ]; then
  echo "kubectl-driftguard: Node.js >= 22 is required, but '$node' is $version; set KUBECTL_DRIFTGUARD_NODE=/path/to/node to use another one" >&2
  exit 2
fi
# Node >= 22.1 keeps the bundle's compiled code in NODE_COMPILE_CACHE (checked against the file's
# contents), which takes about 150 ms off every command. Only in a directory we could create: Node
# itself does not give up on every bad path (it spins on one under /proc).
if [ -z "${NODE_COMPILE_CACHE:-}" ] && [ -n "${XDG_CACHE_HOME:-}${HOME:-}" ]; then
  cache=${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-driftguard/compile-cache
  if mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ]; then
    NODE_COMPILE_CACHE=$cache
    export NODE_COMPILE_CACHE
  fi
fi
exec "$node" "$bundle" "$@"
