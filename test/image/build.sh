#!/usr/bin/env bash
# `npm run build:image`: builds the agent's image from agent/Dockerfile with podman, on bases made
# here (test/image/bases.sh) so that no container registry is needed, then saves it as an archive
# the real-node harness imports into containerd. Prints the time, each layer's size and the total.
# The official bases stay the Dockerfile's defaults; NODE_IMAGE/BASE_IMAGE/GO_IMAGE are only passed
# here. Run as root it installs the Debian packages it needs when they are missing.
# Env: DRIFTGUARD_IMAGE (the reference to tag, default localhost/driftguard/agent:v<version>).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${DRIFTGUARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/driftguard}
start=$SECONDS

# --- what the build needs: podman (with runc), debootstrap, Go, Node and npm ---
missing=()
for c in podman runc debootstrap; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "driftguard: installing ${missing[*]} from Debian's packages..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      podman runc debootstrap uidmap >/dev/null) ||
      { echo "driftguard: apt-get install podman runc debootstrap failed" >&2; exit 3; }
  else
    echo "driftguard: build:image needs ${missing[*]} (Debian: apt-get install podman runc debootstrap), run as root" >&2
    exit 3
  fi
fi
for c in go node npm; do
  command -v "$c" >/dev/null 2>&1 || { echo "driftguard: build:image needs $c on PATH" >&2; exit 3; }
done

# --- this host's quirks, handled with files of our own (never /etc) ---
# podman asks for RLIMIT_NOFILE 1048576 in every container; root without CAP_SYS_RESOURCE cannot
# raise its hard limit past what it has, and crun/runc then fail with "setrlimit: Operation not
# permitted". Containers get this process's own hard limits instead.
mkdir -p "$cache/image"
ulimits=()
if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt 1048576 ]; then
  nofile=$(ulimit -Hn)
  # Processes: no more than the kernel's pid_max (a higher value was refused here as well).
  nproc=$(ulimit -Hu)
  pid_max=$(cat /proc/sys/kernel/pid_max)
  if [ "$nproc" = unlimited ] || [ "$nproc" -gt "$pid_max" ]; then nproc=$pid_max; fi
  printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n[engine]\nruntime = "runc"\n' \
    "$nofile" "$nofile" "$nproc" "$nproc" >"$cache/image/containers.conf"
  export CONTAINERS_CONF="$cache/image/containers.conf"
  # podman build's RUN steps ask for their own defaults, whatever containers.conf says.
  ulimits=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")
  echo "driftguard: open-files hard limit is $nofile: containers get it (CONTAINERS_CONF=$CONTAINERS_CONF)" >&2
fi

# shellcheck source=bases.sh
. "$here/bases.sh"
base_debian
base_node
base_go
echo "driftguard: bases $BASE_DEBIAN $BASE_NODE $BASE_GO ready at $((SECONDS - start))s" >&2

version=$(node -p 'require(process.argv[1]).version' "$root/package.json")
ref=${DRIFTGUARD_IMAGE:-localhost/driftguard/agent:v$version}
args=(--layers "${ulimits[@]}" --build-arg "NODE_IMAGE=$BASE_NODE" --build-arg "BASE_IMAGE=$BASE_DEBIAN"
  --build-arg "GO_IMAGE=$BASE_GO" -f "$root/agent/Dockerfile")

# The stages that need this machine's files run first, with them mounted: the tools stage builds
# offline from the host's module cache (and shares its build cache), the bundle stage's npm gets
# the CA bundle of the TLS proxy this machine reaches the registry through. The final build then
# reuses those layers and has no mounts (podman leaves empty mount-point files in a layer).
t=$SECONDS
# The tools stage has no network: the modules it builds are fetched here first (a no-op once
# build:binaries has built the same wrapper modules).
for m in "kustomize sigs.k8s.io/kustomize/kustomize/v5" "helm helm.sh/helm/v4/cmd/helm"; do
  set -- $m
  (cd "$root/agent/image/$1" && GOWORK=off GOTOOLCHAIN=local GOFLAGS=-mod=mod go list -deps "$2" >/dev/null)
done
podman build "${args[@]}" --target tools --network none \
  -v "$(go env GOMODCACHE):/go/pkg/mod:ro" -v "$(go env GOCACHE):/root/.cache/go-build" \
  "$root" >"$cache/image/build-tools.log" 2>&1 ||
  { tail -30 "$cache/image/build-tools.log" >&2; echo "driftguard: tools stage failed" >&2; exit 1; }
echo "driftguard: tools stage (kustomize, helm) in $((SECONDS - t))s" >&2
t=$SECONDS
mounts=()
ca=$(npm config get cafile 2>/dev/null || true)
if [ -n "$ca" ] && [ "$ca" != null ] && [ -s "$ca" ]; then
  printf 'cafile=/run/driftguard-ca.crt\n' >"$cache/image/npmrc"
  mounts=(-v "$ca:/run/driftguard-ca.crt:ro" -v "$cache/image/npmrc:/usr/local/etc/npmrc:ro")
fi
podman build "${args[@]}" --target bundle --network host "${mounts[@]}" "$root" \
  >"$cache/image/build-bundle.log" 2>&1 ||
  { tail -30 "$cache/image/build-bundle.log" >&2; echo "driftguard: bundle stage failed" >&2; exit 1; }
echo "driftguard: bundle stage in $((SECONDS - t))s" >&2
t=$SECONDS
podman build "${args[@]}" --network host -t "$ref" "$root" >"$cache/image/build-final.log" 2>&1 ||
  { tail -30 "$cache/image/build-final.log" >&2; echo "driftguard: final stage failed" >&2; exit 1; }
echo "driftguard: runtime stage in $((SECONDS - t))s" >&2

# The archive containerd imports (test/cluster/node), and where the harness finds it.
archive="$cache/image/agent.tar"
podman save --quiet --format docker-archive -o "$archive.tmp" "$ref" && mv "$archive.tmp" "$archive"
id=$(podman image inspect --format '{{.Id}}' "$ref")
printf '{\n  "ref": "%s",\n  "id": "%s",\n  "archive": "%s"\n}\n' "$ref" "$id" "$archive" >"$cache/image/agent.json"

echo "driftguard: $ref, layers (uncompressed):" >&2
podman history --format '{{.Size}}\t{{.CreatedBy}}' "$ref" | awk -F'\t' '$1 != "0 B" && $1 != "0B"' |
  cut -c1-140 | sed 's/^/  /' >&2
size=$(podman image inspect --format '{{.Size}}' "$ref")
echo "driftguard: image $ref: $((size / 1000000)) MB uncompressed; built in $((SECONDS - start))s" >&2
