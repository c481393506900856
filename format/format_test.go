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
	today := model.MakeDate(2026, 12, 2)
	for in, want := range map[string]string{
		"renews on 2026-11-22, in 2 days":                        "renews on Nov 22, in 2 days",
		"renews on 2027-01-05":                                   "renews on Jan 5, 2027",
		"no date here":                                           "no date here",
		"not a day 2026-13-40":                                   "not a day 2026-13-40",
		"2025-01-05 and 2026-02-06":                              "Jan 5, 2025 and Feb 6",
		"closed Nov 21, 2026, suggested again from Dec 21, 2026": "closed Nov 21, suggested again from Dec 21",
		"from Jan 20, 2027.":                                     "from Jan 20, 2027.",
		"not a day Feb 30, 2026":                                 "not a day Feb 30, 2026",
	} {
		if got := DaysInText(in, today); got != want {
			t.Errorf("DaysInText(%q) = %q, want %q", in, got, want)
		}
	}
}

// Issue 13, defect 12: every screen writes a day by one rule, the year
// only when it is not today's.
func TestShortDay(t *testing.T) {
	today := model.MakeDate(2026, 12, 2)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.FixedZone("CET", 3600)
	}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"today", ShortDay(today, today), "Dec 2"},
		{"earlier this year", ShortDay(model.MakeDate(2026, 1, 5), today), "Jan 5"},
		{"next year", ShortDay(model.MakeDate(2027, 1, 5), today), "Jan 5, 2027"},
		{"last year", ShortDay(model.MakeDate(2025, 12, 31), today), "Dec 31, 2025"},
		{"new year's day looks back", ShortDay(model.MakeDate(2026, 12, 31), model.MakeDate(2027, 1, 1)), "Dec 31, 2026"},
		{"a moment's own day, local", ShortDayOf(time.Date(2026, 11, 20, 23, 30, 0, 0, time.UTC).In(paris), today), "Nov 21"},
		{"a moment's own day, UTC", ShortDayOf(time.Date(2026, 11, 20, 23, 30, 0, 0, time.UTC), today), "Nov 20"},
		{"a moment with its time", ShortDayTime(time.Date(2026, 11, 20, 9, 5, 0, 0, time.UTC), today), "Nov 20 09:05"},
		{"a moment of another year", ShortDayTime(time.Date(2025, 3, 1, 17, 0, 0, 0, time.UTC), today), "Mar 1, 2025 17:00"},
		{"kept documents keep the year", Day(today), "Dec 2, 2026"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
