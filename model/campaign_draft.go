package model

import (
	"regexp"
	"slices"
)

// A campaign draft the CSM edited before copying it is checked again: no
// placeholder ever leaves csm, whether the template left it or the CSM
// typed it back.

// draftPlaceholder is a merge field as a template writes it ({{name}}) or
// as FillTemplate leaves one without a value ([missing: name]), closed or
// not.
var draftPlaceholder = regexp.MustCompile(`\[missing:[^\]\n]*\]?|\{\{[^}\n]*(?:\}\})?`)

// DraftPlaceholders lists the placeholders left in a draft, each once, in
// the order they appear; none means the draft may leave csm.
func DraftPlaceholders(text string) []string {
	var out []string
	for _, p := range draftPlaceholder.FindAllString(text, -1) {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
