package model

// Windows of SPEC §2, in days. "Last N days" ends at T, inclusive.
const (
	monthDays     = 30 // MAU, average DAU, trend and util(T−30)
	weekDays      = 7
	weekWindows   = 4  // weekly use and feature adoption look at four weeks
	adoptedWeeks  = 3  // a feature is adopted when used in 3 of the 4 weeks
	recentDays    = 14 // significant_drop: T−13..T ...
	baselineStart = 41 // ... against T−41..T−14
)

// Metrics are an account's usage figures as of the book's day T. A pointer
// is nil where SPEC calls the figure undefined; it encodes as JSON null.
// Ratios are fractions (0.42 for 42%).
type Metrics struct {
	AsOf     Date `json:"as_of"`
	Licenses int  `json:"licenses"`

	MAU int `json:"mau"` // mau(T)
	WAU int `json:"wau"` // wau(T)
	// DAU is the average daily active users over the last 30 days.
	DAU float64 `json:"dau"`
	// Util is mau(T) / licenses; nil without licenses.
	Util *float64 `json:"util"`
	// Stickiness is DAU / MAU; 0 when MAU is 0.
	Stickiness float64 `json:"stickiness"`

	// WeeklyActive holds, for each of the four 7-day windows ending at T
	// (oldest first: T−27..T−21, …, T−6..T), the days of the window with an
	// active user (dau > 0), 0 to 7. A day absent from the data has none.
	WeeklyActive [weekWindows]int `json:"weekly_active"`
	// WeeklyUse holds when every one of those windows has an active user:
	// some day in it with dau > 0. The wau of a window's last day alone
	// would not do: it is zero when that day is missing from the data.
	WeeklyUse bool `json:"weekly_use"`
	// WeeklyUsePrior is the same test on the four windows before: T−55..T−28.
	WeeklyUsePrior bool `json:"weekly_use_prior"`

	// FeatureAdoption is the share of the catalogue's high-value features
	// used in at least 3 of the 4 weekly windows; nil when the catalogue has
	// no high-value feature.
	FeatureAdoption   *float64 `json:"feature_adoption"`
	FeaturesAdopted   []string `json:"features_adopted"`
	HighValueFeatures int      `json:"high_value_features"`

	Sessions7  int `json:"sessions_7d"`
	Sessions30 int `json:"sessions_30d"`
	Minutes7   int `json:"minutes_7d"`
	Minutes30  int `json:"minutes_30d"`
	// MinutesPerSession is over the last 30 days; nil without sessions.
	MinutesPerSession *float64 `json:"minutes_per_session"`

	// MAUPrev is mau(T−30).
	MAUPrev int `json:"mau_prev"`
	// Trend is MAU / MAUPrev − 1; nil when MAUPrev is 0.
	Trend *float64 `json:"trend"`
	// UtilPrev is utilization at T−30; nil without licenses.
	UtilPrev *float64 `json:"util_prev"`

	// DAURecent and DAUBaseline are the average DAU of T−13..T and of
	// T−41..T−14, the two sides of significant_drop.
	DAURecent   float64 `json:"dau_recent"`
	DAUBaseline float64 `json:"dau_baseline"`

	// FirstUseOn is the first day with an active user, up to T.
	FirstUseOn *Date `json:"first_use_on"`
	// TimeToFirstUse is days from onboarding start to FirstUseOn (0 when
	// the account was already in use before onboarding started).
	TimeToFirstUse *int `json:"time_to_first_use"`
	// RegularUseOn is the first day at which weekly use held, up to T.
	RegularUseOn *Date `json:"regular_use_on"`
	// TimeToRegularUse is days from onboarding start to RegularUseOn, with
	// the same floor at 0.
	TimeToRegularUse *int `json:"time_to_regular_use"`
}

// ComputeMetrics returns an account's usage figures as of t. highValue
// lists the keys of the catalogue's high-value features.
func ComputeMetrics(u Usage, a Account, highValue []string, t Date) Metrics {
	m := Metrics{
		AsOf:     t,
		Licenses: a.Licenses,
		MAU:      u.MAUOn(t),
		WAU:      u.WAUOn(t),
		MAUPrev:  u.MAUOn(t - monthDays),
	}
	m.DAU = u.averageDAU(t-monthDays+1, t)
	m.Util = utilization(m.MAU, a.Licenses)
	m.UtilPrev = utilization(m.MAUPrev, a.Licenses)
	if m.MAU > 0 {
		m.Stickiness = m.DAU / float64(m.MAU)
	}
	if m.MAUPrev > 0 {
		m.Trend = metricPtr(float64(m.MAU)/float64(m.MAUPrev) - 1)
	}

	m.WeeklyActive = u.weeklyActive(t)
	m.WeeklyUse = allPositive(m.WeeklyActive)
	m.WeeklyUsePrior = allPositive(u.weeklyActive(t - weekWindows*weekDays))
	m.FeaturesAdopted, m.FeatureAdoption = u.featureAdoption(highValue, t)
	m.HighValueFeatures = len(highValue)

	m.Sessions7 = u.sum(u.Sessions, t-weekDays+1, t)
	m.Sessions30 = u.sum(u.Sessions, t-monthDays+1, t)
	m.Minutes7 = u.sum(u.Minutes, t-weekDays+1, t)
	m.Minutes30 = u.sum(u.Minutes, t-monthDays+1, t)
	if m.Sessions30 > 0 {
		m.MinutesPerSession = metricPtr(float64(m.Minutes30) / float64(m.Sessions30))
	}

	m.DAURecent = u.averageDAU(t-recentDays+1, t)
	m.DAUBaseline = u.averageDAU(t-baselineStart, t-recentDays)

	m.FirstUseOn = u.firstActiveDay(t)
	m.TimeToFirstUse = daysSince(a.OnboardingStartedOn, m.FirstUseOn)
	m.RegularUseOn = u.firstWeeklyUseDay(t)
	m.TimeToRegularUse = daysSince(a.OnboardingStartedOn, m.RegularUseOn)
	return m
}

