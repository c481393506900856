package sync

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"csm/model"
)

// usageShadow mirrors model.UsageMonth with pointers, so one pass of the
// decoder both reads the values and tells an absent field from a zero one.
// Usage months are nine in ten changes of a full sync; the generic decoder
// parses each twice (once into a map to check presence), this one once.
type usageShadow struct {
	ID        *string            `json:"id"`
	AccountID *string            `json:"account_id"`
	Month     *string            `json:"month"`
	Days      *int               `json:"days"`
	DAU       *intList           `json:"dau"`
	WAU       *intList           `json:"wau"`
	MAU       *intList           `json:"mau"`
	Sessions  *intList           `json:"sessions"`
	Minutes   *intList           `json:"minutes"`
	Features  map[string]intList `json:"features"`
}

// intList reads a JSON array of integers by hand: a year of usage is
// millions of small numbers, and encoding/json's reflection per element was
// the largest part of decoding a full sync.
type intList []int

func (l *intList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
		return errNotIntArray
	}
	body := bytes.TrimSpace(b[1 : len(b)-1])
	out := make([]int, 0, 31)
	for len(body) > 0 {
		end := bytes.IndexByte(body, ',')
		if end < 0 {
			end = len(body)
		}
		n, err := strconv.Atoi(string(bytes.TrimSpace(body[:end])))
		if err != nil {
			return errNotIntArray
		}
		out = append(out, n)
		if end == len(body) {
			break
		}
		body = body[end+1:]
		if len(bytes.TrimSpace(body)) == 0 {
			return errNotIntArray // a trailing comma
		}
	}
	*l = out
	return nil
}

var errNotIntArray = errors.New("must be an array of integers")

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
		if errors.Is(err, errNotIntArray) {
			// The fast reader cannot say which column; the plain decoder,
			// run only on this rare path, can.
			var plain model.UsageMonth
			if err := json.Unmarshal(data, &plain); errors.As(err, &te) && te.Field != "" {
				return model.UsageMonth{}, &model.FieldError{Field: te.Field, Problem: "must be " + jsonKind(te.Type.String())}
			}
			return model.UsageMonth{}, &model.FieldError{Field: "usage columns", Problem: errNotIntArray.Error()}
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
		DAU: *s.DAU, WAU: *s.WAU, MAU: *s.MAU, Sessions: *s.Sessions, Minutes: *s.Minutes,
	}
	if s.Features != nil {
		u.Features = make(map[string][]int, len(s.Features))
		for k, v := range s.Features {
			u.Features[k] = v
		}
	}
	if err := u.Validate(); err != nil {
		return model.UsageMonth{}, err
	}
	u.CutLongText()
	return u, nil
}
