package safe

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"testing"
)

func TestCSVText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Acme Corp", "Acme Corp"},
		{"empty", "", ""},
		{"formula", "=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"},
		{"plus", "+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"minus", "-2+3", "'-2+3"},
		{"at", "@SUM(A1)", "'@SUM(A1)"},
		{"tab first becomes a space, not a formula", "\t=1", " =1"},
		{"equals inside is fine", "a=b", "a=b"},
		{"escape sequence removed", "Acme\x1b]0;pwned\x07 Inc", "Acme Inc"},
		{"escape hiding a formula", "\x1b[31m=1+1", "'=1+1"},
		{"line break becomes a space", "two\nlines", "two lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CSVText(tt.in); got != tt.want {
				t.Errorf("CSVText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestWriteCSVReadsBack(t *testing.T) {
	rows := [][]string{{"a,b", `say "hi"`}, {CSVText("=1"), "-0.5"}}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, []string{"x", "y"}, rows); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := append([][]string{{"x", "y"}}, [][]string{{"a,b", `say "hi"`}, {"'=1", "-0.5"}}...)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back %q, want %q", got, want)
	}
}
