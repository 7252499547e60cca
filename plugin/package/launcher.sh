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
  echo "kubectl-driftguard: Node.js >= 22 is required but '$node' was not found on PATH (https://nodejs.org)" >&2
  exit 2
fi
major=$("$node" -e 'process.stdout.write(process.versions.node.split(".")[0])' 2>/dev/null || echo 0)
case $major in
  ''|*[!0-9]*) major=0 ;;
esac
if [ "$major" -lt 22 ]; then
  echo "kubectl-driftguard: Node.js >= 22 is required, but '$node' is $("$node" --version 2>/dev/null || echo 'unknown')" >&2
  exit 2
fi
exec "$node" "$bundle" "$@"
