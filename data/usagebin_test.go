package data

import (
	"context"
	"reflect"
	"testing"

	"csm/model"
)

func TestPackUsageRoundTrip(t *testing.T) {
	tests := []model.UsageMonth{
		{Days: 0, DAU: []int{}, WAU: []int{}, MAU: []int{}, Sessions: []int{}, Minutes: []int{}},
		{Days: 1, DAU: []int{1}, WAU: []int{1}, MAU: []int{1}, Sessions: []int{1}, Minutes: []int{1}, Features: map[string][]int{}},
		{Days: 2, DAU: []int{1, 300}, WAU: []int{1, 300}, MAU: []int{5, 2000}, Sessions: []int{0, 7}, Minutes: []int{0, 100000},
			Features: map[string][]int{"reports": {0, 3}, "api": {1, 1}}},
	}
	for _, u := range tests {
		var got model.UsageMonth
		if err := unpackUsage(packUsage(u), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.DAU, u.DAU) || !reflect.DeepEqual(got.MAU, u.MAU) || !reflect.DeepEqual(got.Minutes, u.Minutes) ||
			got.Days != u.Days || !reflect.DeepEqual(got.Features, u.Features) {
			t.Fatalf("round trip of %+v gave %+v", u, got)
		}
	}
	var u model.UsageMonth
	if err := unpackUsage([]byte{5, 200}, &u); err == nil {
		t.Fatal("a truncated pack decoded without error")
	}
}

// A usage month written before the packed column (JSON in data, no bin)
// reads back like a new one.
func TestReadUsageFromOldJSONRows(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if _, err := s.ApplyPage(ctx, Page{Changes: []Change{upsert("account", acct("a1", "Acme"), "a1")}, NextCursor: "c", Last: true}); err != nil {
		t.Fatal(err)
	}
	old := `{"id":"a1/2026-11","account_id":"a1","month":"2026-11","days":2,"dau":[1,2],"wau":[1,2],"mau":[3,4],"sessions":[1,1],"minutes":[5,6],"features":{"api":[0,1]}}`
	if _, err := s.DB().Exec(`INSERT INTO usage_months (id, account_id, month, data, gen) VALUES ('a1/2026-11', 'a1', '2026-11', ?, 1)`, old); err != nil {
		t.Fatal(err)
	}
	d, err := s.AccountDetail(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Usage) != 1 || !reflect.DeepEqual(d.Usage[0].MAU, []int{3, 4}) || !reflect.DeepEqual(d.Usage[0].Features["api"], []int{0, 1}) {
		t.Fatalf("old row read as %+v", d.Usage)
	}
}
