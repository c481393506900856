package data

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"
	"unicode"

	"modernc.org/sqlite"

	"csm/model"
	"csm/safe"
)

// csm_clean is the sanitizer as an SQL function, for the triggers that keep
// the search index: text is indexed as it will be drawn.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("csm_clean", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return safe.Text(v), nil
		case []byte:
			return safe.Text(string(v)), nil
		case nil:
			return "", nil
		default:
			return v, nil
		}
	})
}

// Full-text search over notes and follow-ups, on the FTS5 tables of
// migration 3 (tokenizer unicode61 with diacritics removed, so "cafe" finds
// "café" and the other way round).

// Snippet markers around each matched term. They are private-use
// characters: the sanitizer keeps them (they are not controls or format
// characters) and no real text uses them, so a screen can sanitize a
// snippet first and then turn the markers into brackets or bold.
const (
	MatchStart = "\uE000"
	MatchEnd   = "\uE001"
)

// Hit kinds.
const (
	HitNote = model.EntityNote
	HitTask = model.EntityTask
)

// Hit is one note or follow-up that matches a search.
type Hit struct {
	Kind        string // HitNote or HitTask
	ID          string
	AccountID   string
	AccountName string
	// When is when the note happened, or when the follow-up was created.
	When time.Time
	// Snippet is the best-matching stretch of text with matches between
	// MatchStart and MatchEnd. Untrusted text: sanitize it before drawing.
	Snippet string
	// Rank is the bm25 score: lower is a better match.
	Rank float64
}

// DefaultSearchLimit is the number of hits Search returns when asked for 0.
const DefaultSearchLimit = 50

// maxQueryTerms bounds the work one hostile query can cause.
const maxQueryTerms = 32

// Search finds notes and follow-ups matching every word of query, best first.
// Each word is matched as typed, never as FTS5 syntax, so quotes, AND, NEAR(,
// *, : or - in the query cannot cause an error; the last word also matches
// as a prefix, so results come while a word is being typed. A query with no
// word in it finds nothing. Notes superseded by a later revision are left
// out: the latest revision stands for the note.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]Hit, error) {
	match := ftsQuery(query)
	if match == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT 'note', n.id, n.account_id, a.name, json_extract(n.data, '$.happened_at'),
			notes_fts.body, notes_fts.next_steps, bm25(notes_fts)
		FROM notes_fts
		JOIN notes n ON n.rowid = notes_fts.rowid
		JOIN accounts a ON a.id = n.account_id
		WHERE notes_fts MATCH ?1
			AND n.id NOT IN (SELECT json_extract(data, '$.supersedes') FROM notes
				WHERE json_extract(data, '$.supersedes') IS NOT NULL)
		UNION ALL
		SELECT 'task', t.id, t.account_id, a.name, json_extract(t.data, '$.created_at'),
			tasks_fts.title, '', bm25(tasks_fts)
		FROM tasks_fts
		JOIN tasks t ON t.rowid = tasks_fts.rowid
		JOIN accounts a ON a.id = t.account_id
		WHERE tasks_fts MATCH ?1
		ORDER BY 8, 5 DESC, 2
		LIMIT ?2`, match, limit)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	defer rows.Close()
	terms := queryTerms(query)
	var hits []Hit
	for rows.Next() {
		var h Hit
		var when *string // null when a row's JSON lacks the date
		var body, steps *string
		if err := rows.Scan(&h.Kind, &h.ID, &h.AccountID, &h.AccountName, &when, &body, &steps, &h.Rank); err != nil {
			return nil, fmt.Errorf("search %q: %w", query, err)
		}
		fields := []snippetField{{text: deref(body)}}
		for _, st := range strings.Split(deref(steps), "\n") {
			if st != "" {
				fields = append(fields, snippetField{label: "next step: ", text: st})
			}
		}
		h.Snippet = makeSnippet(fields, terms)
		if when != nil {
			h.When, _ = time.Parse(time.RFC3339Nano, *when) // a bad date shows as none
		}
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	return hits, nil
}

// MarkMatches replaces the match markers of a snippet with open and close
// (for example "[" and "]", or the escape codes of a style). Sanitize the
// snippet first: the markers survive sanitizing, escape codes would not.
func MarkMatches(snippet, open, close string) string {
	return strings.NewReplacer(MatchStart, open, MatchEnd, close).Replace(snippet)
}

// ftsQuery turns what the CSM typed into an FTS5 query: each word becomes
// a quoted string (a double quote inside doubled), so FTS5 reads it as
// text, never as an operator; words are ANDed by juxtaposition. A "word"
// with no letter or digit is dropped: it would become an empty phrase,
// which matches nothing and would empty the whole result. The last word
// becomes a prefix unless the query ends in a space.
func ftsQuery(text string) string {
	var terms []string
	cut := false
	for _, w := range strings.Fields(text) {
		if !strings.ContainsFunc(w, isWordRune) {
			continue
		}
		if len(terms) == maxQueryTerms {
			cut = true
			break
		}
		terms = append(terms, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
	}
	if len(terms) == 0 {
		return ""
	}
	endsInSpace := strings.TrimRightFunc(text, unicode.IsSpace) != text
	if !cut && !endsInSpace {
		terms[len(terms)-1] += "*"
	}
	return strings.Join(terms, " ")
}

// isWordRune says whether the tokenizer keeps r in a token.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }
