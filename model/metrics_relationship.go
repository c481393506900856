package model

// Champion states of an account as of T.
const (
	ChampionActive = "active" // some champion is still at the customer
	ChampionLeft   = "left"   // every champion has left
	ChampionNone   = "none"   // no contact was ever marked champion
)

// Relationship is what the contacts and NPS answers say about an account as
// of T. Facts dated after T are ignored, like usage after T would be: a
// champion leaving after T is still active, an NPS answer after T is not yet
// the latest.
type Relationship struct {
	// NPS is the score of the latest answer on or before T; nil if none.
	NPS   *int  `json:"nps"`
	NPSOn *Date `json:"nps_on"`

	// Champion is ChampionActive, ChampionLeft or ChampionNone.
	Champion string `json:"champion"`
	// ChampionName names an active champion (the smallest id if several).
	ChampionName string `json:"champion_name,omitempty"`
	// ChampionLeftName and ChampionLeftOn name the champion who left last.
	ChampionLeftName string `json:"champion_left_name,omitempty"`
	ChampionLeftOn   *Date  `json:"champion_left_on"`
}

// ComputeRelationship reads an account's contacts and NPS answers as of t.
func ComputeRelationship(contacts []Contact, nps []NPSResponse, t Date) Relationship {
	r := Relationship{Champion: ChampionNone}
	r.NPS, r.NPSOn = latestNPS(nps, t)

	var active, left *Contact
	for i := range contacts {
		c := &contacts[i]
		if !c.IsChampion {
			continue
		}
		if c.LeftCompanyOn == nil || *c.LeftCompanyOn > t {
			if active == nil || c.ID < active.ID {
				active = c
			}
			continue
		}
		if left == nil || *c.LeftCompanyOn > *left.LeftCompanyOn ||
			(*c.LeftCompanyOn == *left.LeftCompanyOn && c.ID < left.ID) {
			left = c
		}
	}
	if left != nil {
		r.Champion = ChampionLeft
		r.ChampionLeftName = left.Name
		r.ChampionLeftOn = metricPtr(*left.LeftCompanyOn)
	}
	if active != nil {
		r.Champion = ChampionActive
		r.ChampionName = active.Name
	}
	return r
}

// ChangesFigures says whether a contact going from before to after (a zero
// before: a new contact) can move its account's figures. They read only
// champions (ComputeRelationship): who is one, when they left, their name.
// A change to anyone else's record moves nothing, and needs no recompute.
func ChangesFigures(before, after Contact) bool {
	if !before.IsChampion && !after.IsChampion {
		return false
	}
	return before.IsChampion != after.IsChampion || before.Name != after.Name ||
		!sameDay(before.LeftCompanyOn, after.LeftCompanyOn)
}

func sameDay(a, b *Date) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// latestNPS returns the score and day of the newest answer on or before t.
// Answers of the same day are ordered by id and the larger wins, so the
// choice does not depend on the order the store returns them in.
func latestNPS(nps []NPSResponse, t Date) (*int, *Date) {
	var latest *NPSResponse
	for i := range nps {
		n := &nps[i]
		if n.RespondedOn > t {
			continue
		}
		if latest == nil || n.RespondedOn > latest.RespondedOn ||
			(n.RespondedOn == latest.RespondedOn && n.ID > latest.ID) {
			latest = n
		}
	}
	if latest == nil {
		return nil, nil
	}
	return metricPtr(latest.Score), metricPtr(latest.RespondedOn)
}
