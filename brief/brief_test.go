package brief

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"csm/data"
	"csm/model"
)

// storedDetail imports b into a new store and reads the account's
// detail back, metrics computed, as csm brief does.
func storedDetail(t *testing.T, b model.Book, id string) data.AccountDetail {
	t.Helper()
	ctx := context.Background()
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	d, err := st.AccountDetail(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// assertNoControls fails on any control character but \n: C0, DEL, C1
// and the bidi override.
func assertNoControls(t *testing.T, s string) {
	t.Helper()
	for i, r := range s {
		if (r < 0x20 && r != '\n') || (r >= 0x7f && r <= 0x9f) || r == '\u202e' {
			t.Fatalf("control character %U at %d: %q", r, i, s[max(0, i-20):min(len(s), i+20)])
		}
	}
}

// briefBook is a small generated book plus one account whose every string
// is hostile, with notes (one corrected), NPS answers and follow-ups.
func briefBook() (model.Book, model.Account) {
	b := model.Generate(model.GenOptions{Seed: 4, Accounts: 30, Days: 120, CSMs: 1})[0]
	day := func(m time.Month, d int) model.Date { return model.MakeDate(2026, m, d) }
	at := func(m time.Month, d int) time.Time { return day(m, d).Time().Add(10 * time.Hour) }
	ptr := func(s string) *string { return &s }
	left := day(time.October, 1)
	done := at(time.November, 2)

	a := model.Account{
		ID: "evil", Name: "Evil\x1b]0;owned\x07 *Corp* | [x](y)\x1b[2J\r\nInc\u202e",
		Tier: model.TierHighTouch, Stage: model.StageAdoption, Licenses: 50, ARRCents: 12_000_000,
		Currency: "USD", PurchasedOn: day(time.January, 5), OnboardingStartedOn: day(time.January, 10),
		RenewalOn: day(time.December, 20), AccountExecutive: model.Person{Name: "Ann\x1b[5m Exec"},
		UpdatedAt: at(time.November, 1),
	}
	b.Accounts = append(b.Accounts, a)
	b.Contacts = append(b.Contacts,
		model.Contact{ID: "evil-c1", AccountID: "evil", Name: "Old\x1b[31m Champ", Role: model.RoleChampion, IsChampion: true, LeftCompanyOn: &left},
		model.Contact{ID: "evil-c2", AccountID: "evil", Name: "Sam Sponsor", Role: model.RoleSponsor},
	)
	b.NPS = append(b.NPS,
		model.NPSResponse{ID: "evil-n1", AccountID: "evil", ContactID: "evil-c2", Score: 9, Comment: "old answer", RespondedOn: day(time.March, 1)},
		model.NPSResponse{ID: "evil-n2", AccountID: "evil", ContactID: "evil-c2", Score: 3, Comment: "slow\x1b[?1049h\nreports\x07", RespondedOn: day(time.October, 15)},
	)
	note := func(id string, d int, body string, rev int, supersedes *string) model.Note {
		return model.Note{ID: id, AccountID: "evil", Kind: model.NoteCall, HappenedAt: at(time.October, d), Body: body,
			NextSteps: []string{}, Author: "Dana", CreatedAt: at(time.October, d), Revision: rev, Supersedes: supersedes}
	}
	b.Notes = append(b.Notes,
		note("evil-note1", 1, "first call", 1, nil),
		note("evil-note2", 10, "second call", 1, nil),
		note("evil-note3", 20, "third call, typo\x1b[8m", 1, nil),
		note("evil-note3b", 20, "third call, corrected\n# not a heading", 2, ptr("evil-note3")),
		note("evil-note4", 25, "fourth call", 1, nil),
	)
	b.Tasks = append(b.Tasks,
		model.Task{ID: "evil-t1", AccountID: "evil", Title: "Send\x1b[0m deck", DueOn: ptrDate(day(time.January, 2)), CreatedAt: at(time.January, 1)},
		model.Task{ID: "evil-t2", AccountID: "evil", Title: "Done already", DueOn: ptrDate(day(time.January, 3)), DoneAt: &done, CreatedAt: at(time.January, 1)},
		model.Task{ID: "evil-t3", AccountID: "evil", Title: "Someday", CreatedAt: at(time.January, 1)},
	)
	return b, a
}

func ptrDate(d model.Date) *model.Date { return &d }

func TestHostileAccount(t *testing.T) {
	b, a := briefBook()
	d := storedDetail(t, b, a.ID)
	if !d.HasMetrics {
		t.Fatal("the hostile account has no metrics")
	}
	m := d.Metrics

	out := Render(d, time.Now())
	assertNoControls(t, out)

	want := []string{
		`# Evil \*Corp\* \| \[x\](y) Inc`, // escapes stripped, Markdown escaped
		"- Tier: high touch · Stage: adoption",
		"## Why flagged",
		"- Left: Old Champ",
		"3 of 10 on Oct 15, 2026, from Sam Sponsor",
		"> slow\n> reports",
		"> third call, corrected\n> # not a heading", // quoted: stays inside the note
		"(corrected)",
		"(1 older note not shown.)",
		"- [ ] Send deck: **overdue**",
		"- [ ] Someday: no due day",
	}
	for _, k := range m.Segments {
		want = append(want, model.Label(k), mdInline(m.Reasons[k]))
	}
	for _, n := range m.AlertNotes {
		want = append(want, "### Alert: "+n.Title, mdInline(n.Figures))
	}
	if !slices.Contains(m.Segments, model.SegmentChampionLeft) || !slices.Contains(m.Segments, model.SegmentDetractor) {
		t.Errorf("fixture: segments %v should hold champion_left and detractor", m.Segments)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("brief lacks %q\n%s", w, out)
		}
	}
	for _, bad := range []string{"typo", "old answer", "first call", "Done already"} {
		if strings.Contains(out, bad) {
			t.Errorf("brief shows %q (superseded, older than the last 3, or done)", bad)
		}
	}
	// The last three current notes, newest first.
	n4, n3, n2 := strings.Index(out, "fourth call"), strings.Index(out, "third call, corrected"), strings.Index(out, "second call")
	if n4 < 0 || n3 < 0 || n2 < 0 || !(n4 < n3 && n3 < n2) {
		t.Errorf("notes not newest first: positions %d %d %d", n4, n3, n2)
	}
}

func TestMDInline(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Acme & Sons", "Acme & Sons"},
		{"emphasis and code", "*a* _b_ `c`", "\\*a\\* \\_b\\_ \\`c\\`"},
		{"link and html", "[x](y) <b>", "\\[x\\](y) \\<b\\>"},
		{"table and heading", "# a | b", "\\# a \\| b"},
		{"backslash", `a\b`, `a\\b`},
		{"line break and escape", "a\nb\x1b[31mc", "a bc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mdInline(tt.in); got != tt.want {
				t.Errorf("mdInline(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
