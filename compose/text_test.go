package compose

import (
	"strings"
	"testing"
	"time"

	"csm/data"
	"csm/model"
)

func TestDraftTextReadsBack(t *testing.T) {
	now := time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC) // a Saturday
	due := model.MakeDate(2026, 12, 1)
	in := data.NewNote{AccountID: "a1", Kind: model.NoteCall, HappenedAt: now, Body: "Renewal call.\n\nHappy.",
		NextSteps: []data.NextStep{{Title: "Send the quote", DueOn: &due}, {Title: "Book training"}}}
	d := DraftOf(in)
	text := draftText(model.Account{ID: "a1", Name: "Acme \x1b[31mCorp"}, d)
	if strings.ContainsRune(text, 0x1b) || !strings.Contains(text, "# Note on Acme Corp (call), 2026-11-21 09:30.") {
		t.Errorf("template:\n%s", text)
	}
	body, steps := ParseText(text+"next: Call back due fri\n", now)
	if body != in.Body || len(steps) != 3 {
		t.Fatalf("read back %q, %+v", body, steps)
	}
	if steps[0].Title != "Send the quote" || steps[0].DueOn == nil || *steps[0].DueOn != due ||
		steps[1].Title != "Book training" || steps[1].DueOn != nil ||
		steps[2].Title != "Call back" || steps[2].DueOn == nil || *steps[2].DueOn != model.MakeDate(2026, 11, 27) {
		t.Errorf("steps = %+v", steps)
	}
}

func TestShellArg(t *testing.T) {
	for in, want := range map[string]string{
		"acme":         "acme",
		"Acme Corp":    "'Acme Corp'",
		"O'Neil":       `'O'\''Neil'`,
		"":             "''",
		"a-b_c.d/e:f":  "a-b_c.d/e:f",
		"Zürich":       "'Zürich'",
		"$(rm -rf /)":  "'$(rm -rf /)'",
		"name;reboot":  "'name;reboot'",
		"100%+=,@host": "100%+=,@host",
	} {
		if got := shellArg(in); got != want {
			t.Errorf("shellArg(%q) = %s, want %s", in, got, want)
		}
	}
}
