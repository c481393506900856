package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"csm/model"
)

func writeCRMConfig(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestOpenPrintsAndOpensTheCRMLink: csm open ACCOUNT builds the link from
// crm_url and the account's id, prints it with --print, and hands it to
// the system opener as one argument.
func TestOpenPrintsAndOpensTheCRMLink(t *testing.T) {
	dataDir, configPath := triageEnv(t)
	b := model.Generate(model.GenOptions{Seed: 2, Accounts: 20, CSMs: 1})[0]
	b.Accounts[0].Name = "Zed $(touch pwned); `id`"
	triageImport(t, dataDir, b)
	id := b.Accounts[0].ID

	// No crm_url: a usage error that says what to set.
	if code, _, errOut := runTriage(t, "open", id, "--print"); code != 2 || !strings.Contains(errOut, "crm_url") {
		t.Fatalf("no crm_url: exit %d %q, want 2 and what to set", code, errOut)
	}
	writeCRMConfig(t, configPath, "crm_url = \"https://crm.example.com/accounts/{id}?from=csm\"\n")
	want := "https://crm.example.com/accounts/" + id + "?from=csm"
	code, out, errOut := runTriage(t, "open", "zed $(", "--print")
	if code != 0 || out != want+"\n" {
		t.Fatalf("open --print: exit %d, %q %q; want %q", code, out, errOut, want)
	}
	if code, _, errOut := runTriage(t, "open", "no such account", "--print"); code == 0 || errOut == "" {
		t.Errorf("unknown account: exit %d %q", code, errOut)
	}

	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" {
		t.Skip("the fake opener stands in for xdg-open")
	}
	bin := t.TempDir()
	got := filepath.Join(bin, "args")
	fake := "#!/bin/sh\nprintf '%s\\n' \"$#\" \"$@\" > '" + got + "'\n"
	if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(fake), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	dir := t.TempDir()
	t.Chdir(dir)
	code, out, errOut = runTriage(t, "open", id)
	if code != 0 || !strings.Contains(out, "opened") {
		t.Fatalf("open: exit %d, %q %q", code, out, errOut)
	}
	args, err := os.ReadFile(got)
	if err != nil {
		t.Fatalf("the opener did not run: %v", err)
	}
	if string(args) != "1\n"+want+"\n" {
		t.Errorf("the opener got %q, want the link as its one argument", args)
	}
	if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
		t.Error("the account's name ran as a command")
	}

	// A bad crm_url is refused with where it is.
	writeCRMConfig(t, configPath, "crm_url = \"javascript:alert('{id}')\"\n")
	if code, _, errOut := runTriage(t, "open", id); code == 0 || !strings.Contains(errOut, "crm_url") {
		t.Errorf("bad crm_url: exit %d %q", code, errOut)
	}
}
