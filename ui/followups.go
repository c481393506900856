package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"csm/data"
	"csm/format"
	"csm/model"
)

// followUpsLoadedMsg carries a read of the book's follow-ups; seq tells a
// stale read from the latest one.
type followUpsLoadedMsg struct {
	seq  int
	rows []data.TaskRow
	err  error
}

// followUpTickedMsg reports the save of a tick.
type followUpTickedMsg struct {
	id   string
	done bool
	err  error
}

// Groups of the follow-ups screen, in the order they are shown.
const (
	groupOverdue = iota
	groupToday
	groupWeek
	groupLater
	groupNoDate
	groupDone
	groupCount
)

// groupWeek is the six days after today, not the calendar week: on a
// Saturday it holds the days up to next Friday, hence "within a week".
var groupNames = [groupCount]string{"Overdue", "Today", "Within a week", "Later", "No date", "Done recently"}

// fuLine is one line of the list: a group heading or a follow-up.
type fuLine struct {
	group int
	row   int // index into rows; -1 for a heading
}

// followUps lists every open follow-up of the book by when it is due.
type followUps struct {
	*env

	rows    []data.TaskRow
	loaded  bool
	loadSeq int
	// saving holds the ticks not yet saved (id → done), so that a read
	// that started before a save does not undo the tick on screen.
	saving map[string]bool

	lines []fuLine
	// list moves over lines, stepping over the headings: its cursor is
	// always on a follow-up when there is one.
	list list
	msg  string
	bad  bool

	width, height int
}

// newFollowUps opens the follow-ups of the whole book.
func newFollowUps(e *env) *followUps {
	f := &followUps{env: e, saving: map[string]bool{}}
	f.list.heading = func(i int) bool { return f.lines[i].row < 0 }
	f.SetSize(80, 20)
	return f
}

// Init reads the follow-ups.
func (f *followUps) Init() tea.Cmd { return f.load() }

// Refresh re-reads them after a change or a sync.
func (f *followUps) Refresh() tea.Cmd { return f.load() }

func (f *followUps) load() tea.Cmd {
	f.loadSeq++
	seq, st, today := f.loadSeq, f.store, model.LocalDay(f.now())
	return f.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		rows, err := st.OpenTasks(ctx, today)
		return followUpsLoadedMsg{seq: seq, rows: rows, err: err}
	})
}

// Capturing is false: the screen takes no text.
func (f *followUps) Capturing() bool { return false }

// SetSize sets the room of the screen: the list lines get what the title
// line above and the message line below leave.
func (f *followUps) SetSize(w, h int) {
	f.width, f.height = w, h
	f.list.SetHeight(h - 2)
}

// restyle: the screen keeps nothing drawn.
func (f *followUps) restyle() {}

// groupOf places a follow-up relative to today, in the CSM's time zone.
func groupOf(t model.Task, today model.Date) int {
	switch {
	case t.DoneAt != nil:
		return groupDone
	case t.DueOn == nil:
		return groupNoDate
	case *t.DueOn < today:
		return groupOverdue
	case *t.DueOn == today:
		return groupToday
	case *t.DueOn < today+7:
		return groupWeek
	}
	return groupLater
}

// regroup builds the lines from the rows, keeping the cursor at the same
// place in the list (not on the same follow-up: after a tick the next one
// comes under the cursor, so a run of ticks needs no moving).
func (f *followUps) regroup() {
	today := model.LocalDay(f.now())
	var byGroup [groupCount][]int
	for i, r := range f.rows {
		g := groupOf(r.Task, today)
		byGroup[g] = append(byGroup[g], i)
	}
	f.lines = f.lines[:0]
	for g, idx := range byGroup {
		if len(idx) == 0 {
			continue
		}
		f.lines = append(f.lines, fuLine{group: g, row: -1})
		for _, i := range idx {
			f.lines = append(f.lines, fuLine{group: g, row: i})
		}
	}
	f.list.SetLen(len(f.lines))
}

// selected returns the follow-up under the cursor.
func (f *followUps) selected() (*data.TaskRow, bool) {
	i, ok := f.list.Selected()
	if !ok {
		return nil, false
	}
	return &f.rows[f.lines[i].row], true
}

