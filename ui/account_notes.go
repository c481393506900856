package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"csm/model"
	"csm/safe"
)

// noteThread is a note's current revision and the older ones it
// supersedes, newest first.
type noteThread struct {
	current model.Note
	history []model.Note
}

// noteThreads returns the timeline newest first. Notes are append-only: a
// correction is a new note that supersedes the old, so the current
// revision leads and the old text stays visible below it.
func (a *accountScreen) noteThreads() []noteThread {
	notes := a.detail.Notes
	byID := make(map[string]int, len(notes))
	superseded := make(map[string]bool, len(notes))
	for i, n := range notes {
		byID[n.ID] = i
		if n.Supersedes != nil {
			superseded[*n.Supersedes] = true
		}
	}
	var out []noteThread
	for _, n := range notes {
		if superseded[n.ID] {
			continue
		}
		t := noteThread{current: n}
		seen := map[string]bool{n.ID: true} // a cycle in bad data must not loop
		for prev := n.Supersedes; prev != nil && !seen[*prev]; {
			i, ok := byID[*prev]
			if !ok {
				break
			}
			seen[*prev] = true
			t.history = append(t.history, notes[i])
			prev = notes[i].Supersedes
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(x, y noteThread) int {
		return cmp.Or(y.current.HappenedAt.Compare(x.current.HappenedAt), cmp.Compare(y.current.ID, x.current.ID))
	})
	return out
}

func (a *accountScreen) notesSummary() string {
	return model.Plural(len(a.noteThreads()), "note")
}

// maxNoteLines caps a note body on the page; the full text is one key away
// once notes can be opened.
const maxNoteLines = 12

// notesSection is the timeline: kind, day and author, the body wrapped, the
// next steps, and older revisions dimmed. Days are shown in UTC, as stored,
// so the page reads the same in every time zone.
func (a *accountScreen) notesSection(w int) block {
	var b block
	st := a.styles
	threads := a.noteThreads()
	if len(threads) == 0 {
		b.add(st.Subtle.Render("  no notes yet: n logs one"))
		return b
	}
	for i, t := range threads {
		if i > 0 {
			b.add("")
		}
		n := t.current
		head := "  " + st.Title.Render(noteKind(n.Kind)) + " · " + a.dayOf(n.HappenedAt.UTC())
		if author := safe.Line(n.Author); author != "" {
			head += st.Subtle.Render(" · " + author)
		}
		if len(t.history) > 0 {
			head += st.Warn.Render(fmt.Sprintf(" · revised %s", a.dayOf(n.CreatedAt.UTC())))
		}
		b.addItem(itemRef{kind: itemNote, a: n.ID}, truncateLine(head, w))
		b.add(capLines(wrapIndent(safe.Text(n.Body), w, "    "), maxNoteLines, st)...)
		for _, s := range n.NextSteps {
			b.add(wrapHanging(st.Label.Render("→ ")+safe.Line(s), w, "    ", "      ")...)
		}
		for _, old := range t.history {
			text := fmt.Sprintf("earlier revision %d, written %s: %s", old.Revision, a.dayOf(old.CreatedAt.UTC()), safe.Text(old.Body))
			lines := capLines(wrapHanging(text, w, "    ", "      "), maxNoteLines, st)
			for _, l := range lines {
				b.add(dimmed(st, l))
			}
		}
	}
	return b
}

// noteKind names a note kind for people: "check in", "QBR".
func noteKind(k string) string {
	if k == model.NoteQBR {
		return "QBR"
	}
	return strings.ReplaceAll(safe.Line(k), "_", " ")
}

// capLines keeps the first n lines and says how many more there were.
func capLines(lines []string, n int, st *Styles) []string {
	if len(lines) <= n {
		return lines
	}
	more := len(lines) - n
	return append(lines[:n:n], st.Subtle.Render(fmt.Sprintf("    … %d more lines", more)))
}
