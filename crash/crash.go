// Package crash turns a panic on its way out of csm into a crash report:
// a file in the data directory that says when, which csm, what panicked
// and where, and never the environment, the arguments or the token.
//
// A panic in a command is recovered by the caller, which passes it to
// Recovered; a panic in the terminal UI comes back from RunTea as a
// *Crash. Report writes either one down.
package crash

import (
	"fmt"
	"runtime/debug"
)

// Crash is a panic caught on its way out: its value and the stack of the
// goroutine that panicked.
type Crash struct {
	Value any
	Stack []byte
}

func (c *Crash) Error() string { return fmt.Sprintf("csm crashed: %v", c.Value) }

// Recovered is the crash of a value recover returned. Call it in the
// deferred function that recovered, where the stack still holds the
// panic.
func Recovered(r any) *Crash { return &Crash{Value: r, Stack: debug.Stack()} }
