package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// The people of a generated account: contacts (and champions who left) and
// their NPS answers.

// genContacts draws 2–6 people: the champion (unless the account never named
// one), often a sponsor and an admin, and some users. The champion's fate
// follows the plan.
func genContacts(r *rand.Rand, g *genAccount, asOf Date) {
	a := &g.acct
	used := map[string]bool{}
	add := func(role string, champion bool) *Contact {
		name := genPersonName(r, used)
		c := Contact{
			ID:         fmt.Sprintf("%s-p%d", a.ID, len(g.contacts)+1),
			AccountID:  a.ID,
			Name:       name,
			Email:      genEmail(name, g.plan.domain),
			Title:      genPick(r, genTitles[role]),
			Role:       role,
			IsChampion: champion,
		}
		if g.curve.firstUse <= asOf && (role != RoleSponsor || r.IntN(2) == 0) {
			seen := asOf - Date(r.IntN(max(1, min(25, int(asOf-g.curve.firstUse)+1))))
			c.LastActiveOn = &seen
		}
		g.contacts = append(g.contacts, c)
		return &g.contacts[len(g.contacts)-1]
	}
	leave := func(c *Contact, day Date) {
		day = max(day, a.PurchasedOn)
		c.LeftCompanyOn = &day
		if c.LastActiveOn != nil && *c.LastActiveOn > day {
			// Last seen in the days before leaving, if the product was in
			// use by then.
			c.LastActiveOn = nil
			if seen := day - Date(r.IntN(10)); seen >= g.curve.firstUse {
				c.LastActiveOn = &seen
			}
		}
	}
	life := int(asOf - a.PurchasedOn)

	switch g.plan.fate {
	case genChampionReplaced:
		old := add(RoleChampion, true)
		leave(old, asOf-Date(genBetween(r, min(60, life), min(300, life))))
	case genChampionGone:
		old := add(RoleChampion, true)
		leave(old, asOf-Date(r.IntN(min(90, life)+1)))
		g.lostChamp = old.LeftCompanyOn
	}
	if g.plan.fate != genNoChampion && g.plan.fate != genChampionGone {
		add(RoleChampion, true)
	}
	want := genBetween(r, 2, 6)
	if len(g.contacts) < want && r.IntN(100) < 70 {
		add(RoleSponsor, false)
	}
	if len(g.contacts) < want && r.IntN(100) < 60 {
		add(RoleAdmin, false)
	}
	for len(g.contacts) < want {
		c := add(RoleUser, false)
		if r.IntN(100) < 8 && life > 30 {
			leave(c, asOf-Date(r.IntN(min(200, life))))
		}
	}
	// The pointer is taken after the slice stops growing.
	for i := range g.contacts {
		c := &g.contacts[i]
		if c.IsChampion && c.LeftCompanyOn == nil {
			g.champion = c
		}
	}
}

// genContactsSeen makes the contacts' last days in the product agree with
// the account's simulated usage, so the account page never says "seen
// today" of someone at a customer nobody uses: a contact is last seen on a
// day the account had someone active, no day has more contacts seen than
// it had active users, and no more contacts are seen in the last 7 and 30
// days than the account's wau and mau at asOf. A contact drawn as seen on a
// day that does not fit is seen on the latest earlier day of the usage
// history (from on) that does, or never, when none does. Contacts are
// placed in order, so the champion keeps the most recent day. A day before
// the first month the usage shows (a contact who left long before it) has
// nothing to disagree with and stays as drawn; the days of that month
// before from show no one active, so a contact drawn there is placed too.
func genContactsSeen(contacts []Contact, sim *genDaily, from, asOf Date) {
	n := len(sim.dau)
	end := sim.start + Date(n) - 1
	first := max(from, sim.start) // the first day the usage shows
	var wau, mau int
	if n > 0 && end == asOf {
		wau, mau = sim.wau[n-1], sim.mau[n-1]
	}
	placed := map[Date]int{}
	in7, in30 := 0, 0
	fits := func(d Date) bool {
		i := int(d - sim.start)
		switch {
		case i < 0 || i >= n || sim.dau[i] <= placed[d]:
			return false
		case asOf-d < 7 && in7 >= wau, asOf-d < 30 && in30 >= mau:
			return false
		}
		return true
	}
	for i := range contacts {
		c := &contacts[i]
		if c.LastActiveOn == nil || *c.LastActiveOn < genMonthStart(from) {
			continue
		}
		drawn := *c.LastActiveOn
		c.LastActiveOn = nil
		for d := min(drawn, end); d >= first; d-- {
			if fits(d) {
				placed[d]++
				if asOf-d < 7 {
					in7++
				}
				if asOf-d < 30 {
					in30++
				}
				seen := d
				c.LastActiveOn = &seen
				break
			}
		}
	}
}

