package brief

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// On a terminal the Markdown is drawn: no "#" or "|---|" left, the words
// and figures kept, lines wrapped to the width asked.
func TestForTerminal(t *testing.T) {
	md := "# Acme Corp\n\nPre-call brief · usage as of Nov 22, 2026\n\n## Figures\n\n| figure | value |\n|---|---|\n| health | 42 |\n| util | 31% |\n\n- **Champion** left on Nov 3, 2026: " +
		strings.Repeat("a long sentence that must wrap ", 8) + "\n"
	for _, dark := range []bool{true, false} {
		out, err := ForTerminal(md, 60, dark)
		if err != nil {
			t.Fatal(err)
		}
		plain := ansi.Strip(out)
		for _, w := range []string{"Acme Corp", "Figures", "health", "42", "31%", "Champion"} {
			if !strings.Contains(plain, w) {
				t.Errorf("dark=%v: %q missing from\n%s", dark, w, plain)
			}
		}
		if strings.Contains(plain, "|---|") || strings.Contains(plain, "**") || !strings.Contains(plain, "│") {
			t.Errorf("dark=%v: Markdown left raw:\n%s", dark, plain)
		}
		if !strings.Contains(out, "\x1b[") {
			t.Errorf("dark=%v: no styling at all", dark)
		}
		for _, l := range strings.Split(plain, "\n") {
			if w := ansi.StringWidth(l); w > 60 {
				t.Errorf("dark=%v: a line of %d cells, wider than 60: %q", dark, w, l)
			}
		}
	}
}

func TestDarkBackground(t *testing.T) {
	for v, want := range map[string]bool{"": true, "15;0": true, "0;15": false, "0;7": false, "12;8": true, "0;default;15": false} {
		if got := darkBackground(v); got != want {
			t.Errorf("COLORFGBG=%q: dark %v, want %v", v, got, want)
		}
	}
}

// Anything but a terminal gets the Markdown as it is.
func TestWriteToAPipeIsMarkdown(t *testing.T) {
	var b strings.Builder
	if err := Write(&b, "# Acme\n\n| a | b |\n|---|---|\n", false); err != nil {
		t.Fatal(err)
	}
	if b.String() != "# Acme\n\n| a | b |\n|---|---|\n" {
		t.Errorf("got %q", b.String())
	}
}
