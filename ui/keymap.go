package ui

import "charm.land/bubbles/v2/key"

// KeyMap is the one keymap of the UI: every key any screen answers to is
// here. Screens read the bindings they use from it and list them in their
// help; a screen that words a key its own way ("enter: open account")
// changes the help of its copy, never the keys.
type KeyMap struct {
	Up, Down, Top, Bottom, PageUp, PageDown key.Binding
	Open, Back, NextTab, PrevTab            key.Binding
	Filter, Sort, Sync, Help, Quit          key.Binding
	// Reverse runs the book's order the other way round.
	Reverse key.Binding
	// Account and work keys.
	NextSection, PrevSection                 key.Binding
	Tick, Note, Revise, StartPlay, ClosePlay key.Binding
	Copy, Save, FollowUps, Search            key.Binding
	// EditCampaign opens the selected campaign's draft in the campaign
	// editor (e, as Revise is on a note); CopyEdited copies the edited
	// draft there, where every key is text.
	EditCampaign, CopyEdited key.Binding
	// The contacts section's: add a person, edit, mark who left, make
	// someone the champion.
	AddContact, EditContact, ContactLeft, MakeChampion key.Binding
	Changes, Snooze, SnoozeAlerts, Rejected            key.Binding
	// AddFollowUp adds a follow-up (the follow-ups, the book, the account
	// page outside its contacts); Redate changes a follow-up's due day.
	AddFollowUp, Redate key.Binding
	// Renewals opens the renewals (the book); OpenCRM opens the account's
	// page in the CRM (the account page).
	Renewals, OpenCRM key.Binding
	// Results leaves the search's input for its results.
	Results key.Binding
	// Requeue sends a rejected change again, once Yes answers its
	// question; No answers no (also the note editor's "discard?").
	Requeue, Yes, No key.Binding
	// TimelineFilter cycles the kind of event the account page's Timeline
	// shows, while that section has the focus.
	TimelineFilter key.Binding
	// The note editor's keys. Every key is text while it is open, so its
	// own are control chords that no sentence needs; the kind is picked
	// with arrows while the kind field has the focus.
	SaveNote, AddStep, DelStep, KindPrev, KindNext key.Binding
}

// DefaultKeyMap returns the keys people know from other terminal tools.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		NextTab:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next segment")),
		PrevTab:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev segment")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Sort:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "sort")),
		Reverse:  key.NewBinding(key.WithKeys("O"), key.WithHelp("O", "reverse sort")),
		Sync:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sync now")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),

		NextSection:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next section")),
		PrevSection:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev section")),
		Tick:         key.NewBinding(key.WithKeys("space", "x"), key.WithHelp("space/x", "tick")),
		Note:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new note")),
		Revise:       key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "revise note")),
		EditCampaign: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit campaign")),
		CopyEdited:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "copy to clipboard")),
		StartPlay:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "start play")),
		ClosePlay:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "close play")),
		Copy:         key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy")),
		Save:         key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "save to file")),
		FollowUps:    key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "follow-ups")),
		Search:       key.NewBinding(key.WithKeys("ctrl+f"), key.WithHelp("ctrl+f", "search notes")),
		Changes:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "changes since sync")),
		Snooze:       key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "snooze account…")),
		SnoozeAlerts: key.NewBinding(key.WithKeys("Z"), key.WithHelp("Z", "snooze its alerts 7d")),
		Rejected:     key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "rejected changes")),
		AddFollowUp:  key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add follow-up")),
		Redate:       key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "change due day")),

		AddContact:   key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add contact")),
		EditContact:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit contact")),
		ContactLeft:  key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "mark contact left")),
		MakeChampion: key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "make champion")),

		Renewals: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "renewals")),
		OpenCRM:  key.NewBinding(key.WithKeys("O"), key.WithHelp("O", "open in CRM")),

		Results: key.NewBinding(key.WithKeys("down", "tab"), key.WithHelp("↓/tab", "results")),

		Requeue: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "send again")),
		Yes:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		No:      key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "no")),

		TimelineFilter: key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "timeline: next kind")),

		SaveNote: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		AddStep:  key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n", "add next step")),
		DelStep:  key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "remove step")),
		KindPrev: key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←", "previous kind")),
		KindNext: key.NewBinding(key.WithKeys("right", "l", "space"), key.WithHelp("→", "next kind")),
	}
}
