package model

import "strings"

// A note written as text, as in csm note's editor or --file: the body, and
// next steps on lines of their own that start with "- [ ]", "* [ ]" or
// "next:" and may end in "due" and a date word. Lines starting with # are
// comments.

// NextStep is a next step typed with a note: what to do, and by when.
type NextStep struct {
	Title string
	DueOn *Date
}

// ParseNoteText splits what the CSM wrote into the body and the next
// steps; today resolves the date words of due days (ParseDateWord).
func ParseNoteText(text string, today Date) (body string, steps []NextStep) {
	var lines []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") {
			continue
		}
		if rest, ok := stepLine(trimmed); ok {
			if s, ok := parseStep(rest, today); ok {
				steps = append(steps, s)
			}
			continue
		}
		lines = append(lines, line)
	}
	return strings.TrimSpace(strings.Join(lines, "\n")), steps
}

// stepLine says whether a line is a next step and returns its text.
func stepLine(line string) (string, bool) {
	for _, p := range []string{"- [ ]", "* [ ]", "next:"} {
		if len(line) >= len(p) && strings.EqualFold(line[:len(p)], p) {
			return strings.TrimSpace(line[len(p):]), true
		}
	}
	return "", false
}

// parseStep reads "title [due WORD]". A date that does not parse stays in
// the title, where the CSM will see it, rather than be lost.
func parseStep(s string, today Date) (NextStep, bool) {
	fields := strings.Fields(s)
	if n := len(fields); n >= 3 && strings.EqualFold(fields[n-2], "due") {
		if d, err := ParseDateWord(fields[n-1], today); err == nil {
			return NextStep{Title: strings.Join(fields[:n-2], " "), DueOn: &d}, true
		}
	}
	if s == "" {
		return NextStep{}, false
	}
	return NextStep{Title: s}, true
}
