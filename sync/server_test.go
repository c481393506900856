package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"csm/model"
)

var serverNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

const (
	tok1, tok2 = "token-one", "token-two"
	csm1, csm2 = "c1", "c2"
)

// fixtureBook is a small book of one of every entity or two, its ids
// prefixed with the CSM id so two books never share a client-made id.
func fixtureBook(csmID string) model.Book {
	p := csmID + "-"
	at := serverNow.Add(-48 * time.Hour)
	day := model.MakeDate(2026, 11, 1)
	noteID := p + "n1"
	return model.Book{
		CSM:        model.CSM{ID: csmID, Name: "CSM " + csmID, Email: csmID + "@example.com"},
		Features:   []model.Feature{{Key: "reports", Name: "Reports", HighValue: true}, {Key: "export", Name: "Export"}},
		Playbooks:  []model.Playbook{{Key: "low_util", Name: "Low utilization", Trigger: "low_utilization", Steps: []model.PlaybookStep{{Key: "review", Title: "Review", DueDays: 3}, {Key: "plan", Title: "Plan", DueDays: 10}}}},
		Checklists: []model.Checklist{{Key: "onboarding", Stage: model.StageOnboarding, Name: "Onboarding", Items: []model.ChecklistTemplateItem{{Key: "kickoff", Title: "Kickoff"}, {Key: "training", Title: "Training"}}}},
		Accounts: []model.Account{
			{ID: p + "a1", Name: "Acme", Tier: model.TierHighTouch, Stage: model.StageAdoption, Licenses: 50, ARRCents: 100, Currency: "USD", PurchasedOn: day, OnboardingStartedOn: day, RenewalOn: day + 365, UpdatedAt: at},
			{ID: p + "a2", Name: "Bolt", Tier: model.TierTechTouch, Stage: model.StageOnboarding, Licenses: 5, ARRCents: 0, Currency: "EUR", PurchasedOn: day, OnboardingStartedOn: day, RenewalOn: day + 365, UpdatedAt: at},
		},
		Contacts: []model.Contact{{ID: p + "ct1", AccountID: p + "a1", Name: "Bo", Role: model.RoleChampion, IsChampion: true}},
		Usage:    []model.UsageMonth{usageFixture(p+"a1", "2026-11", 2)},
		NPS:      []model.NPSResponse{{ID: p + "nps1", AccountID: p + "a1", ContactID: p + "ct1", Score: 9, RespondedOn: day}},
		Notes:    []model.Note{{ID: noteID, AccountID: p + "a1", Kind: model.NoteCall, HappenedAt: at, Body: "kickoff call", Author: "CSM", CreatedAt: at, Revision: 1}},
		Tasks:    []model.Task{{ID: p + "t1", AccountID: p + "a1", NoteID: &noteID, Title: "Send deck", CreatedAt: at}},
		ChecklistItems: []model.ChecklistItem{
			{ID: model.ChecklistItemID(p+"a1", "onboarding", "kickoff"), AccountID: p + "a1", ChecklistKey: "onboarding", ItemKey: "kickoff", Done: true, ChangedAt: at},
		},
		PlayRuns: []model.PlayRun{{ID: p + "r1", AccountID: p + "a1", PlaybookKey: "low_util", StartedAt: at, Steps: map[string]*time.Time{"review": nil, "plan": nil}}},
	}
}

func usageFixture(accountID, month string, days int) model.UsageMonth {
	col := func() []int {
		c := make([]int, days)
		for i := range c {
			c[i] = i + 1
		}
		return c
	}
	return model.UsageMonth{
		ID: accountID + "/" + month, AccountID: accountID, Month: month, Days: days,
		DAU: col(), WAU: col(), MAU: col(), Sessions: col(), Minutes: col(),
		Features: map[string][]int{"reports": col()},
	}
}

// bookKeys lists every entity of a book as "entity id".
func bookKeys(b model.Book) []string {
	var out []string
	for _, e := range bookEntities(b) {
		out = append(out, e.entity+" "+EntityID(e.entity, e.v))
	}
	slices.Sort(out)
	return out
}

// newTestServer serves the two fixture books from memory.
func newTestServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	return newTestServerOn(t, storeMemory)
}

