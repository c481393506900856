package modeltest

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"csm/model"
	"csm/safe"
)

func hostileBase() model.Book {
	return model.Generate(model.GenOptions{Seed: 11, Accounts: 12, Days: 120, CSMs: 1})[0]
}

// hostileTexts lists every text field HostileBook plants, by where it is.
func hostileTexts(b model.Book) map[string]string {
	out := map[string]string{}
	add := func(where, s string) { out[where] = s }
	for _, a := range b.Accounts {
		add("account "+a.ID+" name", a.Name)
		add("account "+a.ID+" industry", a.Industry)
		add("account "+a.ID+" region", a.Region)
		add("account "+a.ID+" AE name", a.AccountExecutive.Name)
		add("account "+a.ID+" AE email", a.AccountExecutive.Email)
	}
	for _, c := range b.Contacts {
		add("contact "+c.ID+" name", c.Name)
		add("contact "+c.ID+" title", c.Title)
		add("contact "+c.ID+" email", c.Email)
	}
	for _, f := range b.Features {
		add("feature "+f.Key+" name", f.Name)
	}
	for _, n := range b.NPS {
		add("nps "+n.ID+" comment", n.Comment)
	}
	for _, p := range b.Playbooks {
		add("playbook "+p.Key+" name", p.Name)
		add("playbook "+p.Key+" description", p.Description)
		for _, s := range p.Steps {
			add("playbook "+p.Key+" step "+s.Key, s.Title)
		}
	}
	for _, c := range b.Checklists {
		add("checklist "+c.Key+" name", c.Name)
		for _, it := range c.Items {
			add("checklist "+c.Key+" item "+it.Key, it.Title)
			add("checklist "+c.Key+" group of "+it.Key, it.Group)
		}
	}
	for _, n := range b.Notes {
		add("note "+n.ID+" body", n.Body)
		add("note "+n.ID+" author", n.Author)
		for i, s := range n.NextSteps {
			add("note "+n.ID+" next step "+string(rune('0'+i)), s)
		}
	}
	for _, t := range b.Tasks {
		add("task "+t.ID+" title", t.Title)
	}
	for _, r := range b.PlayRuns {
		if r.Outcome != nil {
			add("play run "+r.ID+" outcome", *r.Outcome)
		}
	}
	return out
}

func TestHostileBookPlantsEveryField(t *testing.T) {
	base := hostileBase()
	before, _ := json.Marshal(base)
	h := HostileBook(base, 1)
	if after, _ := json.Marshal(base); string(after) != string(before) {
		t.Fatal("HostileBook changed the book it was given")
	}
	orig := hostileTexts(base)
	got := hostileTexts(h)
	if len(got) < 200 {
		t.Fatalf("only %d text fields: the base book is too small to test much", len(got))
	}
	for where, s := range got {
		// The renamed account's fields are listed under its new id.
		o, ok := orig[strings.Replace(where, HostileAccountID, base.Accounts[2].ID, 1)]
		if !ok {
			t.Fatalf("%s: not in the base book", where)
		}
		if s == o {
			t.Errorf("%s: nothing planted in %q", where, s)
		}
		// Keeping the original text, cut in two around a payload, is what
		// makes a field findable once sanitized.
		mid := len(o) / 2
		for mid > 0 && mid < len(o) && !utf8.RuneStart(o[mid]) {
			mid--
		}
		if !strings.Contains(s, o[:mid]) || !strings.Contains(s, o[mid:]) {
			t.Errorf("%s: original text %q lost", where, o)
		}
	}
	all := strings.Join(mapValues(got), "\x00")
	for _, p := range HostilePayloads() {
		if !strings.Contains(all, p.Text) {
			t.Errorf("payload %q planted nowhere", p.Name)
		}
		for _, hid := range p.Hidden {
			if !strings.Contains(p.Text, hid) {
				t.Errorf("payload %q: hidden %q is not part of its text", p.Name, hid)
			}
		}
		// The catalogue agrees with the one sanitizer: what it hides goes,
		// what it keeps stays.
		clean := safe.Text(p.Text)
		if p.Kept != "" && !strings.Contains(clean, p.Kept) {
			t.Errorf("payload %q: kept %q is not in its sanitized text %q", p.Name, p.Kept, clean)
		}
		for _, hid := range p.Hidden {
			if strings.Contains(clean, hid) {
				t.Errorf("payload %q: %q survives sanitizing: %q", p.Name, hid, clean)
			}
		}
	}
	// Every terminated payload sits in the first account's name.
	for _, p := range HostilePayloads() {
		if !p.Unterminated && !strings.Contains(h.Accounts[0].Name, p.Text) {
			t.Errorf("first account's name lacks %q", p.Name)
		}
	}
}

