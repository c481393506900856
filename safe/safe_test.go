package safe

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

// sanitizeCase is one input and what both Line and Text must make of it
// (they differ only on tabs and line breaks, tested in TestWhitespace).
type sanitizeCase struct {
	name string
	in   string
	want string
}

// runBoth checks each case with Line and with Text, and that the result is
// already clean (sanitizing it again changes nothing).
func runBoth(t *testing.T, cases []sanitizeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range []struct {
				name string
				fn   func(string) string
			}{{"Line", Line}, {"Text", Text}} {
				got := f.fn(tc.in)
				if got != tc.want {
					t.Errorf("%s(%q) = %q, want %q", f.name, tc.in, got, tc.want)
				}
				if again := f.fn(got); again != got {
					t.Errorf("%s not idempotent on %q: %q", f.name, got, again)
				}
			}
		})
	}
}

func TestC0(t *testing.T) {
	runBoth(t, []sanitizeCase{
		{"nul", "a\x00b", "ab"},
		{"bell", "a\x07b", "ab"},
		{"backspace over text", "evil\x08\x08\x08\x08good", "evilgood"},
		{"vertical tab and form feed", "a\x0bb\x0cc", "abc"},
		{"lone esc", "a\x1b", "a"},
		{"esc before non-ascii", "a\x1bé", "aé"},
		{"del", "a\x7fb", "ab"},
		{"shift out and in", "a\x0eb\x0fc", "abc"},
		{"cancel and substitute", "a\x18b\x1ac", "abc"},
		{"file group record unit separators", "a\x1cb\x1dc\x1ed\x1fe", "abcde"},
	})
}

func TestC1Raw(t *testing.T) {
	runBoth(t, []sanitizeCase{
		{"next line 0x85", "a\x85b", "ab"},
		{"reverse index 0x8d", "a\x8db", "ab"},
		{"lone string terminator 0x9c", "a\x9cb", "ab"},
		{"single shift 0x8e", "a\x8eb", "ab"},
		{"8-bit csi sgr", "a\x9b31mb", "ab"},
		{"8-bit csi clear screen", "\x9b2Jok", "ok"},
		{"8-bit osc with 8-bit st", "\x9d0;title\x9cok", "ok"},
		{"8-bit dcs", "\x90$qm\x9cok", "ok"},
		{"8-bit apc", "\x9fGa=d\x9cok", "ok"},
		{"8-bit pm", "\x9epm\x9cok", "ok"},
		{"8-bit sos", "\x98sos\x9cok", "ok"},
	})
}

func TestC1UTF8(t *testing.T) {
	runBoth(t, []sanitizeCase{
		{"next line U+0085", "a\u0085b", "ab"},
		{"padding U+0080", "a\u0080b", "ab"},
		{"application program command U+009F alone at end", "a\u009f", "a"},
		{"csi U+009B sgr", "a\u009b31mb", "ab"},
		{"csi U+009B cursor home", "\u009bHok", "ok"},
		{"osc U+009D with U+009C", "\u009d0;title\u009cok", "ok"},
		{"osc U+009D with bel", "\u009d52;c;aGk=\aok", "ok"},
		{"dcs U+0090", "\u0090$qm\u009cok", "ok"},
		{"7-bit osc ended by U+009C", "\x1b]0;t\u009cok", "ok"},
		{"0xC2 before ascii is invalid utf-8", "\xc2A", "\uFFFDA"},
		{"nbsp U+00A0 is kept", "a\u00a0b", "a\u00a0b"},
	})
}

func TestESC(t *testing.T) {
	runBoth(t, []sanitizeCase{
		{"full reset", "a\x1bcb", "ab"},
		{"save cursor", "a\x1b7b", "ab"},
		{"line drawing charset", "a\x1b(0b", "ab"},
		{"screen alignment test", "a\x1b#8b", "ab"},
		{"keypad mode", "a\x1b=b\x1b>c", "abc"},
		{"index", "a\x1bDb", "ab"},
		{"two escs", "a\x1b\x1b[31mb", "ab"},
	})
}