// newTestServerOn serves the two fixture books from a fresh store of kind
// (see forEachStore).
func newTestServerOn(t *testing.T, kind storeKind) (*Server, *httptest.Server) {
	t.Helper()
	store := newTestStore(t, kind, []Tenant{{Token: tok1, Book: fixtureBook(csm1)}, {Token: tok2, Book: fixtureBook(csm2)}})
	s := NewServerWith(store, ServerClock(func() time.Time { return serverNow }))
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

// httpReply is one HTTP answer, its body decompressed.
type httpReply struct {
	status int
	header http.Header
	body   []byte
}

// callServer sends one request; headers are pairs of name and value.
func callServer(t *testing.T, ts *httptest.Server, method, path, token string, body []byte, headers ...string) httpReply {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	// No transparent decompression: the tests see what the server sent.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		gz, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = gz
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return httpReply{status: resp.StatusCode, header: resp.Header, body: raw}
}

func changesPath(cursor string, limit int) string {
	q := url.Values{}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	return APIPrefix + "/changes?" + q.Encode()
}

func fetchPage(t *testing.T, ts *httptest.Server, token, cursor string, limit int) Page {
	t.Helper()
	r := callServer(t, ts, http.MethodGet, changesPath(cursor, limit), token, nil)
	if r.status != http.StatusOK {
		t.Fatalf("GET changes: %d %s", r.status, r.body)
	}
	var p Page
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("page: %v", err)
	}
	if len(p.Changes) > max(limit, 0) && limit > 0 {
		t.Fatalf("page of %d changes, limit %d", len(p.Changes), limit)
	}
	return p
}

// walkFeed follows the feed from cursor to its end and returns the changes,
// the last cursor and the number of pages.
func walkFeed(t *testing.T, ts *httptest.Server, token, cursor string, limit int) ([]Change, string, int) {
	t.Helper()
	var all []Change
	pages := 0
	for {
		p := fetchPage(t, ts, token, cursor, limit)
		pages++
		all = append(all, p.Changes...)
		cursor = p.NextCursor
		if !p.HasMore {
			return all, cursor, pages
		}
		if pages > 10_000 {
			t.Fatal("feed never ends")
		}
	}
}

func wantAPIError(t *testing.T, r httpReply, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d (%s), want %d", r.status, r.body, status)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q", ct)
	}
	var eb ErrorBody
	if err := json.Unmarshal(r.body, &eb); err != nil || eb.Error.Code != code || eb.Error.Message == "" {
		t.Fatalf("body %s, want error code %q with a message", r.body, code)
	}
}

func TestServerAuth(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		_, ts := newTestServerOn(t, kind)
		paths := []struct{ method, path string }{
			{http.MethodGet, APIPrefix + "/me"},
			{http.MethodGet, APIPrefix + "/changes"},
			{http.MethodPost, APIPrefix + "/mutations"},
		}
		cases := []struct {
			name  string
			auth  string
			valid bool
		}{
			{"missing", "", false},
			{"wrong token", "Bearer nope", false},
			{"prefix of a token", "Bearer " + tok1[:4], false},
			{"empty bearer", "Bearer ", false},
			{"basic scheme", "Basic " + tok1, false},
			{"valid", "Bearer " + tok1, true},
			{"scheme in lower case", "bearer " + tok1, true},
		}
		for _, p := range paths {
			for _, c := range cases {
				t.Run(p.path+"/"+c.name, func(t *testing.T) {
					var body []byte
					if p.method == http.MethodPost {
						body = []byte(`{"mutations":[]}`)
					}
					r := callServer(t, ts, p.method, p.path, "", body, "Authorization", c.auth)
					if c.valid {
						if r.status != http.StatusOK {
							t.Fatalf("status %d %s", r.status, r.body)
						}
						return
					}
					wantAPIError(t, r, http.StatusUnauthorized, CodeUnauthorized)
				})
			}
		}
	})
}