// utilization is mau / licenses, undefined (nil) without licenses.
func utilization(mau, licenses int) *float64 {
	if licenses <= 0 {
		return nil
	}
	return metricPtr(float64(mau) / float64(licenses))
}

func metricPtr[T any](v T) *T { return &v }

// averageDAU is the mean daily active users over from..to, both included.
func (u Usage) averageDAU(from, to Date) float64 {
	n := int(to-from) + 1
	if n <= 0 {
		return 0
	}
	return float64(u.sum(u.DAU, from, to)) / float64(n)
}

// weeklyActive returns, for each of the four 7-day windows ending at t
// (oldest first), the days of the window with an active user (dau > 0).
func (u Usage) weeklyActive(t Date) [weekWindows]int {
	var w [weekWindows]int
	for k := range weekWindows {
		end := weekEnd(t, k)
		for d := end - weekDays + 1; d <= end; d++ {
			if u.DAUOn(d) > 0 {
				w[k]++
			}
		}
	}
	return w
}

// weekEnd returns the last day of window k (0 = oldest) of the four weekly
// windows ending at t.
func weekEnd(t Date, k int) Date {
	return t - Date((weekWindows-1-k)*weekDays)
}

func allPositive(w [weekWindows]int) bool {
	for _, v := range w {
		if v <= 0 {
			return false
		}
	}
	return true
}

// featureAdoption returns the high-value features used (users > 0 on some
// day) in at least 3 of the four weekly windows ending at t, and their share
// of all high-value features.
func (u Usage) featureAdoption(highValue []string, t Date) ([]string, *float64) {
	adopted := []string{}
	if len(highValue) == 0 {
		return adopted, nil
	}
	for _, key := range highValue {
		col := u.Features[key]
		weeks := 0
		for k := range weekWindows {
			end := weekEnd(t, k)
			if u.anyPositive(col, end-weekDays+1, end) {
				weeks++
			}
		}
		if weeks >= adoptedWeeks {
			adopted = append(adopted, key)
		}
	}
	return adopted, metricPtr(float64(len(adopted)) / float64(len(highValue)))
}

// firstActiveDay returns the first day up to t with an active user.
func (u Usage) firstActiveDay(t Date) *Date {
	for i, v := range u.DAU {
		d := u.First + Date(i)
		if d > t {
			break
		}
		if v > 0 {
			return &d
		}
	}
	return nil
}

// firstWeeklyUseDay returns the first day up to t at which weekly use held:
// each of the four windows ending that day has a day with dau > 0.
func (u Usage) firstWeeklyUseDay(t Date) *Date {
	if u.Empty() {
		return nil
	}
	// lastActive[d % len] is the newest day up to d with an active user
	// (noActive when none): a window ending at e has one when that day is
	// within it. Only the last 22 days are ever looked at, so a small ring
	// holds them and a whole history costs no allocation.
	const noActive = Date(-1 << 30)
	var lastActive [32]Date
	at := func(d Date) Date { return lastActive[int(d-u.First)%len(lastActive)] }
	prev := noActive
	// The oldest window must reach into the data, so the earliest
	// candidate day is three weeks after the first.
	earliest := u.First + (weekWindows-1)*weekDays
	// Past a week after the last day of data, the newest window is empty.
	for d := u.First; d <= min(t, u.Last()+weekDays-1); d++ {
		if u.DAUOn(d) > 0 {
			prev = d
		}
		lastActive[int(d-u.First)%len(lastActive)] = prev
		if d < earliest {
			continue
		}
		held := true
		for k := range weekWindows {
			end := weekEnd(d, k)
			if at(end) <= end-weekDays {
				held = false
				break
			}
		}
		if held {
			return &d
		}
	}
	return nil
}

// daysSince returns the days from start to d, floored at 0, or nil without d.
func daysSince(start Date, d *Date) *int {
	if d == nil {
		return nil
	}
	return metricPtr(max(int(*d-start), 0))
}
