package model

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// An account's timeline is one list, newest first, of everything that
// happened to it, built from what the entities carry: a note's happened_at
// and each revision's created_at, a follow-up's created_at and done_at, a
// checklist item's changed_at, a play's started_at, steps' done_at and
// closed_at, an NPS answer's responded_on, a contact's left_company_on, the
// account's dates and its usage. What the entities do not keep (a due day
// moved, a contact made champion, a contact added on this computer) comes
// from the store's history (TimelineFact) from the day it began recording;
// nothing is inferred that the data does not hold.

// Timeline kinds: the small fixed set an event is filed under.
const (
	TimelineNote      = "note"
	TimelineFollowUp  = "followup"
	TimelineChecklist = "checklist"
	TimelinePlay      = "play"
	TimelineNPS       = "nps"
	TimelineContact   = "contact"
	TimelineMilestone = "milestone"
	TimelineAccount   = "account"
)

// TimelineKinds lists the kinds in the order a filter cycles through them.
var TimelineKinds = []string{
	TimelineNote, TimelineFollowUp, TimelineChecklist, TimelinePlay,
	TimelineNPS, TimelineContact, TimelineMilestone, TimelineAccount,
}

var timelineKindLabels = map[string]string{
	"":                "all",
	TimelineNote:      "notes",
	TimelineFollowUp:  "follow-ups",
	TimelineChecklist: "checklist",
	TimelinePlay:      "plays",
	TimelineNPS:       "NPS",
	TimelineContact:   "contacts",
	TimelineMilestone: "usage milestones",
	TimelineAccount:   "account dates",
}

// TimelineKindLabel names a kind for people ("" is every kind: "all").
func TimelineKindLabel(kind string) string {
	if l, ok := timelineKindLabels[kind]; ok {
		return l
	}
	return kind
}

var timelineKindTags = map[string]string{
	TimelineNote:      "note",
	TimelineFollowUp:  "follow-up",
	TimelineChecklist: "checklist",
	TimelinePlay:      "play",
	TimelineNPS:       "NPS",
	TimelineContact:   "contact",
	TimelineMilestone: "usage",
	TimelineAccount:   "account",
}

// TimelineKindTag names one event's kind in a column: "follow-up", "usage".
func TimelineKindTag(kind string) string {
	if t, ok := timelineKindTags[kind]; ok {
		return t
	}
	return kind
}

// ParseTimelineKind checks a kind typed by the CSM; "" and "all" mean
// every kind.
func ParseTimelineKind(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || s == "all" {
		return "", nil
	}
	if slices.Contains(TimelineKinds, s) {
		return s, nil
	}
	return "", fmt.Errorf("kind %q is not one of all, %s", s, strings.Join(TimelineKinds, ", "))
}

// NextTimelineKind is the filter after kind: all → note → … → account → all.
func NextTimelineKind(kind string) string {
	i := slices.Index(TimelineKinds, kind)
	if i+1 >= len(TimelineKinds) {
		return ""
	}
	return TimelineKinds[i+1]
}

// Timeline events: what happened, within a kind. They are the JSON
// values of csm timeline's "event" field, so they never change.
const (
	EventNoteLogged          = "note_logged"
	EventNoteRevised         = "note_revised"
	EventFollowUpCreated     = "followup_created"
	EventFollowUpRedated     = "followup_redated"
	EventFollowUpDone        = "followup_done"
	EventChecklistTicked     = "checklist_ticked"
	EventChecklistUnticked   = "checklist_unticked"
	EventPlayStarted         = "play_started"
	EventPlayStepDone        = "play_step_done"
	EventPlayClosed          = "play_closed"
	EventNPSAnswered         = "nps_answered"
	EventContactAdded        = "contact_added"
	EventContactLeft         = "contact_left"
	EventContactChampion     = "contact_champion"
	EventPurchased           = "purchased"
	EventOnboardingStarted   = "onboarding_started"
	EventOnboardingCompleted = "onboarding_completed"
	EventRenewal             = "renewal"
	EventFirstUse            = "first_use"
	EventHistoryBegins       = "usage_history_begins"
	EventRegularUse          = "regular_use"
	EventUtilizationCrossed  = "utilization_crossed"
	EventDropStarted         = "drop_started"
)

