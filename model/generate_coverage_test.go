package model

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// bookAccountData groups a generated book by account, the way the store
// hands it to ComputeBook.
func bookAccountData(b Book) []AccountData {
	at := map[string]int{}
	data := make([]AccountData, len(b.Accounts))
	for i, a := range b.Accounts {
		at[a.ID] = i
		data[i].Account = a
	}
	for _, c := range b.Contacts {
		data[at[c.AccountID]].Contacts = append(data[at[c.AccountID]].Contacts, c)
	}
	for _, u := range b.Usage {
		data[at[u.AccountID]].Usage = append(data[at[u.AccountID]].Usage, u)
	}
	for _, n := range b.NPS {
		data[at[n.AccountID]].NPS = append(data[at[n.AccountID]].NPS, n)
	}
	for _, n := range b.Notes {
		if n.Kind != NoteQBR {
			continue
		}
		d := &data[at[n.AccountID]]
		if day := DateOf(n.HappenedAt); d.LastQBR == nil || day > *d.LastQBR {
			d.LastQBR = &day
		}
	}
	return data
}

// TestGenerateCoversEveryKey checks that the generated book shows every
// segment and alert of SPEC, in believable proportions, whatever the seed.
func TestGenerateCoversEveryKey(t *testing.T) {
	// Shares of the book each segment may take. The danger zone is the
	// bottom quartile by construction; the rest are wide sanity bounds.
	bounds := map[string][2]float64{
		"danger_zone":     {0.2, 0.3},
		"top_customers":   {0.09, 0.11},
		"low_utilization": {0.15, 0.6},
		"post_onboarding": {0.7, 0.95},
		"renewal_soon":    {0.1, 0.4},
		"detractor":       {0.02, 0.3},
		"champion_left":   {0.01, 0.15},
		"growing":         {0.05, 0.4},
		"flat_usage":      {0.05, 0.5},
	}
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			b := Generate(GenOptions{Seed: seed, Accounts: 200, CSMs: 1})[0]
			m := ComputeBook(bookAccountData(b), b.Features, b.Playbooks, DefaultThresholds())
			count := map[string]int{}
			for _, a := range m.Accounts {
				for _, k := range slices.Concat(a.Segments, a.Alerts) {
					count[k]++
				}
			}
			n := float64(len(m.Accounts))
			var report []string
			for _, k := range slices.Concat(SegmentKeys, AlertKeys) {
				report = append(report, fmt.Sprintf("%s=%d", k, count[k]))
				if count[k] == 0 {
					t.Errorf("no account in %s", k)
				}
				if bd, ok := bounds[k]; ok {
					if share := float64(count[k]) / n; share < bd[0] || share > bd[1] {
						t.Errorf("%s holds %.0f%% of the book, want %.0f–%.0f%%", k, 100*share, 100*bd[0], 100*bd[1])
					}
				}
			}
			t.Logf("%d accounts: %s", len(m.Accounts), strings.Join(report, " "))
		})
	}
}
