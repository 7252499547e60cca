//go:build tools

// Package tools pins the kubelet the real-node harness runs (test/cluster/node), in a module of
// its own so that the other servers' module (../kube) and its build cache key stay as they are.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kubelet"
)
