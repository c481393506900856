package model

import "time"

// The entities below mirror docs/API.md field for field; their JSON tags are the
// wire names, so the feed decodes straight into them and the reference server
// encodes them unchanged.

// Tiers of service.
const (
	TierHighTouch = "high_touch"
	TierMidTouch  = "mid_touch"
	TierTechTouch = "tech_touch"
)

// Lifecycle stages, in order.
const (
	StageOnboarding = "onboarding"
	StageAdoption   = "adoption"
	StageOngoing    = "ongoing"
	StageRenewal    = "renewal"
)

// Stages lists the lifecycle stages in order.
var Stages = []string{StageOnboarding, StageAdoption, StageOngoing, StageRenewal}

// Tiers lists the tiers of service.
var Tiers = []string{TierHighTouch, TierMidTouch, TierTechTouch}

// CSM is the customer success manager who owns a book.
type CSM struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Person names someone outside the book, such as the account executive.
type Person struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Account is one customer.
type Account struct {
	ID                    string    `json:"id"`
	Name                  string    `json:"name"`
	Tier                  string    `json:"tier"`
	Stage                 string    `json:"stage"`
	Licenses              int       `json:"licenses"`
	ARRCents              int64     `json:"arr_cents"`
	Currency              string    `json:"currency"`
	PurchasedOn           Date      `json:"purchased_on"`
	OnboardingStartedOn   Date      `json:"onboarding_started_on"`
	OnboardingCompletedOn *Date     `json:"onboarding_completed_on"`
	RenewalOn             Date      `json:"renewal_on"`
	AccountExecutive      Person    `json:"account_executive"`
	Industry              string    `json:"industry"`
	Region                string    `json:"region"`
	UpdatedAt             time.Time `json:"updated_at"`
}

// Contact roles.
const (
	RoleChampion = "champion"
	RoleSponsor  = "sponsor"
	RoleAdmin    = "admin"
	RoleUser     = "user"
)

// ContactRoles lists every contact role, for validation.
var ContactRoles = []string{RoleChampion, RoleSponsor, RoleAdmin, RoleUser}

// Contact is a person at a customer.
type Contact struct {
	ID            string `json:"id"`
	AccountID     string `json:"account_id"`
	Name          string `json:"name"`
	Email         string `json:"email"`
	Title         string `json:"title"`
	Role          string `json:"role"`
	IsChampion    bool   `json:"is_champion"`
	LeftCompanyOn *Date  `json:"left_company_on"`
	LastActiveOn  *Date  `json:"last_active_on"`
}

// Feature is one entry of the product's feature catalogue.
type Feature struct {
	Key       string `json:"key"`
	Name      string `json:"name"`
	HighValue bool   `json:"high_value"`
}

// UsageMonth holds one account's daily usage for one calendar month, as
// columns: index i is day i+1 of the month.
type UsageMonth struct {
	ID        string           `json:"id"`
	AccountID string           `json:"account_id"`
	Month     string           `json:"month"`
	Days      int              `json:"days"`
	DAU       []int            `json:"dau"`
	WAU       []int            `json:"wau"`
	MAU       []int            `json:"mau"`
	Sessions  []int            `json:"sessions"`
	Minutes   []int            `json:"minutes"`
	Features  map[string][]int `json:"features"`
}

// NPSResponse is one answer to the net promoter survey.
type NPSResponse struct {
	ID          string `json:"id"`
	AccountID   string `json:"account_id"`
	ContactID   string `json:"contact_id"`
	Score       int    `json:"score"`
	Comment     string `json:"comment"`
	RespondedOn Date   `json:"responded_on"`
}

// TriggerManual marks a playbook that is never suggested, only started by hand.
const TriggerManual = "manual"

// PlaybookStep is one step of a play.
type PlaybookStep struct {
	Key     string `json:"key"`
	Title   string `json:"title"`
	DueDays int    `json:"due_days"`
}

// Playbook is a play the CS team defined.
type Playbook struct {
	Key         string         `json:"key"`
	Name        string         `json:"name"`
	Trigger     string         `json:"trigger"`
	Description string         `json:"description"`
	Steps       []PlaybookStep `json:"steps"`
}

// ChecklistTemplateItem is one item of a stage checklist template.
type ChecklistTemplateItem struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	Group string `json:"group"`
}

// Checklist is a stage checklist template.
type Checklist struct {
	Key   string                  `json:"key"`
	Stage string                  `json:"stage"`
	Name  string                  `json:"name"`
	Items []ChecklistTemplateItem `json:"items"`
}

// Note kinds.
const (
	NoteCall      = "call"
	NoteMeeting   = "meeting"
	NoteEmail     = "email"
	NoteQBR       = "qbr"
	NoteCheckIn   = "check_in"
	NoteBugReport = "bug_report"
	NoteInternal  = "internal"
)

// NoteKinds lists the kinds of note.
var NoteKinds = []string{NoteCall, NoteMeeting, NoteEmail, NoteQBR, NoteCheckIn, NoteBugReport, NoteInternal}

// Note is one entry of an account's timeline. A correction is a new note
// with a higher revision that supersedes the old one; the old one stays.
type Note struct {
	ID         string    `json:"id"`
	AccountID  string    `json:"account_id"`
	Kind       string    `json:"kind"`
	HappenedAt time.Time `json:"happened_at"`
	Body       string    `json:"body"`
	NextSteps  []string  `json:"next_steps"`
	Author     string    `json:"author"`
	CreatedAt  time.Time `json:"created_at"`
	Revision   int       `json:"revision"`
	Supersedes *string   `json:"supersedes"`
}

// Task is a follow-up, often born from a note's next step.
type Task struct {
	ID        string     `json:"id"`
	AccountID string     `json:"account_id"`
	NoteID    *string    `json:"note_id"`
	Title     string     `json:"title"`
	DueOn     *Date      `json:"due_on"`
	DoneAt    *time.Time `json:"done_at"`
	CreatedAt time.Time  `json:"created_at"`
}

// ChecklistItem is the state of one item of one account's checklist.
type ChecklistItem struct {
	ID           string    `json:"id"`
	AccountID    string    `json:"account_id"`
	ChecklistKey string    `json:"checklist_key"`
	ItemKey      string    `json:"item_key"`
	Done         bool      `json:"done"`
	ChangedAt    time.Time `json:"changed_at"`
}

// ChecklistItemID is the id of an account's checklist item.
func ChecklistItemID(accountID, checklistKey, itemKey string) string {
	return accountID + "/" + checklistKey + "/" + itemKey
}

// PlayRun is a play started on an account.
type PlayRun struct {
	ID          string                `json:"id"`
	AccountID   string                `json:"account_id"`
	PlaybookKey string                `json:"playbook_key"`
	StartedAt   time.Time             `json:"started_at"`
	ClosedAt    *time.Time            `json:"closed_at"`
	Outcome     *string               `json:"outcome"`
	Steps       map[string]*time.Time `json:"steps"`
}

// Book is everything one CSM owns: the server's view of a book of accounts.
type Book struct {
	CSM            CSM
	Accounts       []Account
	Contacts       []Contact
	Features       []Feature
	Usage          []UsageMonth
	NPS            []NPSResponse
	Playbooks      []Playbook
	Checklists     []Checklist
	Notes          []Note
	Tasks          []Task
	ChecklistItems []ChecklistItem
	PlayRuns       []PlayRun
}
