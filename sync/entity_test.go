package sync

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"csm/model"
)

// entityFixture is a valid entity as it travels, and how to break it.
type entityFixture struct {
	entity  string
	id      string
	valid   string
	missing string      // a required field to drop
	wrong   fieldChange // a value of the wrong JSON type
	bad     fieldChange // a value of the right type, out of range
	long    string      // a text field to make over-long ("" = none)
	body    bool        // long is a body (cut in bytes), not a name (cut in runes)
}

// fieldChange sets one field and says which field the error must name.
type fieldChange struct {
	key   string
	value any
	field string
}

var entityFixtures = []entityFixture{
	{
		entity: EntityAccount, id: "a-1",
		valid: `{"id":"a-1","name":"Acme","tier":"high_touch","stage":"adoption","licenses":50,
			"arr_cents":1200000,"currency":"USD","purchased_on":"2026-01-05","onboarding_started_on":"2026-01-10",
			"onboarding_completed_on":null,"renewal_on":"2027-01-05","account_executive":{"name":"Ann","email":"ann@x.io"},
			"industry":"Retail","region":"EMEA","updated_at":"2026-11-23T10:15:00Z"}`,
		missing: "licenses",
		wrong:   fieldChange{"licenses", "50", "licenses"},
		bad:     fieldChange{"licenses", -1, "licenses"},
		long:    "name",
	},
	{
		entity: EntityContact, id: "c-1",
		valid: `{"id":"c-1","account_id":"a-1","name":"Bo","email":"bo@x.io","title":"CTO","role":"champion",
			"is_champion":true,"left_company_on":null,"last_active_on":"2026-11-20"}`,
		missing: "is_champion",
		wrong:   fieldChange{"is_champion", "yes", "is_champion"},
		bad:     fieldChange{"role", "boss", "role"},
		long:    "title",
	},
	{
		entity: EntityFeature, id: "reports",
		valid:   `{"key":"reports","name":"Reports","high_value":true}`,
		missing: "high_value",
		wrong:   fieldChange{"high_value", 1, "high_value"},
		bad:     fieldChange{"key", "", "key"},
		long:    "name",
	},
	{
		entity: EntityUsageMonth, id: "a-1/2026-11",
		valid: `{"id":"a-1/2026-11","account_id":"a-1","month":"2026-11","days":2,"dau":[1,2],"wau":[1,2],
			"mau":[1,2],"sessions":[1,2],"minutes":[5,6],"features":{"reports":[0,1]}}`,
		missing: "dau",
		wrong:   fieldChange{"dau", "1,2", "dau"},
		bad:     fieldChange{"days", 31, "days"},
	},
	{
		entity: EntityNPS, id: "p-1",
		valid:   `{"id":"p-1","account_id":"a-1","contact_id":"c-1","score":9,"comment":"great","responded_on":"2026-11-01"}`,
		missing: "score",
		wrong:   fieldChange{"score", 9.5, "score"},
		bad:     fieldChange{"score", 11, "score"},
		long:    "comment", body: true,
	},
	{
		entity: EntityPlaybook, id: "pb",
		valid: `{"key":"pb","name":"Low util","trigger":"low_utilization","description":"d",
			"steps":[{"key":"s1","title":"Review","due_days":3}]}`,
		missing: "trigger",
		wrong:   fieldChange{"steps", "s1", "steps"},
		bad:     fieldChange{"steps", []any{map[string]any{"key": "s1", "title": "t", "due_days": -1}}, "steps[0].due_days"},
		long:    "description", body: true,
	},
	{
		entity: EntityChecklist, id: "ob",
		valid:   `{"key":"ob","stage":"onboarding","name":"Onboarding","items":[{"key":"i1","title":"Kickoff","group":"Start"}]}`,
		missing: "name",
		wrong:   fieldChange{"items", map[string]any{}, "items"},
		bad:     fieldChange{"stage", "later", "stage"},
		long:    "name",
	},
	{
		entity: EntityNote, id: "n-1",
		valid: `{"id":"n-1","account_id":"a-1","kind":"call","happened_at":"2026-11-20T09:00:00Z","body":"b",
			"next_steps":["x"],"author":"Dana","created_at":"2026-11-20T09:05:00Z","revision":1,"supersedes":null}`,
		missing: "revision",
		wrong:   fieldChange{"happened_at", "yesterday", "happened_at"},
		bad:     fieldChange{"revision", 0, "revision"},
		long:    "body", body: true,
	},
	{
		entity: EntityTask, id: "t-1",
		valid: `{"id":"t-1","account_id":"a-1","note_id":"n-1","title":"Send deck","due_on":"2026-11-30",
			"done_at":null,"created_at":"2026-11-20T09:05:00Z"}`,
		missing: "title",
		wrong:   fieldChange{"due_on", 5, "due_on"},
		bad:     fieldChange{"note_id", "", "note_id"},
		long:    "title",
	},
	{
		entity: EntityChecklistItem, id: "a-1/ob/i1",
		valid:   `{"id":"a-1/ob/i1","account_id":"a-1","checklist_key":"ob","item_key":"i1","done":true,"changed_at":"2026-11-20T09:05:00Z"}`,
		missing: "done",
		wrong:   fieldChange{"done", "true", "done"},
		bad:     fieldChange{"id", "a-1/ob/i2", "id"},
	},
	{
		entity: EntityPlayRun, id: "r-1",
		valid: `{"id":"r-1","account_id":"a-1","playbook_key":"pb","started_at":"2026-11-20T09:05:00Z",
			"closed_at":null,"outcome":"won back","steps":{"s1":null,"s2":"2026-11-21T09:00:00Z"}}`,
		missing: "started_at",
		wrong:   fieldChange{"steps", []any{}, "steps"},
		bad:     fieldChange{"playbook_key", "", "playbook_key"},
		long:    "outcome",
	},
}

