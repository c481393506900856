package model

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func tlAt(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, time.UTC) }
func tlAtPtr(m time.Month, d, h int) *time.Time {
	t := tlAt(m, d, h)
	return &t
}
func tlDay(m time.Month, d int) Date { return MakeDate(2026, m, d) }
func tlDayPtr(m time.Month, d int) *Date {
	v := tlDay(m, d)
	return &v
}
func tlStr(s string) *string { return &s }

// tlLine writes an event as one comparable line: day, time (or "-"),
// kind, event, ref, summary, and "upcoming" when it is.
func tlLine(e TimelineEvent) string {
	at := "-"
	if e.At != nil {
		at = e.At.Format("15:04")
	}
	s := fmt.Sprintf("%s %s %s %s %s | %s", e.Day, at, e.Kind, e.Event, e.Ref, e.Summary)
	if e.Upcoming {
		s += " | upcoming"
	}
	return s
}

// TestBuildTimelineKinds builds the timeline of one kind of data at a
// time and compares every event it yields, in order.
func TestBuildTimelineKinds(t *testing.T) {
	acct := Account{ID: "a1", Name: "Acme", Licenses: 20}
	cases := []struct {
		name string
		in   TimelineInput
		want []string
	}{
		{
			name: "a note as logged",
			in: TimelineInput{Notes: []Note{{ID: "n1", Kind: NoteCall, HappenedAt: tlAt(3, 2, 10), CreatedAt: tlAt(3, 2, 11),
				Author: "Dana Ruiz", Body: "\n  Talked   about\tthe rollout.\nSecond line.", Revision: 1}}},
			want: []string{"2026-03-02 10:00 note note_logged n1 | Call by Dana Ruiz: Talked about the rollout."},
		},
		{
			name: "a revised note: the current text on its day, the correction on the day it was written",
			in: TimelineInput{Notes: []Note{
				{ID: "n1", Kind: NoteQBR, HappenedAt: tlAt(3, 2, 10), CreatedAt: tlAt(3, 2, 11), Body: "Old text", Revision: 1},
				{ID: "n2", Kind: NoteQBR, HappenedAt: tlAt(3, 2, 10), CreatedAt: tlAt(3, 5, 9), Body: "New text", Revision: 2, Supersedes: tlStr("n1")},
			}},
			want: []string{
				"2026-03-05 09:00 note note_revised n2 | Revised the QBR note of 2026-03-02 (revision 2): New text",
				"2026-03-02 10:00 note note_logged n2 | QBR (revision 2): New text",
			},
		},
		{
			name: "follow-ups created, from a note, done",
			in: TimelineInput{Tasks: []Task{
				{ID: "t1", Title: "Send the deck", CreatedAt: tlAt(3, 1, 9), DueOn: tlDayPtr(3, 8)},
				{ID: "t2", Title: "Book the QBR", NoteID: tlStr("n1"), CreatedAt: tlAt(3, 2, 9), DoneAt: tlAtPtr(3, 4, 15)},
			}},
			want: []string{
				"2026-03-04 15:00 followup followup_done t2 | Follow-up done: Book the QBR",
				"2026-03-02 09:00 followup followup_created t2 | Follow-up created from a note: Book the QBR",
				"2026-03-01 09:00 followup followup_created t1 | Follow-up created: Send the deck",
			},
		},
		{
			name: "follow-up re-dated as the store recorded it; a fact about a missing task is not an event",
			in: TimelineInput{
				Tasks: []Task{{ID: "t1", Title: "Send the deck", CreatedAt: tlAt(3, 1, 9), DueOn: tlDayPtr(3, 12)}},
				Facts: []TimelineFact{
					{Entity: EntityTask, EntityID: "t1", Change: FactDue, Before: "2026-03-08", After: "2026-03-12", At: tlAt(3, 6, 14)},
					{Entity: EntityTask, EntityID: "t1", Change: FactDue, Before: "", After: "2026-03-08", At: tlAt(3, 2, 14)},
					{Entity: EntityTask, EntityID: "gone", Change: FactDue, Before: "", After: "2026-03-08", At: tlAt(3, 3, 14)},
				},
			},
			want: []string{
				"2026-03-06 14:00 followup followup_redated t1 | Follow-up re-dated from 2026-03-08 to 2026-03-12: Send the deck",
				"2026-03-02 14:00 followup followup_redated t1 | Follow-up re-dated from no due day to 2026-03-08: Send the deck",
				"2026-03-01 09:00 followup followup_created t1 | Follow-up created: Send the deck",
			},
		},
		{
			name: "checklist ticks and unticks, named from the template, or by key without one",
			in: TimelineInput{
				Checklists: []Checklist{{Key: "onb", Name: "Onboarding", Items: []ChecklistTemplateItem{{Key: "kickoff", Title: "Technical kickoff"}}}},
				ChecklistItems: []ChecklistItem{
					{ID: "a1/onb/kickoff", ChecklistKey: "onb", ItemKey: "kickoff", Done: true, ChangedAt: tlAt(2, 10, 9)},
					{ID: "a1/onb/training", ChecklistKey: "onb", ItemKey: "training", Done: false, ChangedAt: tlAt(2, 11, 9)},
					{ID: "a1/gone/x", ChecklistKey: "gone", ItemKey: "x", Done: true, ChangedAt: tlAt(2, 9, 9)},
				},
			},
			want: []string{
				"2026-02-11 09:00 checklist checklist_unticked a1/onb/training | Unticked training (Onboarding)",
				"2026-02-10 09:00 checklist checklist_ticked a1/onb/kickoff | Ticked Technical kickoff (Onboarding)",
				"2026-02-09 09:00 checklist checklist_ticked a1/gone/x | Ticked x (gone)",
			},
		},
		{
			name: "a play started, stepped and closed; open steps are not events",
			in: TimelineInput{
				Playbooks: []Playbook{{Key: "winback", Name: "Win back", Steps: []PlaybookStep{{Key: "call", Title: "Call the sponsor"}, {Key: "plan", Title: "Agree a plan"}}}},
				PlayRuns: []PlayRun{{ID: "r1", PlaybookKey: "winback", StartedAt: tlAt(4, 1, 9), ClosedAt: tlAtPtr(4, 20, 17), Outcome: tlStr("recovered"),
					Steps: map[string]*time.Time{"call": tlAtPtr(4, 3, 10), "plan": nil}}},
			},
			want: []string{
				"2026-04-20 17:00 play play_closed r1 | Play closed: Win back, recovered",
				"2026-04-03 10:00 play play_step_done r1 | Play step done: Call the sponsor (Win back)",
				"2026-04-01 09:00 play play_started r1 | Play started: Win back",
			},
		},
		{
			name: "NPS answers with who and what they said, known by the day",
			in: TimelineInput{
				Contacts: []Contact{{ID: "c1", Name: "Carla Kim"}},
				NPS: []NPSResponse{
					{ID: "p1", ContactID: "c1", Score: 4, Comment: "Too slow\nsince the update", RespondedOn: tlDay(5, 2)},
					{ID: "p2", ContactID: "unknown", Score: 10, RespondedOn: tlDay(5, 1)},
				},
			},
			want: []string{
				"2026-05-02 - nps nps_answered p1 | NPS 4 from Carla Kim: Too slow",
				"2026-05-01 - nps nps_answered p2 | NPS 10",
			},
		},
		{
			name: "contacts: left on their day; added and made champion as recorded",
			in: TimelineInput{
				Contacts: []Contact{
					{ID: "c1", Name: "Carla Kim", Title: "VP Ops", LeftCompanyOn: tlDayPtr(6, 1)},
					{ID: "c2", Name: "Umar Mensah", IsChampion: true},
				},
				Facts: []TimelineFact{
					{Entity: EntityContact, EntityID: "c2", Change: FactAdded, At: tlAt(6, 2, 9)},
					{Entity: EntityContact, EntityID: "c2", Change: FactChampion, At: tlAt(6, 3, 9)},
					{Entity: EntityTask, EntityID: "c2", Change: FactChampion, At: tlAt(6, 4, 9)},
				},
			},
			want: []string{
				"2026-06-03 09:00 contact contact_champion c2 | Umar Mensah became the champion",
				"2026-06-02 09:00 contact contact_added c2 | Contact added: Umar Mensah",
				"2026-06-01 - contact contact_left c1 | Carla Kim (VP Ops) left the company",
			},
		},
		{
			name: "account dates; a renewal after the book's day is upcoming",
			in: TimelineInput{
				Account: Account{ID: "a1", PurchasedOn: tlDay(1, 5), OnboardingStartedOn: tlDay(1, 12),
					OnboardingCompletedOn: tlDayPtr(2, 20), RenewalOn: MakeDate(2027, 1, 5)},
				AsOf: tlDay(11, 20),
			},
			want: []string{
				"2027-01-05 - account renewal a1 | Renewal due | upcoming",
				"2026-02-20 - account onboarding_completed a1 | Onboarding completed",
				"2026-01-12 - account onboarding_started a1 | Onboarding started",
				"2026-01-05 - account purchased a1 | Purchased",
			},
		},
		{
			name: "a renewal day already passed is not upcoming",
			in:   TimelineInput{Account: Account{ID: "a1", RenewalOn: tlDay(3, 1)}, AsOf: tlDay(11, 20)},
			want: []string{"2026-03-01 - account renewal a1 | Renewal date"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.in.Account.ID == "" {
				c.in.Account = Account{ID: acct.ID}
			}
			c.in.Thresholds = DefaultThresholds()
			var got []string
			for _, e := range BuildTimeline(c.in) {
				got = append(got, tlLine(e))
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("timeline:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// tlUsage lays days of DAU and MAU out as the months of 2026 they fall
// in, from January 1; WAU is left at zero, as the rules here do not read it.
func tlUsage(dau, mau []int) []UsageMonth {
	var out []UsageMonth
	for i := 0; i < len(dau); {
		start := tlDay(1, 1) + Date(i)
		first, _ := FirstOfMonth(start.Month())
		n := min(daysInMonth(first), len(dau)-i)
		out = append(out, UsageMonth{ID: "a1/" + start.Month(), AccountID: "a1", Month: start.Month(), Days: n,
			DAU: dau[i : i+n], WAU: make([]int, n), MAU: mau[i : i+n], Sessions: make([]int, n), Minutes: make([]int, n)})
		i += n
	}
	return out
}

// TestTimelineUsageMilestones: first use, regular use, each upward
// crossing of the surprise line and the day a significant drop began.
func TestTimelineUsageMilestones(t *testing.T) {
	const days = 59 // January and February 2026
	dau, mau := make([]int, days), make([]int, days)
	for i := range days {
		dau[i] = 10
		if i >= 45 { // from February 15, two users a day: weekly use goes on
			dau[i] = 2
		}
		switch {
		case i < 10:
			mau[i] = 10
		case i < 20:
			mau[i] = 16 // 80% of 20 licenses on January 11
		case i == 20:
			mau[i] = 15 // back under on January 21 ...
		default:
			mau[i] = 17 // ... and over again on January 22
		}
	}
	in := TimelineInput{Account: Account{ID: "a1", Licenses: 20}, Usage: tlUsage(dau, mau),
		AsOf: tlDay(2, 28), Thresholds: DefaultThresholds()}
	var got []string
	for _, e := range BuildTimeline(in) {
		got = append(got, tlLine(e))
	}
	// The drop: on February 20 the last 14 days average (8×10 + 6×2)/14 =
	// 6.57, at most 70% of the 10 of the four weeks before; on the 19th
	// (9×10 + 5×2)/14 = 7.14 is not.
	want := []string{
		"2026-02-20 - milestone drop_started a1/2026-02 | Significant drop began: average daily users fell from 10.0 to 6.6 (-34%) over the last two weeks, against the four weeks before",
		"2026-01-22 - milestone regular_use a1/2026-01 | Regular use began: active users in each of the four weeks up to that day",
		"2026-01-22 - milestone utilization_crossed a1/2026-01 | Utilization crossed 80%: 85% (17 monthly users of 20 licenses)",
		"2026-01-11 - milestone utilization_crossed a1/2026-01 | Utilization crossed 80%: 80% (16 monthly users of 20 licenses)",
		"2026-01-01 - milestone first_use a1/2026-01 | First use: 10 active users that day",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("milestones:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	t.Run("a history that begins in use claims no first use, and no regular use it could not see begin", func(t *testing.T) {
		mau := append([]int(nil), mau...)
		mau[0] = 17 // 17 users in the 30 days to January 1, 10 of them that day
		in := in
		in.Usage = tlUsage(dau, mau)
		var got []string
		for _, e := range BuildTimeline(in) {
			if e.Day < tlDay(2, 1) {
				got = append(got, tlLine(e))
			}
		}
		want := []string{
			"2026-01-22 - milestone utilization_crossed a1/2026-01 | Utilization crossed 80%: 85% (17 monthly users of 20 licenses)",
			"2026-01-11 - milestone utilization_crossed a1/2026-01 | Utilization crossed 80%: 80% (16 monthly users of 20 licenses)",
			"2026-01-01 - milestone usage_history_begins a1/2026-01 | Usage history begins, already in use: 10 active users that day, 17 in the last 30 days",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("milestones:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("the surprise line is the threshold's", func(t *testing.T) {
		th := DefaultThresholds()
		th.SurpriseUtilization = 0.84
		in := in
		in.Thresholds = th
		n := 0
		for _, e := range BuildTimeline(in) {
			if e.Event == EventUtilizationCrossed {
				n++
				if e.Day != tlDay(1, 22) || !strings.HasPrefix(e.Summary, "Utilization crossed 84%") {
					t.Errorf("crossing %s", tlLine(e))
				}
			}
		}
		if n != 1 {
			t.Errorf("%d crossings of 84%%, want 1 (January 22)", n)
		}
	})
	t.Run("no licenses: utilization is undefined, nothing crosses", func(t *testing.T) {
		in := in
		in.Account.Licenses = 0
		for _, e := range BuildTimeline(in) {
			if e.Event == EventUtilizationCrossed {
				t.Errorf("crossing without licenses: %s", tlLine(e))
			}
		}
	})
	t.Run("milestones after the book's day are not found", func(t *testing.T) {
		in := in
		in.AsOf = tlDay(2, 19)
		for _, e := range BuildTimeline(in) {
			if e.Event == EventDropStarted || e.Day > in.AsOf {
				t.Errorf("after the book's day: %s", tlLine(e))
			}
		}
	})
	t.Run("no usage, no milestones", func(t *testing.T) {
		if ev := BuildTimeline(TimelineInput{Account: Account{ID: "a1"}, Thresholds: DefaultThresholds()}); len(ev) != 0 {
			t.Errorf("events without data: %v", ev)
		}
	})
}

// TestTimelineOrder: newest day first; within a day, timed events latest
// first, then those known only by the day.
func TestTimelineOrder(t *testing.T) {
	in := TimelineInput{
		Account: Account{ID: "a1"},
		Notes: []Note{
			{ID: "n1", Kind: NoteCall, HappenedAt: tlAt(5, 2, 9), Revision: 1},
			{ID: "n2", Kind: NoteCall, HappenedAt: tlAt(5, 2, 16), Revision: 1},
			{ID: "n3", Kind: NoteCall, HappenedAt: tlAt(5, 1, 23), Revision: 1},
		},
		NPS: []NPSResponse{{ID: "p1", Score: 8, RespondedOn: tlDay(5, 2)}},
	}
	var refs []string
	for _, e := range BuildTimeline(in) {
		refs = append(refs, e.Ref)
	}
	if got, want := strings.Join(refs, " "), "n2 n1 p1 n3"; got != want {
		t.Errorf("order %s, want %s", got, want)
	}
}

func TestFilterTimeline(t *testing.T) {
	ev := []TimelineEvent{{Kind: TimelineNote, Ref: "n1"}, {Kind: TimelineNPS, Ref: "p1"}, {Kind: TimelineNote, Ref: "n2"}}
	cases := []struct {
		kind string
		want string
	}{
		{"", "n1 p1 n2"},
		{TimelineNote, "n1 n2"},
		{TimelineNPS, "p1"},
		{TimelinePlay, ""},
	}
	for _, c := range cases {
		var refs []string
		for _, e := range FilterTimeline(ev, c.kind) {
			refs = append(refs, e.Ref)
		}
		if got := strings.Join(refs, " "); got != c.want {
			t.Errorf("kind %q: %q, want %q", c.kind, got, c.want)
		}
	}
}

func TestParseTimelineKind(t *testing.T) {
	cases := []struct {
		in, want, err string
	}{
		{"", "", ""},
		{"all", "", ""},
		{" Note ", TimelineNote, ""},
		{"followup", TimelineFollowUp, ""},
		{"milestone", TimelineMilestone, ""},
		{"notes", "", `kind "notes" is not one of all, note, followup, checklist, play, nps, contact, milestone, account`},
	}
	for _, c := range cases {
		got, err := ParseTimelineKind(c.in)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if got != c.want || gotErr != c.err {
			t.Errorf("ParseTimelineKind(%q) = %q, %q; want %q, %q", c.in, got, gotErr, c.want, c.err)
		}
	}
}

// TestNextTimelineKind: v cycles all → every kind in order → all.
func TestNextTimelineKind(t *testing.T) {
	var seen []string
	k := NextTimelineKind("")
	for k != "" && len(seen) <= len(TimelineKinds) {
		seen = append(seen, k)
		k = NextTimelineKind(k)
	}
	if got, want := strings.Join(seen, " "), strings.Join(TimelineKinds, " "); got != want {
		t.Errorf("cycle %s, want %s", got, want)
	}
	for _, k := range append([]string{""}, TimelineKinds...) {
		if _, ok := timelineKindLabels[k]; !ok {
			t.Errorf("kind %q has no label", k)
		}
		if _, ok := timelineKindTags[k]; !ok && k != "" {
			t.Errorf("kind %q has no tag", k)
		}
	}
}

// TestDropFiguresAsComputeMetrics holds the timeline's drop figures equal
// to ComputeMetrics's on every day of a generated book's accounts, so the
// day a drop began is the day the segment would have said so.
func TestDropFiguresAsComputeMetrics(t *testing.T) {
	book := Generate(GenOptions{Seed: 7, Accounts: 12, CSMs: 1})[0]
	for _, a := range book.Accounts {
		var months []UsageMonth
		for _, m := range book.Usage {
			if m.AccountID == a.ID {
				months = append(months, m)
			}
		}
		u := BuildUsage(months)
		if u.Empty() {
			continue
		}
		for d := u.First; d <= u.Last()+10; d++ {
			want, got := ComputeMetrics(u, a, nil, d), dropFigures(u, d)
			if got.DAURecent != want.DAURecent || got.DAUBaseline != want.DAUBaseline || got.WeeklyActive != want.WeeklyActive ||
				got.WeeklyUse != want.WeeklyUse || got.WeeklyUsePrior != want.WeeklyUsePrior {
				t.Fatalf("%s on %s: drop figures %+v, ComputeMetrics %+v", a.ID, d, got, want)
			}
		}
	}
}

// TestDropStartsAreEpisodes: over a generated book, a drop is recorded on
// the days the segment holds after two weeks without it, and on no other;
// a flicker of the rule makes no new drop.
func TestDropStartsAreEpisodes(t *testing.T) {
	book := Generate(GenOptions{Seed: 11, Accounts: 40, CSMs: 1})[0]
	th := DefaultThresholds()
	flickers := 0
	for _, a := range book.Accounts {
		var months []UsageMonth
		for _, m := range book.Usage {
			if m.AccountID == a.ID {
				months = append(months, m)
			}
		}
		u := BuildUsage(months)
		if u.Empty() {
			continue
		}
		var holds []Date
		for d := u.First; d <= u.Last(); d++ {
			m := AccountMetrics{Metrics: ComputeMetrics(u, a, nil, d)}
			if segmentHolds(SegmentSignificantDrop, &m, th, bookContext{}) {
				holds = append(holds, d)
			}
		}
		var want []Date
		for i, d := range holds {
			if i == 0 || d-holds[i-1] > 14 {
				want = append(want, d)
			} else if d-holds[i-1] > 1 {
				flickers++
			}
		}
		var got []Date
		for _, e := range dropStarts(u, a, th, u.Last(), func(Date) string { return "" }) {
			got = append(got, e.Day)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: drops began %v, want %v", a.ID, got, want)
		}
	}
	if flickers == 0 {
		t.Error("no account's drop flickers: the test shows nothing")
	}
}

func BenchmarkBuildTimeline(b *testing.B) {
	book := Generate(GenOptions{Seed: 1, Accounts: 1, CSMs: 1})[0]
	in := TimelineInput{Account: book.Accounts[0], Usage: book.Usage, Notes: book.Notes, Tasks: book.Tasks,
		Contacts: book.Contacts, NPS: book.NPS, ChecklistItems: book.ChecklistItems, PlayRuns: book.PlayRuns,
		Playbooks: book.Playbooks, Checklists: book.Checklists, Thresholds: DefaultThresholds()}
	for b.Loop() {
		BuildTimeline(in)
	}
}
