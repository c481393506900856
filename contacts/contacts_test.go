package contacts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"csm/data"
	"csm/exitcode"
	"csm/model"
)

func bookStore(t *testing.T) (*data.Store, model.Book) {
	t.Helper()
	ctx := context.Background()
	b := model.Generate(model.GenOptions{Seed: 1, Accounts: 20, Days: 60, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	return st, b
}

// runCmd runs `contact ARGS…` against st, as main wires it.
func runCmd(t *testing.T, st *data.Store, args ...string) (string, error) {
	t.Helper()
	// The store stays open for the test: the command's Close is a no-op.
	open := func(*cobra.Command) (*data.Store, error) { return keepOpen(t, st), nil }
	cmd := NewCmd(open)
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

// keepOpen reopens the store's database for one command, which closes it.
func keepOpen(t *testing.T, st *data.Store) *data.Store {
	t.Helper()
	s, err := data.Open(context.Background(), st.Path())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func usageCode(err error) bool {
	var e *exitcode.Error
	return errors.As(err, &e) && e.Code == exitcode.Usage
}

// TestAddChampionClearsTheFlag: the champion of an account leaves (csm
// contact edit --left), the account is flagged; a new champion added with
// csm contact add clears it, and each command says so.
func TestAddChampionClearsTheFlag(t *testing.T) {
	ctx := context.Background()
	st, _ := bookStore(t)
	accts, err := st.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var acct model.Account
	var champ model.Contact
	for _, a := range accts {
		cs, err := st.Contacts(ctx, a.ID, model.MakeDate(2026, 11, 20))
		if err != nil {
			t.Fatal(err)
		}
		active := 0
		for _, c := range cs {
			if c.IsChampion && c.LeftCompanyOn == nil {
				active++
				champ = c
			}
		}
		d, _ := st.AccountDetail(ctx, a.ID)
		if active == 1 && !slices.Contains(d.Metrics.Alerts, model.AlertCrisis) {
			acct = a
			break
		}
	}
	if acct.ID == "" {
		t.Fatal("no account with one active champion and no crisis")
	}
	out, err := runCmd(t, st, "edit", champ.Email, "--left", "2026-11-10")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "left on Nov 10, 2026") || !strings.Contains(out, "is now flagged: ") || !strings.Contains(out, model.Label(model.SegmentChampionLeft)) {
		t.Errorf("edit said:\n%s", out)
	}
	out, err = runCmd(t, st, "add", acct.ID, "--name", "Dana New", "--email", "dana@new.example", "--title", "VP Ops", "--role", "sponsor", "--champion")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Added Dana New <dana@new.example> to "+acct.Name+" as champion · saved, will sync") ||
		!strings.Contains(out, "is no longer flagged: ") || !strings.Contains(out, model.Label(model.AlertCrisis)) {
		t.Errorf("add said:\n%s", out)
	}
	d, err := st.AccountDetail(ctx, acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(d.Metrics.Segments, model.SegmentChampionLeft) {
		t.Errorf("still flagged: %v", d.Metrics.Segments)
	}

	// The list shows the new champion first, the one who left last.
	out, err = runCmd(t, st, "list", acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[1], "★ Dana New") || !strings.Contains(out, "left on Nov 10, 2026") {
		t.Errorf("list:\n%s", out)
	}
	out, err = runCmd(t, st, "list", acct.ID, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got []model.Contact
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != len(lines)-1 || got[0].Email != "dana@new.example" || !got[0].IsChampion {
		t.Errorf("--json gave %d contacts (%v), first %+v", len(got), err, got)
	}
}

// TestBadInvocationsChangeNothing: each is a usage error (exit 2) that
// says what is wrong, and the outbox does not move.
func TestBadInvocationsChangeNothing(t *testing.T) {
	ctx := context.Background()
	st, b := bookStore(t)
	a := b.Accounts[0]
	var someone model.Contact
	for _, c := range b.Contacts {
		if c.AccountID == a.ID && c.Email != "" {
			someone = c
			break
		}
	}
	cases := []struct {
		args  []string
		words string
		usage bool
	}{
		{[]string{"add", a.ID, "--name", "Eve"}, `"email" not set`, false},
		{[]string{"add", a.ID, "--name", "Eve", "--email", "eve"}, `email "eve" is not an email address`, true},
		{[]string{"add", a.ID, "--name", "Eve", "--email", "eve@x.example", "--role", "boss"}, `role "boss" is not one of`, true},
		{[]string{"add", a.ID, "--name", "Eve", "--email", strings.ToUpper(someone.Email)}, "is already the email of", true},
		{[]string{"add", "no such account at all", "--name", "Eve", "--email", "eve@x.example"}, "no account matches", false},
		{[]string{"edit", someone.ID}, "nothing to change: give --name", true},
		{[]string{"edit", someone.ID, "--left", "someday"}, `--left: "someday" is not a date`, true},
		{[]string{"edit", someone.ID, "--left", "today", "--stayed"}, "contradict", true},
		{[]string{"edit", someone.ID, "--email", ""}, "cannot be removed", true},
		{[]string{"edit", "nobody@nowhere.example", "--title", "x"}, "no contact matches", false},
	}
	p0, _, err := st.OutboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		_, err := runCmd(t, st, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.words) || usageCode(err) != tc.usage {
			t.Errorf("%v: error %v, want %q (usage %v)", tc.args, err, tc.words, tc.usage)
		}
		if strings.Contains(err.Error(), "invalid change") {
			t.Errorf("%v: the store's marker reached the CSM: %v", tc.args, err)
		}
	}
	if p, _, _ := st.OutboxCounts(ctx); p != p0 {
		t.Errorf("outbox %d → %d after refused commands", p0, p)
	}
}

func TestEditFromFlagsDateWords(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC) // a Wednesday
	for _, tc := range []struct {
		left string
		want model.Date
	}{
		{"today", model.MakeDate(2026, 12, 2)},
		{"2026-11-28", model.MakeDate(2026, 11, 28)},
		{"fri", model.MakeDate(2026, 12, 4)},
		{"+2w", model.MakeDate(2026, 12, 16)},
	} {
		cmd := editCmd(nil)
		if err := cmd.Flags().Parse([]string{"--left", tc.left}); err != nil {
			t.Fatal(err)
		}
		e, err := editFromFlags(cmd, editOptions{left: tc.left}, now)
		if err != nil || e.LeftOn == nil || *e.LeftOn != tc.want {
			t.Errorf("--left %s: %v, %v; want %v", tc.left, e.LeftOn, err, tc.want)
		}
	}
}
