//go:build unix

package data

import "golang.org/x/sys/unix"

// writable asks the kernel whether this process may write path: EROFS on a
// read-only file system, EACCES without permission.
func writable(path string) error { return unix.Access(path, unix.W_OK) }
