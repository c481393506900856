package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"csm/data"
	"csm/model"
)

// SyncFunc runs one sync and returns its one-line summary. The UI calls it
// inside a command, never in Update.
type SyncFunc func(ctx context.Context) (summary string, err error)

// bookLoadedMsg carries a fresh read of the book screen's data.
type bookLoadedMsg struct {
	book    data.Book
	snoozes map[string]map[string]model.Date
	err     error
}

// syncDoneMsg reports the end of a sync.
type syncDoneMsg struct {
	summary string
	err     error
	at      time.Time
}

// autoSyncMsg is the timer's nudge to sync again.
type autoSyncMsg struct{}

// statusExpiredMsg clears a status message whose time has come.
type statusExpiredMsg struct{ id int }

// pushScreenMsg opens a screen over the active one.
type pushScreenMsg struct{ s screen }

// popScreenMsg closes the active screen.
type popScreenMsg struct{}

// dataChangedMsg says a local change was saved: the book, the active
// screen and the outbox counts re-read the store.
type dataChangedMsg struct{}

// countsMsg carries the outbox counts for the footer.
type countsMsg struct {
	pending, rejected int
	err               error
}

// pushScreen returns a command that opens s.
func pushScreen(s screen) tea.Cmd { return func() tea.Msg { return pushScreenMsg{s: s} } }

// popScreen returns a command that closes the active screen.
func popScreen() tea.Msg { return popScreenMsg{} }

// changed returns the message that follows a saved local change.
func changed() tea.Msg { return dataChangedMsg{} }

// statusMsg shows a message in the footer for a few seconds.
type statusMsg struct {
	text string
	bad  bool
}

// statusCmd returns a command that shows a status message.
func statusCmd(text string, bad bool) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: text, bad: bad} }
}

// batchMsgs delivers several messages from one command.
func batchMsgs(msgs ...tea.Msg) tea.Msg {
	cmds := make([]tea.Cmd, len(msgs))
	for i, m := range msgs {
		cmds[i] = func() tea.Msg { return m }
	}
	return tea.BatchMsg(cmds)
}
