package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// GenOptions says what book Generate makes. Zero fields take their defaults.
type GenOptions struct {
	Seed     int64
	Accounts int  // accounts per CSM; 200 when zero
	Days     int  // days of usage history ending at AsOf; 365 when zero
	AsOf     Date // T, the last usage day; 2026-11-20 when zero
	CSMs     int  // number of CSMs, one book each; 2 when zero
}

// genDefaultAsOf is a fixed day rather than today, so that a generated book
// never depends on the clock.
var genDefaultAsOf = MakeDate(2026, time.November, 20)

func (o GenOptions) withDefaults() GenOptions {
	if o.Accounts <= 0 {
		o.Accounts = 200
	}
	if o.Days <= 0 {
		o.Days = 365
	}
	if o.AsOf == 0 {
		o.AsOf = genDefaultAsOf
	}
	if o.CSMs <= 0 {
		o.CSMs = 2
	}
	return o
}

// Generate makes one realistic book per CSM for demos, tests and the
// reference server. The same options always give the same books: every
// random draw comes from a PCG seeded from Seed, the book and the account.
//
// Each account follows a usage pattern (healthy, growing, flat, low,
// declining, crisis, stalled after onboarding, ramping up, surprise rollout),
// dealt from a deck so that even a small book holds every pattern, and with
// it every segment and alert of SPEC §2.
func Generate(opts GenOptions) []Book {
	opts = opts.withDefaults()
	books := make([]Book, opts.CSMs)
	for c := range books {
		books[c] = genBook(opts, c)
	}
	return books
}

// genPattern is how an account's use evolves over its history.
type genPattern int

const (
	genHealthy genPattern = iota
	genGrowing
	genFlat
	genLow
	genDeclining
	genCrisis   // strong, then a sudden drop in the last two weeks
	genStalled  // onboarding done weeks ago, the team never took off
	genRamping  // still onboarding, users arriving
	genSurprise // a rollout to a new team in the last weeks
	genPatternCount
)

// genPatternShare is each pattern's share of a book, in percent.
var genPatternShare = [genPatternCount]int{
	genHealthy: 31, genGrowing: 10, genFlat: 14, genLow: 10, genDeclining: 9,
	genCrisis: 4, genStalled: 7, genRamping: 11, genSurprise: 4,
}

// genMinSeats keeps the patterns that need a crowd to show (a 30% drop of
// two users is noise) on accounts with enough licenses.
var genMinSeats = [genPatternCount]int{
	genGrowing: 12, genDeclining: 12, genCrisis: 25, genSurprise: 25,
}

// genFate is what became of an account's champion.
type genFate int

const (
	genChampionStays genFate = iota
	genChampionReplaced
	genChampionGone // left, nobody took over
	genNoChampion   // never named one
)

// genPlan is what the book decides about an account before its details are
// drawn: the parts that must be unique or spread across the book.
type genPlan struct {
	id       string
	pattern  genPattern
	fate     genFate
	licenses int
	name     string
	domain   string
	industry string
	region   string
	currency string
}

// genAccount is an account being generated, with what later parts need.
type genAccount struct {
	plan      genPlan
	acct      Account
	curve     genCurve
	contacts  []Contact
	champion  *Contact // the active champion, if any
	lostChamp *Date    // when an unreplaced champion left
}

// genRand returns the random source of one book (account 0) or one account.
func genRand(seed int64, book, account int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), genMix(uint64(book)<<32|uint64(account))))
}

// genMix scrambles a stream number (splitmix64), so that neighbouring
// accounts get unrelated streams.
func genMix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

