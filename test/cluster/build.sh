#!/usr/bin/env bash
# Builds the real test servers and tools (kube-apiserver, kube-controller-manager, kube-scheduler,
# kubectl, etcd, FerretDB, kwok, krew, kustomize, helm, promtool, and for the real node a kubelet
# and a pause image) from the Go
# modules beside this script (kustomize and helm: agent/image/, since the agent's image ships them), once, into a cache outside the work tree keyed by version.
# Prints per-binary timings; a warm run (everything cached) returns in well under a second.
#   build.sh        every binary (npm test)
#   build.sh demo   only what `npm run demo` needs: the Kubernetes binaries, etcd and kwok
set -euo pipefail
selection=${1:-all}
case $selection in
  all|demo) ;;
  *) echo "driftguard: build.sh [all|demo]: unknown selection '$selection'" >&2; exit 2 ;;
esac

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${DRIFTGUARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/driftguard}
K8S_VERSION=v1.37.2
ETCD_VERSION=v3.7.3
FERRETDB_VERSION=v1.24.2
KREW_VERSION=v0.4.3
KWOK_VERSION=v0.8.0
KUSTOMIZE_VERSION=v5.8.2
HELM_VERSION=v4.3.2
PROMETHEUS_MODULE_VERSION=v0.316.0
PROMETHEUS_VERSION=3.16.0

if ! command -v go >/dev/null 2>&1; then
  echo "driftguard: no Go toolchain on PATH; install Go >= 1.26 (https://go.dev/doc/install or 'apt-get install golang') and run again." >&2
  exit 3
fi

export GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod

# The wrapper module's directory: the renderers the image ships live with the agent's image.
moddir() {
  case $1 in
    kustomize|helm) echo "$here/../../agent/image/$1" ;;
    *) echo "$here/go/$1" ;;
  esac
}

# build <module dir> <package> <output path> [ldflags] [build tags]
build() {
  local mod=$1 pkg=$2 out=$3 extra=${4:-} tags=${5:-}
  if [ -x "$out" ]; then return 0; fi
  mkdir -p "$(dirname "$out")"
  local start=$SECONDS
  echo "driftguard: building $(basename "$out") (first time only; this can take several minutes)..." >&2
  # A heartbeat so a long cold build visibly makes progress.
  ( while sleep 30; do echo "driftguard:   ... still building $(basename "$out") ($((SECONDS - start))s)" >&2; done ) &
  local beat=$!
  local rc=0
  (cd "$(moddir "$mod")" && go build -trimpath -tags "$tags" -ldflags "-s -w $extra" -o "$out.tmp" "$pkg") || rc=$?
  kill "$beat" 2>/dev/null || true
  wait "$beat" 2>/dev/null || true
  if [ "$rc" -ne 0 ]; then
    rm -f "$out.tmp"
    echo "driftguard: building $(basename "$out") failed (exit $rc)" >&2
    return "$rc"
  fi
  mv "$out.tmp" "$out"
  echo "driftguard: built $(basename "$out") in $((SECONDS - start))s" >&2
}

ver_flags() {
  local minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  local f=""
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    f="$f -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  echo "$f"
}

