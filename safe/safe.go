// Package safe is the one sanitizer of csm: every string that comes from data
// (the server, other people's notes and comments) goes through Line, Text or
// Truncate when it is drawn, so that no escape sequence, control character or
// invisible reordering character from data ever reaches the terminal.
//
// What is removed:
//   - C0 controls (U+0000–U+001F) and DEL; tabs and line breaks become spaces
//     (Line) or are normalised (Text).
//   - C1 controls, both as raw bytes 0x80–0x9F and as UTF-8 encoded
//     U+0080–U+009F. A UTF-8 terminal treats U+009B like the byte 0x9B, so the
//     two forms are parsed alike: each introducer starts the same sequence.
//   - Every escape sequence, recognised by the x/ansi decoder: ESC sequences,
//     CSI (7-bit and 8-bit), OSC (titles, OSC 8 links, OSC 52 clipboard), DCS,
//     SOS, PM and APC.
//   - Invalid UTF-8: each bad byte becomes U+FFFD, except 0x80–0x9F, which
//     are the raw C1 controls above. (encoding/json already turns bad UTF-8
//     from the server into U+FFFD; raw bytes can only come from elsewhere.)
//   - Format characters (Unicode category Cf): bidi embeddings, overrides,
//     isolates and marks (U+061C, U+200E, U+200F, U+202A–U+202E,
//     U+2066–U+2069), zero width space U+200B, word joiner U+2060, BOM U+FEFF,
//     soft hyphen U+00AD, interlinear annotations U+FFF9–U+FFFB, tag characters
//     and the rest. They are invisible: they reorder or hide text, or terminals
//     disagree on their width. Kept: ZWNJ U+200C and ZWJ U+200D, which emoji
//     and several scripts need, and tag characters that spell an emoji flag
//     after U+1F3F4 (the England, Scotland and Wales flags).
//
// Where a sequence ends (the rule for broken or unterminated input):
//   - ESC and CSI sequences end at their final byte. A byte that cannot belong
//     to them (a control, ESC, a non-ASCII byte) ends them early; that byte is
//     then read as ordinary input. A terminal would go on with the sequence,
//     so at worst we show a few characters it would have eaten, never less.
//   - OSC, DCS, SOS, PM and APC strings end at ST (ESC \, 0x9C or U+009C), and
//     OSC also at BEL. CAN or SUB cancel them; an ESC not followed by \ cancels
//     them and starts a new sequence. Without any of these they run to the end
//     of the string, as a terminal would keep eating what follows them.
//
// Everything else (letters of every script, combining marks, emoji with ZWJ
// and skin tones, wide CJK) is kept byte for byte, so the widths that lipgloss
// and x/ansi measure stay right.
package safe

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// TabWidth is how many spaces a tab becomes in Text. It is a fixed count, not
// a tab stop: a block is drawn at an offset inside a panel, where the
// terminal's tab stops mean nothing.
const TabWidth = len(tabSpaces)

const tabSpaces = "    "

// ellipsis ends a string that Truncate cut.
const ellipsis = "…"

// Line sanitizes s for a one-line cell: tabs and line breaks each become one
// space, and everything listed in the package comment is removed.
func Line(s string) string { return clean(s, false) }

// Text sanitizes s for a multi-line block: line breaks (\r\n, \r, \n, U+2028,
// U+2029) become \n, a tab becomes TabWidth spaces, and everything else is
// removed as in Line.
func Text(s string) string { return clean(s, true) }

// Truncate sanitizes s as Line does, then cuts it to at most width terminal
// cells, ending it with "…" when something was cut. It never splits a grapheme
// cluster or a wide character. A width of zero or less gives "".
func Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	s = Line(s)
	if plainPrefix(s) == len(s) {
		// One byte, one cell: no need to segment (ansi.StringWidth does it
		// byte by byte, slowly), and this is most cells.
		if len(s) <= width {
			return s
		}
		return s[:width-1] + ellipsis
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	// Cut by grapheme clusters measured as ansi.StringWidth (what lipgloss
	// uses) measures them. Not ansi.Truncate: it measures a cluster that
	// starts with ASCII, like the keycap "1️⃣", by its first byte alone and
	// can overflow.
	room := width - ansi.StringWidth(ellipsis)
	end, used := 0, 0
	for end < len(s) {
		cluster, w := ansi.FirstGraphemeCluster(s[end:], ansi.GraphemeWidth)
		if used+w > room {
			break
		}
		used += w
		end += len(cluster)
	}
	return s[:end] + ellipsis
}