func TestCSI(t *testing.T) {
	runBoth(t, []sanitizeCase{
		{"sgr colour and reset", "\x1b[31mred\x1b[0m", "red"},
		{"sgr truecolor", "\x1b[38;2;255;0;0mx\x1b[m", "x"},
		{"sgr colon subparams", "\x1b[4:3;58:2::1:2:3mx", "x"},
		{"cursor position", "a\x1b[10;20Hb", "ab"},
		{"cursor up and left", "a\x1b[5A\x1b[3Db", "ab"},
		{"erase display", "\x1b[2J\x1b[3Jok", "ok"},
		{"erase line", "ok\x1b[2K", "ok"},
		{"alt screen", "\x1b[?1049hok", "ok"},
		{"hide cursor", "ok\x1b[?25l", "ok"},
		{"mouse tracking", "\x1b[?1000;1006hok", "ok"},
		{"cursor style with intermediate", "\x1b[2 qok", "ok"},
		{"scroll region", "\x1b[1;5rok", "ok"},
		{"device status report", "\x1b[6nok", "ok"},
		{"window op resize", "\x1b[8;100;200tok", "ok"},
		{"private prefix greater", "\x1b[>4;2mok", "ok"},
		// A control inside a CSI ends it for us: the rest is shown, which is
		// more than a terminal would show and never an escape.
		{"bel inside csi", "\x1b[31\x07mok", "mok"},
		{"esc inside csi starts a new one", "\x1b[31\x1b[1mok", "ok"},
		{"non-ascii inside csi", "\x1b[3é", "é"},
	})
}

