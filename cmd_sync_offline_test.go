package main

import (
	"net"
	"strings"
	"testing"
	"time"
)

// `csm sync` with no server answering: no success-looking summary, the
// offline state in words, at once, exit code 3 (documented in --help).
func TestSyncOfflineSaysSoAtOnce(t *testing.T) {
	isolated(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	t.Setenv("CSM_TOKEN", "t0ken")
	start := time.Now()
	code, stdout, stderr := invoke(t, "sync", "--server", url)
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("took %s", took)
	}
	if code != 3 {
		t.Errorf("exit %d, want 3 (stderr %q)", code, stderr)
	}
	if strings.Contains(stdout, "pulled") || strings.Contains(stderr, "gave up") || strings.Contains(stderr, "dial tcp") {
		t.Errorf("stdout %q stderr %q: a summary or a raw error", stdout, stderr)
	}
	if !strings.Contains(stderr, "offline — the server at "+url+" cannot be reached") {
		t.Errorf("stderr %q", stderr)
	}
	_, help, _ := invoke(t, "sync", "--help")
	for _, w := range []string{"Exit codes:", "3  offline", "4  the server refused the token", "2  bad invocation"} {
		if !strings.Contains(help, w) {
			t.Errorf("sync --help lacks %q", w)
		}
	}
}
