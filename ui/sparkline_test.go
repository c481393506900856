package ui

import (
	"testing"
	"unicode/utf8"
)

func TestSparkline(t *testing.T) {
	tests := []struct {
		name   string
		values []int
		width  int
		want   string
	}{
		{"rising", []int{0, 1, 2, 3, 4, 5, 6, 7}, 8, "▁▂▃▄▅▆▇█"},
		{"all zero", []int{0, 0, 0}, 3, "▁▁▁"},
		{"short series is right-aligned", []int{7, 7}, 4, "  ██"},
		{"buckets average", []int{0, 0, 7, 7}, 2, "▁█"},
		{"no values", nil, 3, "   "},
		{"zero width", []int{1, 2}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sparkline(tt.values, tt.width)
			if got != tt.want {
				t.Errorf("Sparkline(%v, %d) = %q, want %q", tt.values, tt.width, got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n != max(tt.width, 0) {
				t.Errorf("width %d, want %d", n, tt.width)
			}
		})
	}
}
