package model

import "time"

// Snoozes on the wire, an addition to docs/API.md still to be written
// there (a server says it takes them by listing ExtSnooze in /me): a
// snooze is the CSM's, so it follows them from device to device.
// The mutation snooze.set puts an account (key SnoozeAll, "") or one of
// its alerts (an alert key) to sleep through a day, or wakes it (until
// null); the server keeps the state of each (account, key) as a snooze
// entity, last writer by at wins.

// MutSnoozeSet is the mutation of a snooze.
const MutSnoozeSet = "snooze.set"

// ExtSnooze is the name a server lists in /me's "extensions" when it takes
// snooze.set and sends snooze entities. docs/API.md does not have them
// yet, so a client sends a snooze only to a server that says so; with any
// other the snooze holds on the device that made it.
const ExtSnooze = "snooze"

// Extensions are the additions to docs/API.md this client speaks, each
// with the mutation types a server must list it to be sent.
var Extensions = []Extension{{Name: ExtSnooze, Mutations: []string{MutSnoozeSet}}}

// Extension is one addition to docs/API.md.
type Extension struct {
	Name      string
	Mutations []string
}

// ExtensionNames are the names of Extensions, as a server lists them.
func ExtensionNames() []string {
	names := make([]string, len(Extensions))
	for i, e := range Extensions {
		names[i] = e.Name
	}
	return names
}

// Snooze is the state of one snooze: asleep through Until, awake when
// Until is nil. Its id is SnoozeID(AccountID, Key).
type Snooze struct {
	ID        string    `json:"id"`
	AccountID string    `json:"account_id"`
	Key       string    `json:"key"`
	Until     *Date     `json:"until"`
	ChangedAt time.Time `json:"changed_at"`
}

// SnoozeID names the snooze of key on an account: "<account_id>/<key>",
// "<account_id>/" for the whole account.
func SnoozeID(accountID, key string) string { return accountID + "/" + key }

// SnoozeSet is the data of snooze.set; a nil Until wakes.
type SnoozeSet struct {
	AccountID string `json:"account_id"`
	Key       string `json:"key"`
	Until     *Date  `json:"until"`
}

// checkSnoozeKey: the whole account's key is empty; an alert's is an id.
func checkSnoozeKey(key string) error {
	if key == SnoozeAll {
		return nil
	}
	return CheckID("key", key)
}

// Validate checks a snooze's state, whose id is built from the account
// and the key.
func (s Snooze) Validate() error {
	if err := firstInvalid(CheckID("id", s.ID), CheckID("account_id", s.AccountID), checkSnoozeKey(s.Key)); err != nil {
		return err
	}
	if want := SnoozeID(s.AccountID, s.Key); s.ID != want {
		return invalidField("id", "%q should be %q (account_id/key)", s.ID, want)
	}
	return nil
}

// CutLongText does nothing: there is no text.
func (s *Snooze) CutLongText() {}

// Validate checks the account and the key.
func (d SnoozeSet) Validate() error {
	return firstInvalid(CheckID("account_id", d.AccountID), checkSnoozeKey(d.Key))
}

// CutLongText does nothing: there is no text.
func (d *SnoozeSet) CutLongText() {}
