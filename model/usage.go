package model

import (
	"cmp"
	"slices"
)

// maxUsageSpanDays bounds how far back an account's daily series reaches from
// its newest day. It guards against a hostile or mistyped month ("0001-01")
// that would otherwise make us allocate millennia of zeros; twenty years is
// far beyond any real customer's history.
const maxUsageSpanDays = 20 * 366

// Usage is one account's daily usage as columns laid out from First: index i
// of every column is day First+i. Days the feed never sent are zero, which is
// what SPEC asks for: an absent day counts as zero in every column.
type Usage struct {
	First    Date
	DAU      []int
	WAU      []int
	MAU      []int
	Sessions []int
	Minutes  []int
	Features map[string][]int
}

// monthSpan is one usage month placed on the calendar.
type monthSpan struct {
	m     *UsageMonth
	start Date
	days  int
}

// BuildUsage lays an account's usage months out as one daily series. Months
// may come in any order, with gaps, partial (Days filled from the 1st) or
// with columns shorter than Days; a month whose name does not parse is
// skipped. When the same month arrives twice, the copy with more days wins,
// since the feed only ever adds days to a month.
func BuildUsage(months []UsageMonth) Usage {
	return buildUsage(months, nil, nil)
}

// buildUsage is BuildUsage laying out only the features in keep (every
// feature when keep is nil): the rules read only high-value features, and
// skipping the others halves the work over a large book. When scratch is
// not nil, the columns live in *scratch, grown as needed, so a caller that
// drops each Usage before building the next allocates once for a whole book.
func buildUsage(months []UsageMonth, keep []string, scratch *[]int) Usage {
	spans := placeMonths(months)
	if len(spans) == 0 {
		return Usage{}
	}
	first, last := spans[0].start, spans[0].start+Date(spans[0].days)-1
	for _, s := range spans[1:] {
		first = min(first, s.start)
		last = max(last, s.start+Date(s.days)-1)
	}
	first = max(first, last-maxUsageSpanDays+1)
	if keep == nil {
		keep = featureKeys(spans)
	}

	// One allocation holds every column; each column is capped so that no
	// append could spill into the next.
	n := int(last-first) + 1
	cols := columnSpace(n*(5+len(keep)), scratch)
	next := func() []int {
		c := cols[:n:n]
		cols = cols[n:]
		return c
	}
	u := Usage{First: first, DAU: next(), WAU: next(), MAU: next(), Sessions: next(), Minutes: next(),
		Features: make(map[string][]int, len(keep))}
	for _, key := range keep {
		u.Features[key] = next()
	}
	for _, s := range spans {
		u.fill(s)
	}
	return u
}

// columnSpace returns size zeroed ints, taken from scratch when there is one.
func columnSpace(size int, scratch *[]int) []int {
	if scratch == nil {
		return make([]int, size)
	}
	if cap(*scratch) < size {
		*scratch = make([]int, size)
	}
	cols := (*scratch)[:size]
	clear(cols)
	return cols
}

// placeMonths returns the months that hold at least one day, sorted so that
// a fuller copy of a month is written after a shorter one.
func placeMonths(months []UsageMonth) []monthSpan {
	spans := make([]monthSpan, 0, len(months))
	for i := range months {
		m := &months[i]
		start, err := FirstOfMonth(m.Month)
		if err != nil {
			continue
		}
		days := min(m.Days, daysInMonth(start))
		if days <= 0 {
			continue
		}
		spans = append(spans, monthSpan{m: m, start: start, days: days})
	}
	slices.SortStableFunc(spans, func(a, b monthSpan) int {
		if a.start != b.start {
			return cmp.Compare(a.start, b.start)
		}
		return cmp.Compare(a.days, b.days)
	})
	return spans
}

// featureKeys lists every feature key the months mention.
func featureKeys(spans []monthSpan) []string {
	keys := []string{}
	for _, s := range spans {
		for key := range s.m.Features {
			if !slices.Contains(keys, key) {
				keys = append(keys, key)
			}
		}
	}
	return keys
}

