package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"csm/data"
	"csm/model"
)

// changesLoadedMsg carries what changed at the last computation.
type changesLoadedMsg struct {
	rows []data.ChangeRow
	at   time.Time
	err  error
}

// changesScreen lists what changed since the previous computation of the
// book: accounts that entered or left an alert or a segment, and health
// moves with the component that caused them.
type changesScreen struct {
	store  *data.Store
	keys   KeyMap
	styles *Styles
	now    func() time.Time

	rows   []data.ChangeRow
	at     time.Time
	err    error
	loaded bool
	cursor int
	offset int

	width, height int
}

func newChangesScreen(st *data.Store, keys KeyMap, styles *Styles, now func() time.Time) *changesScreen {
	return &changesScreen{store: st, keys: keys, styles: styles, now: now}
}

// Init reads the changes.
func (c *changesScreen) Init() tea.Cmd { return c.Refresh() }

// Refresh re-reads the changes after a sync.
func (c *changesScreen) Refresh() tea.Cmd {
	st := c.store
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		rows, at, err := st.Changes(ctx)
		return changesLoadedMsg{rows: sortChanges(rows), at: at, err: err}
	}
}

// sortChanges puts alerts first, then segments entered, then left, then
// health moves; the store's order is kept within each group.
func sortChanges(rows []data.ChangeRow) []data.ChangeRow {
	rank := func(r data.ChangeRow) int {
		switch {
		case r.Kind == model.ChangeEntered && isAlert(r.Key):
			return 0
		case r.Kind == model.ChangeEntered:
			return 1
		case r.Kind == model.ChangeHealth:
			return 2
		default:
			return 3
		}
	}
	out := make([]data.ChangeRow, 0, len(rows))
	for g := 0; g <= 3; g++ {
		for _, r := range rows {
			if rank(r) == g {
				out = append(out, r)
			}
		}
	}
	return out
}

func (c *changesScreen) SetSize(w, h int) { c.width, c.height = w, h; c.clamp() }
func (c *changesScreen) Capturing() bool  { return false }

func (c *changesScreen) listHeight() int { return max(c.height-3, 1) }

func (c *changesScreen) clamp() {
	c.cursor = min(max(c.cursor, 0), max(len(c.rows)-1, 0))
	h := c.listHeight()
	if c.cursor < c.offset {
		c.offset = c.cursor
	}
	if c.cursor >= c.offset+h {
		c.offset = c.cursor - h + 1
	}
}

func (c *changesScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case changesLoadedMsg:
		c.rows, c.at, c.err, c.loaded = msg.rows, msg.at, msg.err, true
		c.clamp()
	case tea.KeyPressMsg:
		k := c.keys
		switch {
		case key.Matches(msg, k.Back):
			return popScreen
		case key.Matches(msg, k.Up):
			c.cursor--
		case key.Matches(msg, k.Down):
			c.cursor++
		case key.Matches(msg, k.Top):
			c.cursor = 0
		case key.Matches(msg, k.Bottom):
			c.cursor = len(c.rows) - 1
		case key.Matches(msg, k.Open):
			if c.cursor < len(c.rows) {
				id := c.rows[c.cursor].AccountID
				return func() tea.Msg { return openAccountMsg{id: id} }
			}
		}
		c.clamp()
	}
	return nil
}

func (c *changesScreen) View() string {
	s := c.styles
	var b strings.Builder
	b.WriteString(s.Section.Render("What changed"))
	switch {
	case c.err != nil:
		return b.String() + "\n" + s.Bad.Render(truncateLine("could not read changes: "+errText(c.err), c.width))
	case !c.loaded:
		return b.String() + "\n" + s.Subtle.Render("reading…")
	case len(c.rows) == 0:
		return b.String() + "\n" + s.Subtle.Render("Nothing has changed yet: changes show after the next sync brings new data.")
	}
	b.WriteString(s.Subtle.Render(fmt.Sprintf(" · %d changes at the computation of %s", len(c.rows), c.at.Local().Format("Jan 2 15:04"))))
	b.WriteString("\n\n")
	end := min(c.offset+c.listHeight(), len(c.rows))
	for i := c.offset; i < end; i++ {
		line := c.line(c.rows[i])
		if i == c.cursor {
			line = s.Selected.Render(pad(truncateLine("▶ "+line, c.width), c.width))
		} else {
			line = truncateLine("  "+line, c.width)
		}
		b.WriteString(line)
		if i < end-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func (c *changesScreen) line(r data.ChangeRow) string {
	s := c.styles
	name := cell(r.AccountName, 24)
	switch r.Kind {
	case model.ChangeEntered:
		st := s.Flag
		if isAlert(r.Key) {
			st = s.Alert
		} else if r.Key == model.SegmentGrowing || r.Key == model.SegmentTopCustomers {
			st = s.Good
		}
		return name + " " + st.Render("entered "+model.Label(r.Key))
	case model.ChangeLeft:
		return name + " " + s.Subtle.Render("left "+model.Label(r.Key))
	default:
		st := s.Good
		if r.After < r.Before {
			st = s.Bad
		}
		text := fmt.Sprintf("health %.0f → %.0f", r.Before, r.After)
		if r.Cause != "" {
			text += s.Subtle.Render(" · " + r.Cause)
		}
		return name + " " + st.Render(text)
	}
}

func (c *changesScreen) ShortHelp() []key.Binding {
	return []key.Binding{c.keys.Open, c.keys.Back}
}

func (c *changesScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{{c.keys.Up, c.keys.Down, c.keys.Top, c.keys.Bottom, c.keys.Open, c.keys.Back}}
}
