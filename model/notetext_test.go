package model

import "testing"

func TestParseNoteText(t *testing.T) {
	today := MakeDate(2026, 11, 21) // a Saturday
	d := func(s string) *Date { v, _ := ParseDate(s); return &v }
	tests := []struct {
		name  string
		text  string
		body  string
		steps []NextStep
	}{
		{"empty", "", "", nil},
		{"comments only", "# a\n  # b\n", "", nil},
		{"body kept with inner blank lines", "\nline one\n\nline two\n\n", "line one\n\nline two", nil},
		{"CRLF", "a\r\nb\r\n", "a\nb", nil},
		{"checkbox step", "- [ ] send deck", "", []NextStep{{Title: "send deck"}}},
		{"star checkbox", "* [ ] send deck", "", []NextStep{{Title: "send deck"}}},
		{"next: any case", "Next: call back", "", []NextStep{{Title: "call back"}}},
		{"due date", "next: send quote due 2026-12-01", "", []NextStep{{Title: "send quote", DueOn: d("2026-12-01")}}},
		{"DUE in capitals", "- [ ] send quote DUE 2026-12-01", "", []NextStep{{Title: "send quote", DueOn: d("2026-12-01")}}},
		{"due a weekday", "- [ ] send quote due fri", "", []NextStep{{Title: "send quote", DueOn: d("2026-11-27")}}},
		{"due in days", "next: call back due +3d", "", []NextStep{{Title: "call back", DueOn: d("2026-11-24")}}},
		{"due tomorrow", "next: call back due Tomorrow", "", []NextStep{{Title: "call back", DueOn: d("2026-11-22")}}},
		{"bad date stays in the title", "next: send quote due 2026-13-01", "", []NextStep{{Title: "send quote due 2026-13-01"}}},
		{"a word that is no date stays too", "next: pay what is due soon", "", []NextStep{{Title: "pay what is due soon"}}},
		{"empty step dropped", "next:   \n- [ ]", "", nil},
		{"done box is text", "- [x] done already", "- [x] done already", nil},
		{"mixed", "Body.\n- [ ] one\nmore body\n", "Body.\nmore body", []NextStep{{Title: "one"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, steps := ParseNoteText(tt.text, today)
			if body != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
			if len(steps) != len(tt.steps) {
				t.Fatalf("steps = %+v, want %+v", steps, tt.steps)
			}
			for i := range steps {
				g, w := steps[i], tt.steps[i]
				if g.Title != w.Title || (g.DueOn == nil) != (w.DueOn == nil) || (g.DueOn != nil && *g.DueOn != *w.DueOn) {
					t.Errorf("step %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}
