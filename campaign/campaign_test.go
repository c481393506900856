package campaign

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"csm/data"
	"csm/model"
)

// demoStore holds one CSM's book of the demo (cmd_demo: seed 1, 200
// accounts, 365 days, 2 CSMs), with the CSM's name kept as a sync keeps it.
func demoStore(t *testing.T, csm int) (*data.Store, model.Book) {
	t.Helper()
	ctx := context.Background()
	b := model.Generate(model.GenOptions{Seed: 1, Accounts: 200, Days: 365, CSMs: 2})[csm]
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := st.SetCSMName(ctx, b.CSM.Name); err != nil {
		t.Fatal(err)
	}
	return st, b
}

// Issue 13, defect 3: `csm campaign` over every account and every template
// of the demo book: each listed template prints a filled, signed draft
// with no placeholder; each other one is refused with why.
func TestEveryDemoCampaignIsFilled(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	for csm := range 2 {
		st, b := demoStore(t, csm)
		printed := 0
		for _, a := range b.Accounts {
			var list bytes.Buffer
			if err := Run(ctx, st, &list, a.ID, "", now); err != nil {
				t.Fatalf("%s: %v", a.ID, err)
			}
			for _, tm := range model.CampaignTemplates() {
				var out bytes.Buffer
				err := Run(ctx, st, &out, a.ID, tm.Key, now)
				inFit := strings.Contains(strings.SplitN(list.String(), "Not offered:", 2)[0], "  "+tm.Key+" ")
				if err != nil {
					if inFit {
						t.Errorf("%s %s: listed as fitting, refused: %v", a.ID, tm.Key, err)
					}
					if !strings.Contains(err.Error(), "not offered") {
						t.Errorf("%s %s: %v", a.ID, tm.Key, err)
					}
					continue
				}
				printed++
				text := out.String()
				if !inFit {
					t.Errorf("%s %s: printed but not listed as fitting:\n%s", a.ID, tm.Key, list.String())
				}
				if strings.Contains(text, "[missing") || strings.Contains(text, "{{") || strings.Contains(text, "}}") {
					t.Errorf("%s %s: placeholder in %q", a.ID, tm.Key, text)
				}
				if !strings.HasPrefix(text, "Subject: ") || !strings.HasSuffix(text, "\n\n"+b.CSM.Name+"\n") {
					t.Errorf("%s %s: not a signed draft: %q", a.ID, tm.Key, text)
				}
			}
		}
		if printed == 0 {
			t.Errorf("book %d: no campaign fits any account", csm)
		}
	}
}

func TestCampaignListAndTemplateByName(t *testing.T) {
	ctx := context.Background()
	st, b := demoStore(t, 0)
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	for _, a := range b.Accounts {
		var list bytes.Buffer
		if err := Run(ctx, st, &list, a.ID, "", now); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(list.String(), "champion_progress") {
			continue
		}
		if strings.Contains(list.String(), "Not offered:\n  champion_progress") {
			continue
		}
		var out bytes.Buffer
		if err := Run(ctx, st, &out, a.Name, "progress", now); err != nil {
			t.Fatalf("by name and template prefix: %v", err)
		}
		if !strings.Contains(out.String(), "Subject: What ") {
			t.Errorf("progress report: %q", out.String())
		}
		return
	}
	t.Fatal("no account with a progress report")
}

func TestUnknownTemplateNamesTheTemplates(t *testing.T) {
	st, b := demoStore(t, 0)
	err := Run(context.Background(), st, &bytes.Buffer{}, b.Accounts[0].ID, "newsletter", time.Now())
	if err == nil || !strings.Contains(err.Error(), "win_back") {
		t.Fatalf("err = %v, want the list of templates", err)
	}
}

// Issue 13, defect 3: before the first sync keeps the CSM's name, a draft
// is unsigned, never signed with a placeholder: over every account and
// template of the demo book, no printed draft holds one, and none ends on
// an empty signature.
func TestDemoCampaignsBeforeTheNameIsKnown(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	b := model.Generate(model.GenOptions{Seed: 1, Accounts: 200, Days: 365, CSMs: 2})[0]
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.ImportBook(ctx, b); err != nil { // no sync yet: no name kept
		t.Fatal(err)
	}
	printed := 0
	for _, a := range b.Accounts {
		for _, tm := range model.CampaignTemplates() {
			var out bytes.Buffer
			if err := Run(ctx, st, &out, a.ID, tm.Key, now); err != nil {
				continue
			}
			printed++
			text := out.String()
			if ph := model.DraftPlaceholders(text); len(ph) > 0 || strings.Contains(text, b.CSM.Name) {
				t.Errorf("%s %s: %v in an unsigned draft: %q", a.ID, tm.Key, ph, text)
			}
			if strings.HasSuffix(text, "\n\n\n") || !strings.HasSuffix(text, "\n") {
				t.Errorf("%s %s: the draft ends on an empty signature: %q", a.ID, tm.Key, text)
			}
		}
	}
	if printed == 0 {
		t.Fatal("no campaign printed: the test proves nothing")
	}
}
