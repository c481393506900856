package safe

import (
	"fmt"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/parser"
)

// The seed corpus lives in testdata/fuzz/<FuzzName>/; these few are here too
// so a plain `go test` runs them even if the folder is missing.
var fuzzSeeds = []string{
	"Acme Corp",
	"\x1b[31mred\x1b[0m",
	"\x1b]52;c;aGk=\x07x",
	"\u009b31m\u009d0;t\u009c",
	"\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\",
	"a\u202eb\xff\r\n\t",
}

func FuzzLine(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkClean(t, "Line", Line, in, false)
	})
}

func FuzzText(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkClean(t, "Text", Text, in, true)
	})
}

func FuzzTruncate(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, 5)
	}
	f.Add("1\ufe0f\u20e3ab", 2)
	f.Fuzz(func(t *testing.T, in string, width int) {
		width %= 300 // keep widths near the string's own
		out := Truncate(in, width)
		switch {
		case width <= 0:
			if out != "" {
				t.Fatalf("Truncate(%q, %d) = %q, want empty", in, width, out)
			}
			return
		case ansi.StringWidth(out) > width:
			t.Fatalf("Truncate(%q, %d) = %q is %d cells", in, width, out, ansi.StringWidth(out))
		case ansi.StringWidth(Line(in)) <= width && out != Line(in):
			t.Fatalf("Truncate(%q, %d) = %q cut a string that fits", in, width, out)
		case Truncate(out, width) != out:
			t.Fatalf("Truncate(%q, %d) = %q is not stable", in, width, out)
		}
		checkClean(t, "Truncate", func(s string) string { return Truncate(s, width) }, in, false)
	})
}

// checkClean asserts what every sanitized string must be.
func checkClean(t *testing.T, name string, fn func(string) string, in string, multiline bool) {
	t.Helper()
	out := fn(in)
	if !utf8.ValidString(out) {
		t.Fatalf("%s(%q) = %q is not valid UTF-8", name, in, out)
	}
	for i := 0; i < len(out); i++ {
		c := out[i]
		if (c < 0x20 && !(multiline && c == '\n')) || c == 0x7F {
			t.Fatalf("%s(%q) = %q has control byte %#x", name, in, out, c)
		}
	}
	for _, r := range out {
		switch {
		case r >= 0x80 && r <= 0x9F:
			t.Fatalf("%s(%q) = %q has C1 control %U", name, in, out, r)
		case isBidiControl(r):
			t.Fatalf("%s(%q) = %q has bidi control %U", name, in, out, r)
		case unicode.Is(unicode.Cf, r) && r != '\u200C' && r != '\u200D' && !(r >= 0xE0020 && r <= 0xE007F):
			t.Fatalf("%s(%q) = %q has format character %U", name, in, out, r)
		}
	}
	if seen := terminalSees(out, multiline); seen != "" {
		t.Fatalf("%s(%q) = %q: a terminal parser sees %s", name, in, out, seen)
	}
	if again := fn(out); again != out {
		t.Fatalf("%s not idempotent: %q -> %q -> %q", name, in, out, again)
	}
	if plainPrefix(in) == len(in) && out != in && name != "Truncate" {
		t.Fatalf("%s(%q) = %q changed printable ASCII", name, in, out)
	}
}

func isBidiControl(r rune) bool {
	switch {
	case r == '\u061C', r == '\u200E', r == '\u200F':
		return true
	case r >= '\u202A' && r <= '\u202E':
		return true
	case r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// terminalSees feeds s to the x/ansi VT500-style parser, as a terminal would
// read it, and describes the first thing it sees that is not printable text
// ("" if none).
func terminalSees(s string, multiline bool) string {
	var seen string
	see := func(what string) {
		if seen == "" {
			seen = what
		}
	}
	p := new(ansi.Parser)
	p.SetParamsSize(16)
	p.SetDataSize(256)
	p.SetHandler(ansi.Handler{
		Execute: func(b byte) {
			if !(multiline && b == '\n') {
				see(fmt.Sprintf("control %#x", b))
			}
		},
		HandleCsi: func(ansi.Cmd, ansi.Params) { see("a CSI sequence") },
		HandleEsc: func(ansi.Cmd) { see("an ESC sequence") },
		HandleDcs: func(ansi.Cmd, ansi.Params, []byte) { see("a DCS sequence") },
		HandleOsc: func(int, []byte) { see("an OSC sequence") },
		HandlePm:  func([]byte) { see("a PM sequence") },
		HandleApc: func([]byte) { see("an APC sequence") },
		HandleSos: func([]byte) { see("a SOS sequence") },
	})
	for i := 0; i < len(s); i++ {
		p.Advance(s[i])
	}
	if p.State() != parser.GroundState {
		see("an unfinished sequence (state " + p.StateName() + ")")
	}
	return seen
}