func TestServerMe(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		_, ts := newTestServerOn(t, kind)
		for _, c := range []struct{ token, csm string }{{tok1, csm1}, {tok2, csm2}} {
			t.Run(c.csm, func(t *testing.T) {
				r := callServer(t, ts, http.MethodGet, APIPrefix+"/me", c.token, nil)
				var me Me
				if err := json.Unmarshal(r.body, &me); err != nil || r.status != http.StatusOK {
					t.Fatalf("%d %s", r.status, r.body)
				}
				want := Me{CSM: fixtureBook(c.csm).CSM, ServerTime: serverNow, Extensions: []string{"snooze"}}
				if !reflect.DeepEqual(me, want) {
					t.Fatalf("me = %+v, want %+v", me, want)
				}
			})
		}
	})
}

func TestServerRouting(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		_, ts := newTestServerOn(t, kind)
		cases := []struct {
			name, method, path string
			status             int
			code, allow        string
		}{
			{"unknown path", http.MethodGet, APIPrefix + "/accounts", http.StatusNotFound, CodeNotFound, ""},
			{"no version", http.MethodGet, "/me", http.StatusNotFound, CodeNotFound, ""},
			{"post to me", http.MethodPost, APIPrefix + "/me", http.StatusMethodNotAllowed, CodeMethodNotAllowed, "GET"},
			{"delete changes", http.MethodDelete, APIPrefix + "/changes", http.StatusMethodNotAllowed, CodeMethodNotAllowed, "GET"},
			{"get mutations", http.MethodGet, APIPrefix + "/mutations", http.StatusMethodNotAllowed, CodeMethodNotAllowed, "POST"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := callServer(t, ts, c.method, c.path, tok1, nil)
				wantAPIError(t, r, c.status, c.code)
				if got := r.header.Get("Allow"); got != c.allow {
					t.Fatalf("Allow %q, want %q", got, c.allow)
				}
			})
		}
	})
}

func TestServerFullSyncPaging(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		s, ts := newTestServerOn(t, kind)
		// History the full sync must squash: an entity changed twice, one
		// deleted, one deleted and re-created.
		b := fixtureBook(csm1)
		s.Upsert(csm1, EntityAccount, b.Accounts[0])
		s.Upsert(csm1, EntityAccount, b.Accounts[0])
		s.Delete(csm1, EntityContact, b.Contacts[0].ID)
		s.Delete(csm1, EntityFeature, "export")
		s.Upsert(csm1, EntityFeature, b.Features[1])

		want := bookKeys(b)
		want = slices.DeleteFunc(want, func(k string) bool { return k == EntityContact+" "+b.Contacts[0].ID })
		n := len(want)
		for _, limit := range []int{1, 2, 3, 7, n - 1, n, n + 1, MaxPageLimit} {
			t.Run(fmt.Sprintf("limit %d", limit), func(t *testing.T) {
				changes, _, pages := walkFeed(t, ts, tok1, "", limit)
				if wantPages := max(1, (n+limit-1)/limit); pages != wantPages {
					t.Errorf("%d pages, want %d", pages, wantPages)
				}
				var got []string
				for i, c := range changes {
					if c.Op != OpUpsert {
						t.Errorf("full sync has a %s of %s %s", c.Op, c.Entity, c.ID)
					}
					if i > 0 && c.Seq <= changes[i-1].Seq {
						t.Errorf("seq %d after %d", c.Seq, changes[i-1].Seq)
					}
					v, err := DecodeEntity(c.Entity, c.Data)
					if err != nil || EntityID(c.Entity, v) != c.ID {
						t.Errorf("change %s %s: data %s (%v)", c.Entity, c.ID, c.Data, err)
					}
					got = append(got, c.Entity+" "+c.ID)
				}
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Fatalf("full sync holds\n%v\nwant every live entity once:\n%v", got, want)
				}
			})
		}
	})
}

func TestServerInitialOrder(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		_, ts := newTestServerOn(t, kind)
		changes, _, _ := walkFeed(t, ts, tok1, "", 0)
		rank := map[string]int{}
		for i, e := range []string{EntityFeature, EntityPlaybook, EntityChecklist, EntityAccount, EntityContact,
			EntityUsageMonth, EntityNPS, EntityNote, EntityTask, EntityChecklistItem, EntityPlayRun} {
			rank[e] = i
		}
		for i := 1; i < len(changes); i++ {
			if rank[changes[i].Entity] < rank[changes[i-1].Entity] {
				t.Fatalf("%s comes after %s", changes[i].Entity, changes[i-1].Entity)
			}
		}
	})
}

