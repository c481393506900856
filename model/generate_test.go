package model

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// genTestOptions are the shapes of book the tests check: the default, a
// short history that starts mid-month, a single day, a leap day, a year
// boundary.
var genTestOptions = []struct {
	name string
	opts GenOptions
}{
	{"default", GenOptions{Seed: 1}},
	{"short history from mid-month", GenOptions{Seed: 7, Accounts: 40, Days: 40, AsOf: MakeDate(2026, time.March, 15), CSMs: 1}},
	{"one day", GenOptions{Seed: 8, Accounts: 10, Days: 1, AsOf: MakeDate(2026, time.January, 1), CSMs: 1}},
	{"leap day", GenOptions{Seed: 9, Accounts: 50, Days: 400, AsOf: MakeDate(2028, time.February, 29), CSMs: 3}},
	{"new year", GenOptions{Seed: -4, Accounts: 25, Days: 90, AsOf: MakeDate(2027, time.January, 3), CSMs: 1}},
}

func TestGenerateDefaults(t *testing.T) {
	books := Generate(GenOptions{Seed: 1})
	if len(books) != 2 {
		t.Fatalf("got %d books, want 2", len(books))
	}
	if books[0].CSM.ID != "c1" || books[0].CSM.Name != "Dana Ruiz" || books[1].CSM.ID == "c1" {
		t.Errorf("CSMs %+v, %+v", books[0].CSM, books[1].CSM)
	}
	for _, b := range books {
		if len(b.Accounts) != 200 {
			t.Errorf("%s: %d accounts, want 200", b.CSM.ID, len(b.Accounts))
		}
		if last, ok := LatestDay(b.Usage); !ok || last != genDefaultAsOf {
			t.Errorf("%s: latest usage day %v, want %v", b.CSM.ID, last, genDefaultAsOf)
		}
		if !reflect.DeepEqual(b.Features, DefaultFeatures()) || !reflect.DeepEqual(b.Playbooks, DefaultPlaybooks()) ||
			!reflect.DeepEqual(b.Checklists, DefaultChecklists()) {
			t.Errorf("%s: book does not carry the default catalogue, playbooks and checklists", b.CSM.ID)
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	base := GenOptions{Seed: 42, Accounts: 60, Days: 120, AsOf: MakeDate(2026, time.June, 10), CSMs: 2}
	first := Generate(base)
	if !reflect.DeepEqual(first, Generate(base)) {
		t.Fatal("the same options gave different books")
	}
	tests := []struct {
		name   string
		change func(*GenOptions)
	}{
		{"another seed", func(o *GenOptions) { o.Seed = 43 }},
		{"another day", func(o *GenOptions) { o.AsOf++ }},
		{"more history", func(o *GenOptions) { o.Days = 121 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := base
			tt.change(&o)
			if reflect.DeepEqual(first, Generate(o)) {
				t.Error("different options gave the same books")
			}
		})
	}
}

// genDay is one day of an account's flattened usage.
type genDay struct {
	d                                Date
	dau, wau, mau, sessions, minutes int
}

func TestGenerateUsage(t *testing.T) {
	for _, tt := range genTestOptions {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opts.withDefaults()
			from := o.AsOf - Date(o.Days) + 1
			for _, b := range Generate(tt.opts) {
				licenses := map[string]int{}
				for _, a := range b.Accounts {
					licenses[a.ID] = a.Licenses
				}
				byAccount := map[string][]UsageMonth{}
				for _, m := range b.Usage {
					byAccount[m.AccountID] = append(byAccount[m.AccountID], m)
				}
				if len(byAccount) != len(b.Accounts) {
					t.Fatalf("%s: usage for %d accounts, want %d", b.CSM.ID, len(byAccount), len(b.Accounts))
				}
				for id, months := range byAccount {
					days := checkMonths(t, id, months, from, o.AsOf)
					checkUsageDays(t, id, days, from, licenses[id])
				}
			}
		})
	}
}