// TimelineEvent is one thing that happened to an account.
type TimelineEvent struct {
	// Day is the calendar day (UTC) it happened on.
	Day Date `json:"day"`
	// At is the instant, nil when the data holds only the day (an NPS
	// answer, a contact's leaving, the account's dates, usage milestones).
	At      *time.Time `json:"at"`
	Kind    string     `json:"kind"`
	Event   string     `json:"event"`
	Summary string     `json:"summary"`
	// Ref is the id of the entity it is about: the note, follow-up,
	// checklist item, play run, NPS answer, contact, usage month or account.
	Ref string `json:"ref"`
	// Upcoming marks a day still ahead of the book's day (a renewal).
	Upcoming bool `json:"upcoming"`
}

// Changes the store records as it sees them (TimelineFact.Change).
const (
	FactDue      = "due"      // a follow-up's due day moved: Before → After
	FactChampion = "champion" // a contact became champion
	FactAdded    = "added"    // a contact was added on this computer
)

// TimelineFact is a change the entities themselves do not keep, as the
// store recorded it when it happened (a change made here) or when a sync
// brought it (a change made elsewhere).
type TimelineFact struct {
	Entity   string    `json:"entity"`
	EntityID string    `json:"entity_id"`
	Change   string    `json:"change"`
	Before   string    `json:"before"` // "" for none
	After    string    `json:"after"`
	At       time.Time `json:"at"`
}

// TimelineInput is what BuildTimeline reads about one account.
type TimelineInput struct {
	Account        Account
	Contacts       []Contact
	Usage          []UsageMonth
	NPS            []NPSResponse
	Notes          []Note
	Tasks          []Task
	ChecklistItems []ChecklistItem
	PlayRuns       []PlayRun
	Playbooks      []Playbook
	Checklists     []Checklist
	Facts          []TimelineFact
	// AsOf is the book's day T: usage milestones are found up to it and
	// later days are upcoming. Zero takes the newest usage day.
	AsOf       Date
	Thresholds Thresholds
}

// summaryChars caps the text an event quotes (a note's first line, a
// comment), so one long paragraph does not become one long event.
const summaryChars = 160

// BuildTimeline returns every event of the account, newest first.
func BuildTimeline(in TimelineInput) []TimelineEvent {
	var out []TimelineEvent
	out = append(out, noteEvents(in.Notes)...)
	out = append(out, taskEvents(in.Tasks, in.Facts)...)
	out = append(out, checklistEvents(in.ChecklistItems, in.Checklists)...)
	out = append(out, playEvents(in.PlayRuns, in.Playbooks)...)
	out = append(out, npsEvents(in.NPS, in.Contacts)...)
	out = append(out, contactEvents(in.Contacts, in.Facts)...)
	out = append(out, usageEvents(in)...)
	out = append(out, accountEvents(in.Account)...)
	asOf := in.AsOf
	if asOf == 0 {
		asOf, _ = LatestDay(in.Usage)
	}
	for i := range out {
		out[i].Upcoming = asOf != 0 && out[i].Day > asOf
		if out[i].Event == EventRenewal && out[i].Upcoming {
			out[i].Summary = "Renewal due"
		}
	}
	slices.SortStableFunc(out, compareEvents)
	return out
}

// FilterTimeline keeps the events of one kind; "" keeps them all.
func FilterTimeline(events []TimelineEvent, kind string) []TimelineEvent {
	if kind == "" {
		return events
	}
	out := []TimelineEvent{}
	for _, e := range events {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// compareEvents orders newest first: by day, then within a day the timed
// events latest first before those known only by the day, then by kind
// and reference so the order is the same on every read.
func compareEvents(x, y TimelineEvent) int {
	if c := cmp.Compare(y.Day, x.Day); c != 0 {
		return c
	}
	switch {
	case x.At != nil && y.At != nil:
		if c := y.At.Compare(*x.At); c != 0 {
			return c
		}
	case x.At != nil:
		return -1
	case y.At != nil:
		return 1
	}
	return cmp.Or(
		cmp.Compare(slices.Index(TimelineKinds, x.Kind), slices.Index(TimelineKinds, y.Kind)),
		cmp.Compare(x.Ref, y.Ref),
		cmp.Compare(x.Event, y.Event),
	)
}

// timed is an event at an instant.
func timed(at time.Time, kind, event, ref, summary string) TimelineEvent {
	at = at.UTC()
	return TimelineEvent{Day: DateOf(at), At: &at, Kind: kind, Event: event, Ref: ref, Summary: summary}
}

// dated is an event known only by its day.
func dated(day Date, kind, event, ref, summary string) TimelineEvent {
	return TimelineEvent{Day: day, Kind: kind, Event: event, Ref: ref, Summary: summary}
}

// quote is the first non-blank line of a text, with its spaces collapsed
// and cut to summaryChars.
func quote(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			return CutChars(strings.Join(f, " "), summaryChars)
		}
	}
	return ""
}

