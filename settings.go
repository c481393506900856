package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

// settings are resolved flag > environment > config file.
type settings struct {
	DataDir   string
	ServerURL string
	Token     string
}

func addSettingsFlags(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.String("data-dir", "", "where the database lives (env CSM_DATA_DIR; default the XDG data dir)")
	f.String("server", "", "server URL (env CSM_SERVER_URL)")
}

// settingsFrom resolves the settings of one invocation.
func settingsFrom(cmd *cobra.Command) settings {
	s := settings{
		DataDir:   firstNonEmpty(flagValue(cmd, "data-dir"), os.Getenv("CSM_DATA_DIR"), defaultDataDir()),
		ServerURL: firstNonEmpty(flagValue(cmd, "server"), os.Getenv("CSM_SERVER_URL")),
		Token:     os.Getenv("CSM_TOKEN"),
	}
	return s
}

func flagValue(cmd *cobra.Command, name string) string {
	f := cmd.Flags().Lookup(name)
	if f == nil {
		return ""
	}
	return f.Value.String()
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// defaultDataDir follows the XDG base directory convention.
func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "csm")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ".csm"
	}
	return filepath.Join(home, ".local", "share", "csm")
}

// requireServer checks that a server and token are configured.
func (s settings) requireServer() error {
	if s.ServerURL == "" {
		return usageError{fmt.Errorf("no server configured: set CSM_SERVER_URL or pass --server")}
	}
	if s.Token == "" {
		return usageError{fmt.Errorf("no token: set CSM_TOKEN")}
	}
	return nil
}
