package data

import (
	"reflect"
	"testing"

	"csm/model"
)

func TestPackUsageRoundTrip(t *testing.T) {
	tests := []model.UsageMonth{
		{Days: 0, DAU: []int{}, WAU: []int{}, MAU: []int{}, Sessions: []int{}, Minutes: []int{}},
		{Days: 2, DAU: []int{1, 300}, WAU: []int{1, 300}, MAU: []int{5, 2000}, Sessions: []int{0, 7}, Minutes: []int{0, 100000},
			Features: map[string][]int{"reports": {0, 3}, "api": {1, 1}}},
	}
	for _, u := range tests {
		var got model.UsageMonth
		if err := unpackUsage(packUsage(u), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.DAU, u.DAU) || !reflect.DeepEqual(got.MAU, u.MAU) || !reflect.DeepEqual(got.Minutes, u.Minutes) ||
			got.Days != u.Days || len(got.Features) != len(u.Features) || !reflect.DeepEqual(got.Features["reports"], u.Features["reports"]) {
			t.Fatalf("round trip of %+v gave %+v", u, got)
		}
	}
	var u model.UsageMonth
	if err := unpackUsage([]byte{5, 200}, &u); err == nil {
		t.Fatal("a truncated pack decoded without error")
	}
}
