package model

import (
	"math"
	"slices"
)

// seriesDays is the length of the chart and sparkline series.
const seriesDays = 90

// AccountData is everything about one account the rules read.
type AccountData struct {
	Account  Account
	Contacts []Contact
	Usage    []UsageMonth
	NPS      []NPSResponse
	LastQBR  *Date // day of the latest note of kind qbr, if any
}

// AccountMetrics is everything the rules conclude about one account as of
// the book's day T. Metrics and Relationship are embedded, so their figures
// sit at the top level of the JSON object.
type AccountMetrics struct {
	AccountID string `json:"account_id"`
	Metrics
	Relationship

	// Dates of the account the sentences cite.
	PurchasedOn           Date  `json:"purchased_on"`
	OnboardingCompletedOn *Date `json:"onboarding_completed_on"`
	RenewalOn             Date  `json:"renewal_on"`
	// RenewalInDays is renewal_on − T; negative once the date has passed.
	RenewalInDays int `json:"renewal_in_days"`

	// LastQBR is the day of the latest QBR note; NextQBROn the day the next
	// one is due (nil until onboarding is complete); QBRDue whether that
	// day is T or before.
	LastQBR   *Date `json:"last_qbr"`
	NextQBROn *Date `json:"next_qbr_on"`
	QBRDue    bool  `json:"qbr_due"`

	// MAURank is the account's place in the book by mau(T), 1 = highest,
	// ties by id in ascending byte order.
	MAURank int `json:"mau_rank"`

	Health Health `json:"health"`

	// Segments, Alerts and Flags hold keys, in the order of SegmentKeys,
	// AlertKeys and FlagKeys.
	Segments []string `json:"segments"`
	Alerts   []string `json:"alerts"`
	Flags    []string `json:"flags"`
	// Reasons maps each of those keys to a sentence with the figures behind it.
	Reasons map[string]string `json:"reasons"`
	// AlertNotes tells, per alert, what happened and what to do.
	AlertNotes []AlertNote `json:"alert_notes"`

	// Urgency orders the book: sort by it descending. Accounts with an
	// alert come first, then the danger zone, then approaching danger, then
	// the rest; within each group, lower health first. It is
	// group×10000 + (1000 − health×10), with group 3, 2, 1, 0.
	Urgency int `json:"urgency"`

	// UtilSeries, MAUSeries and DAUSeries cover the same 90 days, oldest
	// first; UtilSeries is nil without licenses.
	UtilSeries []float64 `json:"util_series"`
	MAUSeries  []int     `json:"mau_series"`
	DAUSeries  []int     `json:"dau_series"`

	// Suggested holds the keys of the playbooks its segments and alerts trigger.
	Suggested []string `json:"suggested"`
}

// BookMetrics is the result of the rules over a whole book.
type BookMetrics struct {
	// AsOf is T, the newest usage day of the book.
	AsOf Date `json:"as_of"`
	// UsageKnown is false when the book has no usage day at all; AsOf is
	// then the newest other date the book knows (see BookDay).
	UsageKnown bool `json:"usage_known"`
	// DangerLine is the health at or below which an account is in the
	// danger zone; DangerLineFixed says it came from config.
	DangerLine      float64 `json:"danger_line"`
	DangerLineFixed bool    `json:"danger_line_fixed"`
	// Accounts are in the order of the input.
	Accounts   []AccountMetrics `json:"accounts"`
	Objectives Objectives       `json:"objectives"`
}

// ComputeBook runs every rule of SPEC §2 over a book: the entry point after
// each sync or change of config. th should have passed Validate; bad
// thresholds give odd results, never a panic.
func ComputeBook(accts []AccountData, features []Feature, playbooks []Playbook, th Thresholds) BookMetrics {
	t, known := BookDay(accts)
	c := NewBookComputer(t, known, len(accts), features, playbooks, th)
	for i := range accts {
		c.Add(&accts[i])
	}
	return c.Finish()
}

