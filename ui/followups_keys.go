package ui

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"csm/data"
	"csm/format"
	"csm/model"
	"csm/safe"
)

// The follow-ups screen's keys: tick, add, re-date, snooze, the filters,
// and the other screens' keys that make sense here. Every change goes
// through the store in a command and answers in the footer.

// Update handles keys, the wheel, reads and saves.
func (f *followUps) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok && f.filtering {
		return f.updateFilter(k)
	}
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
		what := "follow-up"
		if msg.step {
			what = "play step"
		}
		text := what + " reopened · will sync"
		if msg.done {
			text = what + " done · will sync"
		}
		return tea.Batch(changed, statusCmd(text, false))
	case tea.KeyPressMsg:
		return f.updateKey(msg)
	}
	return nil
}

// updateFilter takes the account filter's text: enter keeps it, esc
// clears it, up and down leave it for the list.
func (f *followUps) updateFilter(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, f.keys.Back):
		f.filtering = false
		f.account.Blur()
		f.clearAccount()
		return nil
	case key.Matches(msg, f.keys.Open):
		f.filtering = false
		f.account.Blur()
		return nil
	case msg.String() == "up" || msg.String() == "down":
		f.filtering = false
		f.account.Blur()
		return f.updateKey(msg)
	}
	var cmd tea.Cmd
	f.account, cmd = f.account.Update(msg)
	f.regroup()
	f.list.Reset()
	return cmd
}

// clearAccount drops the account filter, keeping the selected follow-up
// selected in the whole list.
func (f *followUps) clearAccount() {
	var id string
	if r, ok := f.selected(); ok {
		id = r.Task.ID
	}
	f.account.SetValue("")
	f.regroup()
	f.selectID(id)
}

// switchFilter moves to the next (d = 1) or previous filter, keeping the
// selected follow-up selected when the new filter shows it.
func (f *followUps) switchFilter(d int) tea.Cmd {
	var id string
	if r, ok := f.selected(); ok {
		id = r.Task.ID
	}
	n := len(model.FollowUpFilters)
	f.filter = (f.filter + d + n) % n
	f.regroup()
	if !f.selectID(id) {
		f.list.Reset()
	}
	return nil
}

func (f *followUps) updateKey(msg tea.KeyPressMsg) tea.Cmd {
	k := f.keys
	if f.list.Update(msg, k) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Tick):
		return f.tick()
	case key.Matches(msg, k.AddFollowUp):
		return f.add()
	case key.Matches(msg, k.Redate):
		return f.redate()
	case key.Matches(msg, k.Snooze):
		return f.snooze()
	case key.Matches(msg, k.NextTab):
		return f.switchFilter(1)
	case key.Matches(msg, k.PrevTab):
		return f.switchFilter(-1)
	case key.Matches(msg, k.Filter):
		f.filtering = true
		return f.account.Focus()
	case key.Matches(msg, k.Open):
		if r, ok := f.selected(); ok {
			id := r.Task.AccountID
			return func() tea.Msg { return openAccountMsg{id: id} }
		}
		return statusCmd("no follow-up to open here", false)
	case key.Matches(msg, k.Back):
		if f.account.Value() != "" {
			f.clearAccount()
			return statusCmd("account filter cleared · esc again goes back", false)
		}
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
	case key.Matches(msg, k.SnoozeAlerts):
		return statusCmd("Z snoozes an account's alerts: enter opens the selected one's account", false)
	case key.Matches(msg, k.Sort), key.Matches(msg, k.Reverse):
		return statusCmd(msg.String()+" orders the book: esc to go back to it", false)
	}
	return nil
}

// tick marks the selected follow-up done (or, under "Done recently",
// reopens it); a play step ticks its play's step. The screen changes at
// once; the save runs in a command and its answer either confirms or
// reverts.
func (f *followUps) tick() tea.Cmd {
	r, ok := f.selected()
	if !ok {
		return statusCmd("no follow-up to tick here", false)
	}
	id, done, step := r.Task.ID, r.Task.DoneAt == nil, r.Step != nil
	if _, busy := f.saving[id]; busy {
		return statusCmd("still saving its last tick: try again in a moment", false)
	}
	f.saving[id] = done
	f.msg = ""
	f.setDone(id, done)
	st := f.store
	return f.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		_, err := st.SetFollowUpDone(ctx, id, done)
		return followUpTickedMsg{id: id, done: done, step: step, err: err}
	})
}

// add asks for a follow-up on the selected one's account.
func (f *followUps) add() tea.Cmd {
	r, ok := f.selected()
	if !ok {
		return statusCmd("no account here: a adds a follow-up on the selected one's account (or press a in the book or on an account)", false)
	}
	return addFollowUp(f.env, r.Task.AccountID, r.AccountName)
}

