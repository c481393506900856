package sync

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"csm/model"
)

// ErrUnknownEntity is wrapped by DecodeEntity for an entity name docs/API.md does
// not define.
var ErrUnknownEntity = errors.New("unknown entity")

// requiredFields lists, per entity, the JSON fields that must be present and
// not null: encoding/json alone cannot tell an absent "licenses" from 0.
// "a.b" is field b of object a; "a[].b" is field b of every element of array
// a; a "|null" suffix means present but possibly null (an empty list sent as
// null). Fields docs/API.md marks "or null" are optional: absent reads as null.
var requiredFields = map[string][]string{
	EntityAccount: {"id", "name", "tier", "stage", "licenses", "arr_cents", "currency",
		"purchased_on", "onboarding_started_on", "renewal_on",
		"account_executive", "account_executive.name", "account_executive.email",
		"industry", "region", "updated_at"},
	EntityContact:    {"id", "account_id", "name", "email", "title", "role", "is_champion"},
	EntityFeature:    {"key", "name", "high_value"},
	EntityUsageMonth: {"id", "account_id", "month", "days", "dau", "wau", "mau", "sessions", "minutes", "features|null"},
	EntityNPS:        {"id", "account_id", "contact_id", "score", "comment", "responded_on"},
	EntityPlaybook: {"key", "name", "trigger", "description", "steps|null",
		"steps|null[].key", "steps|null[].title", "steps|null[].due_days"},
	EntityChecklist: {"key", "stage", "name", "items|null",
		"items|null[].key", "items|null[].title", "items|null[].group"},
	EntityNote:          {"id", "account_id", "kind", "happened_at", "body", "next_steps|null", "author", "created_at", "revision"},
	EntityTask:          {"id", "account_id", "title", "created_at"},
	EntityChecklistItem: {"id", "account_id", "checklist_key", "item_key", "done", "changed_at"},
	EntityPlayRun:       {"id", "account_id", "playbook_key", "started_at", "steps|null"},
	EntitySnooze:        {"id", "account_id", "key", "until|null", "changed_at"},
}

// decoders turn the data of each entity into its model value.
var entityDecoders = map[string]func(json.RawMessage) (any, error){
	EntityAccount:       decodeAs[model.Account](EntityAccount),
	EntityContact:       decodeAs[model.Contact](EntityContact),
	EntityFeature:       decodeAs[model.Feature](EntityFeature),
	EntityUsageMonth:    decodeUsageMonth,
	EntityNPS:           decodeAs[model.NPSResponse](EntityNPS),
	EntityPlaybook:      decodeAs[model.Playbook](EntityPlaybook),
	EntityChecklist:     decodeAs[model.Checklist](EntityChecklist),
	EntityNote:          decodeAs[model.Note](EntityNote),
	EntityTask:          decodeAs[model.Task](EntityTask),
	EntityChecklistItem: decodeAs[model.ChecklistItem](EntityChecklistItem),
	EntityPlayRun:       decodeAs[model.PlayRun](EntityPlayRun),
	EntitySnooze:        decodeAs[model.Snooze](EntitySnooze),
}

// DecodeEntity reads the data of an upsert into the model value of the
// entity (model.Account for "account", and so on; never a pointer). It
// ignores unknown fields, rejects absent or null required fields, wrong types
// and out-of-range values with an error that names the field, and cuts
// over-long text for storage.
func DecodeEntity(entity string, data json.RawMessage) (any, error) {
	decode, ok := entityDecoders[entity]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownEntity, entity)
	}
	return decode(data)
}

// EntityID returns the feed id of v, a model value of entity: its id, or its
// key for features, playbooks and checklists. It returns "" when v is not a
// value of that entity.
func EntityID(entity string, v any) string {
	var id, want string
	switch x := v.(type) {
	case model.Account:
		id, want = x.ID, EntityAccount
	case model.Contact:
		id, want = x.ID, EntityContact
	case model.Feature:
		id, want = x.Key, EntityFeature
	case model.UsageMonth:
		id, want = x.ID, EntityUsageMonth
	case model.NPSResponse:
		id, want = x.ID, EntityNPS
	case model.Playbook:
		id, want = x.Key, EntityPlaybook
	case model.Checklist:
		id, want = x.Key, EntityChecklist
	case model.Note:
		id, want = x.ID, EntityNote
	case model.Task:
		id, want = x.ID, EntityTask
	case model.ChecklistItem:
		id, want = x.ID, EntityChecklistItem
	case model.PlayRun:
		id, want = x.ID, EntityPlayRun
	case model.Snooze:
		id, want = x.ID, EntitySnooze
	}
	if entity != want {
		return ""
	}
	return id
}

