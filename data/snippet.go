package data

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Snippets are made here rather than by FTS5's snippet(): that picks one
// column and a window of it by its own measure, so a hit in a next step
// could show the note's body, and "admin training" a stretch without
// "training". Here each word of the query is found again in the text as
// the index reads it (case and diacritics folded, the last word a prefix),
// and the snippet opens on the first match of the field that matched the
// most words; words matched elsewhere follow, each with a little context.

// snippetWords is the length of the main stretch, in words; other matches
// get contextWords around them.
const (
	snippetWords = 12
	contextWords = 6
	leadWords    = 3 // words shown before the first match
)

// snippetField is one searched text: a note's body, one of its next steps,
// or a follow-up's title. label is said before a stretch of it.
type snippetField struct{ label, text string }

// queryTerm is one token of the query, folded; prefix for the last one
// while a word is being typed.
type queryTerm struct {
	word   string
	prefix bool
}

// queryTerms reads the query as ftsQuery does, token by token.
func queryTerms(query string) []queryTerm {
	var terms []queryTerm
	words := 0
	cut := false
	for _, w := range strings.Fields(query) {
		if !strings.ContainsFunc(w, isWordRune) {
			continue
		}
		if words == maxQueryTerms {
			cut = true
			break
		}
		words++
		for _, t := range tokens(w) {
			terms = append(terms, queryTerm{word: fold(w[t.start:t.end])})
		}
	}
	endsInSpace := strings.TrimRightFunc(query, unicode.IsSpace) != query
	if len(terms) > 0 && !cut && !endsInSpace {
		terms[len(terms)-1].prefix = true
	}
	return terms
}

// token is a run of letters and digits in a text, by byte offsets.
type token struct{ start, end int }

func tokens(s string) []token {
	var out []token
	start := -1
	for i, r := range s {
		switch {
		case isWordRune(r) || unicode.Is(unicode.Mn, r) && start >= 0:
			if start < 0 {
				start = i
			}
		case start >= 0:
			out = append(out, token{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token{start, len(s)})
	}
	return out
}

// fold is a token as the index compares it: lower case, no diacritics.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// matchOf is the index of the term a token matches, -1 when none.
func matchOf(tok string, terms []queryTerm) int {
	f := fold(tok)
	for i, t := range terms {
		if f == t.word || t.prefix && strings.HasPrefix(f, t.word) {
			return i
		}
	}
	return -1
}

// makeSnippet draws the matched words of fields between MatchStart and
// MatchEnd: the main stretch opens just before the first match of the
// field with the most terms, matched words further on in it or in other
// fields follow after "…", each once.
func makeSnippet(fields []snippetField, terms []queryTerm) string {
	type scanned struct {
		f     snippetField
		toks  []token
		match []int // term of each token, -1 for none
		terms map[int]bool
	}
	var all []scanned
	best := -1
	for _, f := range fields {
		sc := scanned{f: f, toks: tokens(f.text), terms: map[int]bool{}}
		for _, t := range sc.toks {
			m := matchOf(f.text[t.start:t.end], terms)
			sc.match = append(sc.match, m)
			if m >= 0 {
				sc.terms[m] = true
			}
		}
		all = append(all, sc)
		if len(sc.terms) > 0 && (best < 0 || len(sc.terms) > len(all[best].terms)) {
			best = len(all) - 1
		}
	}
	if best < 0 {
		// No term found again (a tokenizer corner): the start of the text.
		for _, f := range fields {
			if f.text != "" {
				return f.label + firstWords(f.text, snippetWords)
			}
		}
		return ""
	}
	shown := map[int]bool{}
	var parts []string
	stretch := func(sc scanned, from, to int) string {
		from, to = max(from, 0), min(to, len(sc.toks))
		var b strings.Builder
		if from > 0 {
			b.WriteString("…")
		}
		pos := sc.toks[from].start
		for i := from; i < to; i++ {
			t := sc.toks[i]
			b.WriteString(sc.f.text[pos:t.start])
			if sc.match[i] >= 0 {
				shown[sc.match[i]] = true
				b.WriteString(MatchStart + sc.f.text[t.start:t.end] + MatchEnd)
			} else {
				b.WriteString(sc.f.text[t.start:t.end])
			}
			pos = t.end
		}
		if to < len(sc.toks) {
			b.WriteString("…")
		} else {
			b.WriteString(sc.f.text[pos:])
		}
		return b.String()
	}
	// The main stretch, then the terms it left out: later in the same
	// field, then in the others, in their order.
	order := []int{best}
	for i := range all {
		if i != best {
			order = append(order, i)
		}
	}
	for n, fi := range order {
		sc := all[fi]
		for i, m := range sc.match {
			if m < 0 || shown[m] {
				continue
			}
			words := contextWords
			if n == 0 && len(parts) == 0 {
				words = snippetWords
			}
			lead := min(leadWords, words/3)
			text := stretch(sc, i-lead, i-lead+words)
			if len(parts) == 0 || sc.f.label != "" && fi != best {
				text = sc.f.label + text
			}
			parts = append(parts, text)
		}
	}
	return strings.Join(parts, " ")
}

// firstWords is text cut after n words.
func firstWords(text string, n int) string {
	toks := tokens(text)
	if len(toks) <= n {
		return text
	}
	return text[:toks[n-1].end] + "…"
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