// checkMonths checks that an account's months cover from..asOf, each column
// holds Days entries, and days before from are zero; it returns the days.
func checkMonths(t *testing.T, id string, months []UsageMonth, from, asOf Date) []genDay {
	t.Helper()
	var days []genDay
	want := genMonthStart(from)
	for _, m := range months {
		if m.Month != want.Month() || m.ID != id+"/"+m.Month {
			t.Fatalf("%s: month %q (id %q), want %q", id, m.Month, m.ID, want.Month())
		}
		wantDays := int(genNextMonth(want) - want)
		if m.Month == asOf.Month() {
			wantDays = asOf.Time().Day()
		}
		if m.Days != wantDays {
			t.Fatalf("%s %s: days %d, want %d", id, m.Month, m.Days, wantDays)
		}
		cols := [][]int{m.DAU, m.WAU, m.MAU, m.Sessions, m.Minutes}
		for _, key := range slices.Sorted(mapKeys(m.Features)) {
			cols = append(cols, m.Features[key])
		}
		for k, col := range cols {
			if len(col) != m.Days {
				t.Fatalf("%s %s: column %d has %d entries, want %d", id, m.Month, k, len(col), m.Days)
			}
		}
		for i := range m.Days {
			d := want + Date(i)
			if d < from {
				for _, col := range cols {
					if col[i] != 0 {
						t.Fatalf("%s: %v is before the history yet has usage", id, d)
					}
				}
				continue
			}
			for key, col := range m.Features {
				if col[i] < 0 || col[i] > m.DAU[i] {
					t.Fatalf("%s %v: %d users of %s with dau %d", id, d, col[i], key, m.DAU[i])
				}
			}
			days = append(days, genDay{d, m.DAU[i], m.WAU[i], m.MAU[i], m.Sessions[i], m.Minutes[i]})
		}
		want = genNextMonth(want)
	}
	if len(days) != int(asOf-from)+1 || days[len(days)-1].d != asOf {
		t.Fatalf("%s: %d days of history, want %d ending %v", id, len(days), asOf-from+1, asOf)
	}
	return days
}

