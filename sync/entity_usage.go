package sync

import (
	"encoding/json"
	"errors"
	"fmt"

	"csm/model"
)

// usageShadow mirrors model.UsageMonth with pointers, so one pass of the
// decoder both reads the values and tells an absent field from a zero one.
// Usage months are nine in ten changes of a full sync; the generic decoder
// parses each twice (once into a map to check presence), this one once.
type usageShadow struct {
	ID        *string          `json:"id"`
	AccountID *string          `json:"account_id"`
	Month     *string          `json:"month"`
	Days      *int             `json:"days"`
	DAU       *[]int           `json:"dau"`
	WAU       *[]int           `json:"wau"`
	MAU       *[]int           `json:"mau"`
	Sessions  *[]int           `json:"sessions"`
	Minutes   *[]int           `json:"minutes"`
	Features  map[string][]int `json:"features"`
}

func decodeUsageMonth(data json.RawMessage) (any, error) {
	u, err := readUsageShadow(data)
	if err != nil {
		return nil, fmt.Errorf("invalid %s%s: %w", EntityUsageMonth, idForError(data), err)
	}
	return u, nil
}

func readUsageShadow(data json.RawMessage) (model.UsageMonth, error) {
	var s usageShadow
	if err := json.Unmarshal(data, &s); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return model.UsageMonth{}, &model.FieldError{Field: te.Field, Problem: "must be " + jsonKind(te.Type.String())}
		}
		return model.UsageMonth{}, err
	}
	for _, f := range []struct {
		name    string
		present bool
	}{
		{"id", s.ID != nil}, {"account_id", s.AccountID != nil}, {"month", s.Month != nil}, {"days", s.Days != nil},
		{"dau", s.DAU != nil}, {"wau", s.WAU != nil}, {"mau", s.MAU != nil},
		{"sessions", s.Sessions != nil}, {"minutes", s.Minutes != nil},
	} {
		if !f.present {
			return model.UsageMonth{}, &model.FieldError{Field: f.name, Problem: "is required"}
		}
	}
	u := model.UsageMonth{
		ID: *s.ID, AccountID: *s.AccountID, Month: *s.Month, Days: *s.Days,
		DAU: *s.DAU, WAU: *s.WAU, MAU: *s.MAU, Sessions: *s.Sessions, Minutes: *s.Minutes, Features: s.Features,
	}
	if err := u.Validate(); err != nil {
		return model.UsageMonth{}, err
	}
	u.CutLongText()
	return u, nil
}
