package format

import (
	"strings"
	"testing"
	"time"

	"csm/model"
)

func TestMoney(t *testing.T) {
	tests := []struct {
		cents    int64
		currency string
		want     string
	}{
		{1_234_567_89, "USD", "$1.2M"},
		{84_000_000, "EUR", "€840k"},
		{950_000, "GBP", "£9.5k"},
		{95_000, "CHF", "CHF 950"},
		{0, "USD", "$0"},
		{95_000, "\x1b[31mXYZW", "XY… 950"}, // cleaned and cut to 3 cells
	}
	for _, tt := range tests {
		if got := Money(tt.cents, tt.currency); got != tt.want {
			t.Errorf("Money(%d, %q) = %q, want %q", tt.cents, tt.currency, got, tt.want)
		}
	}
}

func TestPercents(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct{ got, want string }{
		{Percent(f(0.42)), "42%"},
		{Percent(f(0.005)), "1%"},
		{Percent(f(1.2)), "120%"},
		{Percent(nil), Undefined},
		{SignedPercent(f(0.12)), "+12%"},
		{SignedPercent(f(-0.05)), "-5%"},
		{SignedPercent(f(0)), "+0%"},
		{SignedPercent(nil), Undefined},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestDays(t *testing.T) {
	for n, want := range map[int]string{0: "today", 1: "1d", 12: "12d", -3: "3d ago"} {
		if got := Days(n); got != want {
			t.Errorf("Days(%d) = %q, want %q", n, got, want)
		}
	}
	if got := Day(model.MakeDate(2026, 11, 20)); got != "Nov 20, 2026" {
		t.Errorf("Day = %q", got)
	}
}

func TestAgo(t *testing.T) {
	tests := []struct {
		d           time.Duration
		long, short string
	}{
		{0, "just now", "just now"},
		{10 * time.Second, "just now", "just now"},
		{time.Minute, "1 minute ago", "1m ago"},
		{59 * time.Minute, "59 minutes ago", "59m ago"},
		{time.Hour, "1 hour ago", "1h ago"},
		{3 * time.Hour, "3 hours ago", "3h ago"},
		{47 * time.Hour, "47 hours ago", "47h ago"},
		{48 * time.Hour, "2 days ago", "2d ago"},
		{72 * time.Hour, "3 days ago", "3d ago"},
	}
	for _, tt := range tests {
		if got := Ago(tt.d); got != tt.long {
			t.Errorf("Ago(%v) = %q, want %q", tt.d, got, tt.long)
		}
		if got := ShortAgo(tt.d); got != tt.short {
			t.Errorf("ShortAgo(%v) = %q, want %q", tt.d, got, tt.short)
		}
	}
}

func TestTable(t *testing.T) {
	tb := Table{Right: []bool{false, true, false}}
	tb.Add("NAME", "MAU", "FLAGS")
	tb.Add("中文 Co", "7", "")
	tb.Add("Acme", "1200", "crisis")
	var b strings.Builder
	if err := tb.Write(&b); err != nil {
		t.Fatal(err)
	}
	want := "NAME      MAU  FLAGS\n" +
		"中文 Co     7\n" +
		"Acme     1200  crisis\n"
	if b.String() != want {
		t.Errorf("table =\n%s\nwant\n%s", b.String(), want)
	}
}

// Issue 13, defect 12: one date format on screen.
func TestDaysInText(t *testing.T) {
	for in, want := range map[string]string{
		"renews on 2026-11-22, in 2 days": "renews on Nov 22, 2026, in 2 days",
		"no date here":                    "no date here",
		"not a day 2026-13-40":            "not a day 2026-13-40",
		"2026-01-05 and 2026-02-06":       "Jan 5, 2026 and Feb 6, 2026",
	} {
		if got := DaysInText(in); got != want {
			t.Errorf("DaysInText(%q) = %q, want %q", in, got, want)
		}
	}
}
