package main

import (
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"csm/model"
)

// Issue 13: the command-line defects that lacked a test through the real
// command (run, as main calls it).

// Defect 11: `csm brief`'s health table adds up as printed: each counted
// component's points are 100 × score × weight, the weights shown are the
// ones used (they add to 100% once a component is left out), the points
// add to the health in the table and in the figures, and a left-out
// component is said.
func TestBriefHealthTableAddsUpAsPrinted(t *testing.T) {
	dataDir, _ := triageEnv(t)
	b := model.Generate(model.GenOptions{Seed: 4, Accounts: 40, Days: 120, CSMs: 1})[0]
	triageImport(t, dataDir, b)
	figure := regexp.MustCompile(`\| Health \| \*\*([0-9.]+)\*\* of 100`)
	total := regexp.MustCompile(`\| \*\*Health\*\* \|.*\*\*([0-9.]+)\*\* \|`)
	num := func(t *testing.T, s string) float64 {
		t.Helper()
		v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
		if err != nil {
			t.Fatalf("%q is no number", s)
		}
		return v
	}
	leftOut := 0
	for _, a := range b.Accounts {
		code, out, errOut := runTriage(t, "brief", a.ID)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", a.ID, code, errOut)
		}
		f, tot := figure.FindStringSubmatch(out), total.FindStringSubmatch(out)
		if f == nil && tot == nil {
			continue // no health yet (no usage): nothing to add up
		}
		if f == nil || tot == nil || f[1] != tot[1] {
			t.Errorf("%s: the figures' health %v and the table's %v differ:\n%s", a.ID, f, tot, out)
			continue
		}
		health := num(t, tot[1])
		points, weights, rows := 0.0, 0.0, 0
		for _, line := range strings.Split(out, "\n") {
			cells := strings.Split(strings.Trim(line, "|"), "|")
			if len(cells) != 5 || !strings.HasSuffix(strings.TrimSpace(cells[3]), "%") {
				continue
			}
			rows++
			score, weight, p := num(t, cells[2]), num(t, cells[3]), num(t, cells[4])
			// The score is printed to 2 decimals: allow its rounding.
			if math.Abs(100*score*weight/100-p) > weight/100*0.5+0.05 {
				t.Errorf("%s: %q: 100 × %v × %v%% is not %v", a.ID, line, score, weight, p)
			}
			points += p
			weights += weight
		}
		if rows == 0 {
			t.Errorf("%s: a health without its table:\n%s", a.ID, out)
			continue
		}
		if math.Abs(points-health) > 0.05*float64(rows)+0.05 {
			t.Errorf("%s: the points add to %.1f, the health says %.1f", a.ID, points, health)
		}
		if math.Abs(weights-100) > float64(rows) {
			t.Errorf("%s: the weights shown add to %.0f%%, not the 100%% used", a.ID, weights)
		}
		if rows < 6 {
			leftOut++
			if !strings.Contains(out, "renormalised") {
				t.Errorf("%s: %d of 6 components counted and the brief does not say the weights were renormalised:\n%s", a.ID, rows, out)
			}
		}
	}
	if leftOut == 0 {
		t.Fatal("no account of the book leaves a component out: the renormalised case is untested")
	}
}

// Defect 15: a token the server refuses is said in words with what to do
// (csm login), exit 4; no raw request ("GET /changes?cursor=…") reaches
// the CSM.
func TestSyncWithARefusedTokenSaysLogin(t *testing.T) {
	isolated(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
	}))
	defer srv.Close()
	t.Setenv("CSM_TOKEN", "an-old-token")
	code, stdout, stderr := invoke(t, "sync", "--server", srv.URL)
	if code != 4 {
		t.Errorf("exit %d, want 4 (stderr %q)", code, stderr)
	}
	if !strings.Contains(stderr, "run `csm login`") {
		t.Errorf("stderr %q does not say to run csm login", stderr)
	}
	for _, raw := range []string{"GET ", "/changes", "cursor=", "401 Unauthorized", "pulled"} {
		if strings.Contains(stdout+stderr, raw) {
			t.Errorf("a raw error reaches the CSM (%q): stdout %q stderr %q", raw, stdout, stderr)
		}
	}
}