# The cache key is the version plus a hash of the wrapper module's files (not of its path), so
# editing a wrapper rebuilds it and moving one does not.
key() { (cd "$(moddir "$1")" && cat go.mod go.sum ./*.go 2>/dev/null | sha256sum | cut -c1-8); }

total=$SECONDS
if [ "$selection" = demo ]; then
  missing=0
  for f in kubernetes-$K8S_VERSION-$(key kube)/kube-apiserver etcd-$ETCD_VERSION-$(key etcd)/etcd kwok-$KWOK_VERSION-$(key kwok)/kwok; do
    [ -x "$cache/$f" ] || missing=1
  done
  if [ "$missing" = 1 ]; then
    echo "driftguard: first run: building the demo's binaries (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, kwok) from source into $cache." >&2
    echo "driftguard: this takes about 12 minutes on 2 cores with empty Go caches (kube-apiserver alone ~5 min); later runs start at once." >&2
  fi
fi
kdir="$cache/kubernetes-$K8S_VERSION-$(key kube)"
for cmd in kubectl kube-apiserver kube-controller-manager kube-scheduler; do
  build kube "k8s.io/kubernetes/cmd/$cmd" "$kdir/$cmd" "$(ver_flags)"
done
etcd_bin="$cache/etcd-$ETCD_VERSION-$(key etcd)/etcd"
build etcd . "$etcd_bin"
ferretdb_bin="$cache/ferretdb-$FERRETDB_VERSION-$(key ferretdb)/ferretdb"
krew_bin="$cache/krew-$KREW_VERSION-$(key krew)/kubectl-krew"
if [ "$selection" = all ]; then
  build ferretdb . "$ferretdb_bin"
  build krew sigs.k8s.io/krew/cmd/krew "$krew_bin"
fi
kwok_dir="$cache/kwok-$KWOK_VERSION-$(key kwok)"
build kwok sigs.k8s.io/kwok/cmd/kwok "$kwok_dir/kwok"
# kwok's own stage files (node Ready + lease heartbeat, pods Running fast), from its module, in one file.
if [ ! -s "$kwok_dir/stages.yaml" ]; then
  kwok_src=$(cd "$here/go/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
  for f in "$kwok_src"/kustomize/stage/{node/fast,node/heartbeat-with-lease,pod/fast}/*.yaml; do
    case "$f" in */kustomization.yaml) continue ;; esac
    printf -- '---\n'; cat "$f"
  done > "$kwok_dir/stages.yaml.tmp"
  mv "$kwok_dir/stages.yaml.tmp" "$kwok_dir/stages.yaml"
  cp "$kwok_src/kustomize/crd/bases/kwok.x-k8s.io_clusterportforwards.yaml" "$kwok_dir/clusterportforwards-crd.yaml"
fi
kustomize_bin="$cache/kustomize-$KUSTOMIZE_VERSION-$(key kustomize)/kustomize"
helm_bin="$cache/helm-$HELM_VERSION-$(key helm)/helm"
promtool_bin="$cache/promtool-$PROMETHEUS_MODULE_VERSION-$(key promtool)/promtool"
if [ "$selection" = all ]; then
  build kustomize sigs.k8s.io/kustomize/kustomize/v5 "$kustomize_bin" \
    "-X sigs.k8s.io/kustomize/api/provenance.version=$KUSTOMIZE_VERSION"
  build helm helm.sh/helm/v4/cmd/helm "$helm_bin" "-X helm.sh/helm/v4/internal/version.version=$HELM_VERSION"
  build promtool github.com/prometheus/prometheus/cmd/promtool "$promtool_bin" \
    "-X github.com/prometheus/common/version.Version=$PROMETHEUS_VERSION" remove_all_sd
fi

# The real node (test/cluster/node): a kubelet from its own wrapper module (the kube module and its
# cache key stay as they are; the shared packages come from the build cache), and the pod sandbox's
# pause process as a one-layer OCI image archive containerd imports under PAUSE_IMAGE.
PAUSE_IMAGE=localhost/driftguard/pause:3.10
kubelet_bin="$cache/kubelet-$K8S_VERSION-$(key kubelet)/kubelet"
pause_dir="$cache/pause-$(key pause)"
# oci_archive <binary> <image ref> <out.tar>: the binary as /<name>, its entrypoint, in an OCI layout.
oci_archive() {
  local w name blob
  w=$(mktemp -d) name=$(basename "$1")
  mkdir -p "$w/root" "$w/oci/blobs/sha256"
  cp "$1" "$w/root/$name"
  tar -C "$w/root" --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$w/blob" "$name"
  blob() { # <file> -> "digest size", the file moved into blobs/ first (read returns at the echo)
    local d s; d=$(sha256sum "$1" | cut -d' ' -f1) s=$(stat -c %s "$1")
    mv "$1" "$w/oci/blobs/sha256/$d" && echo "$d $s"
  }
  read -r layer lsize < <(blob "$w/blob")
  printf '{"architecture":"%s","os":"linux","config":{"Entrypoint":["/%s"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$(go env GOARCH)" "$name" "$layer" >"$w/blob"
  read -r config csize < <(blob "$w/blob")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
    "$config" "$csize" "$layer" "$lsize" >"$w/blob"
  read -r manifest msize < <(blob "$w/blob")
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$manifest" "$msize" "$2" "${2##*:}" >"$w/oci/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' >"$w/oci/oci-layout"
  tar -C "$w/oci" -cf "$3.tmp" oci-layout index.json blobs && mv "$3.tmp" "$3"
  rm -rf "$w"
}
if [ "$selection" = all ]; then
  build kubelet k8s.io/kubernetes/cmd/kubelet "$kubelet_bin" "$(ver_flags)"
  build pause . "$pause_dir/pause"
  [ -s "$pause_dir/pause.tar" ] || oci_archive "$pause_dir/pause" "$PAUSE_IMAGE" "$pause_dir/pause.tar"
fi

# The TypeScript harness reads the paths from here (every path, built or not: binaries() says which
# one is missing when a test asks for it, so the demo's subset serves the demo).
cat > "$cache/binaries.json.tmp" <<JSON
{
  "kubectl": "$kdir/kubectl",
  "kubeApiserver": "$kdir/kube-apiserver",
  "kubeControllerManager": "$kdir/kube-controller-manager",
  "kubeScheduler": "$kdir/kube-scheduler",
  "etcd": "$etcd_bin",
  "ferretdb": "$ferretdb_bin",
  "krew": "$krew_bin",
  "kwok": "$kwok_dir/kwok",
  "kwokStages": "$kwok_dir/stages.yaml",
  "kwokPortForwardCrd": "$kwok_dir/clusterportforwards-crd.yaml",
  "kustomize": "$kustomize_bin",
  "kustomizeVersion": "$KUSTOMIZE_VERSION",
  "helm": "$helm_bin",
  "helmVersion": "$HELM_VERSION",
  "promtool": "$promtool_bin",
  "kubelet": "$kubelet_bin",
  "pauseImage": "$PAUSE_IMAGE",
  "pauseArchive": "$pause_dir/pause.tar",
  "kubernetesVersion": "$K8S_VERSION"
}
JSON
mv "$cache/binaries.json.tmp" "$cache/binaries.json"
echo "driftguard: test binaries ready in $cache ($((SECONDS - total))s)" >&2
