package teamdata

import (
	"fmt"
	"strings"

	"csm/model"
)

// MaxProblemLines is how many problems an error lists; the rest are
// counted. A file with a bad column has a bad cell on every row, and a
// million identical lines help nobody.
const MaxProblemLines = 50

// Problem is one thing wrong with the import, where a person can find it.
type Problem struct {
	File   string
	Line   int    // 1-based; 0 when the problem is the whole file
	Column string // the column (or JSON field) at fault; "row" for the row as a whole
	What   string
}

func (p Problem) String() string {
	if p.Line == 0 {
		return fmt.Sprintf("%s: %s", p.File, p.What)
	}
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Column, p.What)
}

// ProblemsError is an import refused for bad rows: nothing was written. It
// keeps the first MaxProblemLines problems and counts all of them.
type ProblemsError struct {
	First []Problem
	Total int
}

func (e *ProblemsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the import has %s; nothing was written:", model.Plural(e.Total, "problem"))
	for _, p := range e.First {
		b.WriteString("\n")
		b.WriteString(p.String())
	}
	if more := e.Total - len(e.First); more > 0 {
		fmt.Fprintf(&b, "\n… and %s", model.Plural(more, "more problem"))
	}
	return b.String()
}

// problems collects what is wrong while everything is read, so one run
// names every bad row rather than the first one.
type problems struct {
	first []Problem
	total int
}

func (ps *problems) add(file string, line int, column, format string, args ...any) {
	ps.total++
	if len(ps.first) < MaxProblemLines {
		ps.first = append(ps.first, Problem{File: file, Line: line, Column: column, What: fmt.Sprintf(format, args...)})
	}
}

// err is nil when nothing was wrong.
func (ps *problems) err() error {
	if ps.total == 0 {
		return nil
	}
	return &ProblemsError{First: ps.first, Total: ps.total}
}

// maxQuoted is how much of an untrusted value a message repeats: enough to
// recognise it, not a whole pasted document.
const maxQuoted = 64

// quote shows untrusted text in a message: cut, and quoted with Go escapes
// so no control character reaches the terminal raw.
func quote(s string) string {
	return fmt.Sprintf("%q", model.CutChars(s, maxQuoted))
}

// columnName is a column as a message names it: as it is when it is made of
// the characters column names use, else quoted, since a header is
// untrusted text too.
func columnName(s string) string {
	if s == "" || len(s) > maxQuoted {
		return quote(s)
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_:-.", r)
		if !ok {
			return quote(s)
		}
	}
	return s
}
