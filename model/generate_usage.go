package model

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// The usage simulator gives every seat of an account a user with a habit (how
// likely they are to show up on a weekday) and a rank. On each day the
// account's curve says which share of the seats is engaged: users whose rank
// is below that share may be active, the others are not. Counting distinct
// users over 7 and 30 days from the very same draws keeps dau, wau and mau
// consistent, and a growing or shrinking share moves mau the way real
// rollouts and departures do.

// genCurve describes how an account's use evolves.
type genCurve struct {
	firstUse  Date    // nobody is active before this day
	rampDays  int     // days from first use to the full engaged share
	level     float64 // engaged share of the seats at T, before any step
	trend     float64 // growth of the engaged share per 30 days in the drift window
	driftDays int     // length of the drift window, ending at T; before it the share is flat

	// A sudden change, as in a crisis (below 1) or a rollout (above 1): the
	// multipliers are reached genStepDays after stepAt. stepAt 0 means none.
	stepAt        Date
	stepEngaged   float64
	stepIntensity float64

	intensity float64    // multiplier of every user's daily propensity
	weekend   float64    // weekend activity relative to a weekday
	mix       genUserMix // share of power and occasional users; the rest are regular
	minutes   float64    // average minutes per session
}

// genUserMix splits an account's users by habit.
type genUserMix struct{ power, occasional float64 }

// genStepDays is how long a sudden change takes to fully show.
const genStepDays = 4

// genWarmupDays are simulated before the first emitted day, so that wau and
// mau on that day count the users of the days before it.
const genWarmupDays = 35

// genFeaturePlan says how much of an account's daily users use one feature,
// from which day on. A zero share means the account never touches it.
type genFeaturePlan struct {
	key   string
	share float64
	since Date
}

// engagedFrom fills dst with the share of seats engaged on each day from
// start on. Walking back from asOf, the drift is one multiplication a day.
func (c genCurve) engagedFrom(dst []float64, start, asOf Date) {
	perDay := math.Pow(1+c.trend, -1.0/30)
	drift := 1.0
	for i := len(dst) - 1; i >= 0; i-- {
		d := start + Date(i)
		if back := int(asOf - d); back > 0 && back <= c.driftDays {
			drift *= perDay
		}
		if d < c.firstUse {
			dst[i] = 0
			continue
		}
		ramp := min(1, float64(d-c.firstUse+1)/float64(max(c.rampDays, 1)))
		share := c.level * drift * ramp * c.step(d, c.stepEngaged)
		dst[i] = min(max(share, 0), 1)
	}
}

// step returns the multiplier of a sudden change on day d.
func (c genCurve) step(d Date, target float64) float64 {
	switch {
	case c.stepAt == 0 || d < c.stepAt:
		return 1
	case d >= c.stepAt+genStepDays:
		return target
	default:
		f := float64(d-c.stepAt+1) / genStepDays
		return 1 + (target-1)*f
	}
}

// genDaily holds the simulated columns from the first simulated day to T.
// Its buffers are reused from one account to the next: a book of thousands
// of accounts then costs a handful of allocations for the simulation.
type genDaily struct {
	start                       Date
	dau, wau, mau, sess, minute []int
	features                    [][]int // by feature plan index; nil when never used
	engaged, intensity          []float64
	wauDiff, mauDiff            []int
	buf                         []int // backs every int column above
}

// reset sizes the buffers for n days and f features and zeroes them.
func (s *genDaily) reset(start Date, n, f int) {
	s.start = start
	// Every column takes n days; the difference arrays of wau and mau run
	// 7 and 30 days past the end.
	need := (5+f)*n + (n + 7) + (n + 30)
	if cap(s.buf) < need {
		s.buf = make([]int, need)
	}
	buf := s.buf[:need]
	clear(buf)
	carve := func(k int) []int {
		col := buf[:k:k]
		buf = buf[k:]
		return col
	}
	s.dau, s.wau, s.mau, s.sess, s.minute = carve(n), carve(n), carve(n), carve(n), carve(n)
	s.wauDiff, s.mauDiff = carve(n+7), carve(n+30)
	s.features = s.features[:0]
	for range f {
		s.features = append(s.features, carve(n))
	}
	if cap(s.engaged) < n {
		s.engaged, s.intensity = make([]float64, n), make([]float64, n)
	}
	s.engaged, s.intensity = s.engaged[:n], s.intensity[:n]
}

