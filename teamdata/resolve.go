package teamdata

import (
	"cmp"
	"slices"
	"strings"

	"csm/model"
	csmsync "csm/sync"
)

// bookPlan is what an import writes into one CSM's book.
type bookPlan struct {
	accounts []accountItem
	contacts []item[model.Contact]
	nps      []item[model.NPSResponse]
	months   map[string]*monthPlan // by month id
}

// monthPlan is one usage month to write: a whole month from a .jsonl
// line, daily rows to fold in, or both (the rows over the month).
type monthPlan struct {
	accountID, month string
	whole            *model.UsageMonth
	days             []usageDay
}

// books is the store's side of an import: every CSM's open transaction and
// where each account lives.
type books struct {
	txs     map[string]csmsync.BookTx
	ids     []string             // CSM ids, sorted: the order books are searched and written
	byEmail map[string]model.CSM // lower-cased email → CSM
	home    map[string]string    // account id → CSM id; "" when in no book
	ps      *problems
}

func newBooks(csms []csmsync.CSMInfo, txs map[string]csmsync.BookTx, ps *problems) *books {
	b := &books{txs: txs, byEmail: map[string]model.CSM{}, home: map[string]string{}, ps: ps}
	for _, c := range csms {
		b.byEmail[strings.ToLower(c.CSM.Email)] = c.CSM
		if txs[c.CSM.ID] != nil {
			b.ids = append(b.ids, c.CSM.ID)
		}
	}
	slices.Sort(b.ids)
	return b
}

// holder finds the book that holds a live account, "" when none does;
// prefer is searched first (accounts mostly stay where they are named).
func (b *books) holder(accountID, prefer string) (string, error) {
	order := b.ids
	if prefer != "" {
		order = append([]string{prefer}, slices.DeleteFunc(slices.Clone(b.ids), func(id string) bool { return id == prefer })...)
	}
	for _, id := range order {
		e, found, err := b.txs[id].Get(csmsync.EntityAccount, accountID)
		if err != nil {
			return "", err
		}
		if found && !e.Deleted {
			return id, nil
		}
	}
	return "", nil
}

// unplaced is the home of an account of the import whose book could not
// be decided (which is reported once, on the account's row).
const unplaced = "\x00unplaced"

func (b *books) emailOf(csmID string) string { return b.txs[csmID].CSM().Email }

// place decides the book of every account of the import: the CSM its
// csm_email names, else the book that already holds it. An account never
// moves between books by import: its notes and plays would be left behind.
func (b *books) place(accounts []accountItem) error {
	for _, a := range accounts {
		held, err := b.holder(a.v.ID, b.byEmail[strings.ToLower(a.csmEmail)].ID)
		if err != nil {
			return err
		}
		b.home[a.v.ID] = held
		if held == "" {
			// Reported below; its rows are not reported again.
			b.home[a.v.ID] = unplaced
		}
		if a.csmEmail == "" {
			if held == "" {
				b.ps.add(a.at.File, a.at.Line, "csm_email", "is empty, and account %s is in no book yet: name the CSM whose book takes it", quote(a.v.ID))
			}
			continue
		}
		csm, ok := b.byEmail[strings.ToLower(a.csmEmail)]
		switch {
		case !ok:
			b.ps.add(a.at.File, a.at.Line, "csm_email", "no CSM has the email %s (csm admin user list shows them)", quote(a.csmEmail))
		case held != "" && held != csm.ID:
			b.ps.add(a.at.File, a.at.Line, "csm_email", "account %s is in the book of %s; an import does not move accounts between books",
				quote(a.v.ID), quote(b.emailOf(held)))
		default:
			b.home[a.v.ID] = csm.ID
		}
	}
	return nil
}

// bookOf finds the book of an account a row hangs off; a row whose account
// is nowhere is reported on col.
func (b *books) bookOf(accountID string, at Pos, col string) (string, error) {
	id, known := b.home[accountID]
	if !known {
		var err error
		if id, err = b.holder(accountID, ""); err != nil {
			return "", err
		}
		b.home[accountID] = id
	}
	if id == "" {
		b.ps.add(at.File, at.Line, col, "no account %s in this import or in the database", quote(accountID))
	}
	return id, nil
}

// plan sorts the import's account-bound rows into the books they go to.
func (b *books) plan(imp Import) (map[string]*bookPlan, error) {
	if err := b.place(imp.accounts); err != nil {
		return nil, err
	}
	plans := map[string]*bookPlan{}
	get := func(id string) *bookPlan {
		if plans[id] == nil {
			plans[id] = &bookPlan{months: map[string]*monthPlan{}}
		}
		return plans[id]
	}
	for _, a := range imp.accounts {
		if id := b.home[a.v.ID]; id != "" && id != unplaced {
			get(id).accounts = append(get(id).accounts, a)
		}
	}
	for _, c := range imp.contacts {
		id, err := b.bookOf(c.v.AccountID, c.at, "account_id")
		if err != nil {
			return nil, err
		}
		if id != "" {
			get(id).contacts = append(get(id).contacts, c)
		}
	}
	for _, n := range imp.nps {
		id, err := b.bookOf(n.v.AccountID, n.at, "account_id")
		if err != nil {
			return nil, err
		}
		if id != "" {
			get(id).nps = append(get(id).nps, n)
		}
	}
	if err := b.planMonths(imp, get); err != nil {
		return nil, err
	}
	return plans, nil
}

// planMonths groups whole months and daily rows by the month they fill.
func (b *books) planMonths(imp Import, get func(string) *bookPlan) error {
	month := func(id, accountID, m string) *monthPlan {
		p := get(id)
		mp := p.months[monthID(accountID, m)]
		if mp == nil {
			mp = &monthPlan{accountID: accountID, month: m}
			p.months[monthID(accountID, m)] = mp
		}
		return mp
	}
	for _, u := range imp.months {
		id, err := b.bookOf(u.v.AccountID, u.at, "account_id")
		if err != nil {
			return err
		}
		if id != "" {
			m := normalMonth(u.v)
			month(id, u.v.AccountID, u.v.Month).whole = &m
		}
	}
	for _, d := range imp.days {
		id, err := b.bookOf(d.accountID, d.at, "account_id")
		if err != nil {
			return err
		}
		if id != "" {
			mp := month(id, d.accountID, d.date.Month())
			mp.days = append(mp.days, d)
		}
	}
	return nil
}

// checkFeatureColumns reports a feature:KEY column of a usage file whose
// key is neither in this import's features nor in the catalogue of a book
// the file's rows go to: its numbers would count a feature nobody can see.
func (b *books) checkFeatureColumns(imp Import) error {
	imported := map[string]bool{}
	for _, f := range imp.features {
		imported[f.v.Key] = true
	}
	fileBooks := map[string]map[string]bool{} // file → CSM ids its rows go to
	for _, d := range imp.days {
		if id := b.home[d.accountID]; id != "" && id != unplaced {
			if fileBooks[d.at.File] == nil {
				fileBooks[d.at.File] = map[string]bool{}
			}
			fileBooks[d.at.File][id] = true
		}
	}
	for _, fc := range imp.featureCols {
		if imported[fc.key] {
			continue
		}
		ids := sortedKeys(fileBooks[fc.file])
		for _, id := range ids {
			e, found, err := b.txs[id].Get(csmsync.EntityFeature, fc.key)
			if err != nil {
				return err
			}
			if !found || e.Deleted {
				b.ps.add(fc.file, 1, columnName(usageSpec.prefix+fc.key), "no feature %s in this import or in the book of %s",
					quote(fc.key), quote(b.emailOf(id)))
				break
			}
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Compare(a, b) })
	return keys
}
