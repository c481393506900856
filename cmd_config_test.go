package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"csm/config"
	"csm/model"
)

func TestConfigCommands(t *testing.T) {
	_, path := triageEnv(t)
	steps := []struct {
		name   string
		before func(t *testing.T) // changes the file first
		args   []string
		code   int
		stdout string // substring
		stderr string // substring
	}{
		{"path", nil, []string{"config", "path"}, 0, path + "\n", ""},
		{"check without a file", nil, []string{"config", "check"}, 0, "ok: no config file at " + path, ""},
		{"init", nil, []string{"config", "init"}, 0, "wrote " + path, ""},
		{"check the default file", nil, []string{"config", "check"}, 0, "ok\n", ""},
		{"init refuses to overwrite", nil, []string{"config", "init"}, 1, "", "already exists"},
		{"check a bad value", writeConfig("[rules]\nlow_utilization = 60\n"), []string{"config", "check"}, 1, "", path + ":2: rules.low_utilization = 60"},
		{"check an unknown key", writeConfig("\n[rules.weights]\nlogins = 3\n"), []string{"config", "check"}, 1, "", path + ":3: unknown key rules.weights.logins"},
		{"check a type error", writeConfig("server_url = 3\n"), []string{"config", "check"}, 1, "", path + ":1: server_url"},
		{"a bad file stops accounts", writeConfig("typo = 1\n"), []string{"accounts"}, 1, "", "unknown key typo"},
		{"a bad file stops brief", nil, []string{"brief", "x"}, 1, "", "unknown key typo"},
		{"bad flag", nil, []string{"config", "check", "--force"}, 2, "", "unknown flag"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if s.before != nil {
				s.before(t)
			}
			code, out, errOut := runTriage(t, s.args...)
			if code != s.code {
				t.Fatalf("exit %d, want %d (stdout %q, stderr %q)", code, s.code, out, errOut)
			}
			if !strings.Contains(out, s.stdout) || !strings.Contains(errOut, s.stderr) {
				t.Errorf("stdout %q, stderr %q; want %q and %q", out, errOut, s.stdout, s.stderr)
			}
		})
	}
}

// writeConfig returns a step that writes the file CSM_CONFIG names.
func writeConfig(content string) func(t *testing.T) {
	return func(t *testing.T) {
		t.Helper()
		if err := os.WriteFile(os.Getenv("CSM_CONFIG"), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestConfigInitWritesTheDocumentedDefaults(t *testing.T) {
	_, path := triageEnv(t)
	if code, _, errOut := runTriage(t, "config", "init"); code != 0 {
		t.Fatalf("init: %s", errOut)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(config.DefaultFile()) {
		t.Error("config init did not write default.toml")
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("config file mode = %v (%v), want 0600", info.Mode().Perm(), err)
	}
}

// Settings resolve flag > environment > config file > default.
func TestSettingsPrecedence(t *testing.T) {
	tests := []struct {
		name       string
		flags      []string
		env        map[string]string
		file       string
		wantData   string
		wantServer string
	}{
		{"config file", nil, nil, "data_dir = \"/cfg/data\"\nserver_url = \"https://cfg.example\"\n", "/cfg/data", "https://cfg.example"},
		{"environment over file", nil, map[string]string{"CSM_DATA_DIR": "/env/data", "CSM_SERVER_URL": "https://env.example"},
			"data_dir = \"/cfg/data\"\nserver_url = \"https://cfg.example\"\n", "/env/data", "https://env.example"},
		{"flag over environment", []string{"--data-dir", "/flag/data", "--server", "https://flag.example"},
			map[string]string{"CSM_DATA_DIR": "/env/data", "CSM_SERVER_URL": "https://env.example"},
			"data_dir = \"/cfg/data\"\n", "/flag/data", "https://flag.example"},
		{"default without file", nil, map[string]string{"XDG_DATA_HOME": "/xdg"}, "", "/xdg/csm", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, path := triageEnv(t)
			t.Setenv("CSM_DATA_DIR", "")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			if tt.file != "" {
				os.MkdirAll(filepath.Dir(path), 0o700)
				writeConfig(tt.file)(t)
			}
			root := newRootCmd()
			if err := root.ParseFlags(tt.flags); err != nil {
				t.Fatal(err)
			}
			s := settingsFrom(root)
			if s.ConfigErr != nil {
				t.Fatalf("config: %v", s.ConfigErr)
			}
			if s.DataDir != tt.wantData || s.ServerURL != tt.wantServer {
				t.Errorf("data dir %q, server %q; want %q, %q", s.DataDir, s.ServerURL, tt.wantData, tt.wantServer)
			}
		})
	}
}

// Changing a rule in the config file changes what the next command shows,
// with no sync in between.
func TestConfigChangeRecomputes(t *testing.T) {
	dataDir, path := triageEnv(t)
	triageImport(t, dataDir, model.Generate(model.GenOptions{Seed: 5, Accounts: 40, Days: 120, CSMs: 1})[0])
	os.MkdirAll(filepath.Dir(path), 0o700)

	countLow := func() int {
		n := 0
		for _, a := range accountsJSON(t) {
			if slices.Contains(a.Segments, model.SegmentLowUtilization) {
				n++
			}
		}
		return n
	}
	before := countLow()
	writeConfig("[rules]\nlow_utilization = 5\n")(t)
	after := countLow()
	if after <= before {
		t.Errorf("low_utilization: %d accounts at 0.60, %d at 5; want more", before, after)
	}
	if n := len(accountsJSON(t, "--segment", model.SegmentLowUtilization)); n != after {
		t.Errorf("--segment low_utilization lists %d, want %d", n, after)
	}
	writeConfig("[rules]\nlow_utilization = 0.60\n")(t)
	if got := countLow(); got != before {
		t.Errorf("back to 0.60: %d accounts, want %d", got, before)
	}
}
