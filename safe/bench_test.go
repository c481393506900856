package safe

import (
	"strings"
	"testing"
)

// hostile is about 1 KiB of everything Line must remove, mixed with text.
var hostile = func() string {
	parts := []string{
		"\x1b[31m", "name", "\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07", "\u202e", "\x1b]8;;https://evil.example/\x1b\\",
		"link", "\x1b]8;;\x1b\\", "\x9b2J", "\u009b1;1H", "\xff\xfe", "\x1bPq#0;2;0;0;0\x1b\\", "中文", "\x00\x07\x08",
		"👨\u200d👩\u200d👧", "\x1b_Gf=100;AAAA\x1b\\", "\u200b", "\t\r\n",
	}
	var b strings.Builder
	for b.Len() < 1024 {
		for _, p := range parts {
			b.WriteString(p)
		}
	}
	return b.String()[:1024]
}()

func BenchmarkLine(b *testing.B) {
	for _, bc := range []struct {
		name string
		in   string
	}{
		{"ascii name 40", "Acme Corporation International Holdings"},
		{"accented name 40", "Müller & Söhne Maschinenbau GmbH (Köln)"},
		{"hostile 1KiB", hostile},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.in)))
			b.ReportAllocs()
			for b.Loop() {
				_ = Line(bc.in)
			}
		})
	}
}

func BenchmarkTruncate(b *testing.B) {
	for _, bc := range []struct {
		name string
		in   string
	}{
		{"ascii name fits", "Acme Corporation International Holdings"},
		{"ascii name cut", "Acme Corporation International Holdings"},
		{"hostile 1KiB", hostile},
	} {
		width := 60
		if bc.name == "ascii name cut" {
			width = 20
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Truncate(bc.in, width)
			}
		})
	}
}