// checkable is what decodeChecked needs of *T: model entities and mutation
// data both have it.
type checkable[T any] interface {
	*T
	Validate() error
	CutLongText()
}

func decodeAs[T any, P checkable[T]](entity string) func(json.RawMessage) (any, error) {
	required := requiredFields[entity]
	return func(data json.RawMessage) (any, error) {
		v, err := decodeChecked[T, P](data, required)
		if err != nil {
			return nil, fmt.Errorf("invalid %s%s: %w", entity, idForError(data), err)
		}
		return v, nil
	}
}

// decodeChecked decodes data into a T: required fields, then types, then
// ranges; then it cuts over-long text.
func decodeChecked[T any, P checkable[T]](data json.RawMessage, required []string) (T, error) {
	var v T
	obj, err := jsonObject(data)
	if err != nil {
		return v, err
	}
	for _, path := range required {
		if err := checkPresent(obj, path, ""); err != nil {
			return v, err
		}
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return v, blameField[T](obj, err)
	}
	if err := P(&v).Validate(); err != nil {
		return v, err
	}
	P(&v).CutLongText()
	return v, nil
}

func jsonObject(data json.RawMessage) (map[string]json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil || obj == nil {
		return nil, errors.New("data is not a JSON object")
	}
	return obj, nil
}

// checkPresent follows one path of requiredFields through obj; prefix is the
// path walked so far, for the error.
func checkPresent(obj map[string]json.RawMessage, path, prefix string) error {
	head, rest, nested := strings.Cut(path, ".")
	head, each := strings.CutSuffix(head, "[]")
	name, nullable := strings.CutSuffix(head, "|null")
	field := prefix + name
	raw, ok := obj[name]
	if !ok {
		return &model.FieldError{Field: field, Problem: "is missing"}
	}
	if isJSONNull(raw) {
		if nullable {
			return nil
		}
		return &model.FieldError{Field: field, Problem: "is null"}
	}
	if !nested {
		return nil
	}
	if !each {
		inner, err := jsonObject(raw)
		if err != nil {
			return &model.FieldError{Field: field, Problem: "is not an object"}
		}
		return checkPresent(inner, rest, field+".")
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		return &model.FieldError{Field: field, Problem: "is not an array"}
	}
	for i, el := range elems {
		inner, err := jsonObject(el)
		elemField := fmt.Sprintf("%s[%d]", field, i)
		if err != nil {
			return &model.FieldError{Field: elemField, Problem: "is not an object"}
		}
		if err := checkPresent(inner, rest, elemField+"."); err != nil {
			return err
		}
	}
	return nil
}

func isJSONNull(raw json.RawMessage) bool {
	return strings.TrimSpace(string(raw)) == "null"
}

// blameField turns an unmarshal error into a FieldError. encoding/json names
// the field of a type mismatch itself, unless a worse error (a bad date, a
// bad instant) came along; then each field is decoded alone to find the one
// at fault.
func blameField[T any](obj map[string]json.RawMessage, err error) error {
	if fe := typeMismatch(err); fe != nil {
		return fe
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		one, _ := json.Marshal(map[string]json.RawMessage{k: obj[k]})
		var v T
		if ferr := json.Unmarshal(one, &v); ferr != nil {
			if fe := typeMismatch(ferr); fe != nil {
				return fe
			}
			return &model.FieldError{Field: k, Problem: ferr.Error()}
		}
	}
	return err
}

func typeMismatch(err error) *model.FieldError {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) || te.Field == "" {
		return nil
	}
	return &model.FieldError{Field: te.Field, Problem: fmt.Sprintf("is a JSON %s, want %s", te.Value, jsonKind(te.Type.String()))}
}

// jsonKind says in JSON words what a Go type wants.
func jsonKind(goType string) string {
	switch {
	case goType == "string":
		return "a string"
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"):
		return "an integer in range"
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case strings.HasPrefix(goType, "map["):
		return "an object"
	default:
		return goType
	}
}

// idForError names the entity in an error when its data says who it is.
func idForError(data json.RawMessage) string {
	var ids struct {
		ID  any `json:"id"`
		Key any `json:"key"`
	}
	if json.Unmarshal(data, &ids) != nil {
		return ""
	}
	for _, v := range []any{ids.ID, ids.Key} {
		if s, ok := v.(string); ok && s != "" {
			return fmt.Sprintf(" %q", model.CutChars(s, model.MaxIDBytes))
		}
	}
	return ""
}