// checkUsageDays checks that dau, wau and mau count the same users: wau and
// mau are distinct users of the 7 and 30 days ending that day.
func checkUsageDays(t *testing.T, id string, days []genDay, from Date, licenses int) {
	t.Helper()
	for i, x := range days {
		if x.dau < 0 || x.dau > x.wau || x.wau > x.mau || x.mau > licenses {
			t.Fatalf("%s %v: dau %d wau %d mau %d licenses %d", id, x.d, x.dau, x.wau, x.mau, licenses)
		}
		if x.sessions < x.dau || x.sessions > 8*x.dau || x.minutes < 0 || (x.sessions == 0) != (x.minutes == 0) {
			t.Fatalf("%s %v: dau %d sessions %d minutes %d", id, x.d, x.dau, x.sessions, x.minutes)
		}
		// Anyone active on a day of the window is in the window's count,
		// and the count cannot exceed the sum of the days' actives.
		for _, w := range []struct {
			name  string
			span  int
			count int
		}{{"wau", 7, x.wau}, {"mau", 30, x.mau}} {
			sum, most := 0, 0
			for j := max(0, i-w.span+1); j <= i; j++ {
				sum += days[j].dau
				most = max(most, days[j].dau)
			}
			if w.count < most {
				t.Fatalf("%s %v: %s %d below a day's dau %d", id, x.d, w.name, w.count, most)
			}
			if x.d-Date(w.span)+1 >= from && w.count > sum {
				t.Fatalf("%s %v: %s %d above the %d actives of its days", id, x.d, w.name, w.count, sum)
			}
		}
		// A week inside the month's window cannot hold more users than it.
		for j := max(0, i-23); j <= i; j++ {
			if days[j].wau > x.mau {
				t.Fatalf("%s %v: mau %d below wau %d of %v", id, x.d, x.mau, days[j].wau, days[j].d)
			}
		}
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestGenerateReferences checks ids are unique across every book and each
// entity points at something that exists in its own book.
func TestGenerateReferences(t *testing.T) {
	for _, tt := range genTestOptions {
		t.Run(tt.name, func(t *testing.T) {
			ids := map[string]bool{}
			unique := func(kind, id string) {
				if id == "" || len(id) > MaxIDBytes || ids[kind+" "+id] {
					t.Errorf("%s id %q is empty, too long or repeated", kind, id)
				}
				ids[kind+" "+id] = true
			}
			for _, b := range Generate(tt.opts) {
				accounts := map[string]bool{}
				for _, a := range b.Accounts {
					unique("account", a.ID)
					accounts[a.ID] = true
				}
				owner := func(kind, id, accountID string) {
					if !accounts[accountID] {
						t.Errorf("%s %s refers to account %q outside book %s", kind, id, accountID, b.CSM.ID)
					}
				}
				contactOf := map[string]string{}
				for _, c := range b.Contacts {
					unique("contact", c.ID)
					owner("contact", c.ID, c.AccountID)
					contactOf[c.ID] = c.AccountID
				}
				for _, m := range b.Usage {
					unique("usage", m.ID)
					owner("usage", m.ID, m.AccountID)
				}
				for _, n := range b.NPS {
					unique("nps", n.ID)
					owner("nps", n.ID, n.AccountID)
					if contactOf[n.ContactID] != n.AccountID {
						t.Errorf("nps %s: contact %q is not of account %s", n.ID, n.ContactID, n.AccountID)
					}
				}
				noteOf := map[string]string{}
				for _, n := range b.Notes {
					unique("note", n.ID)
					owner("note", n.ID, n.AccountID)
					noteOf[n.ID] = n.AccountID
				}
				for _, n := range b.Notes {
					if n.Supersedes != nil && (noteOf[*n.Supersedes] != n.AccountID || n.Revision < 2) {
						t.Errorf("note %s supersedes %q wrongly (revision %d)", n.ID, *n.Supersedes, n.Revision)
					}
				}
				for _, tk := range b.Tasks {
					unique("task", tk.ID)
					owner("task", tk.ID, tk.AccountID)
					if tk.NoteID != nil && noteOf[*tk.NoteID] != tk.AccountID {
						t.Errorf("task %s: note %q is not of account %s", tk.ID, *tk.NoteID, tk.AccountID)
					}
				}
				items := map[string]bool{}
				for _, c := range b.Checklists {
					for _, it := range c.Items {
						items[c.Key+"/"+it.Key] = true
					}
				}
				for _, ci := range b.ChecklistItems {
					unique("checklist item", ci.ID)
					owner("checklist item", ci.ID, ci.AccountID)
					if !items[ci.ChecklistKey+"/"+ci.ItemKey] || ci.ID != ChecklistItemID(ci.AccountID, ci.ChecklistKey, ci.ItemKey) {
						t.Errorf("checklist item %s names no template item", ci.ID)
					}
				}
				steps := map[string][]string{}
				for _, p := range b.Playbooks {
					for _, s := range p.Steps {
						steps[p.Key] = append(steps[p.Key], s.Key)
					}
				}
				for _, r := range b.PlayRuns {
					unique("play run", r.ID)
					owner("play run", r.ID, r.AccountID)
					want, ok := steps[r.PlaybookKey]
					if !ok || len(r.Steps) != len(want) {
						t.Errorf("play run %s: playbook %q or its steps unknown", r.ID, r.PlaybookKey)
					}
					for _, k := range want {
						if _, ok := r.Steps[k]; !ok {
							t.Errorf("play run %s lacks step %s", r.ID, k)
						}
					}
				}
			}
		})
	}
}

// TestGenerateDates checks that every date tells one consistent story.
func TestGenerateDates(t *testing.T) {
	for _, tt := range genTestOptions {
		t.Run(tt.name, func(t *testing.T) {
			asOf := tt.opts.withDefaults().AsOf
			end := asOf.Time().Add(24 * time.Hour)
			for _, b := range Generate(tt.opts) {
				purchased := map[string]Date{}
				for _, a := range b.Accounts {
					purchased[a.ID] = a.PurchasedOn
					if a.PurchasedOn > a.OnboardingStartedOn || a.OnboardingStartedOn > asOf {
						t.Errorf("%s: purchased %v, onboarding started %v, as of %v", a.ID, a.PurchasedOn, a.OnboardingStartedOn, asOf)
					}
					if c := a.OnboardingCompletedOn; c != nil && (*c < a.OnboardingStartedOn || *c > asOf) {
						t.Errorf("%s: onboarding %v..%v, as of %v", a.ID, a.OnboardingStartedOn, *c, asOf)
					}
					if a.RenewalOn <= asOf || a.RenewalOn > asOf+366 {
						t.Errorf("%s: renewal %v is not within the coming year", a.ID, a.RenewalOn)
					}
					if (a.Stage == StageOnboarding) != (a.OnboardingCompletedOn == nil) {
						t.Errorf("%s: stage %s with onboarding completed %v", a.ID, a.Stage, a.OnboardingCompletedOn)
					}
					if a.Stage == StageRenewal && a.RenewalOn-asOf > 90 {
						t.Errorf("%s: renewal stage with renewal in %d days", a.ID, a.RenewalOn-asOf)
					}
					if a.UpdatedAt.After(end) {
						t.Errorf("%s: updated after the book's day", a.ID)
					}
				}
				activeChampions := map[string]int{}
				for _, c := range b.Contacts {
					if c.LeftCompanyOn != nil && (*c.LeftCompanyOn > asOf || *c.LeftCompanyOn < purchased[c.AccountID]) {
						t.Errorf("contact %s left on %v", c.ID, *c.LeftCompanyOn)
					}
					if c.LastActiveOn != nil && (*c.LastActiveOn > asOf || (c.LeftCompanyOn != nil && *c.LastActiveOn > *c.LeftCompanyOn)) {
						t.Errorf("contact %s last active %v, left %v", c.ID, *c.LastActiveOn, c.LeftCompanyOn)
					}
					if c.IsChampion && c.LeftCompanyOn == nil {
						activeChampions[c.AccountID]++
					}
				}
				for id, n := range activeChampions {
					if n > 1 {
						t.Errorf("%s has %d active champions", id, n)
					}
				}
				for _, n := range b.NPS {
					if n.RespondedOn > asOf || n.RespondedOn < purchased[n.AccountID] {
						t.Errorf("nps %s answered on %v", n.ID, n.RespondedOn)
					}
				}
				for _, n := range b.Notes {
					if DateOf(n.HappenedAt) > asOf || DateOf(n.HappenedAt) < purchased[n.AccountID] || n.CreatedAt.Before(n.HappenedAt) {
						t.Errorf("note %s happened %v, created %v", n.ID, n.HappenedAt, n.CreatedAt)
					}
				}
				for _, tk := range b.Tasks {
					if tk.DoneAt != nil && (tk.DoneAt.Before(tk.CreatedAt) || tk.DoneAt.After(end)) {
						t.Errorf("task %s created %v, done %v", tk.ID, tk.CreatedAt, *tk.DoneAt)
					}
				}
				for _, r := range b.PlayRuns {
					if r.StartedAt.After(end) || (r.ClosedAt != nil && (r.ClosedAt.Before(r.StartedAt) || r.ClosedAt.After(end))) {
						t.Errorf("play run %s started %v, closed %v", r.ID, r.StartedAt, r.ClosedAt)
					}
					for k, at := range r.Steps {
						if at != nil && (at.Before(r.StartedAt) || at.After(end)) {
							t.Errorf("play run %s: step %s done %v", r.ID, k, *at)
						}
					}
				}
			}
		})
	}
}

// TestGenerateEntitiesValidate runs every entity through the checks the
// client applies to the feed: a generated book must sync without a skip.
func TestGenerateEntitiesValidate(t *testing.T) {
	for _, tt := range genTestOptions {
		t.Run(tt.name, func(t *testing.T) {
			for _, b := range Generate(tt.opts) {
				var errs []string
				check := func(what string, err error) {
					if err != nil && len(errs) < 5 {
						errs = append(errs, fmt.Sprintf("%s: %v", what, err))
					}
				}
				for _, x := range b.Accounts {
					check(x.ID, x.Validate())
				}
				for _, x := range b.Contacts {
					check(x.ID, x.Validate())
				}
				for _, x := range b.Features {
					check(x.Key, x.Validate())
				}
				for _, x := range b.Usage {
					check(x.ID, x.Validate())
				}
				for _, x := range b.NPS {
					check(x.ID, x.Validate())
				}
				for _, x := range b.Playbooks {
					check(x.Key, x.Validate())
				}
				for _, x := range b.Checklists {
					check(x.Key, x.Validate())
				}
				for _, x := range b.Notes {
					check(x.ID, x.Validate())
				}
				for _, x := range b.Tasks {
					check(x.ID, x.Validate())
				}
				for _, x := range b.ChecklistItems {
					check(x.ID, x.Validate())
				}
				for _, x := range b.PlayRuns {
					check(x.ID, x.Validate())
				}
				if len(errs) > 0 {
					t.Errorf("%s: invalid entities:\n%s", b.CSM.ID, strings.Join(errs, "\n"))
				}
			}
		})
	}
}

// TestGenerateBookIsRealistic checks the book-level shape: unique names,
// licenses from 5 to 2,000 with most customers small, every stage and tier,
// 2–6 contacts, mostly one champion.
func TestGenerateBookIsRealistic(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			b := Generate(GenOptions{Seed: seed, CSMs: 1})[0]
			names := map[string]bool{}
			var licenses []int
			stages, tiers, currencies := map[string]int{}, map[string]int{}, map[string]int{}
			for _, a := range b.Accounts {
				if names[a.Name] || a.Name == "" {
					t.Errorf("name %q is empty or repeated", a.Name)
				}
				names[a.Name] = true
				licenses = append(licenses, a.Licenses)
				stages[a.Stage]++
				tiers[a.Tier]++
				currencies[a.Currency]++
				if a.ARRCents <= 0 || a.ARRCents%100 != 0 || a.Industry == "" || a.Region == "" || a.AccountExecutive.Email == "" {
					t.Errorf("%s: incomplete account %+v", a.ID, a)
				}
				if perSeat := a.ARRCents / 100 / int64(a.Licenses); perSeat < 100 || perSeat > 1100 {
					t.Errorf("%s: %d a seat a year is not a plausible price", a.ID, perSeat)
				}
			}
			slices.Sort(licenses)
			if licenses[0] != 5 || licenses[len(licenses)-1] != 2000 || licenses[len(licenses)/2] > 100 {
				t.Errorf("licenses span %d..%d with median %d; want 5..2000, median well below 200",
					licenses[0], licenses[len(licenses)-1], licenses[len(licenses)/2])
			}
			for _, s := range Stages {
				if stages[s] == 0 {
					t.Errorf("no account in stage %s", s)
				}
			}
			for _, tier := range Tiers {
				if tiers[tier] == 0 {
					t.Errorf("no account of tier %s", tier)
				}
			}
			if currencies["USD"] <= len(b.Accounts)/2 || currencies["EUR"] == 0 || currencies["GBP"] == 0 {
				t.Errorf("currencies %v: want mostly USD, some EUR and GBP", currencies)
			}

			contacts, champions := map[string]int{}, map[string]int{}
			for _, c := range b.Contacts {
				contacts[c.AccountID]++
				if c.IsChampion {
					champions[c.AccountID]++
				}
				if !strings.Contains(c.Email, "@") || c.Name == "" || c.Title == "" {
					t.Errorf("contact %s: incomplete %+v", c.ID, c)
				}
			}
			one := 0
			for _, a := range b.Accounts {
				if n := contacts[a.ID]; n < 2 || n > 6 {
					t.Errorf("%s has %d contacts, want 2–6", a.ID, n)
				}
				if champions[a.ID] == 1 {
					one++
				}
			}
			if one < len(b.Accounts)*8/10 {
				t.Errorf("%d of %d accounts have exactly one champion; want most", one, len(b.Accounts))
			}
		})
	}
}

