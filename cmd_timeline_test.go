package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"csm/data"
	"csm/model"
)

// timelineOf reads an account's timeline from the store, as the account
// page does.
func timelineOf(t *testing.T, dataDir, id string) []model.TimelineEvent {
	t.Helper()
	st, err := data.Open(context.Background(), filepath.Join(dataDir, data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d, err := st.AccountDetail(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d.Timeline()
}

func timelineJSON(t *testing.T, args ...string) []model.TimelineEvent {
	t.Helper()
	code, out, errOut := runTriage(t, append([]string{"timeline"}, args...)...)
	if code != 0 {
		t.Fatalf("timeline %v: exit %d: %s", args, code, errOut)
	}
	var ev []model.TimelineEvent
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("timeline %v is not one JSON array: %v\n%.300s", args, err, out)
	}
	return ev
}

// TestTimelineCommand: csm timeline prints the account page's timeline,
// newest first, as a table and as JSON with the documented fields; --kind
// keeps one kind.
func TestTimelineCommand(t *testing.T) {
	dataDir, _ := triageEnv(t)
	b := model.Generate(model.GenOptions{Seed: 4, Accounts: 6, Days: 120, CSMs: 1})[0]
	a := b.Accounts[0]
	hostile := "Evil\x1b]0;owned\x07 note\x1b[2J\u202e body"
	b.Notes = append(b.Notes, model.Note{ID: "n-hostile", AccountID: a.ID, Kind: model.NoteCall,
		HappenedAt: a.UpdatedAt, CreatedAt: a.UpdatedAt, Body: hostile, Revision: 1})
	triageImport(t, dataDir, b)
	want := timelineOf(t, dataDir, a.ID)
	if len(want) < 5 {
		t.Fatalf("a thin timeline to test with: %d events", len(want))
	}

	got := timelineJSON(t, a.ID, "--json")
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("--json differs from the store's timeline:\n%.400s\nwant\n%.400s", gotJSON, wantJSON)
	}

	// The field names are an interface.
	_, out, _ := runTriage(t, "timeline", a.ID, "--json")
	var raw []map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, o := range raw {
		var keys []string
		for k := range o {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if strings.Join(keys, " ") != "at day event kind ref summary upcoming" {
			t.Fatalf("fields %v", keys)
		}
	}
	if strings.ContainsRune(out, 0x1b) {
		t.Error("JSON output holds a raw escape")
	}

	notes := timelineJSON(t, a.Name, "--kind", "note", "--json")
	if wantNotes := model.FilterTimeline(want, model.TimelineNote); len(notes) != len(wantNotes) || len(notes) == 0 {
		t.Errorf("--kind note: %d events, want %d", len(notes), len(wantNotes))
	}
	for _, e := range notes {
		if e.Kind != model.TimelineNote {
			t.Errorf("--kind note printed %+v", e)
		}
	}

	code, out, errOut := runTriage(t, "timeline", a.ID)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	assertNoControls(t, out)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "Timeline of ") || len(lines) != len(want)+2 {
		t.Errorf("table: %d lines for %d events:\n%.600s", len(lines), len(want), out)
	}
	if !strings.Contains(out, "Evil note body") {
		t.Errorf("the note is missing or not sanitized:\n%.600s", out)
	}
}

// TestTimelineCommandShowsARedatedFollowUp: a follow-up re-dated with csm
// followup due is on the timeline at once, with both days.
func TestTimelineCommandShowsARedatedFollowUp(t *testing.T) {
	dataDir, _ := triageEnv(t)
	b := model.Generate(model.GenOptions{Seed: 4, Accounts: 3, Days: 60, CSMs: 1})[0]
	a := b.Accounts[0]
	due := model.MakeDate(2031, 1, 10)
	b.Tasks = append(b.Tasks, model.Task{ID: "t-redate", AccountID: a.ID, Title: "Send the deck", DueOn: &due, CreatedAt: a.UpdatedAt})
	triageImport(t, dataDir, b)
	if code, _, errOut := runTriage(t, "followup", "due", "t-redate", "2031-01-17"); code != 0 {
		t.Fatalf("followup due: exit %d: %s", code, errOut)
	}
	ev := timelineJSON(t, a.ID, "--kind", "followup", "--json")
	i := slices.IndexFunc(ev, func(e model.TimelineEvent) bool { return e.Event == model.EventFollowUpRedated })
	if i < 0 || ev[i].Ref != "t-redate" || ev[i].At == nil ||
		ev[i].Summary != "Follow-up re-dated from 2031-01-10 to 2031-01-17: Send the deck" {
		t.Fatalf("re-dated follow-up on the timeline: %+v", ev)
	}
	if i != 0 {
		t.Errorf("the re-dating just made is not the newest follow-up event: %+v", ev[:i+1])
	}
}

func TestTimelineCommandBadInvocation(t *testing.T) {
	dataDir, _ := triageEnv(t)
	b := model.Generate(model.GenOptions{Seed: 4, Accounts: 2, Days: 30, CSMs: 1})[0]
	triageImport(t, dataDir, b)
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no account", []string{"timeline"}, 2, "csm timeline needs ACCOUNT"},
		{"bad kind", []string{"timeline", b.Accounts[0].ID, "--kind", "notes"}, 2, `--kind: kind "notes" is not one of all, note,`},
		{"unknown account", []string{"timeline", "zzz-no-such"}, 1, "zzz-no-such"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runTriage(t, c.args...)
			if code != c.code || out != "" || !strings.Contains(errOut, c.msg) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errOut, c.code, c.msg)
			}
		})
	}
}
