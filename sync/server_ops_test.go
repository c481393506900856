package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"csm/model"
)

// lockedBuffer is a log destination the server's goroutines and the test
// share.
type lockedBuffer struct {
	mu  gosync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines decodes the JSON lines logged so far.
func (b *lockedBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// faultyStore is a store whose Ping, CSMByToken or both fail (or panic).
type faultyStore struct {
	ServerStore
	pingErr, authErr error
	authPanics       bool
}

func (s faultyStore) Ping(ctx context.Context) error {
	if s.pingErr != nil {
		return s.pingErr
	}
	return s.ServerStore.Ping(ctx)
}

func (s faultyStore) CSMByToken(ctx context.Context, token string) (model.CSM, error) {
	if s.authPanics {
		panic("the store broke")
	}
	if s.authErr != nil {
		return model.CSM{}, s.authErr
	}
	return s.ServerStore.CSMByToken(ctx, token)
}

// newOpsServer serves store through OpsHandler on loopback and returns
// where its log lines go.
func newOpsServer(t *testing.T, store ServerStore) (*httptest.Server, *lockedBuffer) {
	t.Helper()
	logs := &lockedBuffer{}
	s := NewServerWith(store, ServerClock(func() time.Time { return serverNow }))
	ts := httptest.NewUnstartedServer(s.OpsHandler(slog.New(slog.NewJSONHandler(logs, nil))))
	// net/http reports a handler's panic here; the test looks at our line.
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.Start()
	t.Cleanup(ts.Close)
	return ts, logs
}

func fixtureStore() *MemoryStore {
	return NewMemoryStore([]Tenant{{Token: tok1, Book: fixtureBook(csm1)}, {Token: tok2, Book: fixtureBook(csm2)}})
}

func TestHealthz(t *testing.T) {
	ts, logs := newOpsServer(t, fixtureStore())
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		r := callServer(t, ts, method, HealthPath, "", nil)
		if r.status != http.StatusOK {
			t.Fatalf("%s %s: status %d, want 200 (no token needed)", method, HealthPath, r.status)
		}
		if method == http.MethodGet && strings.TrimSpace(string(r.body)) != `{"status":"ok"}` {
			t.Errorf("body %q, want {\"status\":\"ok\"}", r.body)
		}
	}
	r := callServer(t, ts, http.MethodPost, HealthPath, "", []byte(`{}`))
	wantAPIError(t, r, http.StatusMethodNotAllowed, CodeMethodNotAllowed)
	// The API still wants its token behind the wrapper.
	wantAPIError(t, callServer(t, ts, http.MethodGet, APIPrefix+"/me", "", nil), http.StatusUnauthorized, CodeUnauthorized)
	if n := len(logs.lines(t)); n != 4 {
		t.Errorf("%d log lines for 4 requests:\n%s", n, logs.String())
	}
}

func TestHealthzUnavailable(t *testing.T) {
	ts, logs := newOpsServer(t, faultyStore{ServerStore: fixtureStore(), pingErr: errors.New("dial tcp db.internal:5432: connection refused")})
	r := callServer(t, ts, http.MethodGet, HealthPath, "", nil)
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", r.status)
	}
	if strings.Contains(string(r.body), "db.internal") {
		t.Errorf("the unauthenticated answer names the database host: %s", r.body)
	}
	if r.header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	lines := logs.lines(t)
	if len(lines) != 1 || lines[0]["status"] != float64(503) || !strings.Contains(lines[0]["error"].(string), "connection refused") {
		t.Errorf("log lines %v: want one 503 naming the store's error", lines)
	}
}

