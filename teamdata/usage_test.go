package teamdata

import (
	"encoding/json"
	"reflect"
	"testing"

	"csm/model"
)

func day(date string, dau int, feats ...int) usageDay {
	d, err := model.ParseDate(date)
	if err != nil {
		panic(err)
	}
	return usageDay{accountID: "a1", date: d, dau: dau, wau: dau + 1, mau: dau + 2, sessions: dau * 2, minutes: dau * 10,
		featureKeys: []string{"reports", "api"}[:len(feats)], features: feats}
}

func TestFoldDays(t *testing.T) {
	stored := model.UsageMonth{ID: "a1/2026-11", AccountID: "a1", Month: "2026-11", Days: 3,
		DAU: []int{1, 2, 3}, WAU: []int{2, 3, 4}, MAU: []int{3, 4, 5}, Sessions: []int{2, 4, 6}, Minutes: []int{10, 20, 30},
		Features: map[string][]int{"api": {7, 7, 7}}}
	cases := []struct {
		name string
		base *model.UsageMonth
		days []usageDay
		want model.UsageMonth
	}{
		{
			name: "out of order, with a gap: days run to the last one given, the gap is zeros",
			days: []usageDay{day("2026-11-04", 4), day("2026-11-02", 2)},
			want: model.UsageMonth{ID: "a1/2026-11", AccountID: "a1", Month: "2026-11", Days: 4,
				DAU: []int{0, 2, 0, 4}, WAU: []int{0, 3, 0, 5}, MAU: []int{0, 4, 0, 6}, Sessions: []int{0, 4, 0, 8}, Minutes: []int{0, 20, 0, 40},
				Features: map[string][]int{}},
		},
		{
			name: "a later import appends days to the stored month",
			base: &stored,
			days: []usageDay{day("2026-11-05", 5)},
			want: model.UsageMonth{ID: "a1/2026-11", AccountID: "a1", Month: "2026-11", Days: 5,
				DAU: []int{1, 2, 3, 0, 5}, WAU: []int{2, 3, 4, 0, 6}, MAU: []int{3, 4, 5, 0, 7}, Sessions: []int{2, 4, 6, 0, 10}, Minutes: []int{10, 20, 30, 0, 50},
				Features: map[string][]int{"api": {7, 7, 7, 0, 0}}},
		},
		{
			name: "a day given again replaces that day whole, features too; days never shrink",
			base: &stored,
			days: []usageDay{day("2026-11-02", 9, 4)},
			want: model.UsageMonth{ID: "a1/2026-11", AccountID: "a1", Month: "2026-11", Days: 3,
				DAU: []int{1, 9, 3}, WAU: []int{2, 10, 4}, MAU: []int{3, 11, 5}, Sessions: []int{2, 18, 6}, Minutes: []int{10, 90, 30},
				Features: map[string][]int{"api": {7, 0, 7}, "reports": {0, 4, 0}}},
		},
		{
			name: "an empty feature cell is no use that day, and adds no feature to the month",
			days: []usageDay{day("2026-11-01", 1, -1, 3)},
			want: model.UsageMonth{ID: "a1/2026-11", AccountID: "a1", Month: "2026-11", Days: 1,
				DAU: []int{1}, WAU: []int{2}, MAU: []int{3}, Sessions: []int{2}, Minutes: []int{10},
				Features: map[string][]int{"api": {3}}},
		},
		{
			name: "the last day of a long month",
			days: []usageDay{day("2026-12-31", 1)},
			want: func() model.UsageMonth {
				m := model.UsageMonth{ID: "a1/2026-12", AccountID: "a1", Month: "2026-12", Days: 31,
					DAU: make([]int, 31), WAU: make([]int, 31), MAU: make([]int, 31), Sessions: make([]int, 31), Minutes: make([]int, 31),
					Features: map[string][]int{}}
				m.DAU[30], m.WAU[30], m.MAU[30], m.Sessions[30], m.Minutes[30] = 1, 2, 3, 2, 10
				return m
			}(),
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var keep []byte
			if c.base != nil {
				keep, _ = json.Marshal(c.base)
			}
			got := foldDays(c.base, "a1", c.want.Month, c.days)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("the folded month is invalid: %v", err)
			}
			if c.base != nil {
				if again, _ := json.Marshal(c.base); string(again) != string(keep) {
					t.Error("folding changed the stored month it started from")
				}
			}
		})
	}
}
