// Package search writes the answers of csm search: one line per match for
// a person, or JSON for scripts.
package search

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"csm/data"
	"csm/safe"
)

// Hit is one object of `csm search --json`. Its field names are an
// interface for scripts: fields are added, never renamed or removed.
type Hit struct {
	Kind        string     `json:"kind"` // "note" or "follow-up"
	ID          string     `json:"id"`
	AccountID   string     `json:"account_id"`
	AccountName string     `json:"account_name"`
	When        *time.Time `json:"when"` // null when not known
	// Snippet is the best-matching stretch of text, as stored; Matches
	// are the words in it that matched, in order.
	Snippet string   `json:"snippet"`
	Matches []string `json:"matches"`
	// Rank orders the hits: lower is a better match (bm25).
	Rank float64 `json:"rank"`
}

// kindWord names a hit's kind as the CSM reads it.
func kindWord(h data.Hit) string {
	if h.Kind == data.HitTask {
		return "follow-up"
	}
	return "note"
}

// HitOf is the JSON of one hit: the snippet without its match markers, the
// matched words beside it.
func HitOf(h data.Hit) Hit {
	out := Hit{Kind: kindWord(h), ID: h.ID, AccountID: h.AccountID, AccountName: h.AccountName,
		Snippet: data.MarkMatches(h.Snippet, "", ""), Matches: []string{}, Rank: h.Rank}
	if !h.When.IsZero() {
		w := h.When.UTC()
		out.When = &w
	}
	rest := h.Snippet
	for {
		_, after, ok := strings.Cut(rest, data.MatchStart)
		if !ok {
			break
		}
		word, tail, _ := strings.Cut(after, data.MatchEnd)
		out.Matches = append(out.Matches, word)
		rest = tail
	}
	return out
}

// WriteJSON writes the hits as one JSON array ([] when none match).
func WriteJSON(w io.Writer, hits []data.Hit) error {
	list := make([]Hit, len(hits))
	for i, h := range hits {
		list[i] = HitOf(h)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(list); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// Line renders one hit for a person: date, account, kind, and the matching
// text with matches in [brackets]. The snippet is sanitized first; the
// match markers, which sanitizing keeps, then become brackets.
func Line(h data.Hit) string {
	day := "----------"
	if !h.When.IsZero() {
		day = h.When.Local().Format("2006-01-02")
	}
	snippet := data.MarkMatches(safe.Line(h.Snippet), "[", "]")
	return fmt.Sprintf("%s  %s  %s  %s", day, safe.Truncate(h.AccountName, 32), kindWord(h), snippet)
}