// Update handles keys, the wheel, reads and saves.
func (f *followUps) Update(msg tea.Msg) tea.Cmd {
	if f.list.Update(msg, f.keys) {
		return nil
	}
	switch msg := msg.(type) {
	case followUpsLoadedMsg:
		if msg.seq != f.loadSeq {
			return nil // a later read is on its way
		}
		if msg.err != nil {
			f.msg, f.bad = "could not read the follow-ups: "+errText(msg.err), true
			return nil
		}
		f.setRows(msg.rows)
	case followUpTickedMsg:
		delete(f.saving, msg.id)
		if msg.err != nil {
			// Put the line back where it was and say why.
			f.setDone(msg.id, !msg.done)
			f.msg, f.bad = "not saved: "+errText(msg.err), true
			return statusCmd("follow-up not saved: "+errText(msg.err), true)
		}
		text := "reopened · will sync"
		if msg.done {
			text = "follow-up done · will sync"
		}
		return tea.Batch(changed, statusCmd(text, false))
	case tea.KeyPressMsg:
		return f.updateKey(msg)
	}
	return nil
}

// setRows takes a fresh read, keeping ticks whose save has not answered.
func (f *followUps) setRows(rows []data.TaskRow) {
	var keep string
	if r, ok := f.selected(); ok {
		keep = r.Task.ID
	}
	f.rows, f.loaded = rows, true
	for i := range f.rows {
		if done, ok := f.saving[f.rows[i].Task.ID]; ok {
			f.rows[i].Task.DoneAt = f.doneAt(done)
		}
	}
	f.regroup()
	for i, l := range f.lines {
		if l.row >= 0 && f.rows[l.row].Task.ID == keep {
			f.list.Select(i)
			break
		}
	}
}

func (f *followUps) doneAt(done bool) *time.Time {
	if !done {
		return nil
	}
	t := f.now()
	return &t
}

// setDone changes a follow-up on screen only.
func (f *followUps) setDone(id string, done bool) {
	for i := range f.rows {
		if f.rows[i].Task.ID == id {
			f.rows[i].Task.DoneAt = f.doneAt(done)
		}
	}
	f.regroup()
}

func (f *followUps) updateKey(msg tea.KeyPressMsg) tea.Cmd {
	k := f.keys
	switch {
	case key.Matches(msg, k.Tick):
		return f.tick()
	case key.Matches(msg, k.Open):
		if r, ok := f.selected(); ok {
			id := r.Task.AccountID
			return func() tea.Msg { return openAccountMsg{id: id} }
		}
		return statusCmd("no follow-up to open here", false)
	case key.Matches(msg, k.Back):
		return popScreen
	// The other screens' keys: those that make sense here work, the
	// others say why they do nothing.
	case key.Matches(msg, k.Note):
		if r, ok := f.selected(); ok {
			return pushScreen(newNoteEditor(f.env, r.Task.AccountID, r.AccountName))
		}
		return statusCmd("no follow-up here: n writes a note on the account of the selected one", false)
	case key.Matches(msg, k.Search):
		return pushScreen(newSearch(f.env))
	case key.Matches(msg, k.Rejected):
		return pushScreen(newRejected(f.env))
	case key.Matches(msg, k.FollowUps):
		return statusCmd("these are the follow-ups", false)
	case key.Matches(msg, k.Snooze), key.Matches(msg, k.SnoozeAlerts):
		return statusCmd(msg.String()+" snoozes an account: enter opens the selected one's account", false)
	case key.Matches(msg, k.Filter), key.Matches(msg, k.Sort), key.Matches(msg, k.Reverse):
		return statusCmd(msg.String()+" orders the book: esc to go back to it", false)
	}
	return nil
}

// tick marks the selected follow-up done (or, under "Done recently",
// reopens it). The screen changes at once; the save runs in a command and
// its answer either confirms or reverts.
func (f *followUps) tick() tea.Cmd {
	r, ok := f.selected()
	if !ok {
		return statusCmd("no follow-up to tick here", false)
	}
	id, done := r.Task.ID, r.Task.DoneAt == nil
	if _, busy := f.saving[id]; busy {
		return statusCmd("still saving its last tick: try again in a moment", false)
	}
	f.saving[id] = done
	f.msg = ""
	f.setDone(id, done)
	st := f.store
	return f.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		return followUpTickedMsg{id: id, done: done, err: st.SetTaskDone(ctx, id, done)}
	})
}

