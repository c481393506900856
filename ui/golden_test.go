package ui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// TestGolden pins every screen as a CSM sees it, at the smallest supported
// terminal and at a large one, on a light and on a dark background. Run
// with -update to rewrite the files, then read them by eye (ansi.Strip
// gives the text): a screen that says something untrue is a defect even
// when the file matches.
func TestGolden(t *testing.T) {
	for _, sc := range screenCases {
		t.Run(sc.name, func(t *testing.T) {
			for _, theme := range []string{"dark", "light"} {
				t.Run(theme, func(t *testing.T) {
					for _, size := range [][2]int{{80, 24}, {160, 48}} {
						t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
							st := fixtureStore(t, 60)
							a := newTestApp(t, st, size[0], size[1])
							setBackground(a, theme == "dark")
							sc.open(t, a, st)
							golden.RequireEqual(t, []byte(viewOf(a)))
						})
					}
				})
			}
		})
	}
}
