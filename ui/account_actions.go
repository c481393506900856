package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"csm/data"
	"csm/model"
	"csm/safe"
)

// The account screen's work keys: tick, start and close plays, copy or save
// a campaign. Every change goes through the store's one write path inside a
// command; the screen re-reads the account when dataChangedMsg comes back.

// actionKey handles a work key; false when msg is not one.
func (a *accountScreen) actionKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := a.keys
	switch {
	case key.Matches(msg, k.Tick):
		return a.tick(), true
	case key.Matches(msg, k.StartPlay):
		return a.startPlay(), true
	case key.Matches(msg, k.ClosePlay):
		return a.closePlay(), true
	case key.Matches(msg, k.Copy):
		return a.copyCampaign(), true
	case key.Matches(msg, k.Save):
		return a.saveCampaign(), true
	case key.Matches(msg, k.Note):
		return pushScreen(newNoteEditor(a.env, a.id, a.detail.Account.Name)), true
	case key.Matches(msg, k.Revise), key.Matches(msg, k.EditCampaign):
		return a.edit(), true
	case key.Matches(msg, k.TimelineFilter):
		return a.cycleTimeline(), true
	// The book's keys that make sense for one account work here too.
	case key.Matches(msg, k.Snooze):
		return a.toggleSnooze(false), true
	case key.Matches(msg, k.SnoozeAlerts):
		return a.toggleSnooze(true), true
	case key.Matches(msg, k.AddFollowUp) && a.focusedKey() != secContacts: // a on the contacts adds a person
		if !a.loaded || a.err != nil {
			return statusCmd("the account is not read yet: no follow-up to add", false), true
		}
		return addFollowUp(a.env, a.id, a.detail.Account.Name), true
	case key.Matches(msg, k.FollowUps):
		return pushScreen(newFollowUps(a.env)), true
	case key.Matches(msg, k.Search):
		return pushScreen(newSearch(a.env)), true
	case key.Matches(msg, k.Rejected):
		return pushScreen(newRejected(a.env)), true
	// Those that order the book say why they do nothing here.
	case key.Matches(msg, k.Filter):
		return statusCmd("/ filters the book: esc to go back to it · ctrl+f searches the notes", false), true
	case key.Matches(msg, k.OpenCRM):
		return a.openCRM(), true
	case key.Matches(msg, k.Sort), key.Matches(msg, k.Reverse):
		return statusCmd(msg.String()+" sorts the book: esc to go back to it", false), true
	case key.Matches(msg, k.Open):
		return statusCmd("nothing to open here: tab to a section; x ticks, e revises a note, y copies a campaign", false), true
	}
	return nil, false
}

// toggleSnooze snoozes this account until the day picked in the snooze
// picker (or only its current alerts, for a week), or wakes it when it
// already sleeps, as z and Z do in the book. Whether it sleeps is read
// with the change, so the answer is never stale: the picker, made here,
// opens only when the read finds the account awake. A snooze syncs
// (snooze.set): the CSM's other devices sleep and wake with this one.
func (a *accountScreen) toggleSnooze(alertsOnly bool) tea.Cmd {
	if !a.loaded || a.err != nil {
		return statusCmd("the account is not read yet: nothing to snooze", false)
	}
	var picker screen
	if !alertsOnly {
		picker = newSnoozePicker(a.env, "Snooze "+safe.Line(a.detail.Account.Name)+" until…", func(until model.Date) tea.Cmd {
			return a.snoozeCmd(false, until, nil)
		})
	}
	return a.snoozeCmd(alertsOnly, model.DateOf(a.now())+snoozeDays, picker)
}

// snoozeCmd wakes this account (or its alerts) when it sleeps; otherwise
// it opens picker when there is one, or snoozes until a day.
func (a *accountScreen) snoozeCmd(alertsOnly bool, until model.Date, picker screen) tea.Cmd {
	id, st := a.id, a.store
	today := model.DateOf(a.now())
	alerts := append([]string(nil), a.detail.Metrics.Alerts...)
	name := safe.Line(a.detail.Account.Name)
	return a.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		snoozes, err := st.Snoozes(ctx, today)
		if err != nil {
			return statusMsg{text: "not snoozed: " + err.Error(), bad: true}
		}
		keys := []string{data.SnoozeAll}
		if alertsOnly {
			keys = alerts
			for k := range snoozes[id] {
				if k != data.SnoozeAll && !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
			if len(keys) == 0 {
				return statusMsg{text: "this account has no alert to snooze"}
			}
		}
		wake := false
		for _, k := range keys {
			if _, ok := snoozes[id][k]; ok {
				wake = true
			}
		}
		if !wake && picker != nil {
			return pushScreenMsg{s: picker}
		}
		for _, k := range keys {
			if wake {
				err = st.Unsnooze(ctx, id, k)
			} else {
				err = st.Snooze(ctx, id, k, until)
			}
			if err != nil {
				return statusMsg{text: "not snoozed: " + err.Error(), bad: true}
			}
		}
		what := name
		if alertsOnly {
			what = "alerts of " + name
		}
		if wake {
			return batchMsgs(dataChangedMsg{}, statusMsg{text: "woke " + what})
		}
		return batchMsgs(dataChangedMsg{}, statusMsg{text: fmt.Sprintf("snoozed %s until %s (press again to wake)", what, a.day(until))})
	})
}

// save runs one local change in a command and reports it in the footer.
func (a *accountScreen) save(done string, change func(ctx context.Context, st *data.Store) error) tea.Cmd {
	st := a.store
	return a.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		if err := change(ctx, st); err != nil {
			return statusMsg{text: "not saved: " + err.Error(), bad: true}
		}
		return batchMsgs(dataChangedMsg{}, statusMsg{text: done + " · will sync"})
	})
}