func TestServerBooksApart(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		_, ts := newTestServerOn(t, kind)
		for _, c := range []struct{ token, csm string }{{tok1, csm1}, {tok2, csm2}} {
			t.Run(c.csm, func(t *testing.T) {
				changes, _, _ := walkFeed(t, ts, c.token, "", 0)
				var got []string
				for _, ch := range changes {
					got = append(got, ch.Entity+" "+ch.ID)
				}
				slices.Sort(got)
				if want := bookKeys(fixtureBook(c.csm)); !slices.Equal(got, want) {
					t.Fatalf("%s sees\n%v\nwant\n%v", c.csm, got, want)
				}
			})
		}
		t.Run("cursor of another book", func(t *testing.T) {
			p := fetchPage(t, ts, tok1, "", 2)
			wantAPIError(t, callServer(t, ts, http.MethodGet, changesPath(p.NextCursor, 2), tok2, nil), http.StatusBadRequest, CodeBadRequest)
		})
	})
}

func TestServerSameCursorSamePage(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		_, ts := newTestServerOn(t, kind)
		first := fetchPage(t, ts, tok1, "", 3)
		for _, cursor := range []string{"", first.NextCursor} {
			a := callServer(t, ts, http.MethodGet, changesPath(cursor, 3), tok1, nil)
			b := callServer(t, ts, http.MethodGet, changesPath(cursor, 3), tok1, nil)
			if a.status != http.StatusOK || !bytes.Equal(a.body, b.body) {
				t.Fatalf("cursor %q: two answers differ:\n%s\n%s", cursor, a.body, b.body)
			}
		}
	})
}

func TestServerIncremental(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		s, ts := newTestServerOn(t, kind)
		_, cursor, _ := walkFeed(t, ts, tok1, "", 4)

		p := fetchPage(t, ts, tok1, cursor, 0)
		if len(p.Changes) != 0 || p.HasMore {
			t.Fatalf("up to date, yet the feed gives %+v", p)
		}

		// A new usage day, sent twice: the client gets it once, as it is now.
		u := usageFixture(csm1+"-a1", "2026-11", 3)
		s.Upsert(csm1, EntityUsageMonth, usageFixture(csm1+"-a1", "2026-11", 2))
		seq := s.Upsert(csm1, EntityUsageMonth, u)
		s.Upsert(csm2, EntityUsageMonth, usageFixture(csm2+"-a1", "2026-11", 3)) // another book: not seen

		p = fetchPage(t, ts, tok1, p.NextCursor, 0)
		if len(p.Changes) != 1 || p.HasMore {
			t.Fatalf("after one upsert the feed gives %d changes: %+v", len(p.Changes), p.Changes)
		}
		c := p.Changes[0]
		got, err := DecodeEntity(c.Entity, c.Data)
		if err != nil || c.Seq != seq || c.Op != OpUpsert || c.ID != u.ID || !reflect.DeepEqual(got, u) {
			t.Fatalf("change %+v (%v), want seq %d upsert of %+v", c, err, seq, u)
		}

		seq = s.Delete(csm1, EntityContact, csm1+"-ct1")
		p = fetchPage(t, ts, tok1, p.NextCursor, 0)
		want := []Change{{Seq: seq, Entity: EntityContact, Op: OpDelete, ID: csm1 + "-ct1"}}
		if !reflect.DeepEqual(p.Changes, want) {
			t.Fatalf("after a delete the feed gives %+v, want %+v", p.Changes, want)
		}
		if s.Delete(csm1, EntityContact, csm1+"-ct1") != 0 {
			t.Fatal("deleting twice made a second change")
		}
	})
}

