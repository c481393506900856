package model

import (
	"cmp"
	"slices"
)

// OpenTasks returns the follow-ups not done, soonest due first and those
// without a due day last (ties by id, so the order is stable), and how many
// are done.
func OpenTasks(tasks []Task) (open []Task, done int) {
	for _, t := range tasks {
		if t.DoneAt == nil {
			open = append(open, t)
		} else {
			done++
		}
	}
	slices.SortFunc(open, func(x, y Task) int {
		return cmp.Or(CompareDefined(x.DueOn, y.DueOn), cmp.Compare(x.ID, y.ID))
	})
	return open, done
}
