package model

import (
	"slices"
	"unicode/utf8"
)

// Text from the server is untrusted and may be huge. docs/API.md lets a client keep
// an entity whose text is over-long by cutting the text for storage, marked
// with Ellipsis; length alone never makes an entity invalid.
const (
	MaxNameChars = 256      // names, titles, next steps, short free text
	MaxBodyBytes = 64 << 10 // note bodies, descriptions, comments
	Ellipsis     = "…"
)

// CutText returns s if it is at most max bytes long; otherwise the longest
// prefix that, with Ellipsis appended, fits in max bytes. The cut falls on a
// rune boundary, so valid UTF-8 stays valid. A max too small for the
// Ellipsis gives "".
func CutText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	if max < len(Ellipsis) {
		return ""
	}
	return FitBytes(s, max-len(Ellipsis)) + Ellipsis
}

// FitBytes returns s if it is at most limit bytes long; otherwise its longest
// prefix of at most limit bytes that ends on a rune boundary, with no mark of
// the cut (a text field stops taking text at its limit).
func FitBytes(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	n := limit
	if n < 0 {
		return ""
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// CutChars returns s if it has at most max runes; otherwise its first max−1
// runes followed by Ellipsis, max runes in all. A max below 1 gives "".
func CutChars(s string, max int) string {
	if max < 1 {
		return ""
	}
	if len(s) <= max || utf8.RuneCountInString(s) <= max {
		return s
	}
	i, runes := 0, 0
	for runes < max-1 {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		runes++
	}
	return s[:i] + Ellipsis
}

func cutName(s *string) { *s = CutChars(*s, MaxNameChars) }
func cutBody(s *string) { *s = CutText(*s, MaxBodyBytes) }

// The CutLongText methods cut an entity's over-long text in place. Slices
// are copied first, so a copy of the entity made before keeps its text.

// CutLongText cuts the account's over-long text for storage.
func (a *Account) CutLongText() {
	cutName(&a.Name)
	cutName(&a.Industry)
	cutName(&a.Region)
	cutName(&a.AccountExecutive.Name)
	cutName(&a.AccountExecutive.Email)
}

// CutLongText cuts the contact's over-long text for storage.
func (c *Contact) CutLongText() {
	cutName(&c.Name)
	cutName(&c.Email)
	cutName(&c.Title)
}

// CutLongText cuts the feature's over-long name for storage.
func (f *Feature) CutLongText() { cutName(&f.Name) }

// CutLongText does nothing: a usage month holds no free text. It exists so
// every entity can be treated alike.
func (u *UsageMonth) CutLongText() {}

// CutLongText cuts the response's over-long comment for storage.
func (n *NPSResponse) CutLongText() { cutBody(&n.Comment) }

// CutLongText cuts the playbook's over-long text for storage.
func (p *Playbook) CutLongText() {
	cutName(&p.Name)
	cutBody(&p.Description)
	p.Steps = slices.Clone(p.Steps)
	for i := range p.Steps {
		cutName(&p.Steps[i].Title)
	}
}

// CutLongText cuts the checklist's over-long text for storage.
func (c *Checklist) CutLongText() {
	cutName(&c.Name)
	c.Items = slices.Clone(c.Items)
	for i := range c.Items {
		cutName(&c.Items[i].Title)
		cutName(&c.Items[i].Group)
	}
}

// CutLongText cuts the note's over-long text for storage.
func (n *Note) CutLongText() {
	cutBody(&n.Body)
	cutName(&n.Author)
	n.NextSteps = slices.Clone(n.NextSteps)
	for i := range n.NextSteps {
		cutName(&n.NextSteps[i])
	}
}

// CutLongText cuts the task's over-long title for storage.
func (t *Task) CutLongText() { cutName(&t.Title) }

// CutLongText does nothing: a checklist item holds no free text.
func (c *ChecklistItem) CutLongText() {}

// CutLongText cuts the play run's over-long outcome for storage.
func (p *PlayRun) CutLongText() {
	if p.Outcome != nil {
		o := CutChars(*p.Outcome, MaxNameChars)
		p.Outcome = &o
	}
}