func TestHostileBookSizesAndIDs(t *testing.T) {
	base := hostileBase()
	h := HostileBook(base, 1)
	if n := len(h.Accounts[1].Name); n < HostileNameBytes {
		t.Errorf("second account's name is %d bytes, want ≥ %d", n, HostileNameBytes)
	}
	if n := len(h.Notes[0].Body); n < HostileBodyBytes {
		t.Errorf("first note body is %d bytes, want ≥ %d", n, HostileBodyBytes)
	}
	if n := len(h.NPS[0].Comment); n < HostileBodyBytes {
		t.Errorf("first NPS comment is %d bytes, want ≥ %d", n, HostileBodyBytes)
	}
	if h.Accounts[2].ID != HostileAccountID {
		t.Fatalf("third account id %q", h.Accounts[2].ID)
	}
	if len(HostileAccountID) > model.MaxIDBytes || len(HostileStepKey) > model.MaxIDBytes {
		t.Fatal("a hostile id is longer than an id may be: it would only test rejection")
	}
	if _, ok := h.PlayRuns[0].Steps[HostileStepKey]; !ok {
		t.Error("first play run has no hostile step")
	}
	if _, ok := base.PlayRuns[0].Steps[HostileStepKey]; ok {
		t.Error("the hostile step leaked into the base book")
	}
	// The renamed account keeps all it had, and ids built from it follow.
	old := base.Accounts[2].ID
	countOf := func(b model.Book, id string) (n int) {
		for _, c := range b.Contacts {
			if c.AccountID == id {
				n++
			}
		}
		for _, u := range b.Usage {
			if u.AccountID == id && u.ID == id+"/"+u.Month {
				n++
			}
		}
		for _, c := range b.ChecklistItems {
			if c.AccountID == id && c.ID == model.ChecklistItemID(id, c.ChecklistKey, c.ItemKey) {
				n++
			}
		}
		for _, x := range b.Notes {
			if x.AccountID == id {
				n++
			}
		}
		return n
	}
	if want, got := countOf(base, old), countOf(h, HostileAccountID); got != want || want == 0 || countOf(h, old) != 0 {
		t.Errorf("renamed account: %d rows follow the new id, want %d", got, want)
	}
}

// Hostile text never makes an entity invalid: the book must still pass the
// checks of the feed, so a sync stores it rather than skipping it.
func TestHostileBookStillValidates(t *testing.T) {
	h := HostileBook(hostileBase(), 2)
	type validator interface{ Validate() error }
	var all []validator
	for _, v := range h.Accounts {
		all = append(all, v)
	}
	for _, v := range h.Contacts {
		all = append(all, v)
	}
	for _, v := range h.Usage {
		all = append(all, v)
	}
	for _, v := range h.NPS {
		all = append(all, v)
	}
	for _, v := range h.Playbooks {
		all = append(all, v)
	}
	for _, v := range h.Checklists {
		all = append(all, v)
	}
	for _, v := range h.Notes {
		all = append(all, v)
	}
	for _, v := range h.Tasks {
		all = append(all, v)
	}
	for _, v := range h.ChecklistItems {
		all = append(all, v)
	}
	for _, v := range h.PlayRuns {
		all = append(all, v)
	}
	for _, v := range all {
		if err := v.Validate(); err != nil {
			t.Errorf("%T invalid: %v", v, err)
		}
	}
}

func TestHostileBookIsDeterministic(t *testing.T) {
	base := hostileBase()
	a, b := HostileBook(base, 5), HostileBook(base, 5)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same book and seed gave different hostile books")
	}
	if c := HostileBook(base, 6); reflect.DeepEqual(a.Contacts, c.Contacts) {
		t.Fatal("another seed planted the same payloads in the same fields")
	}
}

func TestHostileBookEmpty(t *testing.T) {
	h := HostileBook(model.Book{}, 1)
	if len(h.Accounts) != 0 || len(h.Notes) != 0 {
		t.Fatalf("empty book grew: %+v", h)
	}
	one := model.Generate(model.GenOptions{Seed: 1, Accounts: 1, Days: 30, CSMs: 1})[0]
	h = HostileBook(one, 1)
	if len(h.Accounts[0].Name) < HostileNameBytes {
		t.Fatal("with one account, its name should be the huge one")
	}
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