// genSimulate runs the seats of an account day by day from start to asOf,
// into sim.
func genSimulate(r *rand.Rand, sim *genDaily, seats int, c genCurve, feats []genFeaturePlan, start, asOf Date) {
	n := max(int(asOf-start)+1, 0)
	sim.reset(start, n, len(feats))
	c.engagedFrom(sim.engaged, start, asOf)
	peak := 0.0
	for i := range n {
		d := start + Date(i)
		peak = max(peak, sim.engaged[i])
		f := c.intensity * c.step(d, c.stepIntensity) * (0.85 + 0.3*r.Float64())
		if genWeekend(d) {
			f *= c.weekend
		}
		sim.intensity[i] = f
	}

	// The seat-by-day loop is the hot spot of Generate: it draws from a
	// small generator seeded from the account's PCG, which keeps it
	// deterministic at a fraction of the cost.
	fast := genFastRand(r.Uint64())
	engaged, intensity := sim.engaged, sim.intensity
	// Changes of wau and mau are kept as difference arrays: a user active on
	// day d counts in wau on d..d+6, minus the days an earlier activity
	// already covered.
	for i := range seats {
		rank := (float64(i) + fast.float()) / float64(seats)
		habit, more := genHabit(&fast, c.mix)
		if rank >= peak {
			continue // a seat never engaged: nobody behind it ever logs in
		}
		last := -genWarmupDays - 30
		for d := range n {
			if rank >= engaged[d] || fast.float() >= habit*intensity[d] {
				continue
			}
			sim.dau[d]++
			sim.sess[d] += more.sessions(fast.float())
			sim.wauDiff[max(d, last+7)]++
			sim.wauDiff[d+7]--
			sim.mauDiff[max(d, last+30)]++
			sim.mauDiff[d+30]--
			last = d
		}
	}
	wau, mau := 0, 0
	for d := range n {
		wau += sim.wauDiff[d]
		mau += sim.mauDiff[d]
		sim.wau[d], sim.mau[d] = wau, mau
		sim.minute[d] = int(math.Round(float64(sim.sess[d]) * c.minutes * (0.8 + 0.4*r.Float64())))
	}
	for k, fp := range feats {
		if fp.share <= 0 {
			sim.features[k] = nil
			continue
		}
		col := sim.features[k]
		for d := range n {
			if start+Date(d) >= fp.since {
				col[d] = genBinomial(&fast, sim.dau[d], fp.share)
			}
		}
	}
}

// genFastRand is wyrand: a tiny, fast generator, good enough to decide who
// logs in on which day.
type genFastRand uint64

func (s *genFastRand) uint64() uint64 {
	*s += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(uint64(*s), uint64(*s)^0xe7037ed1a0b428db)
	return hi ^ lo
}

// float returns a number in [0, 1).
func (s *genFastRand) float() float64 { return float64(s.uint64()>>11) * 0x1p-53 }

// genSessions holds, for one kind of user, the chance of having at least
// k+2 sessions on a day they are active: each session is followed by
// another with the same chance.
type genSessions [7]float64

func genSessionOdds(more float64) genSessions {
	var s genSessions
	p := more
	for k := range s {
		s[k] = p
		p *= more
	}
	return s
}

var (
	genPowerSessions      = genSessionOdds(0.6)
	genRegularSessions    = genSessionOdds(0.35)
	genOccasionalSessions = genSessionOdds(0.1)
)

// sessions turns one uniform draw into a day's session count, 1 to 8.
func (s *genSessions) sessions(u float64) int {
	n := 1
	for n <= len(s) && u < s[n-1] {
		n++
	}
	return n
}