// BookComputer is ComputeBook one account at a time, for a store that
// streams a large book: what an account's usage gives is worked out as it
// is added, so its usage months can be dropped at once; what depends on
// the whole book (ranks, the danger line, segments, alerts) waits for
// Finish. Adding every account of a book in order and finishing gives what
// ComputeBook gives.
type BookComputer struct {
	t         Date
	known     bool
	highValue []string
	playbooks []Playbook
	th        Thresholds
	ms        []AccountMetrics
	scratch   []int // usage columns, reused from one account to the next
}

// NewBookComputer starts a book whose day T is t (BookDay; known is false
// when the book has no usage day), of about n accounts.
func NewBookComputer(t Date, known bool, n int, features []Feature, playbooks []Playbook, th Thresholds) *BookComputer {
	return &BookComputer{t: t, known: known, highValue: highValueKeys(features), playbooks: playbooks, th: th,
		ms: make([]AccountMetrics, 0, n)}
}

// Add works out what does not depend on the rest of the book; a keeps
// nothing of it.
func (c *BookComputer) Add(a *AccountData) {
	c.ms = append(c.ms, computeAccount(a, c.highValue, c.t, c.th, &c.scratch))
}

// Finish sets what depends on the whole book and returns it, the accounts
// in the order they were added.
func (c *BookComputer) Finish() BookMetrics {
	ms, th := c.ms, c.th
	rankByMAU(ms)
	line := th.dangerLineOf(ms)
	b := bookContext{dangerLine: line, topCount: topCount(th.TopCustomersShare, len(ms))}
	for i := range ms {
		classify(&ms[i], th, b, c.playbooks)
	}
	return BookMetrics{
		AsOf:            c.t,
		UsageKnown:      c.known,
		DangerLine:      line,
		DangerLineFixed: th.DangerLine != nil,
		Accounts:        ms,
		Objectives:      ComputeObjectives(ms, th),
	}
}

// BookDay returns T, the newest usage day of the book. With no usage at
// all it falls back to the newest past event the book records (purchase,
// onboarding, NPS answer, QBR) so that day counts stay meaningful, and
// reports known = false. Renewal dates are left out: they lie in the future.
func BookDay(accts []AccountData) (t Date, known bool) {
	for i := range accts {
		if d, ok := LatestDay(accts[i].Usage); ok && (!known || d > t) {
			t, known = d, true
		}
	}
	if known {
		return t, true
	}
	first := true
	see := func(d Date) {
		if first || d > t {
			t, first = d, false
		}
	}
	for i := range accts {
		a := &accts[i]
		see(a.Account.PurchasedOn)
		see(a.Account.OnboardingStartedOn)
		if a.Account.OnboardingCompletedOn != nil {
			see(*a.Account.OnboardingCompletedOn)
		}
		for _, n := range a.NPS {
			see(n.RespondedOn)
		}
		if a.LastQBR != nil {
			see(*a.LastQBR)
		}
	}
	return t, false
}

// highValueKeys returns the keys of the catalogue's high-value features,
// each once, in catalogue order.
func highValueKeys(features []Feature) []string {
	keys := []string{}
	for _, f := range features {
		if f.HighValue && !slices.Contains(keys, f.Key) {
			keys = append(keys, f.Key)
		}
	}
	return keys
}

// computeAccount works out everything that does not depend on the rest of
// the book. The usage it builds lives in scratch and is dropped on return.
func computeAccount(a *AccountData, highValue []string, t Date, th Thresholds, scratch *[]int) AccountMetrics {
	u := buildUsage(a.Usage, highValue, scratch)
	m := AccountMetrics{
		AccountID:             a.Account.ID,
		Metrics:               ComputeMetrics(u, a.Account, highValue, t),
		Relationship:          ComputeRelationship(a.Contacts, a.NPS, t),
		PurchasedOn:           a.Account.PurchasedOn,
		OnboardingCompletedOn: a.Account.OnboardingCompletedOn,
		RenewalOn:             a.Account.RenewalOn,
		RenewalInDays:         int(a.Account.RenewalOn - t),
		LastQBR:               a.LastQBR,
	}
	m.NextQBROn = nextQBR(a.Account.OnboardingCompletedOn, a.LastQBR, t, th.QBRIntervalDays)
	m.QBRDue = m.NextQBROn != nil && *m.NextQBROn <= t
	m.Health = ScoreHealth(HealthInputs{
		Util:            m.Util,
		Stickiness:      m.Stickiness,
		FeatureAdoption: m.FeatureAdoption,
		Trend:           m.Trend,
		NPS:             m.NPS,
		Champion:        m.Champion,
	}, th.Weights)
	m.setSeries(u, t)
	return m
}

