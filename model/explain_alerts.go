package model

import (
	"slices"
	"strings"
)

// AlertNote is the short text of one alert: what happened, the figures
// behind it and the play to run.
type AlertNote struct {
	Key     string `json:"key"`
	Title   string `json:"title"`
	What    string `json:"what"`
	Figures string `json:"figures"`
	Play    string `json:"play"`
	// Playbooks are the keys of the playbooks behind Play, if any.
	Playbooks []string `json:"playbooks"`
}

// DescribeAlert writes the note of an alert raised for an account. The play
// names the team's playbooks triggered by the alert or by the segments that
// caused it and that hold (so they are among SuggestPlays' answer); without such a playbook it gives plain advice.
func DescribeAlert(key string, m *AccountMetrics, th Thresholds, playbooks []Playbook) AlertNote {
	n := AlertNote{Key: key, Title: Label(key), Figures: Explain(key, m, th, 0), Playbooks: []string{}}
	var advice string
	causes := []string{key}
	switch key {
	case AlertRelationshipChange:
		n.What = "Low engagement right after a handoff: the team is not using what it just bought."
		advice = "Call the key contact, confirm the goals agreed at the handoff and plan training."
		causes = append(causes, SegmentLowEngagement, SegmentLowUtilization)
	case AlertCrisis:
		var what []string
		if crisisByDrop(m, th) {
			what = append(what, "Usage dropped sharply after a strong period.")
			causes = append(causes, SegmentSignificantDrop)
		}
		if m.Champion == ChampionLeft {
			what = append(what, "The champion left the company.")
			causes = append(causes, SegmentChampionLeft)
		}
		n.What = strings.Join(what, " ")
		advice = "Call the key contact now to learn what changed (a champion gone or promoted, a new strategy, a lack of capacity) and re-establish the relationship."
	case AlertSurprise:
		n.What = "A positive jump in usage: a moment to celebrate with the customer."
		advice = "Congratulate the team, share the progress with the champion and explore expansion."
		causes = append(causes, SegmentGrowing)
	}
	// Only the segments the account is in: a playbook of a segment that
	// does not hold is not among the account's suggested plays.
	causes = slices.DeleteFunc(causes, func(k string) bool { return k != key && !slices.Contains(m.Segments, k) })
	var names []string
	for _, p := range playbooksFor(causes, playbooks) {
		n.Playbooks = append(n.Playbooks, p.Key)
		names = append(names, p.Name)
	}
	switch len(names) {
	case 0:
		n.Play = advice
	case 1:
		n.Play = "Suggested play: " + names[0] + "."
	default:
		n.Play = "Suggested plays: " + strings.Join(names, "; ") + "."
	}
	return n
}
