package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"csm/model"
)

func TestLoadMissingFileGivesDefaults(t *testing.T) {
	f, err := Load(filepath.Join(t.TempDir(), "nope.toml"))
	if err != nil {
		t.Fatalf("Load of a missing file: %v", err)
	}
	if !reflect.DeepEqual(f, Defaults()) {
		t.Errorf("Load of a missing file = %+v, want the defaults", f)
	}
}

// The documented file must say exactly what the code does by default.
func TestDefaultFileParsesToDefaults(t *testing.T) {
	f, err := Parse("default.toml", DefaultFile())
	if err != nil {
		t.Fatalf("default.toml does not parse: %v", err)
	}
	if !reflect.DeepEqual(f, Defaults()) {
		t.Errorf("default.toml = %+v\nwant %+v", f, Defaults())
	}
}

// Every key csm reads is documented in default.toml, set or commented out.
func TestDefaultFileDocumentsEveryKey(t *testing.T) {
	text := string(DefaultFile())
	keys := []string{"server_url", "data_dir"}
	keys = append(keys, tomlTags(reflect.TypeFor[model.Thresholds]())...)
	keys = append(keys, tomlTags(reflect.TypeFor[model.Weights]())...)
	for _, k := range keys {
		if !strings.Contains(text, "\n"+k+" = ") && !strings.Contains(text, "\n# "+k+" = ") {
			t.Errorf("default.toml does not set %s", k)
		}
		if !strings.Contains(text, "# "+k+":") && !strings.Contains(text, "# "+k+" and ") && !strings.Contains(text, " and "+k+":") {
			t.Errorf("default.toml has no comment explaining %s", k)
		}
	}
}

func tomlTags(typ reflect.Type) []string {
	var keys []string
	for f := range typ.Fields() {
		if tag := f.Tag.Get("toml"); tag != "" && f.Type.Kind() != reflect.Struct {
			keys = append(keys, tag)
		}
	}
	return keys
}

func TestParseOverrides(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip("no home directory")
	}
	tests := []struct {
		name  string
		toml  string
		check func(t *testing.T, f File)
	}{
		{"empty file", "", func(t *testing.T, f File) {
			if !reflect.DeepEqual(f, Defaults()) {
				t.Errorf("got %+v, want defaults", f)
			}
		}},
		{"server and data dir", "server_url = \"https://cs.example.com\"\ndata_dir = \"/var/csm\"\n", func(t *testing.T, f File) {
			if f.ServerURL != "https://cs.example.com" || f.DataDir != "/var/csm" {
				t.Errorf("got server %q, data dir %q", f.ServerURL, f.DataDir)
			}
		}},
		{"data dir under home", "data_dir = \"~/books\"\n", func(t *testing.T, f File) {
			if want := filepath.Join(home, "books"); f.DataDir != want {
				t.Errorf("data dir = %q, want %q", f.DataDir, want)
			}
		}},
		{"one threshold, others default", "[rules]\nlow_utilization = 0.5\n", func(t *testing.T, f File) {
			want := model.DefaultThresholds()
			want.LowUtilization = 0.5
			if !reflect.DeepEqual(f.Thresholds, want) {
				t.Errorf("thresholds = %+v, want %+v", f.Thresholds, want)
			}
		}},
		{"integer for a ratio", "[rules]\napproaching_margin = 7\n", func(t *testing.T, f File) {
			if f.Thresholds.ApproachingMargin != 7 {
				t.Errorf("approaching_margin = %v, want 7", f.Thresholds.ApproachingMargin)
			}
		}},
		{"fixed danger line", "[rules]\ndanger_line = 42.5\n", func(t *testing.T, f File) {
			if f.Thresholds.DangerLine == nil || *f.Thresholds.DangerLine != 42.5 {
				t.Errorf("danger_line = %v, want 42.5", f.Thresholds.DangerLine)
			}
		}},
		{"weights table", "[rules.weights]\nnps = 0\nchampion = 25\n", func(t *testing.T, f File) {
			w := f.Thresholds.Weights
			if w.NPS != 0 || w.Champion != 25 || w.Utilization != 30 {
				t.Errorf("weights = %+v", w)
			}
		}},
		{"play cooldown", "[rules]\nplay_cooldown_days = 14\n", func(t *testing.T, f File) {
			if f.Thresholds.PlayCooldownDays != 14 || Defaults().Thresholds.PlayCooldownDays != 30 {
				t.Errorf("play_cooldown_days = %d (default %d), want 14 (default 30)", f.Thresholds.PlayCooldownDays, Defaults().Thresholds.PlayCooldownDays)
			}
		}},
		{"dotted weights key", "[rules]\nweights.trend = 3\n", func(t *testing.T, f File) {
			if f.Thresholds.Weights.Trend != 3 {
				t.Errorf("weights.trend = %v, want 3", f.Thresholds.Weights.Trend)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("config.toml", []byte(tt.toml))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.check(t, f)
		})
	}
}