// ShortHelp lists the screen's main keys.
func (f *followUps) ShortHelp() []key.Binding {
	tick := f.keys.Tick
	tick.SetHelp("space/x", "done / undo")
	open := f.keys.Open
	open.SetHelp("enter", "open account")
	return []key.Binding{tick, open, f.keys.Back}
}

// FullHelp lists every key of the screen.
func (f *followUps) FullHelp() [][]key.Binding {
	k := f.keys
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		f.ShortHelp(),
		{k.Note, k.Search, k.Rejected},
	}
}

// View draws the title, the grouped list and the message line.
func (f *followUps) View() string {
	s := f.styles
	lines := []string{truncateLine(f.titleView(), f.width)}
	switch {
	case !f.loaded && f.msg == "":
		lines = append(lines, s.Subtle.Render("  reading the follow-ups…"))
	case f.loaded && len(f.lines) == 0:
		lines = append(lines, truncateLine(s.Subtle.Render("  no open follow-ups · next steps of a note (n on an account) become follow-ups"), f.width))
	}
	today := model.LocalDay(f.now())
	for i := f.list.Offset(); i < f.list.End(); i++ {
		lines = append(lines, f.lineView(f.lines[i], i == f.list.Cursor(), today))
	}
	if f.msg != "" {
		st := s.Subtle
		if f.bad {
			st = s.Bad
		}
		// The message sits on the last line of the screen.
		for len(lines) < f.height-1 {
			lines = append(lines, "")
		}
		lines = append(lines, truncateLine(st.Render(f.msg), f.width))
	}
	return strings.Join(lines, "\n")
}

func (f *followUps) titleView() string {
	s := f.styles
	today := model.LocalDay(f.now())
	var open, overdue int
	for _, r := range f.rows {
		switch groupOf(r.Task, today) {
		case groupDone:
		case groupOverdue:
			overdue++
			open++
		default:
			open++
		}
	}
	line := s.Title.Render("Follow-ups") + s.Subtle.Render(fmt.Sprintf(" · %d open", open))
	if overdue > 0 {
		line += s.Subtle.Render(" · ") + s.Bad.Render(fmt.Sprintf("%d overdue", overdue))
	}
	return line
}

// Column widths of a follow-up line: marker, box, due day, account, title.
const (
	fuDueWidth = 12 // "Jan 5, 2027", format.ShortDay's widest
	fuLateW    = 9  // "120d late"
)

func (f *followUps) accountWidth() int {
	return min(max(f.width/4, 14), 32)
}

func (f *followUps) lineView(l fuLine, selected bool, today model.Date) string {
	s := f.styles
	if l.row < 0 {
		return truncateLine(s.Section.Render(groupNames[l.group]), f.width)
	}
	r := f.rows[l.row]
	t := r.Task
	marker, box := "  ", "[ ] "
	if selected {
		marker = "▶ "
	}
	if t.DoneAt != nil {
		box = "[x] "
	}
	due, late := "—", ""
	switch {
	case t.DoneAt != nil:
		// Done: when it was done says more than when it was due.
		due, late = f.dayOf(t.DoneAt.In(f.now().Location())), "done"
	case t.DueOn != nil:
		due = format.ShortDay(*t.DueOn, today)
		if *t.DueOn < today {
			late = fmt.Sprintf("%dd late", today-*t.DueOn)
		}
	}
	late = cell(late, fuLateW)
	aw := f.accountWidth()
	tw := max(f.width-2-4-fuDueWidth-1-fuLateW-1-aw-1, 8)
	text := marker + box + pad(due, fuDueWidth) + " " + late + " " + cell(r.AccountName, aw) + " " + cell(t.Title, tw)
	switch {
	case selected:
		return s.SelectedRow(text, f.width)
	case t.DoneAt != nil:
		return truncateLine(s.Subtle.Render(text), f.width)
	case t.DueOn != nil && *t.DueOn < today:
		return truncateLine(s.Bad.Render(marker+box+pad(due, fuDueWidth)+" "+late)+" "+cell(r.AccountName, aw)+" "+cell(t.Title, tw), f.width)
	}
	return truncateLine(text, f.width)
}
