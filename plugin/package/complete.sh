#!/bin/sh
# kubectl_complete-driftguard: kubectl (1.26+) runs this executable from PATH to complete
# `kubectl driftguard <TAB>`. It asks the plugin next to its real file (`__complete`, cobra's protocol).
set -eu
self=$0
while [ -L "$self" ]; do
  target=$(readlink "$self")
  case $target in
    /*) self=$target ;;
    *) self=$(dirname "$self")/$target ;;
  esac
done
dir=$(cd "$(dirname "$self")" && pwd -P)
exec "$dir/kubectl-driftguard" __complete "$@"