// tick toggles the selected checklist item or play step, or marks the
// selected follow-up done.
func (a *accountScreen) tick() tea.Cmd {
	r, ok := a.selected()
	if !ok {
		return statusCmd("nothing to tick here: tab to the checklist, a play or the follow-ups", false)
	}
	id := a.id
	switch r.kind {
	case itemChecklist:
		done := !a.checklistDone()[model.ChecklistItemID(id, r.a, r.b)].Done
		return a.save(tickText("item", done), func(ctx context.Context, st *data.Store) error {
			return st.SetChecklistItem(ctx, id, r.a, r.b, done)
		})
	case itemPlayStep:
		done := !a.stepDone(r.a, r.b)
		return a.save(tickText("step", done), func(ctx context.Context, st *data.Store) error {
			return st.SetPlayStep(ctx, r.a, r.b, done)
		})
	case itemTask:
		return a.save("follow-up done", func(ctx context.Context, st *data.Store) error {
			return st.SetTaskDone(ctx, r.a, true)
		})
	}
	return statusCmd("nothing to tick here: tab to the checklist, a play or the follow-ups", false)
}

func tickText(what string, done bool) string {
	if done {
		return what + " ticked"
	}
	return what + " unticked"
}

func (a *accountScreen) stepDone(runID, step string) bool {
	for _, r := range a.detail.PlayRuns {
		if r.ID == runID {
			return r.Steps[step] != nil
		}
	}
	return false
}

// startPlay starts the selected suggested play, or offers every playbook.
func (a *accountScreen) startPlay() tea.Cmd {
	if key, ok := a.selectedSuggestedPlay(); ok {
		return a.startPlaybook(key)
	}
	var opts []pickOption
	for _, pb := range a.detail.Catalogue.Playbooks {
		trigger := "started by hand"
		if pb.Trigger != model.TriggerManual {
			trigger = "for " + model.Label(pb.Trigger)
		}
		opts = append(opts, pickOption{label: pb.Name, detail: trigger, value: pb.Key})
	}
	if len(opts) == 0 {
		return statusCmd("no playbooks yet: sync to fetch them", true)
	}
	return pushScreen(newPicker(a.env, "Start a play on "+safe.Line(a.detail.Account.Name), opts, a.startPlaybook))
}

func (a *accountScreen) startPlaybook(key string) tea.Cmd {
	id := a.id
	return a.save("play started", func(ctx context.Context, st *data.Store) error {
		_, err := st.StartPlay(ctx, id, key)
		return err
	})
}

// closePlay asks how the selected running play ended, then closes it.
func (a *accountScreen) closePlay() tea.Cmd {
	r, ok := a.selected()
	if !ok || r.kind != itemPlayStep {
		return statusCmd("select a step of a running play to close it", false)
	}
	runID := r.a
	return pushScreen(newPrompt(a.env, "How did the play end?", "e.g. utilization back above 60%", func(outcome string) tea.Cmd {
		return a.save("play closed", func(ctx context.Context, st *data.Store) error {
			return st.ClosePlay(ctx, runID, outcome)
		})
	}))
}

// selectedCampaign is the campaign under the cursor.
func (a *accountScreen) selectedCampaign() (campaign, bool) {
	r, ok := a.selected()
	if !ok || r.kind != itemCampaign {
		return campaign{}, false
	}
	for _, c := range a.campaigns() {
		if c.tmpl.Key == r.a {
			return c, true
		}
	}
	return campaign{}, false
}

// campaignText is the email as plain text, sanitized: it may be pasted
// into another terminal.
func campaignText(c campaign) string {
	return safe.Text("Subject: " + c.subject + "\n\n" + c.body + "\n")
}

// copyCampaign puts the selected email on the clipboard (OSC 52, so it
// works over ssh too).
func (a *accountScreen) copyCampaign() tea.Cmd {
	c, ok := a.selectedCampaign()
	if !ok {
		return statusCmd("select a campaign (tab to Campaigns) to copy it", false)
	}
	return tea.Batch(tea.SetClipboard(campaignText(c)), statusCmd("copied “"+c.tmpl.Name+"” to the clipboard", false))
}

// saveCampaign writes the selected email to a file beside the database.
func (a *accountScreen) saveCampaign() tea.Cmd {
	c, ok := a.selectedCampaign()
	if !ok {
		return statusCmd("select a campaign (tab to Campaigns) to save it", false)
	}
	dir := filepath.Join(filepath.Dir(a.store.Path()), "campaigns")
	name := fmt.Sprintf("%s-%s-%s.txt", a.now().Format("2006-01-02"), slug(a.detail.Account.Name), c.tmpl.Key)
	text := campaignText(c)
	return func() tea.Msg {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return statusMsg{text: "could not save: " + err.Error(), bad: true}
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			return statusMsg{text: "could not save: " + err.Error(), bad: true}
		}
		return statusMsg{text: "saved to " + path}
	}
}

// slug makes a file-name-safe form of a name.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(safe.Line(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

// revise opens the selected note, pre-filled, to save a new revision.
func (a *accountScreen) revise() tea.Cmd {
	id, ok := a.selectedNote()
	if !ok {
		return statusCmd("select a note (tab to Notes) to revise it", false)
	}
	for _, n := range a.detail.Notes {
		if n.ID == id {
			return pushScreen(newNoteReviser(a.env, n, a.detail.Account.Name))
		}
	}
	return statusCmd("that note is gone: the account was refreshed", true)
}
