package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"csm/data"
	"csm/search"
	"csm/status"
)

// csm status --json parses back into its documented fields, on a fresh
// database and on one with waiting and refused changes; text goes out as
// stored, its control characters escaped by the encoder.
func TestStatusJSON(t *testing.T) {
	cliEnv(t)
	r := cliRun(t, "", "status", "--json")
	if r.code != 0 {
		t.Fatal(r.output())
	}
	var fresh status.Report
	if err := json.Unmarshal([]byte(r.stdout), &fresh); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if fresh.LastSync != nil || fresh.Server.Configured || fresh.Waiting.Total != 0 || fresh.BookAsOf != nil || fresh.Database.SchemaVersion == 0 {
		t.Errorf("fresh: %+v", fresh)
	}
	// null and [] where there is nothing, never a missing field.
	var raw map[string]any
	json.Unmarshal([]byte(r.stdout), &raw)
	for _, k := range []string{"last_sync", "server", "waiting", "rejected", "database", "book_as_of"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("no %q in %s", k, r.stdout)
		}
	}
	if raw["rejected"] == nil || raw["waiting"].(map[string]any)["by_type"] == nil {
		t.Errorf("empty lists must be []: %s", r.stdout)
	}

	accts := cliBook(t, nil)
	for _, a := range accts[:2] {
		if r := cliRun(t, "", "note", a.ID, "-m", "x", "--next", "call back"); r.code != 0 {
			t.Fatal(r.output())
		}
	}
	st := cliStore(t)
	ctx := context.Background()
	pending, err := st.Pending(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RecordResults(ctx, []data.Result{{ID: pending[0].ID, ErrorCode: "invalid", ErrorMsg: "closed\x1b[2J"}}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetLastSync(ctx, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), "pulled 3 changes"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	t.Setenv("CSM_SERVER_URL", "https://csm.example.com")
	t.Setenv("CSM_TOKEN", "s3cret-token")
	r = cliRun(t, "", "status", "--json")
	if r.code != 0 {
		t.Fatal(r.output())
	}
	if strings.Contains(r.stdout, "s3cret") || strings.Contains(r.stdout, "\x1b") {
		t.Errorf("the token or a raw escape in %s", r.stdout)
	}
	var busy status.Report
	if err := json.Unmarshal([]byte(r.stdout), &busy); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if busy.LastSync == nil || busy.LastSync.Summary != "pulled 3 changes" || !busy.LastSync.At.Equal(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("last_sync %+v", busy.LastSync)
	}
	if busy.Server.URL != "https://csm.example.com" || !busy.Server.Configured || busy.Server.Token != "token from CSM_TOKEN" {
		t.Errorf("server %+v", busy.Server)
	}
	if busy.Waiting.Total != 3 || len(busy.Waiting.ByType) != 2 {
		t.Errorf("waiting %+v", busy.Waiting)
	}
	if len(busy.Rejected) != 1 || busy.Rejected[0].ErrorMessage != "closed\x1b[2J" || busy.Rejected[0].AccountID == "" {
		t.Errorf("rejected %+v", busy.Rejected)
	}
	if busy.BookAsOf == nil || *busy.BookAsOf != "2026-11-20" {
		t.Errorf("book_as_of %v", busy.BookAsOf)
	}
}

// csm search --json parses back: the hits best first, the snippet as
// stored without markers, the matched words beside it; [] when nothing
// matches (exit 0).
func TestSearchJSON(t *testing.T) {
	cliEnv(t)
	accts := cliBook(t, nil)
	a, b := accts[0], accts[1]
	for _, n := range []struct{ account, text, at string }{
		{a.ID, "Lunch, the zorbulator once", "2026-11-21 10:00"},
		{b.ID, "The zorbulator, and the zorbulator again \x1b[31m", "2026-11-22 10:00"},
	} {
		if r := cliRun(t, "", "note", n.account, "-m", n.text, "--at", n.at); r.code != 0 {
			t.Fatal(r.output())
		}
	}
	r := cliRun(t, "", "search", "--json", "zorbulator")
	if r.code != 0 {
		t.Fatal(r.output())
	}
	var hits []search.Hit
	if err := json.Unmarshal([]byte(r.stdout), &hits); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if len(hits) != 2 {
		t.Fatalf("%d hits: %s", len(hits), r.stdout)
	}
	top := hits[0]
	if top.AccountID != b.ID || top.AccountName != b.Name || top.Kind != "note" || top.ID == "" || top.When == nil || top.Rank > hits[1].Rank {
		t.Errorf("top hit %+v", top)
	}
	if strings.ContainsAny(top.Snippet, "\uE000\uE001") || !strings.Contains(top.Snippet, "The zorbulator, and the zorbulator again") {
		t.Errorf("snippet %q", top.Snippet)
	}
	if len(top.Matches) != 2 || top.Matches[0] != "zorbulator" {
		t.Errorf("matches %q", top.Matches)
	}
	if strings.Contains(r.stdout, "\x1b") {
		t.Errorf("a raw escape in %q", r.stdout)
	}
	r = cliRun(t, "", "search", "--json", "nothingmatchesthis")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("no match: exit %d, %q", r.code, r.stdout)
	}
}
