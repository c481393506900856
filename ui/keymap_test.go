package ui

import (
	"reflect"
	"slices"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"csm/model"
)

// TestEveryKeyIsInSomeHelp: each binding of the KeyMap is listed by the
// help of a screen it works on (or the root's), under the keys it answers
// to, so no key works unseen.
func TestEveryKeyIsInSomeHelp(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 120, 40)
	e := &a.env
	var listed []key.Binding
	addHelp := func(s screen) {
		for _, g := range s.FullHelp() {
			listed = append(listed, g...)
		}
		listed = append(listed, s.ShortHelp()...)
	}
	addHelp(a.book)
	a.book.filtering = true
	addHelp(a.book)
	a.book.filtering = false
	addHelp(newAccountScreen(e, "x"))
	addHelp(newFollowUps(e))
	addHelp(newChangesScreen(e))
	r := newRejected(e)
	addHelp(r)
	r.confirming = true
	addHelp(r)
	s := newSearch(e)
	addHelp(s)
	s.typing = false
	addHelp(s)
	ed := newNoteEditor(e, "x", "Account")
	addHelp(ed)
	ed.confirming = true
	addHelp(ed)
	ce := newCampaignEditor(e, campaign{tmpl: model.CampaignTemplate{Name: "Welcome"}}, "Account")
	addHelp(ce)
	ce.confirming = true
	addHelp(ce)
	addHelp(newPrompt(e, "title", "", func(string) tea.Cmd { return nil }))
	addHelp(newPicker(e, "title", nil, func(string) tea.Cmd { return nil }))
	listed = append(listed, a.keys.Sync, a.keys.Help, a.keys.Quit)

	for _, b := range listed {
		if b.Help().Key == "" || b.Help().Desc == "" {
			t.Errorf("a binding of %v is listed without its help", b.Keys())
		}
	}
	km := reflect.ValueOf(DefaultKeyMap())
	for i := 0; i < km.NumField(); i++ {
		b := km.Field(i).Interface().(key.Binding)
		if !slices.ContainsFunc(listed, func(l key.Binding) bool { return slices.Equal(l.Keys(), b.Keys()) }) {
			t.Errorf("KeyMap.%s (%v) is in no screen's help", km.Type().Field(i).Name, b.Keys())
		}
	}
}
