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
	"csm/safe"
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
	*env

	rows   []data.ChangeRow
	at     time.Time
	err    error
	loaded bool
	list   list

	width, height int
}

func newChangesScreen(e *env) *changesScreen {
	return &changesScreen{env: e}
}

// Init reads the changes.
func (c *changesScreen) Init() tea.Cmd { return c.Refresh() }

// Refresh re-reads the changes after a sync.
func (c *changesScreen) Refresh() tea.Cmd {
	st := c.store
	return c.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		rows, at, err := st.Changes(ctx)
		return changesLoadedMsg{rows: sortChanges(rows), at: at, err: err}
	})
}

// sortChanges puts alerts first, then what colleagues did (notes,
// follow-ups, contacts, checklists, plays), then segments entered, health
// moves, then left; the store's order is kept within each group.
func sortChanges(rows []data.ChangeRow) []data.ChangeRow {
	rank := func(r data.ChangeRow) int {
		switch {
		case r.Kind == model.ChangeEntered && isAlert(r.Key):
			return 0
		case r.Kind == data.ChangeFeed:
			return 1
		case r.Kind == model.ChangeEntered:
			return 2
		case r.Kind == model.ChangeHealth:
			return 3
		default:
			return 4
		}
	}
	out := make([]data.ChangeRow, 0, len(rows))
	for g := 0; g <= 4; g++ {
		for _, r := range rows {
			if rank(r) == g {
				out = append(out, r)
			}
		}
	}
	return out
}

// SetSize sets the room: the rows get what the title and its blank line
// leave, less one line.
func (c *changesScreen) SetSize(w, h int) {
	c.width, c.height = w, h
	c.list.SetHeight(h - 3)
}

func (c *changesScreen) Capturing() bool { return false }

// restyle: the screen keeps nothing drawn.
func (c *changesScreen) restyle() {}

func (c *changesScreen) Update(msg tea.Msg) tea.Cmd {
	if c.list.Update(msg, c.keys) {
		return nil
	}
	switch msg := msg.(type) {
	case changesLoadedMsg:
		c.rows, c.at, c.err, c.loaded = msg.rows, msg.at, msg.err, true
		c.list.SetLen(len(c.rows))
	case tea.KeyPressMsg:
		k := c.keys
		switch {
		case key.Matches(msg, k.Back):
			return popScreen
		case key.Matches(msg, k.Open):
			if i, ok := c.list.Selected(); ok {
				id := c.rows[i].AccountID
				return func() tea.Msg { return openAccountMsg{id: id} }
			}
		}
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
	b.WriteString(s.Subtle.Render(fmt.Sprintf(" · %d changes at the computation of %s", len(c.rows), c.dayTime(c.at.In(c.now().Location())))))
	b.WriteString("\n\n")
	end := c.list.End()
	for i := c.list.Offset(); i < end; i++ {
		line := c.line(c.rows[i])
		if i == c.list.Cursor() {
			line = s.SelectedRow("▶ "+line, c.width)
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
	case data.ChangeFeed:
		return name + " " + safe.Line(r.Cause)
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
	open := c.keys.Open
	open.SetHelp("enter", "open account")
	return []key.Binding{open, c.keys.Back}
}

func (c *changesScreen) FullHelp() [][]key.Binding {
	k := c.keys
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		c.ShortHelp(),
	}
}
