package model

import "testing"

func TestWording(t *testing.T) {
	tests := []struct{ got, want string }{
		{Plural(0, "user"), "0 users"},
		{Plural(1, "user"), "1 user"},
		{Plural(21, "follow-up"), "21 follow-ups"},
		{SignedPercent(0.3), "+30%"},
		{SignedPercent(-0.6), "-60%"},
		{SignedPercent(0), "+0%"},
		{SignedPercent(-0.004), "+0%"},
		{SignedPercent(0.125), "+13%"},
		{SignedPercent(-0.125), "-13%"},
		{InDays(0), "today"},
		{InDays(1), "in 1 day"},
		{InDays(12), "in 12 days"},
		{InDays(-1), "1 day ago"},
		{InDays(-45), "45 days ago"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
