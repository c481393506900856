package ui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// TestBookGolden pins what a CSM sees first, at the smallest supported
// terminal and at a large one. Run with -update to rewrite, then read the
// files by eye.
func TestBookGolden(t *testing.T) {
	st := fixtureStore(t, 60)
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			a := newTestApp(t, st, size[0], size[1])
			golden.RequireEqual(t, []byte(viewOf(a)))
		})
	}
}
