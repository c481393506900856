package sync

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"csm/model"
)

// TestDecodeMutationDataContacts covers contact.create, contact.update and
// task.set_due. It lives apart from TestDecodeMutationData so the two can
// change without touching each other.
func TestDecodeMutationDataContacts(t *testing.T) {
	day := model.MakeDate(2026, 11, 20)
	const contact = `{"id":"ct9","account_id":"a1","name":"Ann","email":"ann@example.com","title":"CTO","role":"sponsor","is_champion":false,"left_company_on":null,"last_active_on":"2026-11-20"}`
	const update = `{"id":"ct9","name":"Ann","email":"ann@example.com","title":"CTO","role":"admin","is_champion":true,"left_company_on":"2026-11-20"}`
	long := strings.Repeat("n", model.MaxNameChars+10)
	longCut := strings.Repeat("n", model.MaxNameChars-1) + model.Ellipsis
	cases := []struct {
		name  string
		typ   string
		data  string
		want  any
		field string // of the error; "" = valid
	}{
		{"contact.create", MutContactCreate, contact,
			model.Contact{ID: "ct9", AccountID: "a1", Name: "Ann", Email: "ann@example.com", Title: "CTO", Role: model.RoleSponsor, LastActiveOn: &day}, ""},
		{"contact.create without the optional dates", MutContactCreate, `{"id":"ct9","account_id":"a1","name":"Ann","email":"","title":"","role":"user","is_champion":true,"extra":[1]}`,
			model.Contact{ID: "ct9", AccountID: "a1", Name: "Ann", Role: model.RoleUser, IsChampion: true}, ""},
		{"contact.create bad role", MutContactCreate, strings.Replace(contact, `"sponsor"`, `"boss"`, 1), nil, "role"},
		{"contact.create no account", MutContactCreate, strings.Replace(contact, `"account_id":"a1",`, "", 1), nil, "account_id"},
		{"contact.create empty id", MutContactCreate, strings.Replace(contact, `"id":"ct9"`, `"id":""`, 1), nil, "id"},
		{"contact.create id too long", MutContactCreate, strings.Replace(contact, `"id":"ct9"`, `"id":"`+strings.Repeat("x", model.MaxIDBytes+1)+`"`, 1), nil, "id"},
		{"contact.create champion as string", MutContactCreate, strings.Replace(contact, `"is_champion":false`, `"is_champion":"no"`, 1), nil, "is_champion"},
		{"contact.create bad date", MutContactCreate, strings.Replace(contact, `"left_company_on":null`, `"left_company_on":"20/11/2026"`, 1), nil, "left_company_on"},

		{"contact.update", MutContactUpdate, update,
			ContactUpdateData{ID: "ct9", Name: "Ann", Email: "ann@example.com", Title: "CTO", Role: model.RoleAdmin, IsChampion: true, LeftCompanyOn: &day}, ""},
		{"contact.update still there", MutContactUpdate, strings.Replace(update, `"2026-11-20"`, `null`, 1),
			ContactUpdateData{ID: "ct9", Name: "Ann", Email: "ann@example.com", Title: "CTO", Role: model.RoleAdmin, IsChampion: true}, ""},
		{"contact.update long name", MutContactUpdate, strings.Replace(update, `"name":"Ann"`, `"name":"`+long+`"`, 1),
			ContactUpdateData{ID: "ct9", Name: longCut, Email: "ann@example.com", Title: "CTO", Role: model.RoleAdmin, IsChampion: true, LeftCompanyOn: &day}, ""},
		{"contact.update absent left_company_on", MutContactUpdate, strings.Replace(update, `,"left_company_on":"2026-11-20"`, "", 1), nil, "left_company_on"},
		{"contact.update absent title", MutContactUpdate, strings.Replace(update, `"title":"CTO",`, "", 1), nil, "title"},
		{"contact.update null name", MutContactUpdate, strings.Replace(update, `"name":"Ann"`, `"name":null`, 1), nil, "name"},
		{"contact.update bad role", MutContactUpdate, strings.Replace(update, `"admin"`, `"Admin"`, 1), nil, "role"},
		{"contact.update champion as number", MutContactUpdate, strings.Replace(update, `"is_champion":true`, `"is_champion":1`, 1), nil, "is_champion"},
		{"contact.update bad date", MutContactUpdate, strings.Replace(update, `"2026-11-20"`, `"2026-02-30"`, 1), nil, "left_company_on"},
		{"contact.update empty id", MutContactUpdate, strings.Replace(update, `"id":"ct9"`, `"id":""`, 1), nil, "id"},

		{"task.set_due", MutTaskSetDue, `{"id":"t1","due_on":"2026-11-20"}`, TaskSetDueData{ID: "t1", DueOn: &day}, ""},
		{"task.set_due null", MutTaskSetDue, `{"id":"t1","due_on":null}`, TaskSetDueData{ID: "t1"}, ""},
		{"task.set_due absent due_on", MutTaskSetDue, `{"id":"t1"}`, nil, "due_on"},
		{"task.set_due instant for a date", MutTaskSetDue, `{"id":"t1","due_on":"2026-11-20T10:00:00Z"}`, nil, "due_on"},
		{"task.set_due date as number", MutTaskSetDue, `{"id":"t1","due_on":20261120}`, nil, "due_on"},
		{"task.set_due no id", MutTaskSetDue, `{"due_on":null}`, nil, "id"},
		{"task.set_due id too long", MutTaskSetDue, `{"id":"` + strings.Repeat("t", model.MaxIDBytes+1) + `","due_on":null}`, nil, "id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DecodeMutationData(c.typ, json.RawMessage(c.data))
			if c.field != "" {
				wantFieldError(t, err, c.field)
				if !strings.HasPrefix(err.Error(), c.typ+" data: ") {
					t.Fatalf("error %q does not name the mutation type", err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %+v (%v), want %+v", got, err, c.want)
			}
		})
	}
	for _, typ := range []string{MutContactCreate, MutContactUpdate, MutTaskSetDue} {
		for _, data := range []string{`null`, `[]`, `"x"`, `{`, ``} {
			if v, err := DecodeMutationData(typ, json.RawMessage(data)); err == nil {
				t.Errorf("%s with data %q: got %+v, want an error", typ, data, v)
			}
		}
	}
}

// TestContactUpdateApply keeps what the update does not carry: the id, the
// account and the last activity.
func TestContactUpdateApply(t *testing.T) {
	day, left := model.MakeDate(2026, 11, 1), model.MakeDate(2026, 11, 20)
	old := model.Contact{ID: "ct1", AccountID: "a1", Name: "Bo", Email: "bo@x", Title: "VP", Role: model.RoleChampion, IsChampion: true, LastActiveOn: &day}
	d := ContactUpdateData{ID: "ct1", Name: "Bo Li", Email: "bo@y", Title: "CEO", Role: model.RoleSponsor, LeftCompanyOn: &left}
	want := model.Contact{ID: "ct1", AccountID: "a1", Name: "Bo Li", Email: "bo@y", Title: "CEO", Role: model.RoleSponsor, LeftCompanyOn: &left, LastActiveOn: &day}
	if got := d.Apply(old); !reflect.DeepEqual(got, want) {
		t.Fatalf("Apply = %+v, want %+v", got, want)
	}
}
