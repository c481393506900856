package teamdata

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"csm/model"
	csmsync "csm/sync"
)

// Counts says what an import did to the entities of one kind.
type Counts struct {
	Added, Changed, Unchanged int
}

// Report is what an import did, by entity name (csmsync.EntityAccount…);
// a feature written into three books counts three times.
type Report struct {
	Entities map[string]Counts
}

// reportOrder lists entities as a report prints them: the feed's order.
var reportOrder = []string{
	csmsync.EntityFeature, csmsync.EntityPlaybook, csmsync.EntityChecklist, csmsync.EntityAccount,
	csmsync.EntityContact, csmsync.EntityUsageMonth, csmsync.EntityNPS,
}

// Total sums every entity's counts.
func (r Report) Total() Counts {
	var t Counts
	for _, c := range r.Entities {
		t.Added += c.Added
		t.Changed += c.Changed
		t.Unchanged += c.Unchanged
	}
	return t
}

// String is one line per entity the import touched.
func (r Report) String() string {
	var b strings.Builder
	for _, e := range reportOrder {
		if c, ok := r.Entities[e]; ok {
			fmt.Fprintf(&b, "%s: %d added, %d changed, %d unchanged\n", e, c.Added, c.Changed, c.Unchanged)
		}
	}
	if b.Len() == 0 {
		return "nothing to import\n"
	}
	return b.String()
}

func (r *Report) count(entity string, o outcome) {
	if r.Entities == nil {
		r.Entities = map[string]Counts{}
	}
	c := r.Entities[entity]
	switch o {
	case added:
		c.Added++
	case changed:
		c.Changed++
	default:
		c.Unchanged++
	}
	r.Entities[entity] = c
}

// Apply writes an import into the store, in one transaction over every
// CSM's book: either every row is written or, on any problem (a
// *ProblemsError, as Parse's) or failure, none is. Only what differs from
// the store is written, so importing the same files again adds nothing to
// any feed, and a changed row adds one change.
//
// Every book is locked for the import's length, since finding the book
// that holds an account means looking in all of them; imports are rare
// and short next to the pushes they hold up.
func Apply(ctx context.Context, store csmsync.TeamStore, imp Import) (Report, error) {
	csms, err := store.CSMs(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("import: list CSMs: %w", err)
	}
	ids := make([]string, len(csms))
	for i, c := range csms {
		ids[i] = c.CSM.ID
	}
	slices.Sort(ids)
	now := time.Now().UTC().Truncate(time.Second)
	var rep Report
	run := func(txs map[string]csmsync.BookTx) error {
		rep = Report{}
		return applyIn(newBooks(csms, txs, &problems{}), imp, now, &rep)
	}
	if len(ids) == 0 {
		// Nothing can be written without a book; the checks still say why.
		err = run(map[string]csmsync.BookTx{})
	} else {
		err = store.WriteBooks(ctx, ids, run)
	}
	if err != nil {
		return Report{}, err
	}
	return rep, nil
}

// applyIn checks the import against the books, then writes it.
func applyIn(b *books, imp Import, now time.Time, rep *Report) error {
	plans, err := b.plan(imp)
	if err != nil {
		return fmt.Errorf("import: find the books: %w", err)
	}
	if err := b.checkFeatureColumns(imp); err != nil {
		return fmt.Errorf("import: read the features: %w", err)
	}
	if err := b.ps.err(); err != nil {
		return err
	}
	// The catalogues go to every book this import writes to; an import of
	// catalogues alone updates every book.
	targets := sortedKeys(plans)
	if len(targets) == 0 {
		targets = b.ids
	}
	for _, id := range targets {
		w := writer{tx: b.txs[id], rep: rep, now: now}
		if err := w.book(imp, plans[id]); err != nil {
			return fmt.Errorf("import into the book of %s: %w", b.emailOf(id), err)
		}
	}
	return nil
}

// writer writes into one book.
type writer struct {
	tx  csmsync.BookTx
	rep *Report
	now time.Time
}

