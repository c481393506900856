package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// The account screen is one long page built once per data load or resize:
// a list of finished lines, sliced in View. Sections are placed on the page
// one under the other, or in two columns on a wide terminal; what changes
// on a keypress (the focused section, the selected item) is drawn over the
// built lines in View, so scrolling never rebuilds anything.

// itemKind says what a selectable row of a section stands for.
type itemKind int

const (
	itemChecklist     itemKind = iota + 1 // a: checklist key, b: item key
	itemPlayStep                          // a: play run id, b: step key
	itemSuggestedPlay                     // a: playbook key
	itemNote                              // a: note id (the current revision)
	itemTask                              // a: task id
	itemCampaign                          // a: template key
	itemContact                           // a: contact id
)

// itemRef names the thing behind a selectable row.
type itemRef struct {
	kind itemKind
	a, b string
}

// block is a section's body drawn at one width: its lines and which of
// them can be selected.
type block struct {
	lines []string
	items []blockItem
}

type blockItem struct {
	line int
	ref  itemRef
}

func (b *block) add(lines ...string) { b.lines = append(b.lines, lines...) }

// addItem adds a selectable row. Rows start with two spaces, where the
// selection marker goes.
func (b *block) addItem(ref itemRef, line string) {
	b.items = append(b.items, blockItem{line: len(b.lines), ref: ref})
	b.lines = append(b.lines, line)
}

// section is one titled part of the account page.
type section struct {
	key   string
	title string
	// summary follows the title on its line ("7/14 done").
	summary string
	build   func(width int) block
}

// placed is a section as laid out on the page.
type placed struct {
	key, title, summary string
	// start is the page line of its title; end the line after its body.
	start, end int
	// x and w are the columns it occupies.
	x, w  int
	items []placedItem
}

type placedItem struct {
	line int // page line
	ref  itemRef
}

// page is the laid-out account page.
type page struct {
	lines    []string
	sections []placed // in tab order
	width    int
}

// row is one band of the page: sections stacked in a left column and, on a
// wide terminal, a right column beside it.
type row struct {
	left, right []string // section keys
}

// columnGap separates the two columns of a row.
const columnGap = 3

// layoutPage builds the page: the head lines, then each row's sections.
func layoutPage(head []string, rows []row, sections map[string]*section, width int, st *Styles) page {
	p := page{width: width}
	p.lines = append(p.lines, head...)
	for _, r := range rows {
		p.lines = append(p.lines, "")
		base := len(p.lines)
		if len(r.right) == 0 {
			lines, placedSecs := layoutColumn(r.left, sections, 0, width, st)
			p.lines = append(p.lines, lines...)
			p.sections = append(p.sections, shift(placedSecs, base)...)
			continue
		}
		lw := (width - columnGap) / 2
		rw := width - columnGap - lw
		left, lp := layoutColumn(r.left, sections, 0, lw, st)
		right, rp := layoutColumn(r.right, sections, lw+columnGap, rw, st)
		p.lines = append(p.lines, beside(left, right, lw, st.Subtle.Render(" │ "))...)
		p.sections = append(p.sections, shift(lp, base)...)
		p.sections = append(p.sections, shift(rp, base)...)
	}
	return p
}

// layoutColumn stacks sections at width w; line numbers are relative to
// the column's first line.
func layoutColumn(keys []string, sections map[string]*section, x, w int, st *Styles) ([]string, []placed) {
	var lines []string
	var out []placed
	for i, k := range keys {
		s := sections[k]
		if s == nil {
			continue
		}
		if i > 0 {
			lines = append(lines, "")
		}
		ps := placed{key: s.key, title: s.title, summary: s.summary, start: len(lines), x: x, w: w}
		lines = append(lines, sectionTitle(s.title, s.summary, w, false, st))
		b := s.build(w)
		for _, it := range b.items {
			ps.items = append(ps.items, placedItem{line: len(lines) + it.line, ref: it.ref})
		}
		for _, l := range b.lines {
			lines = append(lines, truncateLine(l, w))
		}
		ps.end = len(lines)
		out = append(out, ps)
	}
	return lines, out
}

func shift(ps []placed, by int) []placed {
	for i := range ps {
		ps[i].start += by
		ps[i].end += by
		for j := range ps[i].items {
			ps[i].items[j].line += by
		}
	}
	return ps
}

// sectionTitle draws a section's title line; the focused section's title
// is in reverse video, so the eye finds where tab went.
func sectionTitle(title, summary string, w int, focused bool, st *Styles) string {
	t := st.Section.Render(" " + title + " ")
	if focused {
		t = st.TabActive.Render(title)
	}
	if summary != "" {
		t += st.Subtle.Render(" " + summary)
	}
	return truncateLine(t, w)
}

// overlay replaces the cells [x, x+w) of a built line with s, keeping what
// is left and right of them. The built line's styles are closed before s
// so none of them leaks into it.
func overlay(line string, x, w int, s string) string {
	right := ansi.TruncateLeft(line, x+w, "")
	if ansi.StringWidth(line) <= x+w {
		right = ""
	}
	return ansi.Truncate(line, x, "") + ansi.ResetStyle + pad(truncateLine(s, w), w) + ansi.ResetStyle + right
}

// selectedRow redraws a selectable row as selected: the marker in its
// first two cells and the selection colour across the section's width.
func selectedRow(line string, x, w int, st *Styles) string {
	plain := ansi.Strip(ansi.Cut(line, x, x+w))
	plain = "▶ " + strings.TrimPrefix(plain, "  ")
	return overlay(line, x, w, st.Selected.Render(pad(truncateLine(plain, w), w)))
}