// editJSON returns the fixture's JSON changed by f.
func editJSON(t *testing.T, js string, f func(m map[string]any)) json.RawMessage {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	f(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func wantFieldError(t *testing.T, err error, field string) {
	t.Helper()
	var fe *model.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v, want a FieldError on %q", err, field)
	}
	if fe.Field != field {
		t.Fatalf("error names %q (%v), want %q", fe.Field, err, field)
	}
}

func TestDecodeEntity(t *testing.T) {
	for _, fx := range entityFixtures {
		t.Run(fx.entity+"/valid", func(t *testing.T) {
			v, err := DecodeEntity(fx.entity, json.RawMessage(fx.valid))
			if err != nil {
				t.Fatalf("DecodeEntity: %v", err)
			}
			if reflect.TypeOf(v).Kind() == reflect.Pointer {
				t.Fatalf("DecodeEntity gave a pointer %T", v)
			}
			if got := EntityID(fx.entity, v); got != fx.id {
				t.Fatalf("EntityID = %q, want %q", got, fx.id)
			}
		})
		t.Run(fx.entity+"/missing field", func(t *testing.T) {
			_, err := DecodeEntity(fx.entity, editJSON(t, fx.valid, func(m map[string]any) { delete(m, fx.missing) }))
			wantFieldError(t, err, fx.missing)
			if !strings.Contains(err.Error(), fx.entity) || !strings.Contains(err.Error(), `"`+fx.id+`"`) {
				t.Fatalf("error %q does not say which entity", err)
			}
		})
		t.Run(fx.entity+"/null field", func(t *testing.T) {
			_, err := DecodeEntity(fx.entity, editJSON(t, fx.valid, func(m map[string]any) { m[fx.missing] = nil }))
			wantFieldError(t, err, fx.missing)
		})
		t.Run(fx.entity+"/wrong type", func(t *testing.T) {
			_, err := DecodeEntity(fx.entity, editJSON(t, fx.valid, func(m map[string]any) { m[fx.wrong.key] = fx.wrong.value }))
			wantFieldError(t, err, fx.wrong.field)
		})
		t.Run(fx.entity+"/out of range", func(t *testing.T) {
			_, err := DecodeEntity(fx.entity, editJSON(t, fx.valid, func(m map[string]any) { m[fx.bad.key] = fx.bad.value }))
			wantFieldError(t, err, fx.bad.field)
		})
		t.Run(fx.entity+"/unknown field", func(t *testing.T) {
			want, err := DecodeEntity(fx.entity, json.RawMessage(fx.valid))
			if err != nil {
				t.Fatal(err)
			}
			got, err := DecodeEntity(fx.entity, editJSON(t, fx.valid, func(m map[string]any) {
				m["added_in_v2"] = map[string]any{"nested": []any{1, "x"}}
			}))
			if err != nil {
				t.Fatalf("unknown field rejected: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("unknown field changed the value:\n got %+v\nwant %+v", got, want)
			}
		})
		if fx.long == "" {
			continue
		}
		t.Run(fx.entity+"/over-long text", func(t *testing.T) {
			long := strings.Repeat("é", model.MaxBodyBytes) // 128 KiB, 64 Ki runes
			v, err := DecodeEntity(fx.entity, editJSON(t, fx.valid, func(m map[string]any) { m[fx.long] = long }))
			if err != nil {
				t.Fatalf("over-long text rejected: %v", err)
			}
			got := fieldOf(t, v, fx.long)
			switch {
			case !strings.HasSuffix(got, model.Ellipsis) || !utf8.ValidString(got):
				t.Fatalf("%s not cut with an ellipsis at a rune boundary", fx.long)
			case fx.body && len(got) > model.MaxBodyBytes:
				t.Fatalf("%s is %d bytes, want at most %d", fx.long, len(got), model.MaxBodyBytes)
			case !fx.body && utf8.RuneCountInString(got) != model.MaxNameChars:
				t.Fatalf("%s has %d runes, want %d", fx.long, utf8.RuneCountInString(got), model.MaxNameChars)
			}
		})
	}
}

// fieldOf reads one string field of a decoded entity by its JSON name.
func fieldOf(t *testing.T, v any, key string) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	s, _ := m[key].(string)
	return s
}

func TestDecodeEntityEdges(t *testing.T) {
	account := entityFixtures[0].valid
	playbook := entityFixtures[5].valid
	cases := []struct {
		name   string
		entity string
		data   json.RawMessage
		field  string // "" = valid
		err    string // when not a field error: part of the message
	}{
		{"unknown entity", "invoice", json.RawMessage(`{"id":"x"}`), "", "unknown entity"},
		{"data is an array", EntityAccount, json.RawMessage(`[]`), "", "not a JSON object"},
		{"data is null", EntityAccount, json.RawMessage(`null`), "", "not a JSON object"},
		{"data is garbage", EntityAccount, json.RawMessage(`{"id":`), "", "not a JSON object"},
		{"nullable field may be absent", EntityAccount,
			editJSON(t, account, func(m map[string]any) { delete(m, "onboarding_completed_on") }), "", ""},
		{"nested field missing", EntityAccount,
			editJSON(t, account, func(m map[string]any) { m["account_executive"] = map[string]any{"name": "Ann"} }), "account_executive.email", ""},
		{"nested object of wrong type", EntityAccount,
			editJSON(t, account, func(m map[string]any) { m["account_executive"] = "Ann" }), "account_executive", ""},
		{"nested field of wrong type", EntityAccount,
			editJSON(t, account, func(m map[string]any) { m["account_executive"] = map[string]any{"name": 1, "email": "e"} }), "account_executive.name", ""},
		{"bad date", EntityAccount,
			editJSON(t, account, func(m map[string]any) { m["renewal_on"] = "2027-13-01" }), "renewal_on", ""},
		{"instant without a zone", EntityAccount,
			editJSON(t, account, func(m map[string]any) { m["updated_at"] = "2026-11-23T10:15:00" }), "updated_at", ""},
		{"integer too large", EntityAccount,
			editJSON(t, account, func(m map[string]any) { m["arr_cents"] = 1e30 }), "arr_cents", ""},
		{"step field missing", EntityPlaybook,
			editJSON(t, playbook, func(m map[string]any) { m["steps"] = []any{map[string]any{"key": "s1", "title": "t"}} }), "steps[0].due_days", ""},
		{"step of wrong type", EntityPlaybook,
			editJSON(t, playbook, func(m map[string]any) { m["steps"] = []any{"s1"} }), "steps[0]", ""},
		{"empty list as null", EntityPlaybook,
			editJSON(t, playbook, func(m map[string]any) { m["steps"] = nil }), "", ""},
		{"long id", EntityAccount,
			editJSON(t, account, func(m map[string]any) { m["id"] = strings.Repeat("x", 65) }), "id", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeEntity(c.entity, c.data)
			switch {
			case c.field != "":
				wantFieldError(t, err, c.field)
			case c.err != "":
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one saying %q", err, c.err)
				}
			case err != nil:
				t.Fatalf("DecodeEntity: %v", err)
			}
		})
	}
}

func TestEntityIDWrongEntity(t *testing.T) {
	cases := []struct {
		name   string
		entity string
		v      any
	}{
		{"account as note", EntityNote, model.Account{ID: "a-1"}},
		{"pointer", EntityAccount, &model.Account{ID: "a-1"}},
		{"not an entity", EntityAccount, "a-1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := EntityID(c.entity, c.v); got != "" {
				t.Fatalf("EntityID = %q, want empty", got)
			}
		})
	}
}