// genPersonName draws a name not yet used in the account.
func genPersonName(r *rand.Rand, used map[string]bool) string {
	for {
		name := genPick(r, genFirstNames) + " " + genPick(r, genLastNames)
		if !used[name] {
			used[name] = true
			return name
		}
	}
}

// genEmail makes first.last@domain in plain ASCII.
func genEmail(name, domain string) string {
	local := strings.ReplaceAll(genASCIIFold.Replace(strings.ToLower(name)), " ", ".")
	return local + "@" + domain
}

func genFirstName(c Contact) string {
	first, _, _ := strings.Cut(c.Name, " ")
	return first
}

// ---- NPS ----

// genMood is how an account's respondents feel, by pattern.
var genMood = [genPatternCount][3]int{ // promoter, passive, detractor (percent)
	genHealthy: {60, 30, 10}, genGrowing: {60, 30, 10}, genSurprise: {60, 30, 10},
	genFlat: {35, 45, 20}, genRamping: {35, 45, 20},
	genLow: {20, 40, 40}, genDeclining: {20, 40, 40}, genCrisis: {25, 40, 35}, genStalled: {20, 40, 40},
}

// genNPS answers the quarterly surveys of the last year. The CS team surveys
// an account from a month after purchase; not every wave gets an answer.
func genNPS(r *rand.Rand, g *genAccount, asOf Date) []NPSResponse {
	answer := map[string]int{TierHighTouch: 60, TierMidTouch: 45, TierTechTouch: 30}[g.acct.Tier]
	var out []NPSResponse
	wave := asOf - Date(r.IntN(30))
	var waves []Date
	for range 4 {
		waves = append(waves, wave)
		wave -= 91
	}
	// Oldest first, so ids grow with time.
	for i := len(waves) - 1; i >= 0; i-- {
		day := waves[i] + Date(r.IntN(7))
		if day > asOf || day < g.acct.PurchasedOn+30 || r.IntN(100) >= answer {
			continue
		}
		var who []Contact
		for _, c := range g.contacts {
			if c.LeftCompanyOn == nil || *c.LeftCompanyOn > day {
				who = append(who, c)
			}
		}
		if len(who) == 0 {
			continue
		}
		mood := genMood[g.plan.pattern]
		championLeft := genChampionLeftBy(g.contacts, day)
		if g.lostChamp != nil && day >= *g.lostChamp {
			mood = genMood[genDeclining]
		}
		score, comment := genScore(r, mood)
		if score <= 6 && championLeft && r.IntN(2) == 0 {
			comment = genChampionLeftComment
		}
		out = append(out, NPSResponse{
			ID:          fmt.Sprintf("%s-s%d", g.acct.ID, len(out)+1),
			AccountID:   g.acct.ID,
			ContactID:   genPick(r, who).ID,
			Score:       score,
			Comment:     comment,
			RespondedOn: day,
		})
	}
	return out
}

// genChampionLeftBy reports whether a champion of the account had left by day.
func genChampionLeftBy(contacts []Contact, day Date) bool {
	for _, c := range contacts {
		if c.IsChampion && c.LeftCompanyOn != nil && *c.LeftCompanyOn <= day {
			return true
		}
	}
	return false
}

func genScore(r *rand.Rand, mood [3]int) (int, string) {
	switch x := r.IntN(100); {
	case x < mood[0]:
		return genBetween(r, 9, 10), genPick(r, genPromoterComments)
	case x < mood[0]+mood[1]:
		return genBetween(r, 7, 8), genPick(r, genPassiveComments)
	default:
		// Detractors mostly sit at 4–6; a zero is rare.
		return max(0, 6-int(math.Abs(r.NormFloat64())*2)), genPick(r, genDetractorComments)
	}
}

// ---- Notes and follow-ups ----

// genNoteKinds are the everyday kinds of note, weighted by how often a CSM
// writes them; QBRs are placed on their own cadence.
var genNoteKinds = []string{
	NoteCall, NoteCall, NoteCall, NoteEmail, NoteEmail, NoteMeeting,
	NoteCheckIn, NoteCheckIn, NoteBugReport, NoteInternal,
}