// A request with a token, a query and a body leaves one line with its
// method, path, status, bytes, duration and CSM, and none of the token,
// the query or the body.
func TestLogLine(t *testing.T) {
	ts, logs := newOpsServer(t, fixtureStore())
	const secretBody = "body-text-that-must-not-be-logged"
	body := []byte(`{"mutations":[{"id":"0193f0c2-0000-7000-8000-000000000001","type":"note.create","at":"2026-11-23T09:00:00Z",` +
		`"data":{"id":"c1-n-logged","account_id":"c1-a1","kind":"call","happened_at":"2026-11-23T09:00:00Z","body":"` + secretBody + `",` +
		`"next_steps":[],"author":"CSM","created_at":"2026-11-23T09:00:00Z","revision":1}}]}`)
	post := callServer(t, ts, http.MethodPost, APIPrefix+"/mutations", tok1, body)
	if post.status != http.StatusOK {
		t.Fatalf("push: status %d %s", post.status, post.body)
	}
	get := callServer(t, ts, http.MethodGet, changesPath("", 2), tok2, nil)
	if get.status != http.StatusOK {
		t.Fatalf("changes: status %d %s", get.status, get.body)
	}
	bad := callServer(t, ts, http.MethodGet, APIPrefix+"/me", "wrong-token-also-secret", nil)

	lines := logs.lines(t)
	if len(lines) != 3 {
		t.Fatalf("%d log lines for 3 requests:\n%s", len(lines), logs.String())
	}
	want := []struct {
		method, path string
		status       int
		bytes        int
		csm          string
	}{
		{http.MethodPost, APIPrefix + "/mutations", 200, len(post.body), csm1},
		{http.MethodGet, APIPrefix + "/changes", 200, len(get.body), csm2},
		{http.MethodGet, APIPrefix + "/me", 401, len(bad.body), ""},
	}
	for i, w := range want {
		l := lines[i]
		if l["msg"] != "request" || l["method"] != w.method || l["path"] != w.path || l["status"] != float64(w.status) || l["bytes"] != float64(w.bytes) {
			t.Errorf("line %d = %v, want %s %s %d with %d bytes", i, l, w.method, w.path, w.status, w.bytes)
		}
		if d, ok := l["duration_ms"].(float64); !ok || d < 0 {
			t.Errorf("line %d: duration_ms %v", i, l["duration_ms"])
		}
		if got, _ := l["csm"].(string); got != w.csm {
			t.Errorf("line %d: csm %q, want %q", i, got, w.csm)
		}
	}
	all := logs.String()
	for _, secret := range []string{tok1, tok2, "wrong-token-also-secret", secretBody, "cursor=", "limit="} {
		if strings.Contains(all, secret) {
			t.Errorf("the log holds %q:\n%s", secret, all)
		}
	}
}

// A store that fails or panics still leaves the request's line, with the
// store's reason for the operator.
func TestLogLineOnFailure(t *testing.T) {
	ts, logs := newOpsServer(t, faultyStore{ServerStore: fixtureStore(), authErr: errors.New("pool exhausted")})
	wantAPIError(t, callServer(t, ts, http.MethodGet, APIPrefix+"/me", tok1, nil), http.StatusServiceUnavailable, CodeUnavailable)
	lines := logs.lines(t)
	if len(lines) != 1 || lines[0]["status"] != float64(503) || lines[0]["error"] != "pool exhausted" || lines[0]["level"] != "WARN" {
		t.Errorf("lines %v: want one WARN 503 with the store's error", lines)
	}

	ts, logs = newOpsServer(t, faultyStore{ServerStore: fixtureStore(), authPanics: true})
	req, _ := http.NewRequest(http.MethodGet, ts.URL+APIPrefix+"/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok1)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close() // net/http drops the connection; either way is fine
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(logs.lines(t)) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	lines = logs.lines(t)
	if len(lines) != 1 || lines[0]["status"] != float64(500) || lines[0]["path"] != APIPrefix+"/me" {
		t.Errorf("after a panic, lines %v: want one 500", lines)
	}
}

// A path of any length stays a short line.
func TestLogLineLongPath(t *testing.T) {
	ts, logs := newOpsServer(t, fixtureStore())
	callServer(t, ts, http.MethodGet, "/"+strings.Repeat("x", 5000), "", nil)
	lines := logs.lines(t)
	if len(lines) != 1 || len(lines[0]["path"].(string)) > maxLoggedPath+len("…") {
		t.Errorf("lines %v: want one with the path cut", lines)
	}
}
