//go:build unix

package scenarios

import "syscall"

// openNonblock opens FIFOs and devices without waiting for a writer.
const openNonblock = syscall.O_NONBLOCK