// book writes one book's part, catalogues first and dependents after, the
// order a client applies the feed in.
func (w writer) book(imp Import, p *bookPlan) error {
	for _, f := range imp.features {
		if err := w.put(csmsync.EntityFeature, f.v.Key, f.v); err != nil {
			return err
		}
	}
	for _, pb := range imp.playbooks {
		if err := w.put(csmsync.EntityPlaybook, pb.v.Key, pb.v); err != nil {
			return err
		}
	}
	for _, c := range imp.checklists {
		if err := w.put(csmsync.EntityChecklist, c.v.Key, c.v); err != nil {
			return err
		}
	}
	if p == nil {
		return nil
	}
	for _, a := range p.accounts {
		if err := w.account(a); err != nil {
			return err
		}
	}
	for _, c := range p.contacts {
		if err := w.put(csmsync.EntityContact, c.v.ID, c.v); err != nil {
			return err
		}
	}
	for _, id := range sortedKeys(p.months) {
		if err := w.month(p.months[id]); err != nil {
			return err
		}
	}
	for _, n := range p.nps {
		if err := w.put(csmsync.EntityNPS, n.v.ID, n.v); err != nil {
			return err
		}
	}
	return nil
}

// account writes an account from a CSV, which has no updated_at: the
// stored one is kept while nothing else changes, and the import's time is
// set when something does.
func (w writer) account(a accountItem) error {
	v := a.v
	if !a.fromCSV {
		return w.put(csmsync.EntityAccount, v.ID, v)
	}
	old, ok, err := w.stored(csmsync.EntityAccount, v.ID)
	if err != nil {
		return err
	}
	if ok {
		v.UpdatedAt = old.(model.Account).UpdatedAt
		same, err := w.same(csmsync.EntityAccount, v.ID, v)
		if err != nil {
			return err
		}
		if same {
			w.rep.count(csmsync.EntityAccount, unchanged)
			return nil
		}
	}
	v.UpdatedAt = w.now
	return w.put(csmsync.EntityAccount, v.ID, v)
}

// month folds a month's daily rows over the month stored (or the whole
// month of this import) and writes the result.
func (w writer) month(mp *monthPlan) error {
	base := mp.whole
	if base == nil {
		old, ok, err := w.stored(csmsync.EntityUsageMonth, monthID(mp.accountID, mp.month))
		if err != nil {
			return err
		}
		if ok {
			m := old.(model.UsageMonth)
			base = &m
		}
	}
	var m model.UsageMonth
	if len(mp.days) > 0 {
		m = foldDays(base, mp.accountID, mp.month, mp.days)
	} else {
		m = *mp.whole // a plan has days or a whole month
	}
	return w.put(csmsync.EntityUsageMonth, m.ID, normalMonth(m))
}

// stored decodes the live stored state of an entity; ok is false when
// there is none, or when what is stored no longer decodes (it is then
// simply replaced).
func (w writer) stored(entity, id string) (v any, ok bool, err error) {
	e, found, err := w.tx.Get(entity, id)
	if err != nil {
		return nil, false, fmt.Errorf("read %s %q: %w", entity, id, err)
	}
	if !found || e.Deleted {
		return nil, false, nil
	}
	v, err = csmsync.DecodeEntity(entity, e.Data)
	return v, err == nil, nil
}

type outcome int

const (
	unchanged outcome = iota
	added
	changed
)

// same says whether v is what the book holds: byte for byte, or after
// decoding the stored copy, in case the database keeps JSON its own way.
func (w writer) same(entity, id string, v any) (bool, error) {
	o, _, err := w.compare(entity, id, v)
	return o == unchanged, err
}

// compare encodes v as the server encodes every entity and compares it
// with the stored state; data is the encoding.
func (w writer) compare(entity, id string, v any) (outcome, []byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return 0, nil, fmt.Errorf("encode %s %q: %w", entity, id, err)
	}
	e, found, err := w.tx.Get(entity, id)
	switch {
	case err != nil:
		return 0, nil, fmt.Errorf("read %s %q: %w", entity, id, err)
	case !found || e.Deleted:
		return added, data, nil
	case bytes.Equal(e.Data, data):
		return unchanged, data, nil
	}
	if old, err := csmsync.DecodeEntity(entity, e.Data); err == nil {
		if again, err := json.Marshal(old); err == nil && bytes.Equal(again, data) {
			return unchanged, data, nil
		}
	}
	return changed, data, nil
}

// put writes v unless the book already holds it, and counts what it did.
func (w writer) put(entity, id string, v any) error {
	o, data, err := w.compare(entity, id, v)
	if err != nil {
		return err
	}
	if o != unchanged {
		if _, err := w.tx.Put(entity, id, data); err != nil {
			return fmt.Errorf("write %s %q: %w", entity, id, err)
		}
	}
	w.rep.count(entity, o)
	return nil
}
