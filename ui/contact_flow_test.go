package ui

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"csm/data"
	"csm/model"
	csmsync "csm/sync"
)

// TestWholeProgramContactOfflineToASecondDevice runs the real program
// (teatest) on a database synced from the reference server over loopback:
// the CSM, offline, adds a contact from the account page's form; the
// program ends; the database, opened again, still holds it and its
// contact.create; a sync pushes it exactly once; a second device synced
// from the same server shows the person on the same account page.
func TestWholeProgramContactOfflineToASecondDevice(t *testing.T) {
	ctx := context.Background()
	book := model.Generate(model.GenOptions{Seed: 21, Accounts: 8, Days: 90, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	srv := csmsync.NewServer([]csmsync.Tenant{{Token: "contact-token", Book: book}})
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	c, err := csmsync.NewClient(hs.URL, "contact-token")
	if err != nil {
		t.Fatal(err)
	}
	pathA := filepath.Join(t.TempDir(), data.DBFile)
	st, err := data.Open(ctx, pathA)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := csmsync.Run(ctx, c, st); err != nil {
		t.Fatal(err)
	}
	before := srv.MutationCount(book.CSM.ID)

	// Offline: the program has no sync at all.
	app := New(Options{Store: st, Now: func() time.Time { return fixedNow }, StatusTTL: -1})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(120, 40))
	waitScreen(t, tm, "8 accounts")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitScreen(t, tm, "last 90 days")
	// Tab to Contacts: Usage, Health, Why flagged, Contacts.
	for range 3 {
		tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	}
	waitScreen(t, tm, "a add contact")
	tm.Send(tea.KeyPressMsg{Code: 'a', Text: "a"})
	waitScreen(t, tm, "New contact")
	tm.Type("Dana Quill")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	tm.Type("dana@quill.example")
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitScreen(t, tm, "contact added: Dana Quill · will sync")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// A restart: the database opened again holds the contact and its one
	// waiting change.
	st, err = data.Open(ctx, pathA)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	found, err := st.FindContact(ctx, "dana@quill.example", "")
	if err != nil || found.Name != "Dana Quill" || found.Role != model.RoleUser {
		t.Fatalf("after a restart: %+v, %v", found, err)
	}
	if n := pendingOf(t, st, model.MutContactCreate); n != 1 {
		t.Fatalf("%d contact.create waiting, want 1", n)
	}

	// Pushed once; a second sync pushes nothing more.
	for range 2 {
		if _, err := csmsync.Run(ctx, c, st); err != nil {
			t.Fatal(err)
		}
	}
	if got := srv.MutationCount(book.CSM.ID) - before; got != 1 {
		t.Fatalf("the server applied %d mutations, want 1", got)
	}
	if n := len(slices.DeleteFunc(srv.Book(book.CSM.ID).Contacts, func(x model.Contact) bool { return x.ID != found.ID })); n != 1 {
		t.Fatalf("the server holds the contact %d times", n)
	}

	// A second device: synced from the same server, its account page
	// lists Dana Quill.
	stB, err := data.Open(ctx, filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer stB.Close()
	if _, err := csmsync.Run(ctx, c, stB); err != nil {
		t.Fatal(err)
	}
	onB, err := stB.Contact(ctx, found.ID)
	if err != nil || onB != found {
		t.Fatalf("device B has %+v (%v), want %+v", onB, err, found)
	}
	appB := New(Options{Store: stB, Now: func() time.Time { return fixedNow }, StatusTTL: -1})
	tmB := teatest.NewTestModel(t, appB, teatest.WithInitialTermSize(120, 40))
	waitScreen(t, tmB, "8 accounts")
	openAccountByName(t, tmB, stB, found.AccountID)
	for range 3 {
		tmB.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	}
	waitScreen(t, tmB, "Dana Quill")
	if err := tmB.Quit(); err != nil {
		t.Fatal(err)
	}
	tmB.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
}

// openAccountByName opens an account from the book by filtering on its
// name, as a CSM would.
func openAccountByName(t *testing.T, tm *teatest.TestModel, st *data.Store, id string) {
	t.Helper()
	a, err := st.Account(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	tm.Send(tea.KeyPressMsg{Code: '/', Text: "/"})
	tm.Type(a.Name)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitScreen(t, tm, "last 90 days")
}