func TestParseErrorsNameFileLineAndKey(t *testing.T) {
	tests := []struct {
		name string
		toml string
		line int
		key  string
		want []string // substrings of the message
	}{
		{"unknown key", "[rules]\nlow_utilization = 0.5\nlow_utilisation = 0.5\n", 3, "rules.low_utilisation", []string{"unknown key rules.low_utilisation"}},
		{"unknown top-level key", "token = \"x\"\n", 1, "token", []string{"unknown key token"}},
		{"unknown table reported once", "\n[rulez]\na = 1\nb = 2\n", 2, "rulez", []string{"unknown key rulez"}},
		{"unknown weight", "[rules.weights]\nlogins = 5\n", 2, "rules.weights.logins", []string{"unknown key rules.weights.logins"}},
		{"value out of range", "[rules]\n\nlow_utilization = 60\n", 3, "rules.low_utilization", []string{"rules.low_utilization = 60", "must be between"}},
		{"negative weight", "[rules.weights]\nnps = -1\n", 2, "rules.weights.nps", []string{"rules.weights.nps = -1"}},
		{"all weights zero", "[rules.weights]\nutilization = 0\nstickiness = 0\nfeature_adoption = 0\ntrend = 0\nnps = 0\nchampion = 0\n", 1, "rules.weights", []string{"at least one weight"}},
		{"wrong type", "[rules]\nrenewal_window_days = \"ninety\"\n", 2, "rules.renewal_window_days", []string{"rules.renewal_window_days", "string"}},
		{"negative play cooldown", "[rules]\nplay_cooldown_days = -1\n", 2, "rules.play_cooldown_days", []string{"rules.play_cooldown_days = -1", "at least 0"}},
		{"float for days", "[rules]\nhandoff_days = 4.5\n", 2, "rules.handoff_days", []string{"rules.handoff_days"}},
		{"syntax error", "[rules]\nlow_utilization = = 1\n", 2, "", []string{"expected value"}},
		{"bad server URL", "server_url = \"cs.example.com\"\n", 1, "server_url", []string{"server_url", "http"}},
		{"relative data dir", "data_dir = \"books\"\n", 1, "data_dir", []string{"data_dir", "absolute"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			if err := os.WriteFile(path, []byte(tt.toml), 0o600); err != nil {
				t.Fatal(err)
			}
			f, err := Load(path)
			if err == nil {
				t.Fatalf("Load accepted %q", tt.toml)
			}
			if !reflect.DeepEqual(f, Defaults()) {
				t.Errorf("a bad file should come with the defaults, got %+v", f)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v (%T) is not a *config.Error", err, err)
			}
			if ce.Path != path || ce.Line != tt.line || (tt.key != "" && ce.Key != tt.key) {
				t.Errorf("error at %s:%d key %q, want %s:%d key %q", ce.Path, ce.Line, ce.Key, path, tt.line, tt.key)
			}
			msg := err.Error()
			if !strings.Contains(msg, path) {
				t.Errorf("error %q does not name the file", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	_, err := Parse("c.toml", []byte("[rules]\nlow_utilization = 60\nflat_trend = -1\ntypo = 1\n"))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, w := range []string{"c.toml:2: rules.low_utilization", "c.toml:3: rules.flat_trend", "c.toml:4: unknown key rules.typo"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
}

func TestPath(t *testing.T) {
	tests := []struct {
		name      string
		csmConfig string
		xdg       string
		home      string
		want      string
	}{
		{"CSM_CONFIG wins", "/etc/csm.toml", "/xdg", "/home/a", "/etc/csm.toml"},
		{"XDG config home", "", "/xdg", "/home/a", "/xdg/csm/config.toml"},
		{"relative XDG ignored", "", "xdg", "/home/a", "/home/a/.config/csm/config.toml"},
		{"home", "", "", "/home/a", "/home/a/.config/csm/config.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CSM_CONFIG", tt.csmConfig)
			t.Setenv("XDG_CONFIG_HOME", tt.xdg)
			t.Setenv("HOME", tt.home)
			got, err := Path()
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Path() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWriteDefaultNeverOverwrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "config.toml")
	if err := WriteDefault(path); err != nil {
		t.Fatalf("first write: %v", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(DefaultFile()) {
		t.Error("written file differs from the default file")
	}
	if err := os.WriteFile(path, []byte("# mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteDefault(path); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second write: err = %v, want 'already exists'", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "# mine\n" {
		t.Errorf("existing file was changed to %q", got)
	}
}
