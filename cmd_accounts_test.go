package main

import (
	"cmp"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"csm/accounts"
	"csm/data"
	"csm/model"
)

// The helpers of the triage commands' tests (accounts, brief, config).

// triageEnv points csm at an empty data directory and a config path of
// its own, so no test reads the developer's real files.
func triageEnv(t *testing.T) (dataDir, configPath string) {
	t.Helper()
	dir := t.TempDir()
	dataDir = filepath.Join(dir, "data")
	configPath = filepath.Join(dir, "config", "config.toml")
	t.Setenv("CSM_DATA_DIR", dataDir)
	t.Setenv("CSM_CONFIG", configPath)
	t.Setenv("CSM_SERVER_URL", "")
	t.Setenv("CSM_TOKEN", "")
	// Nor what `csm login` saved under the real config directory.
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "xdg-config"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "xdg-data"))
	return dataDir, configPath
}

// triageImport fills the data directory's database with a book.
func triageImport(t *testing.T, dataDir string, b model.Book) {
	t.Helper()
	st, err := data.Open(context.Background(), filepath.Join(dataDir, data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.ImportBook(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

// triageBook reads the stored book as the commands see it.
func triageBook(t *testing.T, dataDir string) data.Book {
	t.Helper()
	st, err := data.Open(context.Background(), filepath.Join(dataDir, data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b, err := st.Book(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// runTriage runs csm as main does and returns its exit code and output.
func runTriage(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	dir := t.TempDir()
	out, err := os.Create(filepath.Join(dir, "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	errf, err := os.Create(filepath.Join(dir, "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	code = run(args, out, errf)
	out.Close()
	errf.Close()
	o, _ := os.ReadFile(out.Name())
	e, _ := os.ReadFile(errf.Name())
	return code, string(o), string(e)
}

// accountsJSON runs `csm accounts --json` with extra args and decodes it.
func accountsJSON(t *testing.T, args ...string) []accounts.Row {
	t.Helper()
	code, out, errOut := runTriage(t, append([]string{"accounts", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("accounts --json %v: exit %d: %s", args, code, errOut)
	}
	var list []accounts.Row
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("accounts --json %v is not one JSON array: %v\n%.300s", args, err, out)
	}
	return list
}

func TestAccountsJSONMatchesTheStore(t *testing.T) {
	dataDir, _ := triageEnv(t)
	triageImport(t, dataDir, model.Generate(model.GenOptions{Seed: 1, Accounts: 200, CSMs: 1})[0])
	book := triageBook(t, dataDir)
	stored := map[string]data.BookRow{}
	for _, r := range book.Rows {
		stored[r.Account.ID] = r
	}

	code, out, errOut := runTriage(t, "accounts", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// Shape: one array of objects with every documented key, undefined
	// figures as null and key lists as arrays, never null.
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("not one JSON array: %v", err)
	}
	required := []string{"id", "name", "stage", "licenses", "mau", "util", "stickiness", "trend",
		"weekly_use", "feature_adoption", "health", "segments", "alerts"}
	sawNullTrend := false
	for _, obj := range raw {
		for _, k := range required {
			if _, ok := obj[k]; !ok {
				t.Fatalf("object %s lacks %q", obj["id"], k)
			}
		}
		for _, k := range []string{"segments", "alerts", "flags"} {
			if !strings.HasPrefix(string(obj[k]), "[") {
				t.Errorf("%s of %s = %s, want an array", k, obj["id"], obj[k])
			}
		}
		if string(obj["trend"]) == "null" {
			sawNullTrend = true
		}
	}
	if !sawNullTrend {
		t.Error("no account has an undefined trend encoded as null")
	}

	var list []accounts.Row
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != len(book.Rows) {
		t.Fatalf("%d objects, want %d accounts", len(list), len(book.Rows))
	}
	seen := map[string]bool{}
	members := map[string]int{}
	for i, a := range list {
		if seen[a.ID] {
			t.Errorf("account %s listed twice", a.ID)
		}
		seen[a.ID] = true
		r, ok := stored[a.ID]
		if !ok {
			t.Fatalf("account %s is not in the store", a.ID)
		}
		m := r.Metrics
		if a.ID != book.Rows[i].Account.ID {
			t.Errorf("row %d is %s, want %s (urgency order)", i, a.ID, book.Rows[i].Account.ID)
		}
		if a.Name != r.Account.Name || a.Stage != r.Account.Stage || a.Licenses != r.Account.Licenses || a.MAU != m.MAU {
			t.Errorf("%s: account fields differ from the store", a.ID)
		}
		if !equalPtr(a.Util, m.Util) || !equalPtr(a.Trend, m.Trend) || !equalPtr(a.FeatureAdoption, m.FeatureAdoption) {
			t.Errorf("%s: util/trend/feature adoption %v/%v/%v, want %v/%v/%v", a.ID, a.Util, a.Trend, a.FeatureAdoption, m.Util, m.Trend, m.FeatureAdoption)
		}
		if a.Health != m.Health.Score || a.Stickiness != m.Stickiness || a.WeeklyUse != m.WeeklyUse {
			t.Errorf("%s: health %v stickiness %v weekly %v, want %v %v %v", a.ID, a.Health, a.Stickiness, a.WeeklyUse, m.Health.Score, m.Stickiness, m.WeeklyUse)
		}
		if !slices.Equal(a.Segments, m.Segments) || !slices.Equal(a.Alerts, m.Alerts) {
			t.Errorf("%s: segments %v alerts %v, want %v %v", a.ID, a.Segments, a.Alerts, m.Segments, m.Alerts)
		}
		if a.Util != nil && (*a.Util < 0 || *a.Util > 10) {
			t.Errorf("%s: util %v is not a fraction", a.ID, *a.Util)
		}
		for _, k := range slices.Concat(a.Segments, a.Alerts) {
			members[k]++
		}
	}
	for _, k := range slices.Concat(model.SegmentKeys, model.AlertKeys) {
		if members[k] == 0 {
			t.Errorf("no account of the generated book is in %s", k)
		}
	}

	t.Run("segment filters", func(t *testing.T) {
		for _, key := range append(model.ViewKeys(), "attention") {
			got := accountsJSON(t, "--segment", key)
			want := 0
			for _, r := range book.Rows {
				if model.InView(&r.Metrics, key) {
					want++
				}
			}
			if len(got) != want {
				t.Errorf("--segment %s: %d accounts, want %d", key, len(got), want)
			}
			for _, a := range got {
				if key != model.NeedsMe && key != "attention" && !slices.Contains(slices.Concat(a.Segments, a.Alerts, a.Flags), key) {
					t.Errorf("--segment %s listed %s, which is not in it", key, a.ID)
				}
			}
		}
	})

	t.Run("sorts", func(t *testing.T) {
		tests := []struct {
			field string
			key   func(a accounts.Row) float64 // ascending order of this key
		}{
			{"health", func(a accounts.Row) float64 { return a.Health }},
			{"util", func(a accounts.Row) float64 { return valueOr(a.Util, 1e9) }},
			{"trend", func(a accounts.Row) float64 { return valueOr(a.Trend, 1e9) }},
			{"arr", func(a accounts.Row) float64 { return -float64(a.ARRCents) }},
			{"renewal", func(a accounts.Row) float64 { return float64(a.RenewalInDays) }},
			{"mau", func(a accounts.Row) float64 { return -float64(a.MAU) }},
		}
		for _, tt := range tests {
			t.Run(tt.field, func(t *testing.T) {
				got := accountsJSON(t, "--sort", tt.field)
				if len(got) != len(book.Rows) {
					t.Fatalf("%d accounts, want %d", len(got), len(book.Rows))
				}
				if !slices.IsSortedFunc(got, func(x, y accounts.Row) int { return cmp.Compare(tt.key(x), tt.key(y)) }) {
					t.Errorf("--sort %s is out of order", tt.field)
				}
			})
		}
		got := accountsJSON(t, "--sort", "name")
		if !slices.IsSortedFunc(got, func(x, y accounts.Row) int {
			return cmp.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name))
		}) {
			t.Error("--sort name is out of order")
		}
	})

	t.Run("table", func(t *testing.T) {
		code, out, errOut := runTriage(t, "accounts")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		if len(lines) != len(book.Rows)+2 {
			t.Fatalf("%d lines, want a summary, a header and %d rows", len(lines), len(book.Rows))
		}
		if !strings.HasPrefix(lines[0], "200 accounts · usage as of Nov 20, 2026") || !strings.HasPrefix(lines[1], "NAME") {
			t.Errorf("head = %q / %q", lines[0], lines[1])
		}
		if first := book.Rows[0].Account.Name; !strings.HasPrefix(lines[2], first) {
			t.Errorf("first row %q, want the most urgent account %q", lines[2], first)
		}
	})
}

func equalPtr(x, y *float64) bool {
	return (x == nil) == (y == nil) && (x == nil || *x == *y)
}

func valueOr(p *float64, undefined float64) float64 {
	if p == nil {
		return undefined
	}
	return *p
}

func TestAccountsBadInvocation(t *testing.T) {
	triageEnv(t)
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown segment", []string{"accounts", "--segment", "vip"}, []string{`unknown segment "vip"`, "low_utilization", "crisis", "attention"}},
		{"unknown sort", []string{"accounts", "--sort", "size"}, []string{`unknown sort field "size"`, "urgency", "renewal"}},
		{"stray argument", []string{"accounts", "acme"}, []string{"unknown command"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runTriage(t, tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q lacks %q", errOut, w)
				}
			}
		})
	}
}

func TestAccountsEmptyDatabase(t *testing.T) {
	triageEnv(t)
	code, out, errOut := runTriage(t, "accounts")
	if code != 1 || !strings.Contains(errOut, "no data yet: run csm sync") || out != "" {
		t.Errorf("table on an empty database: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runTriage(t, "accounts", "--json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("--json on an empty database: exit %d, stdout %q, stderr %q; want [] and 0", code, out, errOut)
	}
}

// A hostile name reaches scripts as stored (JSON escapes it) and the table
// sanitized.
func TestAccountsHostileName(t *testing.T) {
	dataDir, _ := triageEnv(t)
	b := model.Generate(model.GenOptions{Seed: 2, Accounts: 20, Days: 90, CSMs: 1})[0]
	hostile := "Evil\x1b]0;owned\x07 Corp\x1b[2J\u202e\x9b31m"
	b.Accounts[0].Name = hostile
	triageImport(t, dataDir, b)

	list := accountsJSON(t)
	i := slices.IndexFunc(list, func(a accounts.Row) bool { return a.ID == b.Accounts[0].ID })
	if i < 0 || list[i].Name != strings.ToValidUTF8(hostile, "\uFFFD") {
		t.Errorf("JSON name = %q, want the stored name", list[i].Name)
	}
	code, out, _ := runTriage(t, "accounts", "--json")
	if code != 0 || strings.ContainsRune(out, 0x1b) {
		t.Error("JSON output holds a raw escape")
	}
	code, out, errOut := runTriage(t, "accounts")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	assertNoControls(t, out)
	if !strings.Contains(out, "Evil Corp") {
		t.Errorf("table lacks the sanitized name:\n%s", out)
	}
}

// assertNoControls fails on any control byte but \n, and on C1 controls.
func assertNoControls(t *testing.T, s string) {
	t.Helper()
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\n') || c == 0x7f {
			t.Fatalf("control byte %#x at %d: %q", c, i, s[max(0, i-20):min(len(s), i+20)])
		}
	}
	for _, r := range s {
		if r >= 0x80 && r <= 0x9f || r == '\u202e' {
			t.Fatalf("control rune %U in output", r)
		}
	}
}
