package model

import (
	"testing"
	"time"
)

func TestOpenTasks(t *testing.T) {
	d := func(n int) *Date { v := MakeDate(2026, 11, n); return &v }
	done := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	tasks := []Task{
		{ID: "undated"},
		{ID: "late", DueOn: d(20)},
		{ID: "done", DueOn: d(1), DoneAt: &done},
		{ID: "b-soon", DueOn: d(5)},
		{ID: "a-soon", DueOn: d(5)},
	}
	open, n := OpenTasks(tasks)
	var got []string
	for _, t := range open {
		got = append(got, t.ID)
	}
	want := []string{"a-soon", "b-soon", "late", "undated"}
	if n != 1 || len(got) != len(want) {
		t.Fatalf("OpenTasks = %v, %d done; want %v, 1 done", got, n, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("OpenTasks = %v, want %v", got, want)
		}
	}
}
