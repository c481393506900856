package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"csm/data"
	"csm/model"
	"csm/safe"
)

// rejectedLoadedMsg carries the refused changes and the account names.
type rejectedLoadedMsg struct {
	seq   int
	muts  []data.Mutation
	names map[string]string
	err   error
}

// requeuedMsg reports the end of a requeue.
type requeuedMsg struct{ err error }

// rejectedScreen lists the changes the server refused, with its reasons,
// and lets the CSM send one again.
type rejectedScreen struct {
	*env

	muts    []data.Mutation
	names   map[string]string
	loaded  bool
	loadSeq int

	list       list // of changes, each on rejectedItemLines lines
	confirming bool
	busy       bool // a requeue is being saved
	msg        string
	bad        bool

	width, height int
}

// newRejected opens the list of refused changes.
func newRejected(e *env) *rejectedScreen {
	r := &rejectedScreen{env: e}
	r.SetSize(80, 20)
	return r
}

// Init reads the refused changes.
func (r *rejectedScreen) Init() tea.Cmd { return r.load() }

// Refresh re-reads them after a change or a sync.
func (r *rejectedScreen) Refresh() tea.Cmd { return r.load() }

func (r *rejectedScreen) load() tea.Cmd {
	r.loadSeq++
	seq, st := r.loadSeq, r.store
	return r.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		muts, err := st.Rejected(ctx)
		if err != nil {
			return rejectedLoadedMsg{seq: seq, err: err}
		}
		accts, err := st.Accounts(ctx)
		names := make(map[string]string, len(accts))
		for _, a := range accts {
			names[a.ID] = a.Name
		}
		return rejectedLoadedMsg{seq: seq, muts: muts, names: names, err: err}
	})
}

// Capturing is true while the y/n question is asked, so that its answer
// reaches the screen and no other key acts behind it.
func (r *rejectedScreen) Capturing() bool { return r.confirming }

// SetSize sets the room of the screen: as many changes as fit between
// the title and explanation lines and the message line.
func (r *rejectedScreen) SetSize(w, h int) {
	r.width, r.height = w, h
	r.list.SetHeight((h - 3) / rejectedItemLines)
}

// restyle: the screen keeps nothing drawn.
func (r *rejectedScreen) restyle() {}

// rejectedItemLines is how many lines one refused change takes: what,
// then why.
const rejectedItemLines = 2

// Update handles keys and the answers of the store.
func (r *rejectedScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case rejectedLoadedMsg:
		if msg.seq != r.loadSeq {
			return nil
		}
		r.loaded = true
		if msg.err != nil {
			r.msg, r.bad = "could not read the rejected changes: "+errText(msg.err), true
			return nil
		}
		r.muts, r.names = msg.muts, msg.names
		r.list.SetLen(len(r.muts))
	case requeuedMsg:
		r.busy = false
		if msg.err != nil {
			r.msg, r.bad = "not requeued: "+errText(msg.err), true
			return nil
		}
		r.msg, r.bad = "", false
		return tea.Batch(changed, statusCmd("change requeued · it goes with the next sync", false))
	case tea.KeyPressMsg:
		return r.updateKey(msg)
	case tea.MouseWheelMsg:
		if !r.confirming {
			r.list.Update(msg, r.keys)
		}
	}
	return nil
}

func (r *rejectedScreen) updateKey(msg tea.KeyPressMsg) tea.Cmd {
	k := r.keys
	if r.confirming {
		switch {
		case key.Matches(msg, k.Yes):
			r.confirming = false
			return r.requeue()
		case key.Matches(msg, k.No):
			r.confirming = false
		}
		return nil
	}
	if r.list.Update(msg, k) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Requeue):
		if len(r.muts) > 0 && !r.busy {
			r.confirming, r.msg = true, ""
		}
	case key.Matches(msg, k.Open):
		if m, ok := r.selected(); ok && r.names[m.AccountID] != "" {
			id := m.AccountID
			return func() tea.Msg { return openAccountMsg{id: id} }
		}
	case key.Matches(msg, k.Back):
		return popScreen
	}
	return nil
}

func (r *rejectedScreen) selected() (data.Mutation, bool) {
	i, ok := r.list.Selected()
	if !ok {
		return data.Mutation{}, false
	}
	return r.muts[i], true
}

// requeue puts the selected change back in line, in a command.
func (r *rejectedScreen) requeue() tea.Cmd {
	m, ok := r.selected()
	if !ok {
		return nil
	}
	r.busy = true
	id, st := m.ID, r.store
	return r.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		return requeuedMsg{err: st.Requeue(ctx, id)}
	})
}

// ShortHelp lists the screen's main keys.
func (r *rejectedScreen) ShortHelp() []key.Binding {
	if r.confirming {
		yes := r.keys.Yes
		yes.SetHelp("y", "yes, send again")
		return []key.Binding{yes, r.keys.No}
	}
	open := r.keys.Open
	open.SetHelp("enter", "open account")
	return []key.Binding{r.keys.Requeue, open, r.keys.Back}
}

// FullHelp lists every key of the screen.
func (r *rejectedScreen) FullHelp() [][]key.Binding {
	k := r.keys
	open := k.Open
	open.SetHelp("enter", "open account")
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		{k.Requeue, open, k.Back},
	}
}