// daysInMonth returns the length of the month that starts on first.
func daysInMonth(first Date) int {
	t := first.Time()
	return int(DateOf(t.AddDate(0, 1, 0)) - first)
}

// fill copies one month into the series.
func (u *Usage) fill(s monthSpan) {
	copyDays(u.DAU, u.First, s, s.m.DAU)
	copyDays(u.WAU, u.First, s, s.m.WAU)
	copyDays(u.MAU, u.First, s, s.m.MAU)
	copyDays(u.Sessions, u.First, s, s.m.Sessions)
	copyDays(u.Minutes, u.First, s, s.m.Minutes)
	for key, dst := range u.Features {
		copyDays(dst, u.First, s, s.m.Features[key])
	}
}

// copyDays writes the first s.days entries of src into dst, which starts on
// first. Entries src lacks stay as they were; days before first are dropped.
func copyDays(dst []int, first Date, s monthSpan, src []int) {
	src = src[:min(s.days, len(src))]
	at := int(s.start - first)
	if at < 0 {
		if -at >= len(src) {
			return
		}
		src, at = src[-at:], 0
	}
	if at < len(dst) {
		copy(dst[at:], src)
	}
}

// Empty reports whether the account has no usage day at all.
func (u Usage) Empty() bool { return len(u.DAU) == 0 }

// Last returns the newest day of the series; meaningless when Empty.
func (u Usage) Last() Date { return u.First + Date(len(u.DAU)) - 1 }

// DAUOn returns the day's active users, 0 outside the data.
func (u Usage) DAUOn(d Date) int { return u.at(u.DAU, d) }

// WAUOn returns the distinct users of the 7 days ending on d, 0 outside the data.
func (u Usage) WAUOn(d Date) int { return u.at(u.WAU, d) }

// MAUOn returns the distinct users of the 30 days ending on d, 0 outside the data.
func (u Usage) MAUOn(d Date) int { return u.at(u.MAU, d) }

// SessionsOn returns the day's sessions, 0 outside the data.
func (u Usage) SessionsOn(d Date) int { return u.at(u.Sessions, d) }

// MinutesOn returns the day's minutes in product, 0 outside the data.
func (u Usage) MinutesOn(d Date) int { return u.at(u.Minutes, d) }

// FeatureOn returns the day's users of a feature, 0 outside the data or for
// a feature the account never used.
func (u Usage) FeatureOn(key string, d Date) int { return u.at(u.Features[key], d) }

func (u Usage) at(col []int, d Date) int {
	i := int(d - u.First)
	if i < 0 || i >= len(col) {
		return 0
	}
	return col[i]
}

// sum adds a column over the days from..to, both included.
func (u Usage) sum(col []int, from, to Date) int {
	lo := max(int(from-u.First), 0)
	hi := min(int(to-u.First), len(col)-1)
	total := 0
	for i := lo; i <= hi; i++ {
		total += col[i]
	}
	return total
}

// anyPositive reports whether a column is above zero on some day of from..to.
func (u Usage) anyPositive(col []int, from, to Date) bool {
	lo := max(int(from-u.First), 0)
	hi := min(int(to-u.First), len(col)-1)
	for i := lo; i <= hi; i++ {
		if col[i] > 0 {
			return true
		}
	}
	return false
}

// LatestDay returns the newest day present in any of the months: the book's
// T when given every account's usage. ok is false when no month holds a day.
func LatestDay(months []UsageMonth) (day Date, ok bool) {
	for i := range months {
		start, err := FirstOfMonth(months[i].Month)
		if err != nil {
			continue
		}
		days := min(months[i].Days, daysInMonth(start))
		if days <= 0 {
			continue
		}
		last := start + Date(days) - 1
		if !ok || last > day {
			day, ok = last, true
		}
	}
	return day, ok
}
