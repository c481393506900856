package model

import "testing"

func champion(id, name string, leftOn *Date) Contact {
	return Contact{ID: id, Name: name, Role: RoleChampion, IsChampion: true, LeftCompanyOn: leftOn}
}

func TestChampionStatus(t *testing.T) {
	tests := []struct {
		name         string
		contacts     []Contact
		want         string
		wantActive   string
		wantLeftName string
	}{
		{"no contacts", nil, ChampionNone, "", ""},
		{"no one marked champion", []Contact{{ID: "c1", Name: "Ana", Role: RoleUser}}, ChampionNone, "", ""},
		{"a champion who left before T is not one", []Contact{{ID: "c1", Name: "Ana", Role: RoleUser, LeftCompanyOn: metricPtr(fxT - 5)}}, ChampionNone, "", ""},
		{"an active champion", []Contact{champion("c1", "Ana", nil)}, ChampionActive, "Ana", ""},
		{"champion left", []Contact{champion("c1", "Ana", metricPtr(fxT-10))}, ChampionLeft, "", "Ana"},
		{"champion left on T", []Contact{champion("c1", "Ana", metricPtr(fxT))}, ChampionLeft, "", "Ana"},
		{"champion leaves after T", []Contact{champion("c1", "Ana", metricPtr(fxT+1))}, ChampionActive, "Ana", ""},
		{
			"champion left and replaced",
			[]Contact{champion("c1", "Ana", metricPtr(fxT-10)), champion("c2", "Bo", nil)},
			ChampionActive, "Bo", "Ana",
		},
		{
			"two left: the latest is named",
			[]Contact{champion("c1", "Ana", metricPtr(fxT-10)), champion("c2", "Bo", metricPtr(fxT-3))},
			ChampionLeft, "", "Bo",
		},
		{
			"two active: the smaller id is named",
			[]Contact{champion("c9", "Zoe", nil), champion("c10", "Al", nil)},
			ChampionActive, "Al", "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ComputeRelationship(tt.contacts, nil, fxT)
			if r.Champion != tt.want || r.ChampionName != tt.wantActive || r.ChampionLeftName != tt.wantLeftName {
				t.Errorf("got %q (active %q, left %q), want %q (active %q, left %q)",
					r.Champion, r.ChampionName, r.ChampionLeftName, tt.want, tt.wantActive, tt.wantLeftName)
			}
		})
	}
}

func TestLatestNPS(t *testing.T) {
	answer := func(id string, score int, on Date) NPSResponse {
		return NPSResponse{ID: id, Score: score, RespondedOn: on}
	}
	tests := []struct {
		name    string
		answers []NPSResponse
		want    *int
	}{
		{"none", nil, nil},
		{"one", []NPSResponse{answer("n1", 8, fxT-10)}, metricPtr(8)},
		{"latest wins over an older one", []NPSResponse{answer("n1", 9, fxT-100), answer("n2", 3, fxT-10)}, metricPtr(3)},
		{"latest wins whatever the order", []NPSResponse{answer("n2", 3, fxT-10), answer("n1", 9, fxT-100)}, metricPtr(3)},
		{"an answer on T counts", []NPSResponse{answer("n1", 9, fxT-100), answer("n2", 4, fxT)}, metricPtr(4)},
		{"an answer after T does not yet", []NPSResponse{answer("n1", 9, fxT-100), answer("n2", 4, fxT+1)}, metricPtr(9)},
		{"same day: the larger id", []NPSResponse{answer("n2", 5, fxT-1), answer("n1", 9, fxT-1)}, metricPtr(5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ComputeRelationship(nil, tt.answers, fxT)
			if optional(r.NPS) != optional(tt.want) {
				t.Errorf("latest NPS = %s, want %s", optional(r.NPS), optional(tt.want))
			}
		})
	}
}
