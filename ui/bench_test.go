package ui

import (
	"context"
	"os"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

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

// BenchmarkKeyDown is one cursor move and the frame after it.
func BenchmarkKeyDown(b *testing.B) {
	b.Run("accounts=5000", func(b *testing.B) {
		a := loadedBenchApp(b)
		down := tea.KeyPressMsg{Code: tea.KeyDown}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			a.Update(down)
			_ = a.View()
		}
	})
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
