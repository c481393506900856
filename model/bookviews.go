package model

import (
	"cmp"
	"slices"
	"strings"
)

// The views of the book the CSM works from: Needs me and the tabs of every
// segment and alert, snoozes, and the orders of the book. The cockpit's
// tabs and its sort key, and csm accounts --segment and --sort, all come
// here, so they cannot disagree.

// NeedsMe is the key of the view of what needs the CSM now.
const NeedsMe = "needs_me"

// needsMeAlias is the name --segment first had for NeedsMe; it still works.
const needsMeAlias = "attention"

// SnoozeAll is the snooze key of a whole account; any other key snoozes
// one alert.
const SnoozeAll = ""

// Flags set by the CSM's snoozes, next to the flags of the rules.
const (
	// FlagSnoozed: the whole account is snoozed.
	FlagSnoozed = "snoozed"
	// FlagSnoozedAlert: one or more of its alerts are snoozed.
	FlagSnoozedAlert = "snoozed_alert"
)

// ApplySnoozes takes an account's snoozes in force (key SnoozeAll or an
// alert key) into its metrics: a snoozed alert leaves Alerts and the
// account gets FlagSnoozedAlert; a snoozed account loses every alert and
// gets FlagSnoozed. Urgency is worked out again without those alerts, so
// a snooze takes the account from the top of the book.
func ApplySnoozes(m *AccountMetrics, snoozed map[string]Date) {
	if len(snoozed) == 0 {
		return
	}
	if _, ok := snoozed[SnoozeAll]; ok {
		m.Alerts = nil
		m.Flags = append(slices.Clone(m.Flags), FlagSnoozed)
		m.Urgency = urgency(m)
		return
	}
	kept := slices.DeleteFunc(slices.Clone(m.Alerts), func(k string) bool {
		_, ok := snoozed[k]
		return ok
	})
	if len(kept) < len(m.Alerts) {
		m.Flags = append(slices.Clone(m.Flags), FlagSnoozedAlert)
	}
	m.Alerts = kept
	m.Urgency = urgency(m)
}

// InNeedsMe says whether an account needs the CSM now: it has an alert, or
// is in the danger zone or approaching it (SPEC §4b: "danger zone and
// alerts first"). A snoozed account is left out until its snooze ends,
// whatever its figures; a snoozed alert no longer counts (ApplySnoozes
// takes it out), though the danger zone still does.
func InNeedsMe(m *AccountMetrics) bool {
	if slices.Contains(m.Flags, FlagSnoozed) {
		return false
	}
	return len(m.Alerts) > 0 ||
		slices.Contains(m.Segments, SegmentDangerZone) ||
		slices.Contains(m.Segments, SegmentApproachingDanger)
}

// InView says whether an account belongs to a view of the book: "" is the
// whole book, NeedsMe (or "attention") is InNeedsMe, and any other key is a
// segment, alert or flag key the account has. Apply snoozes first.
func InView(m *AccountMetrics, key string) bool {
	switch key {
	case "":
		return true
	case NeedsMe, needsMeAlias:
		return InNeedsMe(m)
	}
	return slices.Contains(m.Segments, key) || slices.Contains(m.Alerts, key) || slices.Contains(m.Flags, key)
}

// ViewKeys lists the keys InView takes, in the order of the cockpit's tabs:
// Needs me, the alerts, the segments, then the flags (which have no tab).
// "attention" is left out: it is an old name of Needs me.
func ViewKeys() []string {
	return slices.Concat([]string{NeedsMe}, AlertKeys, SegmentKeys, FlagKeys, []string{FlagSnoozed, FlagSnoozedAlert})
}

// TabKeys lists the views that are tabs of the cockpit after "All": Needs
// me, then every alert and segment. The cockpit shows a tab whose view
// holds an account, and Needs me always.
func TabKeys() []string {
	return slices.Concat([]string{NeedsMe}, AlertKeys, SegmentKeys)
}

// IsViewKey says whether key names a view, "attention" included.
func IsViewKey(key string) bool {
	return key == needsMeAlias || slices.Contains(ViewKeys(), key)
}

// BookSort is one order of the book.
type BookSort struct {
	// Key names the order after csm accounts --sort and in the cockpit's
	// "sorted by" message.
	Key string
	// About says what comes first, for help.
	About string
	// First and Reversed say in a few words what comes first in this
	// order and in its reverse: "sorted by health, lowest first".
	First, Reversed string
	// Ascending is true when the order goes from the smallest figure up
	// (the cockpit's ▲ on the column); false from the largest down (▼).
	Ascending bool
	// first orders by the sort's own figure; ties go to the urgency order
	// (or, sorting by name, to the id).
	first func(a, b *Account, ma, mb *AccountMetrics) int
	// undefined, when set, says an account has no figure to sort by: it
	// goes last in either direction.
	undefined func(m *AccountMetrics) bool
}

