package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// truncateLine leaves a line of no more bytes than cells as it is; that
// holds only if no character takes more cells than bytes, which this
// checks over the kinds of text a screen holds.
func TestTruncateLineFitsByBytes(t *testing.T) {
	pieces := []string{"a", " ", "é", "漢", "👍", "1️⃣", "#️", "🇫🇷", "👩‍💻", "e\u0301", "\x1b[1;31m", "\x1b[m", "…", "\t", "ﾊ", "Ａ", "\u200b"}
	for _, p := range pieces {
		for n := 1; n <= 4; n++ {
			s := strings.Repeat(p, n) + "x"
			if w := ansi.StringWidth(s); w > len(s) {
				t.Errorf("%q takes %d cells in %d bytes", s, w, len(s))
			}
			if got := truncateLine(s, len(s)); got != s {
				t.Errorf("truncateLine(%q, %d) = %q", s, len(s), got)
			}
			if got := truncateLine(s, 3); ansi.StringWidth(got) > 3 {
				t.Errorf("truncateLine(%q, 3) is %d cells", s, ansi.StringWidth(got))
			}
		}
	}
}
