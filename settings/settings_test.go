package settings

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"csm/credentials"
	"csm/data"
	"csm/model"
)

// noKeyring is a machine without a keyring: tokens go to the file.
type noKeyring struct{}

func (noKeyring) Get(string, string) (string, error) { return "", keyring.ErrNotFound }
func (noKeyring) Set(string, string, string) error   { return errors.New("no keyring") }
func (noKeyring) Delete(string, string) error        { return keyring.ErrNotFound }

// isolated gives the test its own config and data directories, and no
// setting from the environment. It returns the config file's path.
func isolated(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	for _, k := range []string{"CSM_CONFIG", "CSM_DATA_DIR", "CSM_SERVER_URL", "CSM_TOKEN"} {
		t.Setenv(k, "")
	}
	return filepath.Join(dir, "config", "csm", "config.toml")
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestResolve(t *testing.T) {
	const file = "data_dir = \"/cfg/data\"\nserver_url = \"https://cfg.example\"\n"
	tests := []struct {
		name                 string
		file                 string
		login                bool // `csm login` saved https://saved.example and its token
		flagData, flagServer string
		env                  map[string]string
		data, server, token  string
	}{
		{name: "defaults", data: "XDG/csm"},
		{name: "config file", file: file, data: "/cfg/data", server: "https://cfg.example"},
		{name: "login over config file", file: file, login: true, data: "/cfg/data", server: "https://saved.example", token: "saved-token"},
		{name: "environment over login", file: file, login: true, env: map[string]string{"CSM_DATA_DIR": "/env/data", "CSM_SERVER_URL": "https://env.example"},
			data: "/env/data", server: "https://env.example"},
		{name: "flags over environment", file: file, login: true, flagData: "/flag/data", flagServer: "https://saved.example/",
			env:  map[string]string{"CSM_DATA_DIR": "/env/data", "CSM_SERVER_URL": "https://env.example"},
			data: "/flag/data", server: "https://saved.example/", token: "saved-token"},
		{name: "CSM_TOKEN over the saved token", login: true, env: map[string]string{"CSM_TOKEN": "env-token"},
			data: "XDG/csm", server: "https://saved.example", token: "env-token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := isolated(t)
			if tt.file != "" {
				writeFile(t, path, tt.file)
			}
			logins := credentials.Store{Dir: t.TempDir(), Keyring: noKeyring{}}
			if tt.login {
				if _, err := logins.Save("https://saved.example", "saved-token"); err != nil {
					t.Fatal(err)
				}
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			s := Resolve(tt.flagData, tt.flagServer, logins)
			want := strings.Replace(tt.data, "XDG", os.Getenv("XDG_DATA_HOME"), 1)
			if s.ConfigErr != nil || s.TokenErr != nil {
				t.Fatalf("errors: config %v, token %v", s.ConfigErr, s.TokenErr)
			}
			if s.DataDir != want || s.ServerURL != tt.server || s.Token != tt.token {
				t.Errorf("data dir %q, server %q, token %q; want %q, %q, %q", s.DataDir, s.ServerURL, s.Token, want, tt.server, tt.token)
			}
			if got := DataDir(tt.flagData); got != want {
				t.Errorf("DataDir = %q, want %q as Resolve", got, want)
			}
			if s.DBPath() != filepath.Join(want, data.DBFile) {
				t.Errorf("DBPath = %q", s.DBPath())
			}
		})
	}
}

// A bad config file is kept, and refused by every way to open the store.
func TestBadConfigIsRefused(t *testing.T) {
	path := isolated(t)
	writeFile(t, path, "[rules]\nlow_utilization = \"many\"\n")
	s := Resolve(t.TempDir(), "", credentials.Store{Dir: t.TempDir(), Keyring: noKeyring{}})
	if s.ConfigErr == nil {
		t.Fatal("a bad config file gave no error")
	}
	if _, err := s.OpenConfigured(context.Background()); err != s.ConfigErr {
		t.Errorf("OpenConfigured = %v, want the config's error", err)
	}
	if _, err := s.OpenReading(context.Background(), nil); err != s.ConfigErr {
		t.Errorf("OpenReading = %v, want the config's error", err)
	}
	if _, err := os.Stat(s.DBPath()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a database was made (%v)", err)
	}
}

// A reading open recomputes metrics computed with other thresholds than
// the config file's, and then reads them.
func TestOpenReadingRecomputes(t *testing.T) {
	path := isolated(t)
	ctx := context.Background()
	s := Resolve(t.TempDir(), "", credentials.Store{Dir: t.TempDir(), Keyring: noKeyring{}})
	st, err := s.OpenConfigured(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ImportBook(ctx, model.Generate(model.GenOptions{Seed: 5, Accounts: 10, Days: 60, CSMs: 1})[0]); err != nil {
		t.Fatal(err)
	}
	st.Close()

	writeFile(t, path, "[rules]\nlow_utilization = 5\n")
	s2 := Resolve(s.DataDir, "", credentials.Store{Dir: t.TempDir(), Keyring: noKeyring{}})
	var warn strings.Builder
	st, err = s2.OpenReading(ctx, &warn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if current, err := st.ThresholdsCurrent(ctx, s2.Config.Thresholds); !current || err != nil {
		t.Errorf("after a reading open the metrics are not the config's (%v)", err)
	}
	if warn.Len() > 0 {
		t.Errorf("warned %q on a writable database", warn.String())
	}
}

// The demo's settings point at demo.db, never the CSM's database, and carry
// no server: nothing of the demo is pushed to the CSM's server.
func TestWithDemo(t *testing.T) {
	s := Settings{DataDir: "/d", ServerURL: "https://csm.example", Token: "t"}
	if s.DBPath() != filepath.Join("/d", "csm.db") || s.Label() != "" {
		t.Fatalf("own settings: %s %q", s.DBPath(), s.Label())
	}
	d := s.WithDemo(true)
	if d.DBPath() != filepath.Join("/d", DemoDBFile) || d.DBPath() == s.DBPath() {
		t.Errorf("demo path %s", d.DBPath())
	}
	if d.ServerURL != "" || d.Token != "" || d.Label() != DemoLabel {
		t.Errorf("demo settings %+v", d)
	}
}
