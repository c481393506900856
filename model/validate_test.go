package model_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"csm/model"
)

func ptr[T any](v T) *T { return &v }

var validateAt = time.Date(2026, 11, 23, 10, 15, 0, 0, time.UTC)

func okAccount() model.Account {
	return model.Account{
		ID: "a-1", Name: "Acme", Tier: model.TierHighTouch, Stage: model.StageAdoption,
		Licenses: 50, ARRCents: 1_200_000, Currency: "USD",
		PurchasedOn: model.MakeDate(2026, 1, 5), OnboardingStartedOn: model.MakeDate(2026, 1, 10),
		RenewalOn: model.MakeDate(2027, 1, 5), AccountExecutive: model.Person{Name: "Ann", Email: "ann@x.io"},
		Industry: "Retail", Region: "EMEA", UpdatedAt: validateAt,
	}
}

func okUsage() model.UsageMonth {
	return model.UsageMonth{
		ID: "a-1/2026-02", AccountID: "a-1", Month: "2026-02", Days: 2,
		DAU: []int{1, 2}, WAU: []int{1, 2}, MAU: []int{1, 2}, Sessions: []int{3, 4}, Minutes: []int{10, 20},
		Features: map[string][]int{"reports": {0, 1}},
	}
}

func okNote() model.Note {
	return model.Note{
		ID: "n-1", AccountID: "a-1", Kind: model.NoteCall, HappenedAt: validateAt,
		Body: "call", NextSteps: []string{"send deck"}, Author: "Dana", CreatedAt: validateAt, Revision: 1,
	}
}

// validateCase is one entity and the field its error must name ("" = valid).
type validateCase struct {
	name  string
	v     interface{ Validate() error }
	field string
}