// TestServerWalkWhileChanging changes the book between the pages of a
// full sync: a client that applies every page in order still ends with
// exactly the server's state.
func TestServerWalkWhileChanging(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		s, ts := newTestServerOn(t, kind)
		b := fixtureBook(csm1)
		local := map[string]string{}
		apply := func(p Page) {
			for _, c := range p.Changes {
				k := c.Entity + " " + c.ID
				if c.Op == OpDelete {
					delete(local, k)
				} else {
					local[k] = string(c.Data)
				}
			}
		}
		p := fetchPage(t, ts, tok1, "", 3)
		apply(p)
		// Already sent: changed, and deleted. Not yet sent: changed, deleted, new.
		b.Features[0].Name = "Reports v2"
		s.Upsert(csm1, EntityFeature, b.Features[0])
		s.Delete(csm1, EntityPlaybook, "low_util")
		b.Tasks[0].Title = "Send the deck"
		s.Upsert(csm1, EntityTask, b.Tasks[0])
		s.Delete(csm1, EntityNPS, b.NPS[0].ID)
		s.Upsert(csm1, EntityFeature, model.Feature{Key: "sso", Name: "SSO"})
		for p.HasMore {
			p = fetchPage(t, ts, tok1, p.NextCursor, 3)
			apply(p)
		}

		fresh, _, _ := walkFeed(t, ts, tok1, "", 0)
		want := map[string]string{}
		for _, c := range fresh {
			want[c.Entity+" "+c.ID] = string(c.Data)
		}
		if !reflect.DeepEqual(local, want) {
			t.Fatalf("client holds\n%v\nserver holds\n%v", local, want)
		}
	})
}

func TestServerCompact(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		s, ts := newTestServerOn(t, kind)
		_, old, _ := walkFeed(t, ts, tok1, "", 0)
		mid := fetchPage(t, ts, tok1, "", 2).NextCursor
		s.Upsert(csm1, EntityFeature, model.Feature{Key: "sso", Name: "SSO"})
		s.Delete(csm1, EntityContact, csm1+"-ct1")
		s.Compact(csm1)

		for name, cursor := range map[string]string{"up-to-date cursor": old, "cursor of a full sync": mid} {
			t.Run(name, func(t *testing.T) {
				wantAPIError(t, callServer(t, ts, http.MethodGet, changesPath(cursor, 0), tok1, nil), http.StatusGone, CodeCursorExpired)
			})
		}
		t.Run("fresh full sync", func(t *testing.T) {
			changes, cursor, _ := walkFeed(t, ts, tok1, "", 2)
			want := append(bookKeys(fixtureBook(csm1)), EntityFeature+" sso")
			want = slices.DeleteFunc(want, func(k string) bool { return k == EntityContact+" "+csm1+"-ct1" })
			slices.Sort(want)
			var got []string
			for _, c := range changes {
				got = append(got, c.Entity+" "+c.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("after compaction a full sync holds\n%v\nwant\n%v", got, want)
			}
			// The cursor that ends it is not older than the compaction.
			if p := fetchPage(t, ts, tok1, cursor, 0); len(p.Changes) != 0 {
				t.Fatalf("up to date, yet %+v", p.Changes)
			}
		})
		t.Run("other book untouched", func(t *testing.T) {
			_, c2, _ := walkFeed(t, ts, tok2, "", 0)
			fetchPage(t, ts, tok2, c2, 0)
		})
	})
}

func TestServerCursorErrors(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		s, ts := newTestServerOn(t, kind)
		enc := func(c feedCursor) string { return c.encode() }
		epoch, err := s.Store().Epoch(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name   string
			cursor string
			status int
			code   string
		}{
			{"garbage", "!!!", http.StatusBadRequest, CodeBadRequest},
			{"base64 of junk", base64.RawURLEncoding.EncodeToString([]byte("junk")), http.StatusBadRequest, CodeBadRequest},
			{"another book", enc(feedCursor{Epoch: epoch, CSM: csm2, Seq: 1}), http.StatusBadRequest, CodeBadRequest},
			{"ahead of the feed: a server restored from a backup", enc(feedCursor{Epoch: epoch, CSM: csm1, Seq: 1 << 40}), http.StatusGone, CodeCursorExpired},
			{"negative seq", enc(feedCursor{Epoch: epoch, CSM: csm1, Seq: -1}), http.StatusBadRequest, CodeBadRequest},
			{"an earlier server", enc(feedCursor{Epoch: "before", CSM: csm1, Seq: 1}), http.StatusGone, CodeCursorExpired},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				wantAPIError(t, callServer(t, ts, http.MethodGet, changesPath(c.cursor, 0), tok1, nil), c.status, c.code)
			})
		}
	})
}