// nextQBR returns the day the next QBR is due: interval days after the later
// of onboarding completion and the last QBR. There is none before onboarding
// is complete as of t. A QBR held before completion does not count: the
// quarterly rhythm starts at completion.
func nextQBR(completed, last *Date, t Date, interval int) *Date {
	if completed == nil || *completed > t {
		return nil
	}
	from := *completed
	if last != nil && *last > from {
		from = *last
	}
	return metricPtr(from + Date(interval))
}

// setSeries fills the 90-day chart series ending at t.
func (m *AccountMetrics) setSeries(u Usage, t Date) {
	m.DAUSeries = make([]int, seriesDays)
	m.MAUSeries = make([]int, seriesDays)
	if m.Licenses > 0 {
		m.UtilSeries = make([]float64, seriesDays)
	}
	for i := range seriesDays {
		d := t - seriesDays + 1 + Date(i)
		m.DAUSeries[i] = u.DAUOn(d)
		m.MAUSeries[i] = u.MAUOn(d)
		if m.UtilSeries != nil {
			m.UtilSeries[i] = float64(m.MAUSeries[i]) / float64(m.Licenses)
		}
	}
}

// dangerLineOf returns the configured danger line, or the book's health at
// the DangerPercentile by nearest rank.
func (th Thresholds) dangerLineOf(ms []AccountMetrics) float64 {
	if th.DangerLine != nil {
		return *th.DangerLine
	}
	health := make([]float64, len(ms))
	for i := range ms {
		health[i] = ms[i].Health.Score
	}
	return DangerLine(health, th.DangerPercentile)
}

// classify sets what depends on the whole book: segments, alerts, flags,
// the sentences behind them, urgency and suggested plays.
func classify(m *AccountMetrics, th Thresholds, b bookContext, playbooks []Playbook) {
	m.Segments = []string{}
	for _, key := range SegmentKeys {
		if segmentHolds(key, m, th, b) {
			m.Segments = append(m.Segments, key)
		}
	}
	m.Alerts = []string{}
	for _, key := range AlertKeys {
		if alertHolds(key, m, th) {
			m.Alerts = append(m.Alerts, key)
		}
	}
	m.Flags = []string{}
	if m.Licenses <= 0 {
		m.Flags = append(m.Flags, FlagNoLicenses)
	}
	if m.MAU == 0 && m.DAU == 0 {
		m.Flags = append(m.Flags, FlagNoUsage)
	}

	m.Reasons = map[string]string{}
	for _, keys := range [][]string{m.Segments, m.Alerts, m.Flags} {
		for _, key := range keys {
			m.Reasons[key] = Explain(key, m, th, b.dangerLine)
		}
	}
	m.AlertNotes = []AlertNote{}
	for _, key := range m.Alerts {
		m.AlertNotes = append(m.AlertNotes, DescribeAlert(key, m, th, playbooks))
	}
	m.Suggested = SuggestPlays(append(slices.Clone(m.Segments), m.Alerts...), playbooks)
	m.Urgency = urgency(m)
}

// urgency computes the sort key documented on AccountMetrics.Urgency.
func urgency(m *AccountMetrics) int {
	group := 0
	switch {
	case len(m.Alerts) > 0:
		group = 3
	case slices.Contains(m.Segments, SegmentDangerZone):
		group = 2
	case slices.Contains(m.Segments, SegmentApproachingDanger):
		group = 1
	}
	health := min(max(m.Health.Score, 0), 100)
	return group*10000 + 1000 - int(math.Round(health*10))
}