// TestGenerateActivity checks the book has a lived-in history: notes of
// every kind, QBRs, tasks done, open and overdue, ticked checklists, open
// and closed play runs, detractors with comments.
func TestGenerateActivity(t *testing.T) {
	b := Generate(GenOptions{Seed: 5, CSMs: 1})[0]
	asOf := genDefaultAsOf
	kinds := map[string]int{}
	for _, n := range b.Notes {
		kinds[n.Kind]++
	}
	for _, k := range NoteKinds {
		if kinds[k] == 0 {
			t.Errorf("no note of kind %s", k)
		}
	}
	var done, open, overdue int
	for _, tk := range b.Tasks {
		switch {
		case tk.DoneAt != nil:
			done++
		case tk.DueOn != nil && *tk.DueOn < asOf:
			overdue++
		default:
			open++
		}
	}
	var openRuns, closedRuns, ticked, detractors int
	for _, r := range b.PlayRuns {
		if r.ClosedAt == nil {
			openRuns++
		} else {
			closedRuns++
		}
	}
	for _, ci := range b.ChecklistItems {
		if ci.Done {
			ticked++
		}
	}
	for _, n := range b.NPS {
		if n.Score <= 6 && n.Comment != "" {
			detractors++
		}
	}
	counts := map[string]int{
		"done tasks": done, "open tasks": open, "overdue tasks": overdue,
		"open play runs": openRuns, "closed play runs": closedRuns,
		"ticked checklist items": ticked, "detractors with a comment": detractors,
	}
	for _, what := range slices.Sorted(mapKeys(counts)) {
		if counts[what] == 0 {
			t.Errorf("no %s", what)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	tests := []struct {
		name string
		opts GenOptions
	}{
		{"2x200 accounts", GenOptions{Seed: 1}},
		{"5000 accounts", GenOptions{Seed: 1, Accounts: 5000, CSMs: 1}},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				Generate(tt.opts)
			}
		})
	}
}
