package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
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
	step bool
	err  error
}

// Groups of the follow-ups screen, in the order they are shown: the
// model's (model.DueGroup), named here as the screen has always named them.
const (
	groupOverdue = model.DueOverdue
	groupToday   = model.DueToday
	groupWeek    = model.DueWeek
	groupLater   = model.DueLater
	groupNoDate  = model.DueNoDate
	groupDone    = model.DueDone
	groupCount   = model.DueGroups
)

var groupNames = model.DueGroupNames

// fuLine is one line of the list: a group heading or a follow-up.
type fuLine struct {
	group int
	row   int // index into rows; -1 for a heading
}

// followUps lists the open follow-ups of the book, and the steps of
// running plays that fall due, by when they are due. Tabs filter them
// (model.FollowUpFilters: all, overdue, today, within a week, play
// steps); / keeps the accounts whose name holds what is typed.
type followUps struct {
	*env

	rows    []data.TaskRow
	loaded  bool
	loadSeq int
	// saving holds the ticks not yet saved (id → done), so that a read
	// that started before a save does not undo the tick on screen.
	saving map[string]bool
	// moving is the follow-up a re-date or a snooze is moving in the
	// list, to movingTo: until a read shows it there, the cursor keeps its
	// place, so the next follow-up comes under it, as after a tick.
	moving   string
	movingTo *model.Date

	filter    int // index into model.FollowUpFilters
	account   textinput.Model
	filtering bool

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
	in := textinput.New()
	in.Prompt = "account: "
	in.Placeholder = "part of a name"
	in.CharLimit = 100
	in.SetStyles(e.styles.Input)
	f := &followUps{env: e, saving: map[string]bool{}, account: in}
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

// Capturing is true while the account filter takes text.
func (f *followUps) Capturing() bool { return f.filtering }

// SetSize sets the room of the screen: the list lines get what the title
// line, the tabs and the message line leave.
func (f *followUps) SetSize(w, h int) {
	f.width, f.height = w, h
	f.account.SetWidth(max(min(w/3, 30), 10))
	f.list.SetHeight(h - 3)
}

// restyle gives the account filter the new styles.
func (f *followUps) restyle() { f.account.SetStyles(f.styles.Input) }

// groupOf places a follow-up relative to today, in the CSM's time zone.
func groupOf(t model.Task, today model.Date) int {
	return model.DueGroup(t.DueOn, t.DoneAt != nil, today)
}

// shown says whether row r passes the tab filter key and the account
// filter.
func (f *followUps) shown(r data.TaskRow, filterKey string, today model.Date) bool {
	if q := strings.ToLower(strings.TrimSpace(f.account.Value())); q != "" && !strings.Contains(strings.ToLower(r.AccountName), q) {
		return false
	}
	return model.MatchesFollowUpFilter(filterKey, r.Task.DueOn, r.Task.DoneAt != nil, r.Step != nil, today)
}

func (f *followUps) filterKey() string { return model.FollowUpFilters[f.filter] }

// regroup builds the lines from the rows, keeping the cursor at the same
// place in the list (not on the same follow-up: after a tick the next one
// comes under the cursor, so a run of ticks needs no moving).
func (f *followUps) regroup() {
	today := model.LocalDay(f.now())
	var byGroup [groupCount][]int
	for i, r := range f.rows {
		if !f.shown(r, f.filterKey(), today) {
			continue
		}
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

// selectID puts the cursor on follow-up id when it is listed.
func (f *followUps) selectID(id string) bool {
	for i, l := range f.lines {
		if l.row >= 0 && f.rows[l.row].Task.ID == id {
			f.list.Select(i)
			return true
		}
	}
	return false
}

// setRows takes a fresh read, keeping ticks whose save has not answered.
// The cursor stays on the follow-up it was on, unless that one is moving
// (re-dated, snoozed): then it keeps its place.
func (f *followUps) setRows(rows []data.TaskRow) {
	var keep string
	if r, ok := f.selected(); ok {
		keep = r.Task.ID
	}
	place := f.list.Cursor()
	f.rows, f.loaded = rows, true
	for i := range f.rows {
		if done, ok := f.saving[f.rows[i].Task.ID]; ok {
			f.rows[i].Task.DoneAt = f.doneAt(done)
		}
	}
	f.regroup()
	if f.moving != "" && f.moved() {
		defer func() { f.moving = "" }()
	}
	if keep != "" && keep == f.moving {
		f.list.Select(place)
		return
	}
	f.selectID(keep)
}

// moved says whether the rows show the moving follow-up at its new day.
func (f *followUps) moved() bool {
	for _, r := range f.rows {
		if r.Task.ID == f.moving {
			return model.CompareDefined(r.Task.DueOn, f.movingTo) == 0
		}
	}
	return true // gone: nothing moves any more
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

// View draws the title, the filter tabs, the grouped list and the message
// line.
func (f *followUps) View() string {
	s := f.styles
	lines := []string{truncateLine(f.titleView(), f.width), f.tabsView()}
	switch {
	case !f.loaded && f.msg == "":
		lines = append(lines, s.Subtle.Render("  reading the follow-ups…"))
	case f.loaded && len(f.lines) == 0:
		lines = append(lines, truncateLine(s.Subtle.Render("  "+f.emptyText()), f.width))
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

// emptyText says why the list is empty, and what to do.
func (f *followUps) emptyText() string {
	q := strings.TrimSpace(f.account.Value())
	switch {
	case q != "":
		return fmt.Sprintf("no follow-up here of an account named like %q · esc clears the filter", q)
	case f.filterKey() != model.FilterAll:
		return "none under " + model.FollowUpFilterLabels[f.filterKey()] + " · tab for the other filters"
	}
	return "no open follow-ups · a adds one on an account (in the book or on its page); a note's next steps become follow-ups"
}

func (f *followUps) titleView() string {
	s := f.styles
	today := model.LocalDay(f.now())
	var open, overdue int
	for _, r := range f.rows {
		if !f.shown(r, model.FilterAll, today) {
			continue
		}
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
	if f.filtering || f.account.Value() != "" {
		line += s.Subtle.Render(" · ") + s.Filter.Render(f.account.View())
	}
	return line
}

// tabsView draws the filters as the book draws its tabs, each with how
// many follow-ups it holds (open ones; play steps also those done).
func (f *followUps) tabsView() string {
	s := f.styles
	today := model.LocalDay(f.now())
	parts := make([]string, len(model.FollowUpFilters))
	for i, k := range model.FollowUpFilters {
		n := 0
		for _, r := range f.rows {
			if (r.Task.DoneAt == nil || k == model.FilterPlaySteps) && f.shown(r, k, today) {
				n++
			}
		}
		label := fmt.Sprintf("%s %d", model.FollowUpFilterLabels[k], n)
		if i == f.filter {
			parts[i] = s.TabActive.Render(label)
		} else {
			parts[i] = s.Tab.Render(label)
		}
	}
	first := 0
	for first < f.filter && widthOf(parts[first:f.filter+1]) > f.width-2 {
		first++
	}
	line := strings.Join(parts[first:], "")
	if first > 0 {
		line = s.Subtle.Render("‹") + line
	}
	return truncateLine(line, f.width)
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
	title := cell(t.Title, tw)
	if r.Step != nil {
		// A play step says so, and which play it belongs to.
		title = cell("▸ "+t.Title+" · "+r.Step.PlaybookName, tw)
	}
	head := marker + box + pad(due, fuDueWidth) + " " + late
	text := head + " " + cell(r.AccountName, aw) + " " + title
	switch {
	case selected:
		return s.SelectedRow(text, f.width)
	case t.DoneAt != nil:
		return truncateLine(s.Subtle.Render(text), f.width)
	case t.DueOn != nil && *t.DueOn < today:
		return truncateLine(s.Bad.Render(head)+" "+cell(r.AccountName, aw)+" "+title, f.width)
	}
	return truncateLine(text, f.width)
}