// clean walks s once. Printable ASCII and kept runes are not copied one by
// one: they stay in s until something must change, so clean input (the common
// case, on every cell of every frame) is returned as is without allocating.
func clean(s string, multiline bool) string {
	// Most input is printable ASCII: skip it in a tight loop first.
	i := plainPrefix(s)
	if i == len(s) {
		return s
	}
	o := output{s: s}
	var last rune // last rune kept, to tell emoji flag tags from hidden ones
	if i > 0 {
		last = rune(s[i-1])
	}
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7F:
			last = rune(c)
			i++
		case c == '\n' && multiline:
			last = '\n'
			i++
		case c == '\t' || c == '\n' || c == '\r':
			n, with := whitespace(s[i:], multiline)
			o.replace(i, n, with)
			last = ' '
			i += n
		case c == ansi.ESC || (c >= 0x80 && c <= 0x9F):
			// ESC or a raw C1 byte: the decoder returns the whole sequence it
			// starts (to the end of s if unterminated), or just the
			// introducer if what follows cannot belong to it.
			_, _, n, _ := ansi.DecodeSequence(s[i:], ansi.NormalState, nil)
			n = max(n, 1)
			o.replace(i, n, "")
			i += n
		case c < 0x80:
			// The other C0 controls and DEL.
			o.replace(i, 1, "")
			i++
		case c == 0xC2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9F:
			// U+0080–U+009F in UTF-8 is 0xC2 then the raw C1 byte. Dropping
			// the 0xC2 lets the next turn parse that byte as the C1 control
			// it stands for, so both forms remove the same sequence.
			o.replace(i, 1, "")
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && n == 1:
				o.replace(i, 1, string(utf8.RuneError))
				last = r
			case r == '\u2028' || r == '\u2029':
				_, with := whitespace("\n", multiline)
				o.replace(i, n, with)
				last = ' '
			case hidden(r, last):
				o.replace(i, n, "")
			default:
				last = r
			}
			i += n
		}
	}
	return o.String()
}

// plainPrefix returns how many bytes at the start of s are printable ASCII
// (0x20–0x7E), which need no change and take one cell each.
func plainPrefix(s string) int {
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7F {
		i++
	}
	return i
}

// whitespace says how many bytes of the tab or line break at the start of s
// to replace, and with what.
func whitespace(s string, multiline bool) (n int, with string) {
	n = 1
	if strings.HasPrefix(s, "\r\n") {
		n = 2
	}
	switch {
	case !multiline:
		return n, " "
	case s[0] == '\t':
		return n, tabSpaces
	default:
		return n, "\n"
	}
}

// hidden reports whether the non-ASCII rune r is an invisible format
// character to remove. last is the rune kept just before r.
func hidden(r, last rune) bool {
	const (
		zwnj      = '\u200C'
		zwj       = '\u200D'
		blackFlag = '\U0001F3F4'
		cancelTag = '\U000E007F'
	)
	isTag := func(r rune) bool { return r >= '\U000E0020' && r <= cancelTag }
	switch {
	case r == zwnj || r == zwj:
		return false
	case isTag(r):
		// Tags only mean something in a flag: 🏴 then tags up to CANCEL TAG.
		// Elsewhere they are invisible text, a known way to smuggle words.
		inFlag := last == blackFlag || (isTag(last) && last != cancelTag)
		return !inFlag
	}
	return unicode.Is(unicode.Cf, r)
}

// output builds the result lazily: until the first change it only tracks
// where in s it is, so that unchanged input needs no allocation.
type output struct {
	s     string
	b     strings.Builder
	dirty bool // b holds the output so far
	kept  int  // s[kept:i] (i: where clean is) is output not yet copied into b
}

// replace puts with in place of s[i:i+n].
func (o *output) replace(i, n int, with string) {
	if !o.dirty {
		o.dirty = true
		o.b.Grow(len(o.s) + len(with))
	}
	o.b.WriteString(o.s[o.kept:i])
	o.b.WriteString(with)
	o.kept = i + n
}

// String returns the result.
func (o *output) String() string {
	if !o.dirty {
		return o.s
	}
	o.b.WriteString(o.s[o.kept:])
	return o.b.String()
}
