// Package teamdata loads a CS team's own data into the team server's
// store: CSV files named by entity (features.csv, accounts.csv,
// contacts.csv, usage_daily.csv, nps.csv) and .jsonl files of docs/API.md
// entities, as SERVER.md describes. Parse reads and checks the files
// without touching any store; Apply writes them in one transaction,
// storing only what changed, so a re-import adds nothing to the feed.
package teamdata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"csm/model"
)

// Pos is where a row came from.
type Pos struct {
	File string
	Line int
}

// item is one entity read from a file.
type item[T any] struct {
	at Pos
	v  T
}

// accountItem is an account and the CSM whose book holds it.
type accountItem struct {
	at       Pos
	v        model.Account
	csmEmail string // "" keeps the account in the book that holds it
	// fromCSV: the CSV has no updated_at, so Apply keeps the stored one
	// while nothing changes and stamps the time of the import when
	// something does. A .jsonl account carries its own.
	fromCSV bool
}

// usageDay is one row of usage_daily.csv.
type usageDay struct {
	at                               Pos
	accountID                        string
	date                             model.Date
	dau, wau, mau, sessions, minutes int
	// features holds the users of each feature column of the file
	// (featureKeys), -1 where the cell was empty: not reported that day.
	featureKeys []string
	features    []int
}

// featureColumn is a feature:KEY column of a usage file; Apply checks the
// key against the catalogue of every book the file's rows go to.
type featureColumn struct {
	file string
	key  string
}

// Import is what a set of files holds, checked for everything that does
// not depend on the store.
type Import struct {
	features    []item[model.Feature]
	playbooks   []item[model.Playbook]
	checklists  []item[model.Checklist]
	accounts    []accountItem
	contacts    []item[model.Contact]
	nps         []item[model.NPSResponse]
	months      []item[model.UsageMonth] // whole months, from .jsonl
	days        []usageDay
	featureCols []featureColumn
}

// Rows is how many rows (lines of .jsonl) the import read.
func (imp Import) Rows() int {
	return len(imp.features) + len(imp.playbooks) + len(imp.checklists) + len(imp.accounts) +
		len(imp.contacts) + len(imp.nps) + len(imp.months) + len(imp.days)
}

// CSV file names, by the entity their rows are.
const (
	FileFeatures = "features.csv"
	FileAccounts = "accounts.csv"
	FileContacts = "contacts.csv"
	FileUsage    = "usage_daily.csv"
	FileNPS      = "nps.csv"
)

// Parse reads and checks every file. Any problem, in any file, makes the
// error a *ProblemsError listing them, and the Import must not be
// applied. Checks that need the store (which CSMs exist, which accounts
// are already there, each book's features) are Apply's.
func Parse(files []string) (Import, error) {
	var imp Import
	ps := &problems{}
	seen := newIDRegistry(ps)
	named := map[string]bool{}
	for _, name := range files {
		clean := filepath.Clean(name)
		if named[clean] {
			ps.add(name, 0, "", "is named twice")
			continue
		}
		named[clean] = true
		parseFile(name, &imp, seen, ps)
	}
	return imp, ps.err()
}

// parseFile reads one file by its name.
func parseFile(name string, imp *Import, seen *idRegistry, ps *problems) {
	base := filepath.Base(name)
	read := csvReaders[base]
	isJSONL := strings.EqualFold(filepath.Ext(base), ".jsonl")
	if read == nil && !isJSONL {
		ps.add(name, 0, "", "is not an import file: name it %s, %s, %s, %s, %s or *.jsonl",
			FileFeatures, FileAccounts, FileContacts, FileUsage, FileNPS)
		return
	}
	f, err := os.Open(name)
	if err != nil {
		ps.add(name, 0, "", "cannot be read: %v", unwrapPath(err))
		return
	}
	defer f.Close()
	if isJSONL {
		readJSONL(name, f, imp, seen, ps)
		return
	}
	read(name, f, imp, seen, ps)
}

// unwrapPath drops the path an *os.PathError repeats: the message already
// starts with the file's name.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// idRegistry finds an id given twice in one import, across files: the
// second row would silently win otherwise.
type idRegistry struct {
	ps    *problems
	first map[string]Pos // entity + "\x00" + id → where it was first
}

func newIDRegistry(ps *problems) *idRegistry {
	return &idRegistry{ps: ps, first: map[string]Pos{}}
}

// claim records that at holds entity id; a second claim is reported on
// column col of the later row.
func (r *idRegistry) claim(entity, id string, at Pos, col string) bool {
	k := entity + "\x00" + id
	if prev, dup := r.first[k]; dup {
		r.ps.add(at.File, at.Line, col, "%s %s is also at %s:%d", entity, quote(id), prev.File, prev.Line)
		return false
	}
	r.first[k] = at
	return true
}

// claimDay records a day of an account's usage; a second row for it is
// reported on its date.
func (r *idRegistry) claimDay(d usageDay) bool {
	k := "usage day\x00" + d.accountID + "\x00" + d.date.String()
	if prev, dup := r.first[k]; dup {
		r.ps.add(d.at.File, d.at.Line, "date", "account %s already has a row for %s at %s:%d", quote(d.accountID), d.date, prev.File, prev.Line)
		return false
	}
	r.first[k] = d.at
	return true
}

// String is for debugging and test failures.
func (p Pos) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }
