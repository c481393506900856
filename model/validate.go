package model

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// MaxIDBytes is the longest id or key docs/API.md allows.
const MaxIDBytes = 64

// FieldError says which field of an entity is invalid and why, so a skipped
// entity can be reported in words the CSM (or a server developer) can act on.
type FieldError struct {
	Field   string // JSON name, dotted for nested fields: "steps[2].key"
	Problem string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

func invalidField(field, format string, args ...any) error {
	return &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// Validate checks the ranges and enums of an account. Text length never makes
// an entity invalid (see CutLongText); absent fields are the decoder's job.
func (a Account) Validate() error {
	return firstInvalid(
		CheckID("id", a.ID),
		checkOneOf("tier", a.Tier, Tiers),
		checkOneOf("stage", a.Stage, Stages),
		checkNotNegative("licenses", int64(a.Licenses)),
		checkNotNegative("arr_cents", a.ARRCents),
		checkCurrency("currency", a.Currency),
	)
}

// Validate checks a contact.
func (c Contact) Validate() error {
	return firstInvalid(
		CheckID("id", c.ID),
		CheckID("account_id", c.AccountID),
		checkOneOf("role", c.Role, ContactRoles),
	)
}

// Validate checks a feature of the catalogue.
func (f Feature) Validate() error {
	return CheckID("key", f.Key)
}

// Validate checks a month of usage: its id, its month, and that every column
// holds exactly one non-negative count per filled day.
func (u UsageMonth) Validate() error {
	if err := firstInvalid(CheckID("id", u.ID), CheckID("account_id", u.AccountID)); err != nil {
		return err
	}
	first, err := FirstOfMonth(u.Month)
	if err != nil || len(u.Month) != len("2006-01") {
		return invalidField("month", "%q is not YYYY-MM", u.Month)
	}
	if want := u.AccountID + "/" + u.Month; u.ID != want {
		return invalidField("id", "%q should be %q (account_id/month)", u.ID, want)
	}
	if n := monthLength(first); u.Days < 1 || u.Days > n {
		return invalidField("days", "%d is outside 1..%d", u.Days, n)
	}
	columns := []struct {
		name string
		vals []int
	}{{"dau", u.DAU}, {"wau", u.WAU}, {"mau", u.MAU}, {"sessions", u.Sessions}, {"minutes", u.Minutes}}
	for _, c := range columns {
		if err := checkDays(c.name, c.vals, u.Days); err != nil {
			return err
		}
	}
	for _, key := range keysSorted(u.Features) {
		if err := CheckID("features key", key); err != nil {
			return err
		}
		if err := checkDays("features."+key, u.Features[key], u.Days); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks an NPS response.
func (n NPSResponse) Validate() error {
	if err := firstInvalid(CheckID("id", n.ID), CheckID("account_id", n.AccountID), CheckID("contact_id", n.ContactID)); err != nil {
		return err
	}
	if n.Score < 0 || n.Score > 10 {
		return invalidField("score", "%d is outside 0..10", n.Score)
	}
	return nil
}

// Validate checks a playbook and its steps.
func (p Playbook) Validate() error {
	if err := CheckID("key", p.Key); err != nil {
		return err
	}
	if p.Trigger == "" {
		return invalidField("trigger", "is empty")
	}
	seen := map[string]bool{}
	for i, s := range p.Steps {
		field := fmt.Sprintf("steps[%d]", i)
		if err := CheckID(field+".key", s.Key); err != nil {
			return err
		}
		if seen[s.Key] {
			return invalidField(field+".key", "%q appears twice", s.Key)
		}
		seen[s.Key] = true
		if s.DueDays < 0 {
			return invalidField(field+".due_days", "%d is negative", s.DueDays)
		}
	}
	return nil
}

// Validate checks a checklist template and its items.
func (c Checklist) Validate() error {
	if err := firstInvalid(CheckID("key", c.Key), checkOneOf("stage", c.Stage, Stages)); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, it := range c.Items {
		field := fmt.Sprintf("items[%d].key", i)
		if err := CheckID(field, it.Key); err != nil {
			return err
		}
		if seen[it.Key] {
			return invalidField(field, "%q appears twice", it.Key)
		}
		seen[it.Key] = true
	}
	return nil
}

// Validate checks a note. A revision above 1 always names the note it
// supersedes, and a first revision never does: that is what keeps the
// history of a note a chain.
func (n Note) Validate() error {
	if err := firstInvalid(
		CheckID("id", n.ID),
		CheckID("account_id", n.AccountID),
		checkOneOf("kind", n.Kind, NoteKinds),
	); err != nil {
		return err
	}
	if n.Revision < 1 {
		return invalidField("revision", "%d is below 1", n.Revision)
	}
	switch {
	case n.Supersedes == nil && n.Revision > 1:
		return invalidField("supersedes", "is null but revision is %d", n.Revision)
	case n.Supersedes != nil && n.Revision == 1:
		return invalidField("supersedes", "is set but revision is 1")
	case n.Supersedes != nil:
		if err := CheckID("supersedes", *n.Supersedes); err != nil {
			return err
		}
		if *n.Supersedes == n.ID {
			return invalidField("supersedes", "names the note itself")
		}
	}
	return nil
}

// Validate checks a task.
func (t Task) Validate() error {
	if err := firstInvalid(CheckID("id", t.ID), CheckID("account_id", t.AccountID)); err != nil {
		return err
	}
	if t.NoteID != nil {
		return CheckID("note_id", *t.NoteID)
	}
	return nil
}

// Validate checks the state of a checklist item, whose id is built from the
// account, the checklist and the item.
func (c ChecklistItem) Validate() error {
	if err := firstInvalid(
		CheckID("id", c.ID),
		CheckID("account_id", c.AccountID),
		CheckID("checklist_key", c.ChecklistKey),
		CheckID("item_key", c.ItemKey),
	); err != nil {
		return err
	}
	if want := ChecklistItemID(c.AccountID, c.ChecklistKey, c.ItemKey); c.ID != want {
		return invalidField("id", "%q should be %q (account_id/checklist_key/item_key)", c.ID, want)
	}
	return nil
}

// Validate checks a play run.
func (p PlayRun) Validate() error {
	if err := firstInvalid(CheckID("id", p.ID), CheckID("account_id", p.AccountID), CheckID("playbook_key", p.PlaybookKey)); err != nil {
		return err
	}
	for _, key := range keysSorted(p.Steps) {
		if err := CheckID("steps key", key); err != nil {
			return err
		}
	}
	return nil
}

// CheckID reports whether s is a usable id or key: not empty and at most
// MaxIDBytes bytes. field names it in the error.
func CheckID(field, s string) error {
	switch {
	case s == "":
		return invalidField(field, "is empty")
	case len(s) > MaxIDBytes:
		return invalidField(field, "is %d bytes long, more than %d", len(s), MaxIDBytes)
	}
	return nil
}

func checkOneOf(field, v string, allowed []string) error {
	if slices.Contains(allowed, v) {
		return nil
	}
	return invalidField(field, "%q is not one of %s", v, strings.Join(allowed, ", "))
}

func checkNotNegative(field string, v int64) error {
	if v < 0 {
		return invalidField(field, "%d is negative", v)
	}
	return nil
}

// checkCurrency wants an ISO 4217 code: three capital letters.
func checkCurrency(field, c string) error {
	if len(c) != 3 || strings.IndexFunc(c, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return invalidField(field, "%q is not a three-letter ISO 4217 code", c)
	}
	return nil
}

func checkDays(field string, vals []int, days int) error {
	if len(vals) != days {
		return invalidField(field, "has %d entries, days is %d", len(vals), days)
	}
	for i, v := range vals {
		if v < 0 {
			return invalidField(fmt.Sprintf("%s[%d]", field, i), "%d is negative", v)
		}
	}
	return nil
}

// monthLength is the number of days of the month that starts on first.
func monthLength(first Date) int {
	t := first.Time()
	return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func firstInvalid(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// sortedKeys makes the first error of a map deterministic.
func keysSorted[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
