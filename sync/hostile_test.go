package sync

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"csm/data"
	"csm/model"
	"csm/model/modeltest"
	"csm/safe"
)

// The hostile sync: a reference server serves a book whose every text field
// carries terminal escapes, bidi controls, C0/C1 controls and over-long text
// (modeltest.HostileBook), plus entities a broken server would send. The client
// must store the valid ones (cut where too long), skip and count the
// invalid ones, and never fail.

var hostileAsOf = model.MakeDate(2026, 11, 20)

// hostileBad is one invalid entity the server sends as given.
type hostileBad struct {
	entity, id string
	data       json.RawMessage
	// want is part of the reason listed for skipping it.
	want string
}

// edited returns v as JSON with edit applied to its fields.
func edited(t *testing.T, v any, edit func(map[string]any)) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// hostileFixture is a server holding the hostile book and the invalid
// entities, and an empty database.
type hostileFixture struct {
	fixture
	book model.Book // the hostile book the server started from
	bad  []hostileBad
}

// orphanID is a valid contact whose account does not exist: the store
// skips it and the summary lists it. Its id carries an OSC title.
const orphanID = "p-orphan-\x1b]0;csm-hostile-orphan\a"

// withFuture adds a usage month of 9999-12, valid in every other way; see
// TestHostileSyncFarFutureUsageMonth.
func newHostileFixture(t *testing.T, withFuture bool) *hostileFixture {
	t.Helper()
	base := model.Generate(model.GenOptions{Seed: 3, Accounts: 12, Days: 120, AsOf: hostileAsOf, CSMs: 1})[0]
	h := modeltest.HostileBook(base, 1)
	srv := NewServer([]Tenant{{Token: testToken, Book: h}})

	acct, contact, note, nps := h.Accounts[3], h.Contacts[0], h.Notes[1], h.NPS[1]
	var month model.UsageMonth
	for _, u := range h.Usage {
		if u.Days > 10 {
			month = u
			break
		}
	}
	withID := func(id string) func(map[string]any) { return func(m map[string]any) { m["id"] = id } }
	longID := "a-" + strings.Repeat("\x1b]0;csm-hostile-long-id\a", 3) // 71 bytes
	short := month
	short.ID, short.Month = month.AccountID+"/2026-01", "2026-01"
	short.Days = 31
	short.DAU = month.DAU[:5] // fewer entries than days
	future := month
	future.ID, future.Month = month.AccountID+"/9999-12", "9999-12"
	future.Days = len(month.DAU)

	bad := []hostileBad{
		{EntityAccount, "bad-type", edited(t, acct, func(m map[string]any) { m["id"] = "bad-type"; m["licenses"] = "12" }), "licenses: is a JSON string"},
		{EntityAccount, "bad-missing", edited(t, acct, func(m map[string]any) { m["id"] = "bad-missing"; delete(m, "name") }), "name: is missing"},
		{EntityAccount, "bad-null", edited(t, acct, func(m map[string]any) { m["id"] = "bad-null"; m["renewal_on"] = nil }), "renewal_on: is null"},
		{EntityAccount, "bad-negative", edited(t, acct, func(m map[string]any) { m["id"] = "bad-negative"; m["licenses"] = -5 }), "licenses: -5 is negative"},
		{EntityAccount, "bad-tier", edited(t, acct, func(m map[string]any) { m["id"] = "bad-tier"; m["tier"] = "platinum\x1b[2J" }), "tier:"},
		{EntityAccount, "bad-ae", edited(t, acct, func(m map[string]any) { m["id"] = "bad-ae"; m["account_executive"] = "Maya" }), "account_executive"},
		{EntityAccount, "bad-date", edited(t, acct, func(m map[string]any) { m["id"] = "bad-date"; m["purchased_on"] = "2026-13-45" }), "purchased_on"},
		{EntityAccount, longID, edited(t, acct, withID(longID)), "more than 64"},
		{EntityAccount, "bad-array", json.RawMessage(`[1,2,3]`), "not a JSON object"},
		{EntityContact, "bad-role", edited(t, contact, func(m map[string]any) { m["id"] = "bad-role"; m["role"] = "overlord" }), "role:"},
		{EntityNote, "bad-kind", edited(t, note, func(m map[string]any) { m["id"] = "bad-kind"; m["kind"] = "rant" }), "kind:"},
		{EntityNote, "bad-revision", edited(t, note, func(m map[string]any) { m["id"] = "bad-revision"; m["revision"] = 0 }), "revision:"},
		{EntityNPS, "bad-score", edited(t, nps, func(m map[string]any) { m["id"] = "bad-score"; m["score"] = 11 }), "score: 11"},
		{EntityUsageMonth, short.ID, edited(t, short, func(map[string]any) {}), "entries, days is 31"},
		{"\x1b]52;c;Y3NtLWhvc3RpbGUtZW50aXR5\a", "unknown-entity-1", json.RawMessage(`{"id":"unknown-entity-1"}`), "unknown entity"},
		{EntityContact, orphanID, edited(t, contact, func(m map[string]any) { m["id"] = orphanID; m["account_id"] = "no-such-account" }), "its account is unknown"},
	}
	if withFuture {
		bad = append(bad, hostileBad{EntityUsageMonth, future.ID, edited(t, future, func(map[string]any) {}), "9999-12"})
	}
	for _, b := range bad {
		if srv.UpsertRaw(base.CSM.ID, b.entity, b.id, b.data) == 0 {
			t.Fatalf("server refused to serve %s %q", b.entity, b.id)
		}
	}

	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	st, err := data.Open(context.Background(), filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &hostileFixture{fixture: fixture{srv: srv, http: hs, store: st, csm: base.CSM.ID}, book: h, bad: bad}
}

// skippedFor returns the listed reasons that name id.
func skippedFor(invalid []string, id string) []string {
	var out []string
	for _, s := range invalid {
		// The id may be listed as is or quoted, alone or within a longer
		// quoted string: look for its escaped form without the quotes.
		if strings.Contains(s, id) || strings.Contains(s, strings.Trim(strconv.Quote(id), `"`)) {
			out = append(out, s)
		}
	}
	return out
}

func jsonQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

// The main run: no error, every invalid entity skipped and listed, every
// valid one stored, cut to the limits of docs/API.md.
func TestHostileSyncStoresValidSkipsInvalid(t *testing.T) {
	f := newHostileFixture(t, false)
	ctx := context.Background()
	sum, err := Run(ctx, f.client(t), f.store)
	if err != nil {
		t.Fatalf("sync of a hostile book failed: %v", err)
	}
	if len(sum.Invalid) != len(f.bad) {
		t.Errorf("summary skipped %d entities, want %d:\n  %s", len(sum.Invalid), len(f.bad), strings.Join(quoteAll(sum.Invalid), "\n  "))
	}
	if !strings.Contains(sum.String(), "skipped "+strconv.Itoa(len(sum.Invalid))+" invalid") {
		t.Errorf("summary line %q does not count the skipped entities", sum.String())
	}
	for _, b := range f.bad {
		got := skippedFor(sum.Invalid, b.id)
		if len(got) != 1 || !strings.Contains(got[0], b.want) {
			t.Errorf("%s %q: listed as %q, want one reason containing %q", b.entity, b.id, quoteAll(got), b.want)
		}
	}

	// What is stored is the server's valid book, text cut, and nothing of
	// the invalid entities.
	want := f.srv.Book(f.csm)
	want.CSM = model.CSM{}
	want.Contacts = slices.DeleteFunc(want.Contacts, func(c model.Contact) bool { return c.ID == orphanID })
	got, err := f.store.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for kind, pair := range map[string][2]any{
		"accounts": {got.Accounts, want.Accounts}, "contacts": {got.Contacts, want.Contacts},
		"features": {got.Features, want.Features}, "usage": {got.Usage, want.Usage},
		"nps": {got.NPS, want.NPS}, "playbooks": {got.Playbooks, want.Playbooks},
		"checklists": {got.Checklists, want.Checklists}, "notes": {got.Notes, want.Notes},
		"tasks": {got.Tasks, want.Tasks}, "checklist items": {got.ChecklistItems, want.ChecklistItems},
		"play runs": {got.PlayRuns, want.PlayRuns},
	} {
		if g, w := jsonOf(t, pair[0]), jsonOf(t, pair[1]); g != w {
			t.Errorf("stored %s differ from the server's valid ones (%d vs %d bytes of JSON)", kind, len(g), len(w))
		}
	}
	if len(got.Accounts) != len(f.book.Accounts) || len(got.Notes) != len(f.book.Notes) {
		t.Fatalf("stored %d accounts and %d notes, the hostile book has %d and %d",
			len(got.Accounts), len(got.Notes), len(f.book.Accounts), len(f.book.Notes))
	}

	// The cuts of docs/API.md: a name past 256 characters, a body past 64 KiB.
	byID := map[string]model.Account{}
	for _, a := range got.Accounts {
		byID[a.ID] = a
	}
	huge := byID[f.book.Accounts[1].ID]
	if n := utf8.RuneCountInString(huge.Name); n > model.MaxNameChars || !strings.HasSuffix(huge.Name, "…") {
		t.Errorf("1 MiB name stored as %d characters (suffix %q), want ≤ %d ending in …", n, lastRunes(huge.Name, 3), model.MaxNameChars)
	}
	for _, a := range got.Accounts {
		if utf8.RuneCountInString(a.Name) > model.MaxNameChars {
			t.Errorf("account %q: name of %d characters stored", a.ID, utf8.RuneCountInString(a.Name))
		}
		if !utf8.ValidString(a.Name) {
			t.Errorf("account %q: cut name is not valid UTF-8", a.ID)
		}
	}
	if _, ok := byID[modeltest.HostileAccountID]; !ok {
		t.Error("the account with a hostile (but valid) id was not stored")
	}
	for _, n := range got.Notes {
		if n.ID == f.book.Notes[0].ID {
			if len(n.Body) > model.MaxBodyBytes || !strings.HasSuffix(n.Body, "…") {
				t.Errorf("100 KiB note body stored as %d bytes, want ≤ %d ending in …", len(n.Body), model.MaxBodyBytes)
			}
		}
	}
	for _, n := range got.NPS {
		if n.ID == f.book.NPS[0].ID && (len(n.Comment) > model.MaxBodyBytes || !strings.HasSuffix(n.Comment, "…")) {
			t.Errorf("100 KiB NPS comment stored as %d bytes, want ≤ %d ending in …", len(n.Comment), model.MaxBodyBytes)
		}
	}

	// The metrics were computed over the stored book, as of its real last
	// usage day.
	book, err := f.store.Book(ctx)
	if err != nil || !book.Computed || len(book.Rows) != len(f.book.Accounts) {
		t.Fatalf("metrics after a hostile sync: computed=%v rows=%d err=%v", book.Computed, len(book.Rows), err)
	}

	// A second sync brings nothing new and skips nothing again.
	again, err := Run(ctx, f.client(t), f.store)
	if err != nil || again.Pull.Changes != 0 || len(again.Invalid) != 0 {
		t.Fatalf("second sync: %+v, %v", again, err)
	}
}

// A usage month dated in the year 9999 is an out-of-range value (docs/API.md:
// "an out-of-range value makes that one entity invalid"). Stored, it would
// become the newest usage day of the whole book: every account's figures
// would be computed as of 9999-12 (no use at all), and the real months
// would fall outside the 20-year window of model.BuildUsage.
func TestHostileSyncFarFutureUsageMonth(t *testing.T) {
	f := newHostileFixture(t, true)
	ctx := context.Background()
	sum, err := Run(ctx, f.client(t), f.store)
	if err != nil {
		t.Fatal(err)
	}
	if got := filter(sum.Invalid, "9999-12"); len(got) != 1 {
		t.Errorf("a usage month of 9999-12 was stored, not skipped (%d others skipped)", len(sum.Invalid))
	}
	book, err := f.store.Book(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if book.Totals.AsOf != hostileAsOf {
		t.Errorf("the book's usage is as of %s, want %s: one bogus month moved T for every account", book.Totals.AsOf, hostileAsOf)
	}
}

// The list of skipped entities is printed by `csm sync -v` as is, so what
// it quotes of the server's data must be safe to print: ids and entity
// names come from the server and may hold escape sequences.
func TestHostileSyncSkippedListIsSafeToPrint(t *testing.T) {
	f := newHostileFixture(t, false)
	sum, err := Run(context.Background(), f.client(t), f.store)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sum.Invalid {
		if clean := safe.Line(s); clean != s {
			t.Errorf("skipped-entity line carries raw control or escape text: %q", s)
		}
	}
}

// A server's error message is untrusted text too: the error a failed sync
// returns is printed by main ("csm: <error>") and shown in the footer.
func TestHostileSyncServerErrorMessage(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"error":{"code":"no\u001b]0;csm-hostile-code\u0007","message":"denied\u001b]52;c;Y3NtLWhvc3RpbGUtZXJyb3I=\u0007\u001b[2J\u202e"}}`))
	}))
	t.Cleanup(hs.Close)
	c, err := NewClient(hs.URL, testToken, WithRetry(Retry{Attempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Me(context.Background())
	if err == nil {
		t.Fatal("a 403 was not an error")
	}
	if msg := err.Error(); safe.Line(msg) != msg {
		t.Errorf("error carries the server's escape sequences as is: %q", msg)
	}
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = jsonQuote(s)
	}
	return out
}

func filter(ss []string, sub string) []string {
	var out []string
	for _, s := range ss {
		if strings.Contains(s, sub) {
			out = append(out, s)
		}
	}
	return out
}

func lastRunes(s string, n int) string {
	r := []rune(s)
	return string(r[max(len(r)-n, 0):])
}