// addFollowUp opens the form for a new follow-up on an account and saves
// it; the book, the account page and the follow-ups call it.
func addFollowUp(e *env, accountID, name string) tea.Cmd {
	shown := safe.Line(name)
	return pushScreen(newAddFollowUp(e, shown, func(title string, due *model.Date) tea.Cmd {
		st, today := e.store, model.LocalDay(e.now())
		return e.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
			t, err := st.CreateTask(ctx, accountID, title, due)
			if err != nil {
				return statusMsg{text: "follow-up not saved: " + errText(err), bad: true}
			}
			return batchMsgs(dataChangedMsg{}, statusMsg{text: fmt.Sprintf("added “%s” to %s, %s · will sync",
				safe.Line(t.Title), shown, dueWords(t.DueOn, today))})
		})
	}))
}

// dueWords says when a follow-up is due, as the screens write days.
func dueWords(due *model.Date, today model.Date) string {
	if due == nil {
		return "no due day"
	}
	return "due " + format.ShortDay(*due, today)
}

// whyNotRedate says why the selected follow-up cannot get a new day, or
// "" when it can.
func whyNotRedate(r *data.TaskRow, what string) string {
	switch {
	case r.Step != nil:
		return "a play step is due a set number of days after its play started: " + what + " works on follow-ups; x ticks the step"
	case r.Task.DoneAt != nil:
		return "this follow-up is done: x reopens it, then " + what
	}
	return ""
}

// redate asks for a new due day of the selected follow-up.
func (f *followUps) redate() tea.Cmd {
	r, ok := f.selected()
	if !ok {
		return statusCmd("no follow-up here to re-date", false)
	}
	if why := whyNotRedate(r, "d changes its day"); why != "" {
		return statusCmd(why, false)
	}
	row := *r
	heading := fmt.Sprintf("When is “%s” (%s) due?", safe.Line(row.Task.Title), safe.Line(row.AccountName))
	return pushScreen(newRedate(f.env, heading, row.Task.DueOn, func(due *model.Date) tea.Cmd {
		return f.setDue(row, due, "now")
	}))
}

// snooze offers how long to put the selected follow-up off: it comes due
// on the day picked.
func (f *followUps) snooze() tea.Cmd {
	r, ok := f.selected()
	if !ok {
		return statusCmd("no follow-up here to snooze", false)
	}
	if why := whyNotRedate(r, "z snoozes it"); why != "" {
		return statusCmd(why, false)
	}
	row := *r
	title := fmt.Sprintf("Snooze “%s” (%s): due again…", safe.Line(row.Task.Title), safe.Line(row.AccountName))
	return pushScreen(newSnoozePicker(f.env, title, func(until model.Date) tea.Cmd {
		return f.setDue(row, &until, "snoozed:")
	}))
}

// setDue saves a new due day of row and says so; the cursor keeps its
// place while the follow-up moves in the list.
func (f *followUps) setDue(row data.TaskRow, due *model.Date, verb string) tea.Cmd {
	st, today, id := f.store, model.LocalDay(f.now()), row.Task.ID
	f.moving, f.movingTo = id, due
	return f.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		t, err := st.SetTaskDue(ctx, id, due)
		if err != nil {
			return statusMsg{text: "not re-dated: " + errText(err), bad: true}
		}
		text := fmt.Sprintf("“%s” (%s) %s %s · will sync", safe.Line(t.Title), safe.Line(row.AccountName), verb, dueWords(t.DueOn, today))
		if t.DueOn == nil {
			text = fmt.Sprintf("“%s” (%s) has no due day now · will sync", safe.Line(t.Title), safe.Line(row.AccountName))
		}
		return batchMsgs(dataChangedMsg{}, statusMsg{text: text})
	})
}

// ShortHelp lists the screen's main keys.
func (f *followUps) ShortHelp() []key.Binding {
	if f.filtering {
		keep, drop := f.keys.Open, f.keys.Back
		keep.SetHelp("enter", "keep filter")
		drop.SetHelp("esc", "clear")
		return []key.Binding{keep, drop}
	}
	// Short words, so the main keys fit the footer at 80 columns; the
	// help (?) says them in full.
	k := f.keys
	tick, add, redate, snooze, next := k.Tick, k.AddFollowUp, k.Redate, k.Snooze, k.NextTab
	tick.SetHelp("x", "done/undo")
	add.SetHelp("a", "add")
	redate.SetHelp("d", "re-date")
	snooze.SetHelp("z", "snooze")
	next.SetHelp("tab", "filter")
	return []key.Binding{tick, add, redate, snooze, next}
}

// FullHelp lists every key of the screen.
func (f *followUps) FullHelp() [][]key.Binding {
	k := f.keys
	tick, snooze, next, prev, filter, open := k.Tick, k.Snooze, k.NextTab, k.PrevTab, k.Filter, k.Open
	tick.SetHelp("space/x", "done / undo")
	snooze.SetHelp("z", "snooze follow-up")
	next.SetHelp("tab", "next filter")
	prev.SetHelp("shift+tab", "previous filter")
	filter.SetHelp("/", "filter by account")
	open.SetHelp("enter", "open account")
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		{tick, k.AddFollowUp, k.Redate, snooze, open, k.Back},
		{next, prev, filter, k.Note, k.Search, k.Rejected},
	}
}