func TestValidate(t *testing.T) {
	cases := []validateCase{
		{"account ok", okAccount(), ""},
		{"account empty id", with(okAccount(), func(a *model.Account) { a.ID = "" }), "id"},
		{"account long id", with(okAccount(), func(a *model.Account) { a.ID = strings.Repeat("x", 65) }), "id"},
		{"account 64-byte id", with(okAccount(), func(a *model.Account) { a.ID = strings.Repeat("x", 64) }), ""},
		{"account bad tier", with(okAccount(), func(a *model.Account) { a.Tier = "gold" }), "tier"},
		{"account bad stage", with(okAccount(), func(a *model.Account) { a.Stage = "churned" }), "stage"},
		{"account negative licenses", with(okAccount(), func(a *model.Account) { a.Licenses = -1 }), "licenses"},
		{"account zero licenses", with(okAccount(), func(a *model.Account) { a.Licenses = 0 }), ""},
		{"account negative arr", with(okAccount(), func(a *model.Account) { a.ARRCents = -5 }), "arr_cents"},
		{"account lowercase currency", with(okAccount(), func(a *model.Account) { a.Currency = "usd" }), "currency"},
		{"account long name is fine", with(okAccount(), func(a *model.Account) { a.Name = strings.Repeat("n", 5000) }), ""},

		{"contact ok", model.Contact{ID: "c-1", AccountID: "a-1", Role: model.RoleChampion}, ""},
		{"contact no account", model.Contact{ID: "c-1", Role: model.RoleUser}, "account_id"},
		{"contact bad role", model.Contact{ID: "c-1", AccountID: "a-1", Role: "boss"}, "role"},

		{"feature ok", model.Feature{Key: "reports", Name: "Reports"}, ""},
		{"feature no key", model.Feature{Name: "Reports"}, "key"},

		{"usage ok", okUsage(), ""},
		{"usage full february", with(okUsage(), func(u *model.UsageMonth) { setDays(u, 28) }), ""},
		{"usage 29 days in 2026-02", with(okUsage(), func(u *model.UsageMonth) { setDays(u, 29) }), "days"},
		{"usage 29 days in 2028-02", with(okUsage(), func(u *model.UsageMonth) {
			u.Month, u.ID = "2028-02", "a-1/2028-02"
			setDays(u, 29)
		}), ""},
		{"usage zero days", with(okUsage(), func(u *model.UsageMonth) { setDays(u, 0) }), "days"},
		{"usage bad month", with(okUsage(), func(u *model.UsageMonth) { u.Month, u.ID = "2026-2", "a-1/2026-2" }), "month"},
		{"usage month 13", with(okUsage(), func(u *model.UsageMonth) { u.Month, u.ID = "2026-13", "a-1/2026-13" }), "month"},
		{"usage wrong id", with(okUsage(), func(u *model.UsageMonth) { u.ID = "a-2/2026-02" }), "id"},
		{"usage short column", with(okUsage(), func(u *model.UsageMonth) { u.MAU = []int{1} }), "mau"},
		{"usage negative count", with(okUsage(), func(u *model.UsageMonth) { u.Minutes = []int{1, -1} }), "minutes[1]"},
		{"usage short feature", with(okUsage(), func(u *model.UsageMonth) { u.Features["reports"] = []int{1, 2, 3} }), "features.reports"},
		{"usage negative feature", with(okUsage(), func(u *model.UsageMonth) { u.Features["reports"] = []int{-1, 2} }), "features.reports[0]"},
		{"usage empty feature key", with(okUsage(), func(u *model.UsageMonth) { u.Features[""] = []int{1, 2} }), "features key"},

		{"nps ok", model.NPSResponse{ID: "p-1", AccountID: "a-1", ContactID: "c-1", Score: 10}, ""},
		{"nps score 11", model.NPSResponse{ID: "p-1", AccountID: "a-1", ContactID: "c-1", Score: 11}, "score"},
		{"nps score -1", model.NPSResponse{ID: "p-1", AccountID: "a-1", ContactID: "c-1", Score: -1}, "score"},
		{"nps no contact", model.NPSResponse{ID: "p-1", AccountID: "a-1"}, "contact_id"},

		{"playbook ok", model.Playbook{Key: "pb", Trigger: "manual", Steps: []model.PlaybookStep{{Key: "s1"}, {Key: "s2", DueDays: 3}}}, ""},
		{"playbook no trigger", model.Playbook{Key: "pb"}, "trigger"},
		{"playbook empty step key", model.Playbook{Key: "pb", Trigger: "manual", Steps: []model.PlaybookStep{{Key: "s1"}, {}}}, "steps[1].key"},
		{"playbook twice the same step", model.Playbook{Key: "pb", Trigger: "manual", Steps: []model.PlaybookStep{{Key: "s1"}, {Key: "s1"}}}, "steps[1].key"},
		{"playbook negative due", model.Playbook{Key: "pb", Trigger: "manual", Steps: []model.PlaybookStep{{Key: "s1", DueDays: -1}}}, "steps[0].due_days"},

		{"checklist ok", model.Checklist{Key: "ob", Stage: model.StageOnboarding, Items: []model.ChecklistTemplateItem{{Key: "i1"}}}, ""},
		{"checklist bad stage", model.Checklist{Key: "ob", Stage: "later"}, "stage"},
		{"checklist twice the same item", model.Checklist{Key: "ob", Stage: model.StageOnboarding, Items: []model.ChecklistTemplateItem{{Key: "i1"}, {Key: "i1"}}}, "items[1].key"},

		{"note ok", okNote(), ""},
		{"note bad kind", with(okNote(), func(n *model.Note) { n.Kind = "chat" }), "kind"},
		{"note revision 0", with(okNote(), func(n *model.Note) { n.Revision = 0 }), "revision"},
		{"note revision 2 without supersedes", with(okNote(), func(n *model.Note) { n.Revision = 2 }), "supersedes"},
		{"note revision 1 with supersedes", with(okNote(), func(n *model.Note) { n.Supersedes = ptr("n-0") }), "supersedes"},
		{"note revision 2 ok", with(okNote(), func(n *model.Note) { n.Revision, n.Supersedes = 2, ptr("n-0") }), ""},
		{"note supersedes itself", with(okNote(), func(n *model.Note) { n.Revision, n.Supersedes = 2, ptr("n-1") }), "supersedes"},

		{"task ok", model.Task{ID: "t-1", AccountID: "a-1", NoteID: ptr("n-1")}, ""},
		{"task empty note id", model.Task{ID: "t-1", AccountID: "a-1", NoteID: ptr("")}, "note_id"},

		{"checklist item ok", model.ChecklistItem{ID: "a-1/ob/i1", AccountID: "a-1", ChecklistKey: "ob", ItemKey: "i1"}, ""},
		{"checklist item wrong id", model.ChecklistItem{ID: "a-1/ob/i2", AccountID: "a-1", ChecklistKey: "ob", ItemKey: "i1"}, "id"},
		{"checklist item no item key", model.ChecklistItem{ID: "a-1/ob/", AccountID: "a-1", ChecklistKey: "ob"}, "item_key"},

		{"play run ok", model.PlayRun{ID: "r-1", AccountID: "a-1", PlaybookKey: "pb", Steps: map[string]*time.Time{"s1": nil}}, ""},
		{"play run no playbook", model.PlayRun{ID: "r-1", AccountID: "a-1"}, "playbook_key"},
		{"play run empty step key", model.PlayRun{ID: "r-1", AccountID: "a-1", PlaybookKey: "pb", Steps: map[string]*time.Time{"": nil}}, "steps key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.v.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var fe *model.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Validate() = %v, want a FieldError on %q", err, c.field)
			}
			if fe.Field != c.field {
				t.Fatalf("Validate() names field %q (%v), want %q", fe.Field, err, c.field)
			}
		})
	}
}

// with returns a copy of v changed by f, so each case starts from a valid value.
func with[T any](v T, f func(*T)) T {
	f(&v)
	return v
}

func setDays(u *model.UsageMonth, n int) {
	col := func() []int { return make([]int, n) }
	u.Days = n
	u.DAU, u.WAU, u.MAU, u.Sessions, u.Minutes = col(), col(), col(), col(), col()
	u.Features = map[string][]int{"reports": col()}
}
