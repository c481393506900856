package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"csm/model"
)

// timelineSectionOf is the Timeline as placed on the page.
func timelineSectionOf(t *testing.T, acc *accountScreen) placed {
	t.Helper()
	for _, s := range acc.page.sections {
		if s.key == secTimeline {
			return s
		}
	}
	t.Fatal("no Timeline section on the account page")
	return placed{}
}

// TestAccountTimelineFilterAndScroll: the Timeline lists the account's
// events newest first; v (only while it has the focus) cycles the kinds,
// the title line and the footer say which; j walks the whole list with
// the selected row always on screen.
func TestAccountTimelineFilterAndScroll(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 80, 24)
	acc := openFirstAccount(t, a)
	all := acc.detail.Timeline()
	if len(all) < 10 {
		t.Fatalf("a thin timeline to test with: %d events", len(all))
	}

	press(t, a, "v")
	if acc.timelineKind != "" || !strings.Contains(ansi.Strip(viewOf(a)), "v filters the timeline: tab to the Timeline section first") {
		t.Fatalf("v away from the Timeline: kind %q, view:\n%s", acc.timelineKind, ansi.Strip(viewOf(a)))
	}

	focus(t, a, acc, secTimeline)
	sec := timelineSectionOf(t, acc)
	if len(sec.items) != len(all) {
		t.Fatalf("%d rows for %d events", len(sec.items), len(all))
	}
	for i, it := range sec.items {
		if it.ref.a != all[i].Ref || it.ref.b != all[i].Event {
			t.Fatalf("row %d is %v, want %s %s (newest first)", i, it.ref, all[i].Event, all[i].Ref)
		}
	}
	view := ansi.Strip(viewOf(a))
	if !strings.Contains(view, "Timeline") || !strings.Contains(view, fmt.Sprintf("all · %d events · v: filter", len(all))) ||
		!strings.Contains(view, "▶") {
		t.Fatalf("focused Timeline:\n%s", view)
	}

	// v walks every kind and comes back to all.
	for _, kind := range model.TimelineKinds {
		press(t, a, "v")
		if acc.timelineKind != kind || acc.focusedKey() != secTimeline {
			t.Fatalf("v: kind %q focus %q, want %q on the Timeline", acc.timelineKind, acc.focusedKey(), kind)
		}
		want := model.FilterTimeline(all, kind)
		sec := timelineSectionOf(t, acc)
		if len(sec.items) != len(want) {
			t.Fatalf("%s: %d rows, want %d", kind, len(sec.items), len(want))
		}
		for i, it := range sec.items {
			if it.ref.a != want[i].Ref || it.ref.b != want[i].Event {
				t.Fatalf("%s: row %d is %v, want %s", kind, i, it.ref, want[i].Ref)
			}
		}
		view := ansi.Strip(viewOf(a))
		label := model.TimelineKindLabel(kind)
		if !strings.Contains(view, fmt.Sprintf("timeline: %s · %s", label, model.Plural(len(want), "event"))) {
			t.Fatalf("%s: the footer does not say what the Timeline shows:\n%s", kind, view)
		}
		if len(want) > 0 {
			if !strings.Contains(view, fmt.Sprintf("%s · %d of %d events · v: next kind", label, len(want), len(all))) {
				t.Fatalf("%s: the title line does not show the filter:\n%s", kind, view)
			}
			if r, ok := acc.selected(); !ok || r.a != want[0].Ref {
				t.Fatalf("%s: selected %v (%v), want the newest %s on screen", kind, r, ok, want[0].Ref)
			}
		} else if !strings.Contains(view, "no "+label+" on the timeline") {
			t.Fatalf("%s: an empty filter says nothing:\n%s", kind, view)
		}
	}
	press(t, a, "v")
	if acc.timelineKind != "" {
		t.Fatalf("v after the last kind: %q, want all", acc.timelineKind)
	}

	// j to the oldest event: the selected row is on screen at every step.
	for i := 1; i < len(all); i++ {
		press(t, a, "j")
		r, ok := acc.selected()
		if !ok || r.a != all[i].Ref || r.b != all[i].Event {
			t.Fatalf("j #%d: selected %v (on screen %v), want %s %s", i, r, ok, all[i].Event, all[i].Ref)
		}
		if !strings.Contains(viewOf(a), "▶") {
			t.Fatalf("j #%d: the selected row is off screen", i)
		}
	}
}

// busyTimelineRow is the first row of the book whose account's timeline
// has every kind of event but re-dates and contacts added (which a
// generated book has none of): the golden shows them all.
func busyTimelineRow(t *testing.T, a *App) int {
	t.Helper()
	for i, vi := range a.book.visible {
		d, err := a.store.AccountDetail(t.Context(), a.book.book.Rows[vi].Account.ID)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]bool{}
		for _, e := range d.Timeline() {
			kinds[e.Kind] = true
		}
		if kinds[model.TimelineMilestone] && kinds[model.TimelineNPS] && kinds[model.TimelinePlay] && kinds[model.TimelineContact] {
			return i
		}
	}
	t.Fatal("no account of the fixture has a busy timeline")
	return 0
}

// TestAccountTimelineGolden pins the account page with the Timeline
// focused, at the smallest supported terminal and a large one, on a busy
// account.
func TestAccountTimelineGolden(t *testing.T) {
	st := fixtureStore(t, 60)
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			a := newTestApp(t, st, size[0], size[1])
			for range busyTimelineRow(t, a) {
				press(t, a, "j")
			}
			acc := openFirstAccount(t, a)
			focus(t, a, acc, secTimeline)
			golden.RequireEqual(t, []byte(viewOf(a)))
		})
	}
}