// withQuote joins a plain sentence and a quoted text: "Call: the text".
func withQuote(head, text string) string {
	if q := quote(text); q != "" {
		return head + ": " + q
	}
	return head
}

// NoteKindName names a note kind in words: "call", "check-in", "QBR".
func NoteKindName(kind string) string {
	switch kind {
	case NoteQBR:
		return "QBR"
	case NoteCheckIn:
		return "check-in"
	case NoteBugReport:
		return "bug report"
	case NoteInternal:
		return "internal note"
	}
	return strings.ReplaceAll(kind, "_", " ")
}

func capitalized(s string) string {
	if s == "" || s == "QBR" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// noteEvents: each note as it reads now (its current revision) on the day
// it happened, and each correction on the day it was written.
func noteEvents(notes []Note) []TimelineEvent {
	superseded := map[string]bool{}
	byID := map[string]*Note{}
	for i := range notes {
		byID[notes[i].ID] = &notes[i]
		if notes[i].Supersedes != nil {
			superseded[*notes[i].Supersedes] = true
		}
	}
	var out []TimelineEvent
	for i := range notes {
		n := &notes[i]
		if n.Supersedes != nil {
			orig := byID[*n.Supersedes]
			what := "the " + NoteKindName(n.Kind) + " note"
			if orig != nil {
				what += " of " + DateOf(orig.HappenedAt).String()
			}
			out = append(out, timed(n.CreatedAt, TimelineNote, EventNoteRevised, n.ID,
				withQuote(fmt.Sprintf("Revised %s (revision %d)", what, n.Revision), n.Body)))
		}
		if superseded[n.ID] {
			continue
		}
		head := capitalized(NoteKindName(n.Kind))
		if n.Author != "" {
			head += " by " + quote(n.Author)
		}
		if n.Revision > 1 {
			head += fmt.Sprintf(" (revision %d)", n.Revision)
		}
		out = append(out, timed(n.HappenedAt, TimelineNote, EventNoteLogged, n.ID, withQuote(head, n.Body)))
	}
	return out
}

// taskEvents: each follow-up's creation and completion, and every move of
// its due day the store recorded.
func taskEvents(tasks []Task, facts []TimelineFact) []TimelineEvent {
	var out []TimelineEvent
	byID := map[string]*Task{}
	for i := range tasks {
		t := &tasks[i]
		byID[t.ID] = t
		created := "Follow-up created: " + quote(t.Title)
		if t.NoteID != nil {
			created = "Follow-up created from a note: " + quote(t.Title)
		}
		out = append(out, timed(t.CreatedAt, TimelineFollowUp, EventFollowUpCreated, t.ID, created))
		if t.DoneAt != nil {
			out = append(out, timed(*t.DoneAt, TimelineFollowUp, EventFollowUpDone, t.ID, "Follow-up done: "+quote(t.Title)))
		}
	}
	for _, f := range facts {
		t := byID[f.EntityID]
		if f.Entity != EntityTask || f.Change != FactDue || t == nil {
			continue
		}
		out = append(out, timed(f.At, TimelineFollowUp, EventFollowUpRedated, t.ID,
			fmt.Sprintf("Follow-up re-dated from %s to %s: %s", dueWords(f.Before), dueWords(f.After), quote(t.Title))))
	}
	return out
}

// dueWords writes a stored due day, or "no due day".
func dueWords(s string) string {
	if s == "" {
		return "no due day"
	}
	return s
}

// checklistEvents: each item's last change, ticked or unticked; the
// items are named from their templates.
func checklistEvents(items []ChecklistItem, lists []Checklist) []TimelineEvent {
	var out []TimelineEvent
	for _, it := range items {
		name, title := it.ChecklistKey, it.ItemKey
		if i := slices.IndexFunc(lists, func(c Checklist) bool { return c.Key == it.ChecklistKey }); i >= 0 {
			name = lists[i].Name
			if j := slices.IndexFunc(lists[i].Items, func(t ChecklistTemplateItem) bool { return t.Key == it.ItemKey }); j >= 0 {
				title = lists[i].Items[j].Title
			}
		}
		ev, verb := EventChecklistTicked, "Ticked"
		if !it.Done {
			ev, verb = EventChecklistUnticked, "Unticked"
		}
		out = append(out, timed(it.ChangedAt, TimelineChecklist, ev, it.ID,
			fmt.Sprintf("%s %s (%s)", verb, quote(title), quote(name))))
	}
	return out
}

// playEvents: each play's start, each step done and the close.
func playEvents(runs []PlayRun, playbooks []Playbook) []TimelineEvent {
	var out []TimelineEvent
	for _, r := range runs {
		name := r.PlaybookKey
		var steps []PlaybookStep
		if i := slices.IndexFunc(playbooks, func(p Playbook) bool { return p.Key == r.PlaybookKey }); i >= 0 {
			name, steps = playbooks[i].Name, playbooks[i].Steps
		}
		name = quote(name)
		out = append(out, timed(r.StartedAt, TimelinePlay, EventPlayStarted, r.ID, "Play started: "+name))
		keys := make([]string, 0, len(r.Steps))
		for k := range r.Steps {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			at := r.Steps[k]
			if at == nil {
				continue
			}
			title := k
			if i := slices.IndexFunc(steps, func(s PlaybookStep) bool { return s.Key == k }); i >= 0 {
				title = steps[i].Title
			}
			out = append(out, timed(*at, TimelinePlay, EventPlayStepDone, r.ID,
				fmt.Sprintf("Play step done: %s (%s)", quote(title), name)))
		}
		if r.ClosedAt != nil {
			s := "Play closed: " + name
			if r.Outcome != nil && quote(*r.Outcome) != "" {
				s += ", " + quote(*r.Outcome)
			}
			out = append(out, timed(*r.ClosedAt, TimelinePlay, EventPlayClosed, r.ID, s))
		}
	}
	return out
}

// npsEvents: each answer with its score, who gave it and the comment.
func npsEvents(answers []NPSResponse, contacts []Contact) []TimelineEvent {
	var out []TimelineEvent
	for _, r := range answers {
		s := fmt.Sprintf("NPS %d", r.Score)
		if i := slices.IndexFunc(contacts, func(c Contact) bool { return c.ID == r.ContactID }); i >= 0 {
			s += " from " + quote(contacts[i].Name)
		}
		out = append(out, dated(r.RespondedOn, TimelineNPS, EventNPSAnswered, r.ID, withQuote(s, r.Comment)))
	}
	return out
}

// contactEvents: who left and when; who was added here or made champion,
// as the store recorded it.
func contactEvents(contacts []Contact, facts []TimelineFact) []TimelineEvent {
	var out []TimelineEvent
	byID := map[string]*Contact{}
	for i := range contacts {
		c := &contacts[i]
		byID[c.ID] = c
		if c.LeftCompanyOn != nil {
			out = append(out, dated(*c.LeftCompanyOn, TimelineContact, EventContactLeft, c.ID,
				contactWho(c)+" left the company"))
		}
	}
	for _, f := range facts {
		c := byID[f.EntityID]
		if f.Entity != EntityContact || c == nil {
			continue
		}
		switch f.Change {
		case FactAdded:
			out = append(out, timed(f.At, TimelineContact, EventContactAdded, c.ID, "Contact added: "+contactWho(c)))
		case FactChampion:
			out = append(out, timed(f.At, TimelineContact, EventContactChampion, c.ID, contactWho(c)+" became the champion"))
		}
	}
	return out
}

// contactWho is a contact's name with the title, when there is one.
func contactWho(c *Contact) string {
	who := quote(c.Name)
	if who == "" {
		who = "a contact"
	}
	if t := quote(c.Title); t != "" {
		who += " (" + t + ")"
	}
	return who
}

// accountEvents: purchase, onboarding and renewal days.
func accountEvents(a Account) []TimelineEvent {
	var out []TimelineEvent
	if a.PurchasedOn != 0 {
		out = append(out, dated(a.PurchasedOn, TimelineAccount, EventPurchased, a.ID, "Purchased"))
	}
	if a.OnboardingStartedOn != 0 {
		out = append(out, dated(a.OnboardingStartedOn, TimelineAccount, EventOnboardingStarted, a.ID, "Onboarding started"))
	}
	if a.OnboardingCompletedOn != nil {
		out = append(out, dated(*a.OnboardingCompletedOn, TimelineAccount, EventOnboardingCompleted, a.ID, "Onboarding completed"))
	}
	if a.RenewalOn != 0 {
		out = append(out, dated(a.RenewalOn, TimelineAccount, EventRenewal, a.ID, "Renewal date"))
	}
	return out
}