func TestServerLimit(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		s, ts := newTestServerOn(t, kind)
		for i := range DefaultPageLimit + 5 {
			s.Upsert(csm1, EntityFeature, model.Feature{Key: fmt.Sprintf("f%04d", i), Name: "F"})
		}
		cases := []struct {
			name  string
			limit string
			size  int // page size wanted; 0 = 400
		}{
			{"absent", "", DefaultPageLimit},
			{"one", "1", 1},
			{"max", strconv.Itoa(MaxPageLimit), DefaultPageLimit + 5 + len(bookKeys(fixtureBook(csm1)))},
			{"zero", "0", 0},
			{"negative", "-1", 0},
			{"over max", strconv.Itoa(MaxPageLimit + 1), 0},
			{"not a number", "ten", 0},
			{"fraction", "1.5", 0},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				path := APIPrefix + "/changes"
				if c.limit != "" {
					path += "?limit=" + c.limit
				}
				r := callServer(t, ts, http.MethodGet, path, tok1, nil)
				if c.size == 0 {
					wantAPIError(t, r, http.StatusBadRequest, CodeBadRequest)
					return
				}
				var p Page
				if err := json.Unmarshal(r.body, &p); err != nil || len(p.Changes) != c.size {
					t.Fatalf("%d changes (%v), want %d", len(p.Changes), err, c.size)
				}
			})
		}
	})
}

func TestServerGzip(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		_, ts := newTestServerOn(t, kind)
		cases := []struct {
			name, accept string
			gzipped      bool
		}{
			{"gzip", "gzip", true},
			{"among others", "br, gzip;q=0.5, deflate", true},
			{"any", "*", true},
			{"none", "", false},
			{"refused", "gzip;q=0", false},
			{"refused despite any", "gzip;q=0, *", false},
			{"identity", "identity", false},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := callServer(t, ts, http.MethodGet, changesPath("", 0), tok1, nil, "Accept-Encoding", c.accept)
				if got := r.header.Get("Content-Encoding") == "gzip"; got != c.gzipped {
					t.Fatalf("gzipped %v, want %v", got, c.gzipped)
				}
				var p Page
				if err := json.Unmarshal(r.body, &p); err != nil || len(p.Changes) == 0 {
					t.Fatalf("page does not decode: %v", err)
				}
			})
		}
		t.Run("errors too", func(t *testing.T) {
			r := callServer(t, ts, http.MethodGet, changesPath("", 0), "bad", nil, "Accept-Encoding", "gzip")
			if r.header.Get("Content-Encoding") != "gzip" {
				t.Fatal("error not gzipped")
			}
			wantAPIError(t, r, http.StatusUnauthorized, CodeUnauthorized)
		})
	})
}

func TestServerBook(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		s, _ := newTestServerOn(t, kind)
		want := fixtureBook(csm1)
		got := s.Book(csm1)
		if !slices.Equal(bookKeys(got), bookKeys(want)) {
			t.Fatalf("Book holds %v, want %v", bookKeys(got), bookKeys(want))
		}
		if !reflect.DeepEqual(got.Accounts, want.Accounts) || !reflect.DeepEqual(got.Usage, want.Usage) || got.CSM != want.CSM {
			t.Fatalf("Book changed the entities:\n%+v\n%+v", got.Accounts, want.Accounts)
		}
		if s.UpsertRaw(csm1, EntityAccount, "bad", json.RawMessage(`{"id":"bad"}`)) == 0 {
			t.Fatal("UpsertRaw refused")
		}
		if n := len(s.Book(csm1).Accounts); n != len(want.Accounts) {
			t.Fatalf("Book has %d accounts with an invalid one stored, want %d", n, len(want.Accounts))
		}
		if got := s.Book("nobody"); got.CSM.ID != "" || got.Accounts != nil {
			t.Fatalf("Book of an unknown CSM: %+v", got)
		}
		if s.Upsert(csm1, EntityNote, model.Account{ID: "x"}) != 0 || s.Upsert("nobody", EntityAccount, model.Account{ID: "x"}) != 0 {
			t.Fatal("Upsert took a value of the wrong entity or an unknown CSM")
		}
	})
}
