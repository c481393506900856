package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"csm/benchcpu"
	"csm/data"
	"csm/model"
)

// Run with: go test ./ui -run '^$' -bench . -benchtime 3x

var (
	benchDBOnce gosync.Once
	benchDBPath string
	benchDBErr  error
)

// benchDB builds, once per run, a database file holding a generated book of
// 5,000 accounts with a year of usage.
func benchDB(b *testing.B) string {
	b.Helper()
	benchDBOnce.Do(func() {
		dir, err := os.MkdirTemp("", "csm-ui-bench-")
		if err != nil {
			benchDBErr = err
			return
		}
		benchDBPath = filepath.Join(dir, data.DBFile)
		ctx := context.Background()
		st, err := data.Open(ctx, benchDBPath)
		if err != nil {
			benchDBErr = err
			return
		}
		defer st.Close()
		book := model.Generate(model.GenOptions{Seed: 1, Accounts: 5000, Days: 365, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
		benchDBErr = st.ImportBook(ctx, book)
	})
	if benchDBErr != nil {
		b.Fatal(benchDBErr)
	}
	return benchDBPath
}

func openBench(b *testing.B) *data.Store {
	b.Helper()
	st, err := data.Open(context.Background(), benchDB(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// BenchmarkFirstFrame opens the database, builds the book screen and
// renders the first View, as `csm` does at start.
func BenchmarkFirstFrame(b *testing.B) {
	b.Run("accounts=5000", func(b *testing.B) {
		path := benchDB(b)
		ctx := context.Background()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			st, err := data.Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			a := New(Options{Store: st, Now: func() time.Time { return fixedNow }})
			a.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
			a.Update(a.loadBook()())
			if len(a.View().Content) == 0 {
				b.Fatal("empty first frame")
			}
			b.StopTimer()
			st.Close()
			b.StartTimer()
		}
	})
}

func loadedBenchApp(b *testing.B) *App {
	b.Helper()
	st := openBench(b)
	a := New(Options{Store: st, Now: func() time.Time { return fixedNow }})
	a.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	a.Update(a.loadBook()())
	return a
}

// BenchmarkKeyDown is one cursor move and the frame after it, in a
// 160×48 terminal; and in a 100×30 one, where the header's objectives
// must give way (they once cost 4 ms a frame there).
func BenchmarkKeyDown(b *testing.B) {
	for _, size := range []struct {
		name string
		w, h int
	}{{"accounts=5000", 160, 48}, {"accounts=5000,size=100x30", 100, 30}} {
		b.Run(size.name, func(b *testing.B) {
			a := loadedBenchApp(b)
			a.Update(tea.WindowSizeMsg{Width: size.w, Height: size.h})
			down := tea.KeyPressMsg{Code: tea.KeyDown}
			b.ResetTimer()
			defer benchcpu.Start(b)()
			for i := 0; i < b.N; i++ {
				a.Update(down)
				_ = a.View()
			}
		})
	}
}

// BenchmarkFilterKey is one keystroke in the filter and the frame after it.
func BenchmarkFilterKey(b *testing.B) {
	b.Run("accounts=5000", func(b *testing.B) {
		a := loadedBenchApp(b)
		a.Update(keyMsg("/"))
		keys := []tea.KeyPressMsg{keyMsg("a"), {Code: tea.KeyBackspace}}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			a.Update(keys[i%2])
			_ = a.View()
		}
	})
}

// BenchmarkOpenAccount opens an account screen (its query included) and
// renders it with its charts.
func BenchmarkOpenAccount(b *testing.B) {
	b.Run("accounts=5000", func(b *testing.B) {
		a := loadedBenchApp(b)
		ids := make([]string, 0, 50)
		for _, r := range a.book.book.Rows[:50] {
			ids = append(ids, r.Account.ID)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			a.Update(openAccountMsg{id: ids[i%len(ids)]})
			acct := a.active().(*accountScreen)
			a.Update(acct.Init()())
			if len(a.View().Content) == 0 {
				b.Fatal("empty account frame")
			}
			a.Update(popScreenMsg{})
		}
	})
}

// benchNote is a note of 40 lines of ordinary sentences.
func benchNote() string {
	lines := make([]string, 40)
	for i := range lines {
		lines[i] = fmt.Sprintf("%2d. Spoke with the champion about the renewal; they want the reporting add-on before Q%d and a call with finance.", i+1, i%4+1)
	}
	return strings.Join(lines, "\n")
}

// BenchmarkNoteEditorKey is one printable key typed at the end of a note of
// 40 lines in a 200×50 terminal (and a 100×30 one), through Update and
// View, with the draft write's answer delivered as the program would
// between two keys. The note is set back every 100 keys so it stays 40
// lines.
func BenchmarkNoteEditorKey(b *testing.B) {
	for _, size := range []struct{ w, h int }{{200, 50}, {100, 30}} {
		b.Run(fmt.Sprintf("size=%dx%d", size.w, size.h), func(b *testing.B) { benchNoteEditorKey(b, size.w, size.h) })
	}
}

func benchNoteEditorKey(b *testing.B, w, h int) {
	a := loadedBenchApp(b)
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
	r := a.book.book.Rows[0]
	e := newNoteEditor(&a.env, r.Account.ID, r.Account.Name)
	a.Update(pushScreenMsg{s: e})
	if a.active() != e {
		b.Fatal("editor not open")
	}
	note := benchNote()
	e.body.SetValue(note)
	_ = a.View()
	key := tea.KeyPressMsg{Code: 'x', Text: "x"}
	b.ResetTimer()
	defer benchcpu.Start(b)()
	for i := 0; i < b.N; i++ {
		if i%100 == 99 {
			b.StopTimer()
			e.body.SetValue(note)
			b.StartTimer()
		}
		a.Update(key)
		if len(a.View().Content) == 0 {
			b.Fatal("empty editor frame")
		}
		a.Update(draftKeptMsg{id: e.draftID})
	}
}
