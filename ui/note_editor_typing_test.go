package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// Typing into the note takes a short way for plain keys (textBox's
// typePlain); the note, the cursor and the screen end as the text area's
// own Update leaves them, on short lines, a line that wraps, a long word
// at the edge, wide characters, and after the cursor moved up into the
// note.
func TestTypingInTheNoteMatchesTheTextArea(t *testing.T) {
	for _, tt := range []struct {
		name, before, typed string
		up                  int // cursor moves up before typing
	}{
		{"short lines", "first line\nsecond", "hello world", 0},
		{"a line that wraps", "", strings.Repeat("word ", 30), 0},
		{"a long word at the edge", strings.Repeat("x", 60), strings.Repeat("y", 30), 0},
		{"wide characters", "日本", "語の文字とcafé", 0},
		{"in the middle of the note", "one\ntwo\nthree\nfour", "inserted ", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fast, _, _ := openEditor(t, 80, 24)
			slow, _, _ := openEditor(t, 80, 24)
			fe, se := fast.active().(*noteEditor), slow.active().(*noteEditor)
			fe.body.SetValue(tt.before)
			se.body.SetValue(tt.before)
			for range tt.up {
				fast.Update(tea.KeyPressMsg{Code: tea.KeyUp})
				slow.Update(tea.KeyPressMsg{Code: tea.KeyUp})
			}
			for _, r := range tt.typed {
				k := tea.KeyPressMsg{Code: r, Text: string(r)}
				if r == ' ' {
					k = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
				}
				fast.Update(k)
				se.body.area, _ = se.body.area.Update(k) // the text area's own way
				se.body.changed()
			}
			if fe.body.Value() != se.body.Value() || fe.body.Line() != se.body.Line() || fe.body.Column() != se.body.Column() {
				t.Fatalf("typed %q: note %q at %d:%d, the text area gives %q at %d:%d", tt.typed,
					fe.body.Value(), fe.body.Line(), fe.body.Column(), se.body.Value(), se.body.Line(), se.body.Column())
			}
			if f, s := fast.View().Content, slow.View().Content; f != s {
				t.Errorf("typed %q, the screen differs:\n%s\nthe text area's:\n%s", tt.typed, f, s)
			}
		})
	}
}
