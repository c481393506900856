package model

// Entity kinds: what each record of the book is called in the change feed
// (docs/API.md), in the outbox of local changes and in the store.
const (
	EntityAccount       = "account"
	EntityContact       = "contact"
	EntityFeature       = "feature"
	EntityUsageMonth    = "usage_month"
	EntityNPS           = "nps"
	EntityPlaybook      = "playbook"
	EntityChecklist     = "checklist"
	EntityNote          = "note"
	EntityTask          = "task"
	EntityChecklistItem = "checklist_item"
	EntityPlayRun       = "play_run"
	EntitySnooze        = "snooze"
)
