package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	csmsync "csm/sync"
)

// No server answering is a state: the footer says "offline · N waiting ·
// saved on this computer", not "last sync failed: push: push batch 1: gave
// up after 6 tri…".
func TestOfflineFooterInWords(t *testing.T) {
	st := fixtureStore(t, 30)
	offline := &csmsync.OfflineError{Server: "http://127.0.0.1:1", Err: errors.New("connection refused")}
	sync := func(context.Context) (string, error) { return "", fmt.Errorf("push: push batch 1: %w", offline) }
	a := New(Options{Store: st, Sync: sync, Now: func() time.Time { return fixedNow }, StatusTTL: -1, WatchEvery: -1})
	l := startLive(t, a, 80, 24)
	l.until(t, 10*time.Second, "the book", func() bool { return a.book.loaded })
	l.press("s")
	untilMsg[syncDoneMsg](t, l, 10*time.Second)
	f := l.footer()
	if !strings.Contains(f, "offline · nothing waiting · saved on this computer") || strings.Contains(f, "failed") || strings.Contains(f, "push batch") {
		t.Fatalf("footer while offline: %q", f)
	}
}

// A refused token sends the CSM to `csm login`.
func TestRefusedTokenFooter(t *testing.T) {
	st := fixtureStore(t, 30)
	sync := func(context.Context) (string, error) {
		return "", fmt.Errorf("pull: GET /changes?cursor=abc: %w", &csmsync.StatusError{Status: 401})
	}
	a := New(Options{Store: st, Sync: sync, Now: func() time.Time { return fixedNow }, StatusTTL: -1, WatchEvery: -1})
	l := startLive(t, a, 120, 30)
	l.until(t, 10*time.Second, "the book", func() bool { return a.book.loaded })
	l.press("s")
	untilMsg[syncDoneMsg](t, l, 10*time.Second)
	if f := l.footer(); !strings.Contains(f, "the server refused the token: run `csm login` again") || strings.Contains(f, "/changes") {
		t.Fatalf("footer after a 401: %q", f)
	}
}

// `s` with no server points to csm login and csm demo.
func TestSyncKeyWithoutServer(t *testing.T) {
	st := fixtureStore(t, 30)
	a := New(Options{Store: st, Now: func() time.Time { return fixedNow }, StatusTTL: -1, WatchEvery: -1})
	l := startLive(t, a, 120, 30)
	l.until(t, 10*time.Second, "the book", func() bool { return a.book.loaded })
	l.press("s")
	l.until(t, 5*time.Second, "the answer to s", func() bool {
		return strings.Contains(l.footer(), "no server: run `csm login` (or try `csm demo`)")
	})
}
