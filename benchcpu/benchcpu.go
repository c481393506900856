// Package benchcpu reports the CPU time a benchmark's process spent per
// operation beside its wall time: on a loaded machine the wall time of a
// benchmark says as much about the neighbours as about the code, its CPU
// time far less.
package benchcpu

import (
	"testing"
	"time"
)

// Start begins counting; call the result at the end of the benchmark to
// report "cpu-ms/op", the process's user and system time over b.N.
func Start(b *testing.B) func() {
	start := processTime()
	return func() {
		if b.N > 0 && start >= 0 {
			b.ReportMetric(float64(processTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		}
	}
}
