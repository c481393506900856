package ui

import (
	"strings"
	"testing"

	"csm/data"
	"csm/model"
)

// What colleagues did shows on the "what changed" screen, after alerts and
// before segment moves, in its own words.
func TestChangesScreenShowsWhatTheFeedBrought(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 120, 40)
	c := newChangesScreen(&a.env)
	c.SetSize(120, 30)
	rows := []data.ChangeRow{
		{AccountName: "Acme", MetricChange: model.MetricChange{AccountID: "a1", Kind: model.ChangeEntered, Key: model.SegmentGrowing}},
		{AccountName: "Acme", MetricChange: model.MetricChange{AccountID: "a1", Kind: data.ChangeFeed, Key: model.EntityNote, Cause: "new meeting note by Dana Lee"}},
		{AccountName: "Beta", MetricChange: model.MetricChange{AccountID: "a2", Kind: data.ChangeFeed, Key: model.EntityTask, Cause: "new follow-up: send the quote"}},
	}
	c.Update(changesLoadedMsg{rows: sortChanges(rows)})
	view := c.View()
	note := strings.Index(view, "new meeting note by Dana Lee")
	task := strings.Index(view, "new follow-up: send the quote")
	seg := strings.Index(view, "entered")
	if note < 0 || task < 0 || seg < 0 || note > seg || task > seg {
		t.Errorf("what changed:\n%s", view)
	}
	if strings.Contains(view, "Nothing has changed") {
		t.Errorf("what changed says nothing changed:\n%s", view)
	}
}