// BookSorts are the orders of the book, in the order the cockpit's sort key
// cycles through them; the first is the default. Each puts what needs the
// CSM first: the worst health, utilization and trend, the largest ARR and
// MAU, the soonest renewal. An undefined figure goes last.
var BookSorts = []BookSort{
	{Key: "urgency", About: "alerts, then the danger zone, then approaching it; lower health first; snoozed accounts last",
		First: "most urgent first", Reversed: "least urgent first"},
	{Key: "health", About: "lowest health first", First: "lowest first", Reversed: "highest first", Ascending: true,
		first: func(_, _ *Account, x, y *AccountMetrics) int { return cmp.Compare(x.Health.Score, y.Health.Score) }},
	{Key: "name", About: "A to Z, in any case", First: "A to Z", Reversed: "Z to A", Ascending: true,
		first: func(a, b *Account, _, _ *AccountMetrics) int {
			return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
		}},
	{Key: "util", About: "lowest utilization first", First: "lowest first", Reversed: "highest first", Ascending: true,
		first:     func(_, _ *Account, x, y *AccountMetrics) int { return CompareDefined(x.Util, y.Util) },
		undefined: func(m *AccountMetrics) bool { return m.Util == nil }},
	{Key: "trend", About: "steepest fall first", First: "steepest fall first", Reversed: "steepest rise first", Ascending: true,
		first:     func(_, _ *Account, x, y *AccountMetrics) int { return CompareDefined(x.Trend, y.Trend) },
		undefined: func(m *AccountMetrics) bool { return m.Trend == nil }},
	{Key: "arr", About: "largest ARR first", First: "largest first", Reversed: "smallest first",
		first: func(a, b *Account, _, _ *AccountMetrics) int { return cmp.Compare(b.ARRCents, a.ARRCents) }},
	{Key: "renewal", About: "soonest renewal first", First: "soonest first", Reversed: "latest first", Ascending: true,
		first: func(_, _ *Account, x, y *AccountMetrics) int { return cmp.Compare(x.RenewalInDays, y.RenewalInDays) }},
	{Key: "mau", About: "most monthly active users first", First: "most first", Reversed: "fewest first",
		first: func(_, _ *Account, x, y *AccountMetrics) int { return cmp.Compare(y.MAU, x.MAU) }},
}

// Says is what the order puts first, in words: "health, lowest first".
func (s BookSort) Says(reversed bool) string {
	if reversed {
		return s.Key + ", " + s.Reversed
	}
	return s.Key + ", " + s.First
}

// CompareReversed is the order the other way round: the sort's own figure
// reversed (urgency too: least urgent first), undefined figures still
// last; ties as Compare breaks them.
func (s BookSort) CompareReversed(a, b *Account, ma, mb *AccountMetrics) int {
	if s.first == nil {
		return -compareUrgency(a, b, ma, mb)
	}
	if s.undefined != nil {
		if c := compareFalseFirst(s.undefined(ma), s.undefined(mb)); c != 0 {
			return c
		}
	}
	if c := s.first(a, b, ma, mb); c != 0 {
		return -c
	}
	return compareUrgency(a, b, ma, mb)
}

// BookSortKeys lists the keys of BookSorts, in order.
func BookSortKeys() []string {
	keys := make([]string, len(BookSorts))
	for i, s := range BookSorts {
		keys[i] = s.Key
	}
	return keys
}

// FindBookSort returns the order named key.
func FindBookSort(key string) (BookSort, bool) {
	i := slices.IndexFunc(BookSorts, func(s BookSort) bool { return s.Key == key })
	if i < 0 {
		return BookSort{}, false
	}
	return BookSorts[i], true
}

// Compare orders two accounts with their metrics (snoozes applied): the
// sort's own figure, then the urgency order, which ends by name and id, so
// no two accounts tie.
func (s BookSort) Compare(a, b *Account, ma, mb *AccountMetrics) int {
	if s.first != nil {
		if c := s.first(a, b, ma, mb); c != 0 {
			return c
		}
	}
	return compareUrgency(a, b, ma, mb)
}

// compareUrgency is the urgency order: snoozed accounts last, then by
// Urgency, highest first (which puts lower health first within a group),
// then lower health, name and id.
func compareUrgency(a, b *Account, ma, mb *AccountMetrics) int {
	return cmp.Or(
		compareFalseFirst(slices.Contains(ma.Flags, FlagSnoozed), slices.Contains(mb.Flags, FlagSnoozed)),
		cmp.Compare(mb.Urgency, ma.Urgency),
		cmp.Compare(ma.Health.Score, mb.Health.Score),
		strings.Compare(a.Name, b.Name),
		strings.Compare(a.ID, b.ID),
	)
}

// compareFalseFirst orders false before true.
func compareFalseFirst(x, y bool) int {
	switch {
	case x == y:
		return 0
	case x:
		return 1
	}
	return -1
}

// CompareDefined orders ascending with undefined (nil) values last: figures
// of the book, due days of follow-ups.
func CompareDefined[T cmp.Ordered](x, y *T) int {
	switch {
	case x == nil && y == nil:
		return 0
	case x == nil:
		return 1
	case y == nil:
		return -1
	}
	return cmp.Compare(*x, *y)
}