// genHabit draws a user's chance of being active on a weekday and how many
// sessions they tend to have on such a day.
func genHabit(r *genFastRand, mix genUserMix) (habit float64, more *genSessions) {
	switch x := r.float(); {
	case x < mix.power:
		return 0.75 + 0.2*r.float(), &genPowerSessions
	case x < mix.power+mix.occasional:
		return 0.05 + 0.15*r.float(), &genOccasionalSessions
	default:
		return 0.3 + 0.35*r.float(), &genRegularSessions
	}
}

// genWeekend reports whether d is a Saturday or Sunday (1970-01-01, day 0,
// was a Thursday).
func genWeekend(d Date) bool {
	wd := (int(d)%7 + 7 + 4) % 7 // 0 = Sunday
	return wd == 0 || wd == 6
}

// genBinomial draws how many of n users do something each does with chance
// p; large n uses the normal approximation, which is plenty for a demo.
func genBinomial(r *genFastRand, n int, p float64) int {
	if n <= 0 || p <= 0 {
		return 0
	}
	if p >= 1 {
		return n
	}
	if n < 25 {
		k := 0
		for range n {
			if r.float() < p {
				k++
			}
		}
		return k
	}
	// Box–Muller: one standard normal from two uniforms.
	z := math.Sqrt(-2*math.Log(1-r.float())) * math.Cos(2*math.Pi*r.float())
	k := math.Round(float64(n)*p + math.Sqrt(float64(n)*p*(1-p))*z)
	return int(min(max(k, 0), float64(n)))
}

// genMonths cuts the simulated days into the usage months of from..asOf
// and appends them to dst.
// Days before from, or before the simulation started, are zero; the first
// month counts its days from the 1st, the last one ends at asOf. A month
// without any use of a feature leaves the feature out: an absent feature
// counts as zero (docs/API.md), and the feed stays lean.
func genMonths(dst []UsageMonth, accountID string, sim *genDaily, feats []genFeaturePlan, from, asOf Date) []UsageMonth {
	for first := genMonthStart(from); first <= asOf; first = genNextMonth(first) {
		days := int(min(genNextMonth(first)-1, asOf)-first) + 1
		// The month's days that hold simulated data, as indexes of sim.
		lo := max(first, from, sim.start)
		hi := min(first+Date(days)-1, sim.start+Date(len(sim.dau))-1)
		var used []int
		for k := range feats {
			if genAnyPositive(sim.features[k], lo, hi, sim.start) {
				used = append(used, k)
			}
		}
		// One backing array per month keeps a large book to a few
		// allocations per account.
		buf := make([]int, (5+len(used))*days)
		column := func(src []int) []int {
			col := buf[:days:days]
			buf = buf[days:]
			for d := lo; d <= hi; d++ {
				col[d-first] = src[d-sim.start]
			}
			return col
		}
		m := UsageMonth{
			ID:        accountID + "/" + first.Month(),
			AccountID: accountID,
			Month:     first.Month(),
			Days:      days,
			DAU:       column(sim.dau),
			WAU:       column(sim.wau),
			MAU:       column(sim.mau),
			Sessions:  column(sim.sess),
			Minutes:   column(sim.minute),
			Features:  map[string][]int{},
		}
		for _, k := range used {
			m.Features[feats[k].key] = column(sim.features[k])
		}
		dst = append(dst, m)
	}
	return dst
}

// genAnyPositive reports whether col, which starts on start, is above zero
// on some day of lo..hi.
func genAnyPositive(col []int, lo, hi, start Date) bool {
	if col == nil {
		return false
	}
	for d := lo; d <= hi; d++ {
		if col[d-start] > 0 {
			return true
		}
	}
	return false
}

// genMonthStart returns the first day of d's month.
func genMonthStart(d Date) Date {
	t := d.Time()
	return d - Date(t.Day()-1)
}

// genNextMonth returns the first day of the month after the one starting on first.
func genNextMonth(first Date) Date {
	return DateOf(first.Time().AddDate(0, 1, 0))
}