func TestOSC(t *testing.T) {
	runBoth(t, []sanitizeCase{
		{"title with bel", "\x1b]0;pwned\x07ok", "ok"},
		{"title with st", "\x1b]2;pwned\x1b\\ok", "ok"},
		{"clipboard 52 with bel", "a\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07b", "ab"},
		{"clipboard 52 with st", "a\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x1b\\b", "ab"},
		{"clipboard 52 query", "a\x1b]52;c;?\x07b", "ab"},
		{"hyperlink", "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\", "click me"},
		{"hyperlink with id and bel", "\x1b]8;id=1;https://evil.example/\x07x\x1b]8;;\x07", "x"},
		{"set palette", "\x1b]4;1;rgb:ff/00/00\x07ok", "ok"},
		{"notify", "\x1b]9;hello\x07ok", "ok"},
		{"cwd", "\x1b]7;file://host/etc\x1b\\ok", "ok"},
		{"cancelled by can", "a\x1b]0;t\x18b", "ab"},
		{"cancelled by sub", "a\x1b]0;t\x1ab", "ab"},
		{"esc inside starts a new sequence", "a\x1b]0;t\x1b[31mb", "ab"},
		{"newline inside is part of it", "a\x1b]0;t\nx\x07b", "ab"},
	})
}

func TestDCS(t *testing.T) {
	runBoth(t, []sanitizeCase{
		{"sixel", "\x1bPq#0;2;0;0;0#1;2;100;100;0#1~~@@vv\x1b\\ok", "ok"},
		{"request status string", "\x1bP$qm\x1b\\ok", "ok"},
		{"termcap query", "\x1bP+q544e\x1b\\ok", "ok"},
		{"bel does not end dcs", "\x1bP$q\x07m\x1b\\ok", "ok"},
		{"tmux passthrough of osc 52", "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\ok", "ok"},
	})
}

func TestAPCPMSOS(t *testing.T) {
	runBoth(t, []sanitizeCase{
		{"apc kitty graphics", "\x1b_Gf=100,a=T;iVBORw0KGgo=\x1b\\ok", "ok"},
		{"apc with bel inside", "\x1b_G\x07x\x1b\\ok", "ok"},
		{"pm", "\x1b^private\x1b\\ok", "ok"},
		{"sos", "\x1bXstart of string\x1b\\ok", "ok"},
	})
}

// The rule: an unterminated ESC or CSI sequence is dropped to the end; an
// unterminated string sequence (OSC, DCS, APC, PM, SOS) runs to the end of
// the string, as a terminal would eat everything printed after it.
func TestUnterminated(t *testing.T) {
	runBoth(t, []sanitizeCase{
		{"esc", "ok\x1b", "ok"},
		{"esc intermediate", "ok\x1b(", "ok"},
		{"csi introducer", "ok\x1b[", "ok"},
		{"csi params", "ok\x1b[31;1", "ok"},
		{"csi private", "ok\x1b[?10", "ok"},
		{"8-bit csi", "ok\x9b", "ok"},
		{"utf-8 csi", "ok\u009b12", "ok"},
		{"osc 52", "ok\x1b]52;c;aGk=", "ok"},
		{"osc half st", "ok\x1b]0;t\x1b", "ok"},
		{"osc swallows the rest", "ok\x1b]0;title and then more words", "ok"},
		{"osc swallows later lines", "ok\x1b]0;t\nnext line", "ok"},
		{"dcs", "ok\x1bP1$r", "ok"},
		{"dcs header only", "ok\x1bP", "ok"},
		{"apc", "ok\x1b_Gf=100", "ok"},
		{"pm", "ok\x1b^", "ok"},
		{"sos", "ok\x1bXabc", "ok"},
		{"8-bit osc", "ok\x9d0;", "ok"},
	})
}

func TestBidi(t *testing.T) {
	runBoth(t, []sanitizeCase{
		{"left-to-right embedding U+202A", "a\u202ab", "ab"},
		{"right-to-left embedding U+202B", "a\u202bb", "ab"},
		{"pop directional formatting U+202C", "a\u202cb", "ab"},
		{"left-to-right override U+202D", "a\u202db", "ab"},
		{"right-to-left override U+202E", "invoice_\u202efdp.exe", "invoice_fdp.exe"},
		{"left-to-right isolate U+2066", "a\u2066b", "ab"},
		{"right-to-left isolate U+2067", "a\u2067b", "ab"},
		{"first strong isolate U+2068", "a\u2068b", "ab"},
		{"pop directional isolate U+2069", "a\u2069b", "ab"},
		{"left-to-right mark U+200E", "a\u200eb", "ab"},
		{"right-to-left mark U+200F", "a\u200fb", "ab"},
		{"arabic letter mark U+061C", "a\u061cb", "ab"},
		{"hebrew letters are kept", "שלום", "שלום"},
		{"arabic letters are kept", "مرحبا", "مرحبا"},
	})
}

func TestFormatCharacters(t *testing.T) {
	runBoth(t, []sanitizeCase{
		{"zero width space", "ad\u200bmin", "admin"},
		{"word joiner", "a\u2060b", "ab"},
		{"byte order mark", "\ufeffname", "name"},
		{"soft hyphen", "co\u00adop", "coop"},
		{"invisible times", "a\u2062b", "ab"},
		{"interlinear annotation", "a\ufff9b\ufffac\ufffbd", "abcd"},
		{"tag characters outside a flag", "hi\U000E0069\U000E0067\U000E006Eok", "hiok"},
		{"language tag", "a\U000E0001b", "ab"},
		{"tags after cancel tag", "\U0001F3F4\U000E0067\U000E007F\U000E0067x", "\U0001F3F4\U000E0067\U000E007Fx"},
		{"zero width joiner kept", "a\u200db", "a\u200db"},
		{"zero width non-joiner kept", "می\u200cخواهم", "می\u200cخواهم"},
	})
}

func TestInvalidUTF8(t *testing.T) {
	runBoth(t, []sanitizeCase{
		{"lone 0xff", "a\xffb", "a\uFFFDb"},
		{"stray continuation byte", "a\xa0b", "a\uFFFDb"},
		{"truncated three-byte rune", "a\xe4\xb8", "a\uFFFD\uFFFD"},
		{"overlong slash", "\xc0\xaf", "\uFFFD\uFFFD"},
		{"surrogate half", "\xed\xa0\xa0", "\uFFFD\uFFFD\uFFFD"},
		// Bytes 0x80–0x9F on their own are raw C1 controls, not bad UTF-8.
		{"continuation byte 0x80 is c1", "\xed\xa0\x80", "\uFFFD\uFFFD"},
		{"continuation byte 0x90 is dcs", "\xf4\x90\x80\x80", "\uFFFD"},
		{"0xc2 at the end", "a\xc2", "a\uFFFD"},
		{"beyond U+10FFFF", "\xf5\xb0\xb0\xb0", "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"real replacement character kept", "a\uFFFDb", "a\uFFFDb"},
	})
}

func TestKept(t *testing.T) {
	kept := []string{
		"Acme Corp. — Q3 renewal (50% off!) ~user_1@example.com",
		"Müller & Söhne GmbH",
		"株式会社トヨタ 中文 한국어",
		"👨\u200d👩\u200d👧\u200d👦 family",
		"👍🏽 skin tone",
		"🇫🇷 🇯🇵 flags",
		"\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F england",
		"1\ufe0f\u20e3 keycap",
		"e\u0301 n\u0303 combining",
		"नमस्ते क्\u200dष",
		"Ελληνικά Кириллица",
		"\ue0b0 nerd font private use",
		" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
		"",
	}
	var cases []sanitizeCase
	for _, s := range kept {
		cases = append(cases, sanitizeCase{name: s, in: s, want: s})
	}
	runBoth(t, cases)
}

func TestWhitespace(t *testing.T) {
	for _, tc := range []struct {
		name, in, line, text string
	}{
		{"tab", "a\tb", "a b", "a    b"},
		{"newline", "a\nb", "a b", "a\nb"},
		{"crlf", "a\r\nb", "a b", "a\nb"},
		{"lone cr", "a\rb", "a b", "a\nb"},
		{"cr cr lf", "a\r\r\nb", "a  b", "a\n\nb"},
		{"line separator", "a\u2028b", "a b", "a\nb"},
		{"paragraph separator", "a\u2029b", "a b", "a\nb"},
		{"two newlines", "a\n\nb", "a  b", "a\n\nb"},
		{"trailing newline", "a\n", "a ", "a\n"},
		{"escape between lines", "a\n\x1b[2Kb", "a b", "a\nb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Line(tc.in); got != tc.line {
				t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.line)
			}
			if got := Text(tc.in); got != tc.text {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.text)
			}
		})
	}
}

