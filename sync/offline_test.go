package sync

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"csm/exitcode"
)

// A refused connection is offline, said at once, not after half a minute of
// retries, and in words: no "gave up after 6 tries", no "dial tcp".
func TestRefusedConnectionIsOfflineAtOnce(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close() // nothing listens there now
	c, err := NewClient(url, "t0ken")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.Changes(context.Background(), "", 0)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %s to say offline", took)
	}
	if !IsOffline(err) {
		t.Fatalf("err %v is not offline", err)
	}
	msg, code := Plain(err, 8)
	if code != exitcode.Offline {
		t.Errorf("exit code %d, want %d", code, exitcode.Offline)
	}
	want := "offline — the server at " + url + " cannot be reached; 8 changes waiting, saved on this computer"
	if msg != want {
		t.Errorf("message %q, want %q", msg, want)
	}
	for _, raw := range []string{"gave up", "dial tcp", "connection refused"} {
		if strings.Contains(msg, raw) {
			t.Errorf("message %q has %q", msg, raw)
		}
	}
}

// A 401 says the token was refused and where to go, with exit code 4; the
// raw "GET /changes?cursor=…" is not shown.
func TestUnauthorizedInWords(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL, "t0ken")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Changes(context.Background(), "abc", 0)
	msg, code := Plain(err, 3)
	if code != exitcode.Auth || msg != "the server refused the token: run `csm login` again" {
		t.Errorf("Plain = %q, %d", msg, code)
	}
}
