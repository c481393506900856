package model_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"csm/model"
)

func TestCutText(t *testing.T) {
	cases := []struct {
		name string
		s    string
		max  int
		want string
	}{
		{"short stays", "hello", 10, "hello"},
		{"exact fit stays", "hello", 5, "hello"},
		{"ascii cut", "hello world", 8, "hello…"},
		{"never splits a rune", "aé€𝄞", 7, "aé…"}, // 1+2+3+4 bytes: "aé€" would split €
		{"cut before a 4-byte rune", "ab𝄞𝄞", 8, "ab…"},
		{"max fits only the ellipsis", "hello", 3, "…"},
		{"max too small", "hello", 2, ""},
		{"empty", "", 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := model.CutText(c.s, c.max)
			if got != c.want {
				t.Fatalf("CutText(%q, %d) = %q, want %q", c.s, c.max, got, c.want)
			}
			if len(got) > max(c.max, 0) {
				t.Fatalf("CutText(%q, %d) = %d bytes, over the limit", c.s, c.max, len(got))
			}
			if !utf8.ValidString(got) {
				t.Fatalf("CutText(%q, %d) = %q, not valid UTF-8", c.s, c.max, got)
			}
		})
	}
}

func TestCutTextEveryBoundary(t *testing.T) {
	s := strings.Repeat("aé€𝄞", 20)
	for max := 3; max <= len(s)+1; max++ {
		got := model.CutText(s, max)
		if len(got) > max || !utf8.ValidString(got) {
			t.Fatalf("CutText(_, %d) = %q: %d bytes, valid %v", max, got, len(got), utf8.ValidString(got))
		}
		if max < len(s) && !strings.HasSuffix(got, model.Ellipsis) {
			t.Fatalf("CutText(_, %d) = %q lacks the ellipsis", max, got)
		}
	}
}

func TestCutChars(t *testing.T) {
	cases := []struct {
		name string
		s    string
		max  int
		want string
	}{
		{"short stays", "héllo", 5, "héllo"},
		{"runes not bytes", "ééééé", 5, "ééééé"},
		{"cut keeps max runes", "ééééé", 3, "éé…"},
		{"one rune", "abc", 1, "…"},
		{"zero", "abc", 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := model.CutChars(c.s, c.max); got != c.want {
				t.Fatalf("CutChars(%q, %d) = %q, want %q", c.s, c.max, got, c.want)
			}
		})
	}
}

func TestCutLongText(t *testing.T) {
	long := strings.Repeat("x", model.MaxBodyBytes+10)
	longName := strings.Repeat("é", model.MaxNameChars+1)
	n := okNote()
	n.Body, n.NextSteps = long, []string{longName, "short"}
	before := n
	n.CutLongText()
	if len(n.Body) != model.MaxBodyBytes || !strings.HasSuffix(n.Body, model.Ellipsis) {
		t.Errorf("body is %d bytes, want %d ending in the ellipsis", len(n.Body), model.MaxBodyBytes)
	}
	if got := utf8.RuneCountInString(n.NextSteps[0]); got != model.MaxNameChars {
		t.Errorf("next step has %d runes, want %d", got, model.MaxNameChars)
	}
	if n.NextSteps[1] != "short" {
		t.Errorf("short next step changed to %q", n.NextSteps[1])
	}
	if before.NextSteps[0] != longName {
		t.Errorf("cutting changed the next steps of an earlier copy")
	}

	a := okAccount()
	a.Name, a.AccountExecutive.Name = longName, longName
	a.CutLongText()
	if utf8.RuneCountInString(a.Name) != model.MaxNameChars || utf8.RuneCountInString(a.AccountExecutive.Name) != model.MaxNameChars {
		t.Errorf("account names not cut: %d, %d runes", utf8.RuneCountInString(a.Name), utf8.RuneCountInString(a.AccountExecutive.Name))
	}
}

func TestFitBytes(t *testing.T) {
	for _, c := range []struct {
		s     string
		limit int
		want  string
	}{
		{"hello", 10, "hello"},
		{"hello", 5, "hello"},
		{"hello world", 5, "hello"},
		{"aé€𝄞", 5, "aé"}, // 1+2+3+4 bytes: "aé€" is 6
		{"aé€𝄞", 6, "aé€"},
		{"𝄞", 3, ""},
		{"hello", 0, ""},
		{"hello", -1, ""},
	} {
		if got := model.FitBytes(c.s, c.limit); got != c.want {
			t.Errorf("FitBytes(%q, %d) = %q, want %q", c.s, c.limit, got, c.want)
		}
	}
}
