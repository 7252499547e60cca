// The pod sandbox's process for the real-node harness (test/cluster/node): holds the pod's
// namespaces, reaps orphans (a pod may share its process namespace), exits on SIGINT/SIGTERM.
// Built into a one-file image that containerd is told is its sandbox image, so nothing is pulled.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range sigs {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
