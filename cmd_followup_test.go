package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"csm/data"
	"csm/followups"
	"csm/model"
	csmsync "csm/sync"
)

// deadURL is a loopback address nothing listens on: the server is away.
func deadURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	return url
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, stdout, stderr := invoke(t, args...)
	if code != 0 {
		t.Fatalf("csm %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, stdout, stderr)
	}
	return stdout
}

func followUpsJSON(t *testing.T, args ...string) []followups.Row {
	t.Helper()
	var rows []followups.Row
	out := mustRun(t, append([]string{"followups", "--json"}, args...)...)
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("followups --json: %v\n%s", err, out)
	}
	return rows
}

func openDB(t *testing.T, dir string) *data.Store {
	t.Helper()
	st, err := data.Open(context.Background(), filepath.Join(dir, data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Issue 14, done when: a follow-up added and re-dated offline and a
// snooze survive a restart (every csm invocation opens the database
// afresh), are pushed exactly once to a real reference server on
// loopback, and appear on a second device.
func TestFollowUpOfflineSurvivesAndSyncsOnceToASecondDevice(t *testing.T) {
	isolated(t)
	book := model.Generate(model.GenOptions{Seed: 14, Accounts: 6, Days: 30, CSMs: 1})[0]
	srv := csmsync.NewServer([]csmsync.Tenant{{Token: "tok-14", Book: book}})
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	deviceA, deviceB := os.Getenv("CSM_DATA_DIR"), t.TempDir()
	t.Setenv("CSM_TOKEN", "tok-14")
	t.Setenv("CSM_SERVER_URL", hs.URL)
	mustRun(t, "sync")
	before := srv.MutationCount(book.CSM.ID)

	// Offline: the server is away.
	t.Setenv("CSM_SERVER_URL", deadURL(t))
	acct := book.Accounts[0]
	out := mustRun(t, "followup", "add", acct.ID, "Send", "the", "renewal", "deck", "--due", "tomorrow")
	m := regexp.MustCompile(`\(id ([0-9a-f-]{36})\)`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "will sync") {
		t.Fatalf("followup add said %q", out)
	}
	id := m[1]
	out = mustRun(t, "followup", "due", id, "+10d")
	today := model.LocalDay(time.Now())
	want := today + 10
	if !strings.Contains(out, "is now due") {
		t.Fatalf("followup due said %q", out)
	}
	out = mustRun(t, "snooze", acct.ID, "week")
	if !strings.Contains(out, "snoozed "+acct.Name) {
		t.Fatalf("snooze said %q", out)
	}
	if code, _, stderr := invoke(t, "sync"); code != 3 {
		t.Fatalf("sync offline: exit %d (%s), want 3", code, stderr)
	}

	// A restart: a new invocation reads what the last ones saved.
	rows := followUpsJSON(t, "--account", acct.ID)
	i := slices.IndexFunc(rows, func(r followups.Row) bool { return r.ID == id })
	if i < 0 || rows[i].DueOn == nil || *rows[i].DueOn != want || rows[i].Title != "Send the renewal deck" || rows[i].Kind != "task" {
		t.Fatalf("after a restart the follow-up is %+v, want due %s", rows, want)
	}
	stA := openDB(t, deviceA)
	pending, err := stA.Pending(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, p := range pending {
		types = append(types, p.Type)
	}
	if !slices.Equal(types, []string{model.MutTaskCreate, model.MutTaskSetDue, model.MutSnoozeSet}) {
		t.Fatalf("outbox %v", types)
	}
	sn, err := stA.Snoozes(context.Background(), today)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := sn[acct.ID][model.SnoozeAll]; !ok || got != today+7 {
		t.Fatalf("snooze after a restart: %v", sn[acct.ID])
	}

	// Back online: pushed once; a second sync pushes nothing.
	t.Setenv("CSM_SERVER_URL", hs.URL)
	if out := mustRun(t, "sync"); !strings.Contains(out, "pushed 3,") {
		t.Fatalf("sync said %q, want pushed 3", out)
	}
	if out := mustRun(t, "sync"); !strings.Contains(out, "pushed 0,") {
		t.Fatalf("second sync said %q, want pushed 0", out)
	}
	if n := srv.MutationCount(book.CSM.ID) - before; n != 3 {
		t.Fatalf("the server applied %d mutations, want 3", n)
	}
	served := srv.Book(book.CSM.ID)
	if i := slices.IndexFunc(served.Tasks, func(tk model.Task) bool { return tk.ID == id }); i < 0 ||
		served.Tasks[i].DueOn == nil || *served.Tasks[i].DueOn != want {
		t.Fatal("the server does not hold the re-dated follow-up")
	}

	// A second device sees it, re-dated.
	t.Setenv("CSM_DATA_DIR", deviceB)
	mustRun(t, "sync")
	rows = followUpsJSON(t, "--account", acct.Name)
	i = slices.IndexFunc(rows, func(r followups.Row) bool { return r.ID == id })
	if i < 0 || rows[i].DueOn == nil || *rows[i].DueOn != want {
		t.Fatalf("device B lists %+v, want %s due %s", rows, id, want)
	}
	snB, err := openDB(t, deviceB).Snoozes(context.Background(), today)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := snB[acct.ID][model.SnoozeAll]; !ok || got != today+7 {
		t.Fatalf("device B's snoozes of %s: %v, want until %s", acct.ID, snB[acct.ID], today+7)
	}
	// Woken on device B, pushed once; device A wakes it too.
	if out := mustRun(t, "snooze", acct.ID, "--off"); !strings.Contains(out, "woke") {
		t.Fatalf("snooze --off said %q", out)
	}
	// Done on device B, pushed with the wake; device A sees both.
	if out := mustRun(t, "followup", "done", id); !strings.Contains(out, ": done · will sync") {
		t.Fatalf("followup done said %q", out)
	}
	if out := mustRun(t, "sync"); !strings.Contains(out, "pushed 2,") {
		t.Fatalf("sync said %q, want pushed 2", out)
	}
	t.Setenv("CSM_DATA_DIR", deviceA)
	mustRun(t, "sync")
	if r, err := openDB(t, deviceA).FollowUp(context.Background(), id); err != nil || r.Task.DoneAt == nil {
		t.Fatalf("device A: %+v, %v: not done", r.Task, err)
	}
	if sn, _ := openDB(t, deviceA).Snoozes(context.Background(), today); len(sn[acct.ID]) != 0 {
		t.Fatalf("device A still snoozes %s: %v", acct.ID, sn[acct.ID])
	}
}

// The command line refuses bad input with a usage error and changes
// nothing; the listing filters as the cockpit's tabs do.
func TestFollowUpCommandsRefuseBadInput(t *testing.T) {
	isolated(t)
	accts := cliBook(t, nil)
	acct := accts[0]
	out := mustRun(t, "followup", "add", acct.ID, "Ask about SSO")
	if !strings.Contains(out, "no due day") {
		t.Fatalf("add without --due said %q", out)
	}
	id := regexp.MustCompile(`\(id ([0-9a-f-]{36})\)`).FindStringSubmatch(out)[1]
	cases := []struct {
		args []string
		code int
		says string
	}{
		{[]string{"followup", "add", acct.ID, "x", "--due", "someday"}, 2, "not a date"},
		{[]string{"followup", "add", "no-such-account", "x"}, 1, "no-such-account"},
		{[]string{"followup", "due", id, "someday"}, 2, "none for no date"},
		{[]string{"followup", "due", "no-such-id", "fri"}, 1, "not found"},
		{[]string{"followup", "done", "no-such-id"}, 1, "not found"},
		{[]string{"followups", "--filter", "soon"}, 2, "choose one of all, overdue"},
		{[]string{"followups", "--json", "--csv"}, 2, "choose one"},
		{[]string{"snooze", acct.ID, "someday"}, 2, "not a length of snooze"},
		{[]string{"snooze", acct.ID}, 2, "say for how long"},
		{[]string{"snooze", acct.ID, "week", "--off"}, 2, "takes the account alone"},
	}
	before := len(cliOutbox(t))
	for _, c := range cases {
		code, _, stderr := invoke(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.says) {
			t.Errorf("csm %s: exit %d %q, want %d saying %q", strings.Join(c.args, " "), code, stderr, c.code, c.says)
		}
	}
	if after := len(cliOutbox(t)); after != before {
		t.Fatalf("refused commands queued %d changes", after-before)
	}
	// Re-dated with a weekday, listed under --filter week, not under --overdue.
	mustRun(t, "followup", "due", id, "tomorrow")
	week := followUpsJSON(t, "--filter", "week", "--account", acct.ID)
	if !slices.ContainsFunc(week, func(r followups.Row) bool { return r.ID == id && r.DueInDays != nil && *r.DueInDays == 1 }) {
		t.Fatalf("--filter week: %+v", week)
	}
	for _, r := range followUpsJSON(t, "--overdue") {
		if !r.Overdue || r.ID == id {
			t.Fatalf("--overdue lists %+v", r)
		}
	}
	csv := mustRun(t, "followups", "--csv", "--account", acct.ID)
	if !strings.HasPrefix(csv, "id,kind,account_id,account_name,title,due_on,due_in_days,overdue,") || !strings.Contains(csv, id+",task,") {
		t.Fatalf("--csv:\n%s", csv)
	}
	table := mustRun(t, "followups", "--account", acct.ID)
	if !strings.Contains(table, "Ask about SSO") || !strings.Contains(table, id) {
		t.Fatalf("table:\n%s", table)
	}
	// Snooze off wakes; again says there is nothing to wake.
	mustRun(t, "snooze", acct.ID, "3d")
	if out := mustRun(t, "snooze", acct.ID, "--off"); !strings.Contains(out, "woke") {
		t.Fatalf("--off said %q", out)
	}
	if out := mustRun(t, "snooze", acct.ID, "--off"); !strings.Contains(out, "not snoozed") {
		t.Fatalf("--off again said %q", out)
	}
	help := mustRun(t, "followups", "--help")
	for _, field := range []string{"due_on", "due_in_days", "play_run_id", "account_name", "overdue"} {
		if !strings.Contains(help, field) {
			t.Errorf("followups --help does not document %s", field)
		}
	}
}