// View draws the explanation, the refused changes and the message line.
func (r *rejectedScreen) View() string {
	s := r.styles
	lines := []string{
		truncateLine(s.Title.Render("Rejected changes")+s.Subtle.Render(fmt.Sprintf(" · %d", len(r.muts))), r.width),
		truncateLine(s.Subtle.Render("Refused by the server, kept here: nothing was deleted. r sends one again."), r.width),
	}
	switch {
	case !r.loaded:
		lines = append(lines, s.Subtle.Render("  reading…"))
	case len(r.muts) == 0 && !r.bad:
		lines = append(lines, truncateLine(s.Good.Render("  nothing rejected: every change was accepted or waits for the next sync"), r.width))
	}
	for i := r.list.Offset(); i < r.list.End(); i++ {
		lines = append(lines, r.itemView(r.muts[i], i == r.list.Cursor())...)
	}
	var last string
	switch {
	case r.confirming:
		last = s.Warn.Render("send this change to the server again? y/n")
	case r.busy:
		last = s.Subtle.Render("requeueing…")
	case r.msg != "" && r.bad:
		last = s.Bad.Render(r.msg)
	case r.msg != "":
		last = s.Subtle.Render(r.msg)
	}
	if last != "" {
		for len(lines) < r.height-1 {
			lines = append(lines, "")
		}
		lines = append(lines, truncateLine(last, r.width))
	}
	return strings.Join(lines, "\n")
}

// itemView is two lines: what the change was, on which account and when;
// then the server's reason.
func (r *rejectedScreen) itemView(m data.Mutation, selected bool) []string {
	s := r.styles
	marker := "  "
	if selected {
		marker = "▶ "
	}
	name := r.names[m.AccountID]
	if name == "" {
		name = "account " + m.AccountID + " (no longer in the book)"
	}
	when := r.dayTime(m.At.In(r.now().Location()))
	head := marker + s.Title.Render(mutationWords(m)) + s.Subtle.Render(" · ") + safe.Line(name) + s.Subtle.Render(" · "+when)
	if what := mutationDetail(m); what != "" {
		head += s.Subtle.Render(" · ") + safe.Line(what)
	}
	reason := safe.Line(m.ErrorMsg)
	if code := safe.Line(m.ErrorCode); code != "" {
		reason = code + ": " + reason
	}
	if strings.TrimSpace(reason) == "" {
		reason = "no reason given"
	}
	why := "    " + s.Bad.Render("refused: ") + reason
	head, why = truncateLine(head, r.width), truncateLine(why, r.width)
	if selected {
		head = s.SelectedRow(head, r.width)
	}
	return []string{head, why}
}

// mutationWords names a change type for people.
func mutationWords(m data.Mutation) string {
	switch m.Type {
	case model.MutNoteCreate:
		return "new note"
	case model.MutNoteRevise:
		return "note correction"
	case model.MutTaskCreate:
		return "new follow-up"
	case model.MutTaskSetDone:
		var d model.TaskSetDone
		if json.Unmarshal(m.Data, &d) == nil && d.DoneAt == nil {
			return "follow-up reopened"
		}
		return "follow-up tick"
	case model.MutChecklistSet:
		return "checklist tick"
	case model.MutPlayStart:
		return "play started"
	case model.MutPlaySetStep:
		return "play step tick"
	case model.MutPlayClose:
		return "play closed"
	case model.MutContactCreate:
		return "new contact"
	case model.MutContactUpdate:
		return "contact change"
	case model.MutTaskSetDue:
		return "follow-up re-dated"
	case model.MutSnoozeSet:
		var d model.SnoozeSet
		if json.Unmarshal(m.Data, &d) == nil && d.Until == nil {
			return "wake"
		}
		return "snooze"
	}
	return safe.Line(m.Type)
}

// mutationDetail is a few words of what the change said: the start of a
// note, a follow-up's title, a checklist item or a playbook. Its text is
// the CSM's own but may have come back through the server: the caller
// sanitizes it.
func mutationDetail(m data.Mutation) string {
	if who, ok := contactDetail(m); ok {
		return who
	}
	var v struct {
		Body         string `json:"body"`
		Title        string `json:"title"`
		ChecklistKey string `json:"checklist_key"`
		ItemKey      string `json:"item_key"`
		PlaybookKey  string `json:"playbook_key"`
		StepKey      string `json:"step_key"`
		Outcome      string `json:"outcome"`
	}
	if json.Unmarshal(m.Data, &v) != nil {
		return ""
	}
	switch {
	case v.Body != "":
		return quoteStart(v.Body)
	case v.Title != "":
		return quoteStart(v.Title)
	case v.ItemKey != "":
		return v.ChecklistKey + " / " + v.ItemKey
	case v.PlaybookKey != "":
		return v.PlaybookKey
	case v.StepKey != "":
		return "step " + v.StepKey
	case v.Outcome != "":
		return quoteStart(v.Outcome)
	}
	return ""
}

// quoteStart quotes the first words of a text; the line is cut to the
// screen afterwards.
func quoteStart(s string) string {
	return "“" + safe.Truncate(s, 60) + "”"
}