// What the UI measures (lipgloss.Width) must be what the visible text is.
func TestWidthPreserved(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		width int
	}{
		{"ascii", "Acme", 4},
		{"cjk is two cells each", "中文字", 6},
		{"emoji zwj family is one wide cluster", "👨\u200d👩\u200d👧\u200d👦", 2},
		{"skin tone", "👍🏽", 2},
		{"flag", "🇫🇷", 2},
		{"combining mark adds nothing", "e\u0301", 1},
		{"escapes count nothing", "\x1b[1m中\x1b]8;;http://x\x07a\x1b]8;;\x07\x1b[0m", 3},
		{"bidi override counts nothing", "\u202eab", 2},
		{"c1 csi with params counts nothing", "\u009b38;5;1mab", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := lipgloss.Width(Line(tc.in)); got != tc.width {
				t.Errorf("lipgloss.Width(Line(%q)) = %d, want %d", tc.in, got, tc.width)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		width int
		want  string
	}{
		{"zero width", "abc", 0, ""},
		{"negative width", "abc", -3, ""},
		{"empty", "", 5, ""},
		{"fits exactly", "abc", 3, "abc"},
		{"fits with room", "abc", 10, "abc"},
		{"ascii cut", "abcdef", 4, "abc…"},
		{"width one", "abcdef", 1, "…"},
		{"cjk not split", "中文字", 4, "中…"},
		{"cjk cut on boundary", "中文字", 5, "中文…"},
		{"emoji family not split", "ab👨\u200d👩\u200d👧\u200d👦cd", 4, "ab…"},
		{"combining mark stays", "ae\u0301bcd", 3, "ae\u0301…"},
		{"keycap not split", "1\ufe0f\u20e3ab", 2, "…"},
		{"escapes do not count", "\x1b[31mabc\x1b[0m", 3, "abc"},
		{"sanitized before cut", "\x1b]52;c;aGk=\x07abcdef", 4, "abc…"},
		{"newline becomes space", "a\nb", 3, "a b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Truncate(tc.in, tc.width)
			if got != tc.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
			}
			if w := lipgloss.Width(got); w > max(tc.width, 0) {
				t.Errorf("Truncate(%q, %d) is %d cells wide", tc.in, tc.width, w)
			}
		})
	}
}

// Clean input is the common case on every frame: it must cost nothing.
func TestCleanInputDoesNotAllocate(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
	}{
		{"ascii", "Acme Corporation International Holdings"},
		{"accents and cjk", "Müller & Söhne 株式会社"},
		{"emoji", "👨\u200d👩\u200d👧\u200d👦 👍🏽"},
		{"multi-line text", "line one\nline two"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line := strings.ReplaceAll(tc.in, "\n", " ")
			for _, f := range []struct {
				name string
				fn   func() string
			}{
				{"Line", func() string { return Line(line) }},
				{"Text", func() string { return Text(tc.in) }},
				{"Truncate", func() string { return Truncate(line, 200) }},
			} {
				if n := testing.AllocsPerRun(100, func() { _ = f.fn() }); n != 0 {
					t.Errorf("%s allocates %v times", f.name, n)
				}
			}
		})
	}
}
