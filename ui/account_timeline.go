package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"csm/format"
	"csm/model"
	"csm/safe"
)

// The account page's Timeline: everything that happened to the account,
// newest first, one line each, as data.AccountDetail.Timeline builds it
// (the same events as csm timeline). v cycles a filter by kind while the
// section has the focus; the filter shows in the section's title line.

const secTimeline = "timeline"

// itemTimeline is a row of the timeline (a: the event's ref, b: its
// event key). It sits far past the page's own item kinds.
const itemTimeline itemKind = 64

// timelineDef is the Timeline section: its summary and its body read the
// same events, built once per page layout.
func (a *accountScreen) timelineDef() *section {
	all := a.detail.Timeline()
	shown := model.FilterTimeline(all, a.timelineKind)
	summary := model.TimelineKindLabel(a.timelineKind) + " · " + model.Plural(len(all), "event") + " · v: filter"
	if a.timelineKind != "" {
		summary = fmt.Sprintf("%s · %d of %d events · v: next kind", model.TimelineKindLabel(a.timelineKind), len(shown), len(all))
	}
	return &section{key: secTimeline, title: "Timeline", summary: summary,
		build: func(w int) block { return a.timelineSection(shown, w) }}
}

// timelineSection draws one line per event: day, time (UTC, as the notes
// show their days), kind and what happened.
func (a *accountScreen) timelineSection(events []model.TimelineEvent, w int) block {
	var b block
	st := a.styles
	if len(events) == 0 {
		if a.timelineKind == "" {
			b.add(st.Subtle.Render("  nothing on the timeline yet"))
		} else {
			b.add(st.Subtle.Render("  no " + model.TimelineKindLabel(a.timelineKind) + " on the timeline · v: next kind"))
		}
		return b
	}
	today := model.DateOf(a.now())
	for _, e := range events {
		at := "     "
		if e.At != nil {
			at = e.At.UTC().Format("15:04")
		}
		summary := format.DaysInText(safe.Line(e.Summary), today)
		if e.Upcoming {
			summary = st.Warn.Render("upcoming: ") + summary
		}
		line := fmt.Sprintf("  %-12s %s %s %s", a.day(e.Day), st.Subtle.Render(at),
			st.Label.Render(fmt.Sprintf("%-9s", model.TimelineKindTag(e.Kind))), summary)
		b.addItem(itemRef{kind: itemTimeline, a: e.Ref, b: e.Event}, truncateLine(line, w))
	}
	return b
}

// cycleTimeline moves the Timeline's filter to the next kind (all →
// notes → … → account dates → all), keeps the focus on the section with
// its first row selected, and says in the footer what it shows.
func (a *accountScreen) cycleTimeline() tea.Cmd {
	if !a.loaded || a.err != nil {
		return statusCmd("the account is not read yet: no timeline to filter", false)
	}
	if a.focusedKey() != secTimeline {
		return statusCmd("v filters the timeline: tab to the Timeline section first", false)
	}
	a.timelineKind = model.NextTimelineKind(a.timelineKind)
	a.cursor[secTimeline] = 0
	a.rebuild()
	n := 0
	if a.focusedKey() == secTimeline {
		n = len(a.page.sections[a.focus].items)
	}
	return statusCmd(fmt.Sprintf("timeline: %s · %s", model.TimelineKindLabel(a.timelineKind), model.Plural(n, "event")), false)
}
