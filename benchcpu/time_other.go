//go:build !unix

package benchcpu

import "time"

// processTime is unknown here: nothing is reported.
func processTime() time.Duration { return -1 }