func genUniform(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// genBetween returns an int in lo..hi, both included.
func genBetween(r *rand.Rand, lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}

func genPick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// genAt returns a moment of day d.
func genAt(d Date, hour, minute int) time.Time {
	return d.Time().Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

// genWorkTime returns a moment of day d during office hours.
func genWorkTime(r *rand.Rand, d Date) time.Time {
	return genAt(d, genBetween(r, 8, 17), 5*r.IntN(12))
}

func genCSM(c int) CSM {
	if c < len(genCSMs) {
		return genCSMs[c]
	}
	n := c + 1
	return CSM{ID: fmt.Sprintf("c%d", n), Name: fmt.Sprintf("CSM %d", n), Email: fmt.Sprintf("csm%d@example.com", n)}
}

func genBook(opts GenOptions, c int) Book {
	csm := genCSM(c)
	b := Book{
		CSM:        csm,
		Features:   DefaultFeatures(),
		Playbooks:  DefaultPlaybooks(),
		Checklists: DefaultChecklists(),
	}
	plans := genPlans(genRand(opts.Seed, c, 0), csm.ID, opts.Accounts)
	// Usage is the bulk of a book; sizing it once spares a large book
	// repeated copies of a growing slice.
	from := opts.AsOf - Date(opts.Days) + 1
	months := 0
	for m := genMonthStart(from); m <= opts.AsOf; m = genNextMonth(m) {
		months++
	}
	b.Accounts = make([]Account, 0, len(plans))
	b.Usage = make([]UsageMonth, 0, len(plans)*months)
	var sim genDaily
	for i, p := range plans {
		genOneAccount(&b, genRand(opts.Seed, c, i+1), &sim, p, opts)
	}
	return b
}

// ---- The book's plan ----

// genPlans deals patterns and champion fates from decks, draws licenses and
// gives every account a unique name.
func genPlans(r *rand.Rand, csmID string, n int) []genPlan {
	patterns := genDeck(r, n, genPatternShare[:], 2)
	fates := genDeck(r, n, []int{88, 6, 3, 3}, 2)
	plans := make([]genPlan, n)
	names := map[string]bool{}
	for i := range plans {
		p := &plans[i]
		p.id = fmt.Sprintf("%s-a%04d", csmID, i+1)
		p.pattern = genPattern(patterns[i])
		p.fate = genFate(fates[i])
		p.licenses = genLicenses(r, genMinSeats[p.pattern])
		genName(r, p, names)
	}
	genStretchLicenses(plans)
	return plans
}

// genDeck returns n draws whose counts follow the shares, with at least
// least of each kind when n leaves room for it, in random order.
func genDeck(r *rand.Rand, n int, shares []int, least int) []int {
	total := 0
	for _, s := range shares {
		total += s
	}
	if n < least*len(shares)*4 {
		least = 0
	}
	counts := make([]int, len(shares))
	sum := 0
	for k, s := range shares {
		counts[k] = max(least, (n*s+total/2)/total)
		sum += counts[k]
	}
	// Rounding can miss n by a few; the most common kind absorbs it.
	for sum != n {
		big := 0
		for k := range counts {
			if counts[k] > counts[big] {
				big = k
			}
		}
		if sum < n {
			counts[big]++
			sum++
		} else {
			counts[big]--
			sum--
		}
	}
	deck := make([]int, 0, n)
	for k, c := range counts {
		for range c {
			deck = append(deck, k)
		}
	}
	r.Shuffle(len(deck), func(i, j int) { deck[i], deck[j] = deck[j], deck[i] })
	return deck
}

// genLicenses draws a license count from a log-normal around 35 seats: most
// customers are small, a few are large.
func genLicenses(r *rand.Rand, least int) int {
	n := 0
	for range 20 {
		n = int(math.Round(35 * math.Exp(1.1*r.NormFloat64())))
		n = min(max(n, 5), 2000)
		if n >= least {
			return n
		}
	}
	return max(n, least)
}

// genStretchLicenses makes the book span the whole range of SPEC (5 to 2,000
// seats): the largest account becomes a 2,000-seat enterprise, the smallest
// of the patterns that need no crowd a five-seat team.
func genStretchLicenses(plans []genPlan) {
	if len(plans) < 20 {
		return
	}
	lo, hi := -1, 0
	for i, p := range plans {
		if genMinSeats[p.pattern] == 0 && (lo < 0 || p.licenses < plans[lo].licenses) {
			lo = i
		}
		if p.licenses > plans[hi].licenses {
			hi = i
		}
	}
	plans[hi].licenses = 2000
	if lo >= 0 && lo != hi {
		plans[lo].licenses = 5
	}
}

// genName picks the region, currency, industry and a name not yet in use.
func genName(r *rand.Rand, p *genPlan, used map[string]bool) {
	pick := r.IntN(100)
	for _, reg := range genRegions {
		if pick < reg.weight {
			p.region, p.currency = reg.name, genPick(r, reg.currencies)
			break
		}
		pick -= reg.weight
	}
	ind := genPick(r, genIndustries)
	p.industry = ind.name
	for attempt := 0; ; attempt++ {
		noun := genPick(r, ind.nouns)
		var base string
		switch x := r.IntN(100); {
		case x < 18 || (x < 45 && (ind.name == "Legal" || ind.name == "Financial services")):
			// Two different partners: the second skips past the first.
			a := r.IntN(len(genPartners))
			b := (a + 1 + r.IntN(len(genPartners)-1)) % len(genPartners)
			base = genPartners[a] + " & " + genPartners[b] + " " + noun
		default:
			base = genPick(r, genBrands) + " " + noun
		}
		name := base
		if r.IntN(100) < 30 {
			name += " " + genPick(r, genSuffixes[p.currency])
		}
		// Only a book of tens of thousands of accounts runs out of
		// combinations; a numbered branch then keeps the name unique.
		if attempt > 30 {
			name = fmt.Sprintf("%s (%s %d)", base, p.region, attempt-30)
		}
		if !used[name] {
			used[name] = true
			p.name = name
			p.domain = genDomain(base)
			return
		}
	}
}

var genASCIIFold = strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ü", "u", "ö", "o", "ñ", "n", "ç", "c", "'", "")

// genDomain turns a company name into an email domain of the reserved
// .example top-level domain: "Cedar & Pike Legal" → cedar-pike-legal.example.
func genDomain(name string) string {
	var parts []string
	for _, w := range strings.Fields(genASCIIFold.Replace(strings.ToLower(name))) {
		var b strings.Builder
		for _, c := range w {
			if c >= 'a' && c <= 'z' {
				b.WriteRune(c)
			}
		}
		if b.Len() > 0 {
			parts = append(parts, b.String())
		}
	}
	return strings.Join(parts, "-") + ".example"
}

// ---- One account ----

func genOneAccount(b *Book, r *rand.Rand, sim *genDaily, p genPlan, opts GenOptions) {
	g := &genAccount{plan: p}
	g.acct = genAccountRecord(r, p, opts.AsOf)
	g.curve = genCurveFor(r, p.pattern, g.acct, opts.AsOf)
	genContacts(r, g, opts.AsOf)
	b.Accounts = append(b.Accounts, g.acct)

	from := opts.AsOf - Date(opts.Days) + 1
	feats := genFeaturePlans(r, p.pattern, b.Features, g.curve.firstUse, from, opts.AsOf)
	simStart := max(from-genWarmupDays, g.curve.firstUse)
	genSimulate(r, sim, p.licenses, g.curve, feats, simStart, opts.AsOf)
	b.Usage = genMonths(b.Usage, p.id, sim, feats, from, opts.AsOf)
	genContactsSeen(g.contacts, sim, from, opts.AsOf)
	b.Contacts = append(b.Contacts, g.contacts...)

	b.NPS = append(b.NPS, genNPS(r, g, opts.AsOf)...)
	notes, tasks := genNotes(r, g, b.CSM.Name, opts.AsOf)
	b.Notes = append(b.Notes, notes...)
	b.Tasks = append(b.Tasks, tasks...)
	b.ChecklistItems = append(b.ChecklistItems, genChecklistItems(r, g, b.Checklists, opts.AsOf)...)
	b.PlayRuns = append(b.PlayRuns, genPlayRuns(r, g, b.Playbooks, opts.AsOf)...)
}

// genAccountRecord draws the account's dates, stage, tier and money. The
// dates follow the pattern: a ramping account was bought weeks ago and is
// still onboarding; a stalled one finished onboarding weeks ago.
func genAccountRecord(r *rand.Rand, p genPlan, asOf Date) Account {
	var purchased, started Date
	var completed *Date
	switch p.pattern {
	case genRamping:
		age := genBetween(r, 8, 150)
		purchased = asOf - Date(age)
		started = purchased + Date(genBetween(r, 1, min(10, age-1)))
	case genStalled:
		done := asOf - Date(genBetween(r, 20, 80))
		completed = &done
		started = done - Date(genBetween(r, 30, 75))
		purchased = started - Date(genBetween(r, 2, 14))
	default:
		purchased = asOf - Date(genBetween(r, 200, 1460))
		started = purchased + Date(genBetween(r, 2, 14))
		done := started + Date(genBetween(r, 25, 90))
		completed = &done
	}
	renewal := genNextAnniversary(purchased, asOf)

	stage := StageOngoing
	switch {
	case completed == nil:
		stage = StageOnboarding
	case renewal-asOf <= 60:
		stage = StageRenewal
	case asOf-*completed <= 540:
		stage = StageAdoption
	}

	tier := genTier(r, p.licenses)
	return Account{
		ID:                    p.id,
		Name:                  p.name,
		Tier:                  tier,
		Stage:                 stage,
		Licenses:              p.licenses,
		ARRCents:              genARR(r, tier, p.licenses),
		Currency:              p.currency,
		PurchasedOn:           purchased,
		OnboardingStartedOn:   started,
		OnboardingCompletedOn: completed,
		RenewalOn:             renewal,
		AccountExecutive:      genPick(r, genExecutives),
		Industry:              p.industry,
		Region:                p.region,
		UpdatedAt:             genWorkTime(r, max(asOf-Date(r.IntN(60)), purchased)),
	}
}

// genNextAnniversary returns the first anniversary of the purchase after
// asOf: contracts renew yearly on the day they were signed.
func genNextAnniversary(purchased, asOf Date) Date {
	t := purchased.Time()
	for years := 1; ; years++ {
		if d := DateOf(t.AddDate(years, 0, 0)); d > asOf {
			return d
		}
	}
}

// genTier follows size: big accounts get a named CSM, small ones are pooled.
func genTier(r *rand.Rand, licenses int) string {
	x := r.IntN(100)
	switch {
	case licenses >= 250:
		if x < 90 {
			return TierHighTouch
		}
		return TierMidTouch
	case licenses >= 40:
		if x < 15 {
			return TierHighTouch
		}
		if x < 85 {
			return TierMidTouch
		}
		return TierTechTouch
	default:
		if x < 25 {
			return TierMidTouch
		}
		return TierTechTouch
	}
}

// genARR prices the seats by tier, with a volume discount, rounded to 100.
func genARR(r *rand.Rand, tier string, licenses int) int64 {
	lo, hi := 180.0, 420.0
	switch tier {
	case TierHighTouch:
		lo, hi = 540, 960
	case TierMidTouch:
		lo, hi = 360, 720
	}
	seat := genUniform(r, lo, hi)
	switch {
	case licenses > 500:
		seat *= 0.75
	case licenses > 200:
		seat *= 0.85
	}
	return int64(math.Round(seat*float64(licenses)/100)) * 100 * 100
}

// genCurveFor draws the shape of the account's use from its pattern.
func genCurveFor(r *rand.Rand, pat genPattern, a Account, asOf Date) genCurve {
	c := genCurve{
		firstUse:  a.OnboardingStartedOn + Date(genBetween(r, 1, 14)),
		rampDays:  genBetween(r, 30, 90),
		intensity: 1,
		weekend:   genUniform(r, 0.08, 0.3),
		mix:       genUserMix{power: 0.2, occasional: 0.3},
		minutes:   genUniform(r, 6, 30),
		driftDays: genBetween(r, 60, 150),
	}
	switch pat {
	case genHealthy:
		// Well above the 0.80 line, so noise alone does not cross it.
		c.level, c.trend = genUniform(r, 0.88, 1), genUniform(r, -0.04, 0.05)
		c.mix = genUserMix{power: 0.25, occasional: 0.25}
	case genGrowing:
		c.level, c.trend = genUniform(r, 0.5, 0.85), genUniform(r, 0.12, 0.2)
		c.driftDays = genBetween(r, 45, 120)
	case genFlat:
		c.level, c.trend = genUniform(r, 0.45, 0.8), genUniform(r, -0.025, 0.025)
		c.mix = genUserMix{power: 0.15, occasional: 0.35}
	case genLow:
		c.level, c.trend = genUniform(r, 0.15, 0.5), genUniform(r, -0.05, 0.04)
		c.mix = genUserMix{power: 0.08, occasional: 0.55}
		c.intensity = 0.8
	case genDeclining:
		c.level, c.trend = genUniform(r, 0.3, 0.65), genUniform(r, -0.25, -0.1)
	case genCrisis:
		c.level, c.trend = genUniform(r, 0.8, 0.98), genUniform(r, -0.02, 0.04)
		c.mix = genUserMix{power: 0.25, occasional: 0.2}
		c.stepAt = asOf - Date(genBetween(r, 8, 13))
		c.stepEngaged, c.stepIntensity = genUniform(r, 0.3, 0.55), genUniform(r, 0.25, 0.5)
	case genStalled:
		c.firstUse = a.OnboardingStartedOn + Date(genBetween(r, 3, 20))
		c.rampDays = genBetween(r, 20, 40)
		c.level = genUniform(r, 0.12, 0.32)
		c.mix = genUserMix{power: 0.05, occasional: 0.6}
		c.intensity = 0.7
	case genRamping:
		c.rampDays = genBetween(r, 20, 60)
		c.level = genUniform(r, 0.45, 0.95)
	case genSurprise:
		c.level = genUniform(r, 0.45, 0.62)
		c.stepAt = asOf - Date(genBetween(r, 10, 23))
		c.stepEngaged, c.stepIntensity = genUniform(r, 1.45, 1.6), 1.1
	}
	return c
}

// genFeatureAppetite is the chance that an account of a pattern uses a given
// high-value feature at all.
var genFeatureAppetite = [genPatternCount]float64{
	genHealthy: 0.8, genGrowing: 0.8, genSurprise: 0.7, genCrisis: 0.7, genFlat: 0.5,
	genRamping: 0.5, genDeclining: 0.5, genLow: 0.3, genStalled: 0.2,
}

// genFeatureUse is how common an ordinary feature is: the chance an account
// uses it at all, and the range of its share of the daily users.
var genFeatureUse = map[string]struct{ chance, lo, hi float64 }{
	"dashboards":    {1, 0.5, 0.9},
	"alerts":        {0.9, 0.2, 0.5},
	"collaboration": {0.8, 0.15, 0.45},
	"mobile":        {0.6, 0.05, 0.3},
	"api":           {0.35, 0.02, 0.1},
	"admin_console": {1, 0.02, 0.06},
}

// genFeaturePlans decides which features the account uses, how much, and
// since when; some high-value features are adopted late, some never.
func genFeaturePlans(r *rand.Rand, pat genPattern, features []Feature, firstUse, from, asOf Date) []genFeaturePlan {
	plans := make([]genFeaturePlan, len(features))
	for i, f := range features {
		use, known := genFeatureUse[f.Key]
		switch {
		case f.HighValue:
			use.chance, use.lo, use.hi = genFeatureAppetite[pat], 0.1, 0.45
		case !known:
			use.chance, use.lo, use.hi = 0.7, 0.1, 0.4
		}
		plans[i] = genFeaturePlan{key: f.Key, since: firstUse}
		if r.Float64() >= use.chance {
			continue
		}
		plans[i].share = genUniform(r, use.lo, use.hi)
		if f.HighValue && r.IntN(100) < 30 {
			start := max(from, firstUse)
			if start < asOf {
				plans[i].since = start + Date(r.IntN(int(asOf-start)))
			}
		}
	}
	return plans
}

// ---- Contacts ----
