package compose

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"csm/data"
	"csm/model"
	"csm/safe"
)

// The note as text: the draft written out for the editor, with the
// template that explains it, and read back.

// DraftOf is a note given on the command line as a new draft, with the id
// it will be saved under.
func DraftOf(in data.NewNote) data.Draft {
	d := data.NewDraft(in.AccountID, in.Kind, data.DraftFromCLI, in.HappenedAt)
	d.Body = in.Body
	for _, s := range in.NextSteps {
		ds := data.DraftStep{Title: s.Title}
		if s.DueOn != nil {
			ds.Due = s.DueOn.String()
		}
		d.NextSteps = append(d.NextSteps, ds)
	}
	return d
}

// shellArg quotes s for a POSIX shell when it needs it, so a command csm
// suggests can be pasted as it is.
func shellArg(s string) string {
	plain := func(r rune) bool {
		return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_./:@%+=,", r))
	}
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool { return !plain(r) }) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shortID is enough of a UUID to tell notes apart on screen.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// draftText is what the editor opens with: the draft's text, its next
// steps as "- [ ]" lines, and the template's explanation. For a new note
// the first line is left empty for the text.
func draftText(acct model.Account, d data.Draft) string {
	return draftWords(d) + noteTemplate(acct, d.Kind, d.HappenedAt)
}

// draftWords is the draft written as in the editor, without the template.
func draftWords(d data.Draft) string {
	var b strings.Builder
	if d.Body != "" {
		b.WriteString(d.Body + "\n")
	}
	for _, s := range d.NextSteps {
		b.WriteString("- [ ] " + s.Title)
		if s.Due != "" {
			b.WriteString(" due " + s.Due)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// noteTemplate explains the editor's text in comment lines, which are
// dropped from the note.
func noteTemplate(acct model.Account, kind string, at time.Time) string {
	return fmt.Sprintf(`
# Note on %s (%s), %s.
#
# Write the note above. Lines starting with # are dropped.
# A line starting with "- [ ]" or "next:" becomes a follow-up; end it with
# "due" and a day (YYYY-MM-DD, today, tomorrow, +3d, +2w, fri) to give it
# a due date:
#   - [ ] Send the renewal quote due 2026-12-01
#   next: Book a training session due fri
# An empty note is cancelled and nothing is saved.
`, safe.Line(acct.Name), kind, at.Format("2006-01-02 15:04"))
}

// ParseText splits what the CSM wrote into the body and the next steps
// (model.ParseNoteText), with date words counted from now's day.
func ParseText(text string, now time.Time) (body string, steps []data.NextStep) {
	body, typed := model.ParseNoteText(text, model.LocalDay(now))
	for _, s := range typed {
		steps = append(steps, data.NextStep(s))
	}
	return body, steps
}
