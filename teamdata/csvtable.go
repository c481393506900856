package teamdata

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"csm/model"
)

// tableSpec says which columns a CSV file of one entity has.
type tableSpec struct {
	// required columns must be in the header; their cells may still be
	// allowed to be empty (see the row readers).
	required []string
	// optional columns may be left out: every cell of theirs may be empty.
	optional []string
	// prefix, when set, admits any number of columns "prefix + KEY".
	prefix string
}

func (s tableSpec) known(col string) bool {
	return slices.Contains(s.required, col) || slices.Contains(s.optional, col)
}

// columnList names the columns of a spec for a message.
func (s tableSpec) columnList() string {
	cols := slices.Concat(s.required, s.optional)
	if s.prefix != "" {
		cols = append(cols, s.prefix+"KEY")
	}
	return strings.Join(cols, ", ")
}

// csvTable is one CSV file being read.
type csvTable struct {
	file     string
	spec     tableSpec
	col      map[string]int // column name → cell index
	prefixed []string       // the columns named spec.prefix + KEY, header order
	ps       *problems
}

// csvRow is one record of a table, with the line it starts on.
type csvRow struct {
	t    *csvTable
	line int
	rec  []string
	bad  bool // a cell of it was reported
}

// utf8BOM is what some spreadsheets write first; it is not part of the
// first column's name.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readTable reads a CSV file (RFC 4180: strict quotes, CRLF or LF) and
// calls each for every record after the header. Problems go to ps; a
// syntax error ends the file, since what follows a stray quote cannot be
// trusted to be the rows it looks like.
func readTable(file string, r io.Reader, spec tableSpec, ps *problems, each func(*csvRow)) {
	br := bufio.NewReader(r)
	if head, _ := br.Peek(len(utf8BOM)); bytes.Equal(head, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		ps.add(file, 1, "row", "the file is empty; it needs a header row naming its columns (%s)", spec.columnList())
		return
	}
	if err != nil {
		reportCSVError(file, 1, err, ps)
		return
	}
	t := &csvTable{file: file, spec: spec, col: map[string]int{}, ps: ps}
	if !t.readHeader(header) {
		return
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(err, csv.ErrFieldCount) {
			ps.add(file, pe.StartLine, "row", "has %d cells, the header has %d", len(rec), len(header))
			continue
		}
		if err != nil {
			reportCSVError(file, 0, err, ps)
			return
		}
		line, _ := cr.FieldPos(0) // the line the record starts on
		each(&csvRow{t: t, line: line, rec: rec})
	}
}

// reportCSVError turns a syntax error of encoding/csv into a problem.
func reportCSVError(file string, line int, err error, ps *problems) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		ps.add(file, pe.Line, "row", "%v (at character %d); the file is not read past it", pe.Err, pe.Column)
		return
	}
	ps.add(file, line, "row", "cannot read: %v", err)
}

// readHeader indexes the header row and says whether rows can be read.
func (t *csvTable) readHeader(header []string) bool {
	ok := true
	for i, raw := range header {
		name := strings.TrimSpace(raw)
		switch {
		case !utf8.ValidString(name):
			t.ps.add(t.file, 1, columnName(name), "the column name is not valid UTF-8")
			ok = false
			continue
		case t.col[name] > 0:
			t.ps.add(t.file, 1, columnName(name), "the column appears twice")
			ok = false
			continue
		case t.spec.known(name):
		case t.spec.prefix != "" && strings.HasPrefix(name, t.spec.prefix):
			var fe *model.FieldError
			if err := model.CheckID("key", strings.TrimPrefix(name, t.spec.prefix)); errors.As(err, &fe) {
				t.ps.add(t.file, 1, columnName(name), "the feature key %s", fe.Problem)
				ok = false
			}
			t.prefixed = append(t.prefixed, name)
		default:
			t.ps.add(t.file, 1, columnName(name), "not a column of this file; it has %s", t.spec.columnList())
			ok = false
		}
		t.col[name] = i + 1 // 0 stays "absent"
	}
	for _, name := range t.spec.required {
		if t.col[name] == 0 {
			t.ps.add(t.file, 1, name, "the column is missing")
			ok = false
		}
	}
	return ok
}

// ---- Cells ----

// report records a problem with one cell of the row.
func (r *csvRow) report(col, format string, args ...any) {
	r.bad = true
	r.t.ps.add(r.t.file, r.line, columnName(col), format, args...)
}

