//go:build tools

// Package tools pins the promtool command this module builds. build.sh builds it with the tag
// remove_all_sd: rule checks and rule unit tests need no service discovery, and leaving the cloud
// SDKs out compiles about a fifth fewer packages (1,117 instead of 1,364 in v0.316.0).
package tools

import _ "github.com/prometheus/prometheus/cmd/promtool"
