package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"csm/data"
	"csm/safe"
)

// A search hit's line shows where every word of the query matched (issue
// 13, defect 10): a snippet may join stretches of several fields ("… the
// admin asked … next step: … the training …"), wider than an 80-column
// line leaves it. fitMatches shortens the text around the matches, never
// the matches, until they all fit.

// markers are the match markers of a snippet, which take no cell.
var markers = strings.NewReplacer(data.MatchStart, "", data.MatchEnd, "")

// snippetWidth is the cells a snippet takes on screen.
func snippetWidth(s string) int { return ansi.StringWidth(markers.Replace(s)) }

// fitMatches returns the snippet s (sanitized, markers kept) so that its
// matches show in width cells: as it is when it fits; else opening on the
// first match, with a third of the width before it, when every match then
// shows; else with the text around each match cut to the most context
// that lets them all show ("…" where text was cut, at a word's end where
// one is near). The text after the last match is left for the line to
// cut. When the matches alone are wider than width, the first ones show.
func fitMatches(s string, width int) string {
	if snippetWidth(s) <= width {
		return s
	}
	first := s
	if i := strings.Index(s, data.MatchStart); i >= 0 && ansi.StringWidth(s[:i]) > width/3 {
		first = "…" + dropLeft(s[:i], max(width/3-1, 0)) + s[i:]
	}
	last := strings.LastIndex(first, data.MatchEnd)
	if last < 0 || snippetWidth(first[:last]) <= width {
		return first
	}
	pieces := splitMatches(s)
	for n := width; n >= 0; n-- {
		out := aroundMatches(pieces, n)
		if end := strings.LastIndex(out, data.MatchEnd); snippetWidth(out[:end]) <= width {
			return out
		}
	}
	return first
}

// snippetPiece is a stretch of a snippet: a match (with its markers) or
// the text between matches.
type snippetPiece struct {
	text  string
	match bool
}

func splitMatches(s string) []snippetPiece {
	var out []snippetPiece
	for s != "" {
		i := strings.Index(s, data.MatchStart)
		if i < 0 {
			return append(out, snippetPiece{text: s})
		}
		if i > 0 {
			out = append(out, snippetPiece{text: s[:i]})
		}
		j := strings.Index(s[i:], data.MatchEnd)
		if j < 0 {
			return append(out, snippetPiece{text: s[i:], match: true})
		}
		end := i + j + len(data.MatchEnd)
		out = append(out, snippetPiece{text: s[i:end], match: true})
		s = s[end:]
	}
	return out
}

// aroundMatches joins the pieces keeping at most about n cells of text on
// each side of a match: the end of the text before the first, both ends
// of the text between two; the text after the last stays whole.
func aroundMatches(pieces []snippetPiece, n int) string {
	var b strings.Builder
	for i, p := range pieces {
		switch {
		case p.match:
			b.WriteString(p.text)
		case i == len(pieces)-1:
			b.WriteString(p.text)
		case i == 0:
			b.WriteString(endOf(p.text, n))
		default:
			if ansi.StringWidth(p.text) <= 2*n+1 {
				b.WriteString(p.text)
			} else {
				b.WriteString(startOf(p.text, n) + "…" + strings.TrimPrefix(endOf(p.text, n), "…"))
			}
		}
	}
	return b.String()
}

// startOf is the first n cells of text, back to a word's end when one is
// in them.
func startOf(text string, n int) string {
	cut := strings.TrimSuffix(safe.Truncate(text, n+1), "…")
	if len(cut) < len(text) {
		if i := strings.LastIndex(cut, " "); i > 0 {
			cut = cut[:i]
		}
	}
	return cut
}

// endOf is the last n cells of text after "…" when text is longer, from a
// word's start when one is in them.
func endOf(text string, n int) string {
	if ansi.StringWidth(text) <= n {
		return text
	}
	cut := dropLeft(text, n)
	if i := strings.Index(cut, " "); i >= 0 && i < len(cut)-1 {
		cut = cut[i:]
	}
	return "…" + cut
}