// cell is the text of a column, "" when the header lacks it. Text that is
// not UTF-8 is reported (ok false) and read as "".
func (r *csvRow) cell(col string) (v string, ok bool) {
	i := r.t.col[col]
	if i == 0 {
		return "", true
	}
	v = r.rec[i-1]
	if !utf8.ValidString(v) {
		r.report(col, "is not valid UTF-8")
		return "", false
	}
	return v, true
}

// text is a free-text cell; empty is allowed.
func (r *csvRow) text(col string) string {
	v, _ := r.cell(col)
	return v
}

// name is a text cell that must not be empty.
func (r *csvRow) name(col string) string {
	v, ok := r.cell(col)
	if ok && strings.TrimSpace(v) == "" {
		r.report(col, "is empty; it is required")
	}
	return v
}

// id is an id or key: not empty, at most model.MaxIDBytes bytes.
func (r *csvRow) id(col string) string {
	v, ok := r.cell(col)
	var fe *model.FieldError
	if err := model.CheckID(col, v); ok && errors.As(err, &fe) {
		r.report(col, "%s", fe.Problem)
	}
	return v
}

// oneOf is an enum cell.
func (r *csvRow) oneOf(col string, allowed []string) string {
	v, ok := r.cell(col)
	switch {
	case !ok:
	case v == "":
		r.report(col, "is empty; want one of %s", strings.Join(allowed, ", "))
	case !slices.Contains(allowed, v):
		r.report(col, "%s is not one of %s", quote(v), strings.Join(allowed, ", "))
	}
	return v
}

// count is a required whole number ≥ 0.
func (r *csvRow) count(col string) int64 {
	n, _ := r.optCount(col, true)
	return n
}

// optCount is a whole number ≥ 0, or absent (ok false) when the cell is
// empty and not required.
func (r *csvRow) optCount(col string, required bool) (n int64, ok bool) {
	v, ok := r.cell(col)
	if !ok {
		return 0, false
	}
	if v == "" {
		if required {
			r.report(col, "is empty; want a whole number ≥ 0")
		}
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		r.report(col, "%s is too large", quote(v))
		return 0, false
	case err != nil:
		r.report(col, "%s is not a whole number", quote(v))
		return 0, false
	case n < 0:
		r.report(col, "%d is negative", n)
		return 0, false
	}
	return n, true
}

// smallCount is a count that must fit an int32, for fields the model keeps
// as int: no real seat count or daily figure comes near it.
func (r *csvRow) smallCount(col string, required bool) (int, bool) {
	n, ok := r.optCount(col, required)
	if ok && n > 1<<31-1 {
		r.report(col, "%d is too large", n)
		return 0, false
	}
	return int(n), ok
}

// date is a required YYYY-MM-DD cell.
func (r *csvRow) date(col string) model.Date {
	d, _ := r.dateCell(col, true)
	return d
}

// optDate is a YYYY-MM-DD cell, nil when empty (or bad, which is reported).
func (r *csvRow) optDate(col string) *model.Date {
	if d, ok := r.dateCell(col, false); ok {
		return &d
	}
	return nil
}

func (r *csvRow) dateCell(col string, required bool) (model.Date, bool) {
	v, ok := r.cell(col)
	switch {
	case !ok:
		return 0, false
	case v == "":
		if required {
			r.report(col, "is empty; want a date YYYY-MM-DD")
		}
		return 0, false
	}
	d, err := model.ParseDate(v)
	if err != nil {
		r.report(col, "%s is not a date YYYY-MM-DD", quote(v))
		return 0, false
	}
	return d, true
}

// boolean is a required true/false cell (1/0 and the other spellings
// strconv.ParseBool knows are accepted too).
func (r *csvRow) boolean(col string) bool {
	v, ok := r.cell(col)
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if ok && err != nil {
		if v == "" {
			r.report(col, "is empty; want true or false")
		} else {
			r.report(col, "%s is not true or false", quote(v))
		}
	}
	return b
}

// validate runs the model's own checks as a last guard, for a row whose
// cells were each fine; the model names fields as docs/API.md does, which are
// the column names.
func (r *csvRow) validate(v interface{ Validate() error }) {
	if r.bad {
		return
	}
	var fe *model.FieldError
	if err := v.Validate(); errors.As(err, &fe) {
		r.report(fe.Field, "%s", fe.Problem)
	} else if err != nil {
		r.report("row", "%v", err)
	}
}

// String names the row for messages about a row elsewhere.
func (r *csvRow) String() string { return fmt.Sprintf("%s:%d", r.t.file, r.line) }
