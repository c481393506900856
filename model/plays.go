package model

import "slices"

// SuggestPlays returns the keys of the playbooks whose trigger is one of
// keys, in the order of playbooks, each once. Keys are an account's segments
// and alerts: API.md names a segment key as the trigger, and accepting an
// alert key too lets a team write a play for a crisis. Manual playbooks are
// never suggested.
func SuggestPlays(keys []string, playbooks []Playbook) []string {
	out := []string{}
	for _, p := range playbooks {
		if p.Trigger == TriggerManual || !slices.Contains(keys, p.Trigger) {
			continue
		}
		if !slices.Contains(out, p.Key) {
			out = append(out, p.Key)
		}
	}
	return out
}

// playbooksFor returns the playbooks SuggestPlays would pick for keys.
func playbooksFor(keys []string, playbooks []Playbook) []Playbook {
	var out []Playbook
	for _, key := range SuggestPlays(keys, playbooks) {
		i := slices.IndexFunc(playbooks, func(p Playbook) bool { return p.Key == key })
		out = append(out, playbooks[i])
	}
	return out
}
