package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"csm/data"
	"csm/model"
	csmsync "csm/sync"
)

// contactRun runs csm and fails the test unless it exits 0.
func contactRun(t *testing.T, args ...string) string {
	t.Helper()
	code, stdout, stderr := invoke(t, args...)
	if code != 0 {
		t.Fatalf("csm %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, stdout, stderr)
	}
	return stdout
}

// contactsOf is `csm contact list ACCOUNT --json`.
func contactsOf(t *testing.T, account string) []model.Contact {
	t.Helper()
	var cs []model.Contact
	out := contactRun(t, "contact", "list", account, "--json")
	if err := json.Unmarshal([]byte(out), &cs); err != nil {
		t.Fatalf("contact list --json: %v\n%s", err, out)
	}
	return cs
}

// Issue 14, done when: a contact added offline survives a restart (each
// csm invocation opens the database afresh), is pushed exactly once to a
// real reference server on loopback, and appears on a second device with
// the figures it changed: the account's champion left, the new champion
// added offline clears champion_left at once on this device, and on the
// other after its sync.
func TestContactOfflineSurvivesAndSyncsOnceToASecondDevice(t *testing.T) {
	isolated(t)
	book := model.Generate(model.GenOptions{Seed: 14, Accounts: 6, Days: 30, CSMs: 1})[0]
	// The first account's champions all left before the book's day: it is
	// flagged champion left on every device.
	acct := book.Accounts[0]
	left := model.MakeDate(2000, 1, 1)
	hasChampion := false
	for i, c := range book.Contacts {
		if c.AccountID == acct.ID && c.IsChampion {
			book.Contacts[i].LeftCompanyOn = &left
			hasChampion = true
		}
	}
	if !hasChampion {
		for i, c := range book.Contacts {
			if c.AccountID == acct.ID {
				book.Contacts[i].IsChampion, book.Contacts[i].LeftCompanyOn = true, &left
				break
			}
		}
	}
	srv := csmsync.NewServer([]csmsync.Tenant{{Token: "tok-contact", Book: book}})
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	deviceA, deviceB := os.Getenv("CSM_DATA_DIR"), t.TempDir()
	t.Setenv("CSM_TOKEN", "tok-contact")
	t.Setenv("CSM_SERVER_URL", hs.URL)
	contactRun(t, "sync")
	before := srv.MutationCount(book.CSM.ID)
	if segs := segmentsOn(t, deviceA, acct.ID); !slices.Contains(segs, model.SegmentChampionLeft) {
		t.Fatalf("the account is not flagged champion left: %v", segs)
	}

	// Offline: nothing listens at the server's address.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("CSM_SERVER_URL", "http://"+l.Addr().String())
	l.Close()
	out := contactRun(t, "contact", "add", acct.Name, "--name", "Dana Quill", "--email", "dana@quill.example",
		"--title", "VP Operations", "--role", "sponsor", "--champion")
	if !strings.Contains(out, "Added Dana Quill <dana@quill.example> to "+acct.Name+" as champion · saved, will sync") ||
		!strings.Contains(out, "is no longer flagged: "+model.Label(model.SegmentChampionLeft)) {
		t.Fatalf("contact add said %q", out)
	}
	if code, _, stderr := invoke(t, "sync"); code != 3 {
		t.Fatalf("sync offline: exit %d (%s), want 3", code, stderr)
	}

	// A restart: a new invocation reads what the last one saved, figures
	// included, before any sync.
	cs := contactsOf(t, acct.ID)
	i := slices.IndexFunc(cs, func(c model.Contact) bool { return c.Email == "dana@quill.example" })
	if i != 0 || cs[i].Name != "Dana Quill" || !cs[i].IsChampion || cs[i].Role != model.RoleSponsor || cs[i].Title != "VP Operations" {
		t.Fatalf("after a restart the contacts are %+v, want Dana Quill first, champion", cs)
	}
	added := cs[i]
	if segs := segmentsOn(t, deviceA, acct.ID); slices.Contains(segs, model.SegmentChampionLeft) {
		t.Fatalf("still flagged champion left before the sync: %v", segs)
	}
	stA := contactStore(t, deviceA)
	pending, err := stA.Pending(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].Type != model.MutContactCreate || pending[0].EntityID != added.ID {
		t.Fatalf("outbox %+v, want the one contact.create", pending)
	}
	stA.Close()

	// Back online: pushed once; a second sync pushes nothing.
	t.Setenv("CSM_SERVER_URL", hs.URL)
	if out := contactRun(t, "sync"); !strings.Contains(out, "pushed 1,") {
		t.Fatalf("sync said %q, want pushed 1", out)
	}
	if out := contactRun(t, "sync"); !strings.Contains(out, "pushed 0,") {
		t.Fatalf("second sync said %q, want pushed 0", out)
	}
	if n := srv.MutationCount(book.CSM.ID) - before; n != 1 {
		t.Fatalf("the server applied %d mutations, want 1", n)
	}
	served := srv.Book(book.CSM.ID)
	if n := countFunc(served.Contacts, func(c model.Contact) bool { return c.ID == added.ID }); n != 1 {
		t.Fatalf("the server holds the contact %d times", n)
	}

	// A second device syncs from the same server: the contact is there,
	// with its id, and the account is no longer flagged.
	t.Setenv("CSM_DATA_DIR", deviceB)
	contactRun(t, "sync")
	cs = contactsOf(t, acct.ID)
	i = slices.IndexFunc(cs, func(c model.Contact) bool { return c.ID == added.ID })
	if i < 0 || cs[i] != added {
		t.Fatalf("device B has %+v, want %+v", cs, added)
	}
	if segs := segmentsOn(t, deviceB, acct.ID); slices.Contains(segs, model.SegmentChampionLeft) {
		t.Fatalf("device B still flags champion left: %v", segs)
	}
}

func contactStore(t *testing.T, dir string) *data.Store {
	t.Helper()
	st, err := data.Open(context.Background(), filepath.Join(dir, data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// segmentsOn reads an account's segments from a device's database.
func segmentsOn(t *testing.T, dir, id string) []string {
	t.Helper()
	st := contactStore(t, dir)
	defer st.Close()
	d, err := st.AccountDetail(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d.Metrics.Segments
}

func countFunc[T any](s []T, f func(T) bool) int {
	n := 0
	for _, v := range s {
		if f(v) {
			n++
		}
	}
	return n
}
