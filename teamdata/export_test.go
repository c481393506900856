package teamdata

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"csm/model"
	"csm/model/modeltest"
	csmsync "csm/sync"
)

// TestWriteCSVRoundTrip: a hostile book (escape sequences, bidi controls,
// quotes, newlines, a 1 MiB name, an id full of escapes) written by
// WriteCSV and imported is the same book, cut as a client would cut it.
func TestWriteCSVRoundTrip(t *testing.T) {
	ctx := context.Background()
	gen := model.Generate(model.GenOptions{Seed: 4, Accounts: 12, Days: 40, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	book := modeltest.HostileBook(gen, 9)
	book.CSM = dana // the store's CSM, whose email the CSV names
	st := newStore(t)
	paths, err := WriteCSV(t.TempDir(), book)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := Parse(paths)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Apply(ctx, st, imp); err != nil {
		t.Fatal(err)
	}
	got := csmsync.NewServerWith(st).Book(dana.ID)

	want := model.Book{Features: book.Features, Accounts: book.Accounts, Contacts: book.Contacts, Usage: book.Usage, NPS: book.NPS}
	want = cutAndSort(want)
	for i := range got.Accounts {
		got.Accounts[i].UpdatedAt = time.Time{}
	}
	for _, kind := range []struct {
		name      string
		got, want any
	}{
		{"features", got.Features, want.Features},
		{"accounts", got.Accounts, want.Accounts},
		{"contacts", got.Contacts, want.Contacts},
		{"usage", got.Usage, want.Usage},
		{"nps", got.NPS, want.NPS},
	} {
		g, w := jsonString(t, kind.got), jsonString(t, kind.want)
		if g != w {
			i := firstDiff(g, w)
			t.Errorf("%s differ at byte %d:\n got  …%.200q\n want …%.200q", kind.name, i, g[max(i-80, 0):], w[max(i-80, 0):])
		}
	}
}

// cutAndSort is a book as the server's Book returns it: text cut as a
// client cuts it, CRLF read as LF (encoding/csv does that), no
// updated_at, every list by id.
func cutAndSort(b model.Book) model.Book {
	lf := func(s *string) { *s = strings.ReplaceAll(*s, "\r\n", "\n") }
	b.Features = slices.Clone(b.Features)
	for i := range b.Features {
		lf(&b.Features[i].Name)
		b.Features[i].CutLongText()
	}
	b.Accounts = slices.Clone(b.Accounts)
	for i := range b.Accounts {
		a := &b.Accounts[i]
		for _, s := range []*string{&a.Name, &a.Industry, &a.Region, &a.AccountExecutive.Name, &a.AccountExecutive.Email} {
			lf(s)
		}
		a.UpdatedAt = time.Time{}
		a.CutLongText()
	}
	b.Contacts = slices.Clone(b.Contacts)
	for i := range b.Contacts {
		c := &b.Contacts[i]
		for _, s := range []*string{&c.Name, &c.Email, &c.Title} {
			lf(s)
		}
		c.CutLongText()
	}
	b.NPS = slices.Clone(b.NPS)
	for i := range b.NPS {
		lf(&b.NPS[i].Comment)
		b.NPS[i].CutLongText()
	}
	slices.SortFunc(b.Features, func(x, y model.Feature) int { return cmp.Compare(x.Key, y.Key) })
	slices.SortFunc(b.Accounts, func(x, y model.Account) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(b.Contacts, func(x, y model.Contact) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(b.Usage, func(x, y model.UsageMonth) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(b.NPS, func(x, y model.NPSResponse) int { return cmp.Compare(x.ID, y.ID) })
	return b
}
