package main

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"csm/data"
	"csm/model"
	"csm/renewals"
)

// TestCockpitRenewalsAndCRM: the real cockpit, its keys typed in: r opens
// the renewals, enter the first renewing account, and O hands that
// account's CRM address, made from the config file's crm_url, to the
// system's opener as one argument.
func TestCockpitRenewalsAndCRM(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" {
		t.Skip("the fake opener stands in for xdg-open")
	}
	dirs := isolated(t)
	path := filepath.Join(dirs[0], data.DBFile)
	ctx := context.Background()
	st, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ImportBook(ctx, model.Generate(model.GenOptions{Seed: 4, Accounts: 40, Days: 90, CSMs: 1})[0]); err != nil {
		t.Fatal(err)
	}
	book, err := st.Book(ctx)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	f := renewals.Forecast(book, model.DefaultRenewalDays)
	if f.Len() == 0 {
		t.Fatal("no renewal in the generated book: the test proves nothing")
	}
	first := f.All()[0].AccountID
	writeCRMConfig(t, filepath.Join(dirs[1], "csm", "config.toml"), "crm_url = \"https://crm.example.com/accounts/{id}\"\n")

	bin := t.TempDir()
	got := filepath.Join(bin, "args")
	fake := "#!/bin/sh\nprintf '%s\\n' \"$#\" \"$@\" > '" + got + "'\n"
	if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(fake), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	c := startCockpit(t)
	c.await(t, "ui.bookLoadedMsg")
	c.typ(t, "r")
	c.await(t, "ui.renewalsLoadedMsg")
	c.typ(t, "\r")
	c.await(t, "ui.accountLoadedMsg")
	c.typ(t, "O")
	want := "1\nhttps://crm.example.com/accounts/" + first + "\n"
	eventually(t, "the opener gets the first renewal's CRM address", func() bool {
		b, err := os.ReadFile(got)
		return err == nil && string(b) == want
	})
}
