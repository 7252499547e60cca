//go:build tools

// Package tools pins the krew command this module builds.
package tools

import _ "sigs.k8s.io/krew/cmd/krew"
