package sync

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"csm/model"
)

// contactStep is one push of TestMutationsContacts and the answer it must
// get; field, for an invalid one, is the field the message must name.
type contactStep struct {
	mutStep
	field string
}

func TestMutationsContacts(t *testing.T) {
	a1, a2 := csm1+"-a1", csm2+"-a1"
	ct1, t1 := csm1+"-ct1", csm1+"-t1"
	active, left, due := model.MakeDate(2026, 11, 2), model.MakeDate(2026, 11, 20), model.MakeDate(2026, 12, 1)
	ann := model.Contact{ID: "ct-new", AccountID: a1, Name: "Ann", Email: "ann@example.com", Title: "CTO", Role: model.RoleSponsor, LastActiveOn: &active}
	edit := ContactUpdateData{ID: ct1, Name: "Bo Li", Email: "bo@example.com", Title: "VP Ops", Role: model.RoleAdmin, LeftCompanyOn: &left}
	step := func(id, typ string, at time.Time, data any, status, code string) contactStep {
		return contactStep{mutStep: mutStep{m: newMutation(id, typ, at, data), status: status, code: code}}
	}
	// stale is a last-writer-wins step older than the current state.
	stale := func(id, typ string, at time.Time, data any) contactStep {
		s := step(id, typ, at, data, StatusApplied, "")
		s.superseded = true
		return s
	}
	invalid := func(id, typ string, data any, field string) contactStep {
		s := step(id, typ, atHour(0), data, StatusRejected, CodeInvalid)
		s.field = field
		return s
	}
	cases := []struct {
		name  string
		steps []contactStep
		check func(t *testing.T, b model.Book)
	}{
		{
			name:  "contact.create",
			steps: []contactStep{step("m1", MutContactCreate, atHour(0), ann, StatusApplied, "")},
			check: func(t *testing.T, b model.Book) {
				if len(b.Contacts) != 2 || contactInBook(b, ann.ID) == nil || !reflect.DeepEqual(*contactInBook(b, ann.ID), ann) {
					t.Fatalf("contacts %+v, want the fixture's and %+v", b.Contacts, ann)
				}
			},
		},
		{
			name: "contact.create rejections",
			steps: []contactStep{
				step("m1", MutContactCreate, atHour(0), changed(ann, func(c *model.Contact) { c.AccountID = a2 }), StatusRejected, CodeNotFound),
				step("m2", MutContactCreate, atHour(0), changed(ann, func(c *model.Contact) { c.AccountID = "nowhere" }), StatusRejected, CodeNotFound),
				step("m3", MutContactCreate, atHour(0), changed(ann, func(c *model.Contact) { c.ID = csm2 + "-ct1" }), StatusRejected, CodeConflict),
				step("m4", MutContactCreate, atHour(0), changed(ann, func(c *model.Contact) { c.ID = ct1 }), StatusRejected, CodeConflict),
				invalid("m5", MutContactCreate, changed(ann, func(c *model.Contact) { c.Role = "boss" }), "role"),
				invalid("m6", MutContactCreate, map[string]any{"id": "ct-x", "account_id": a1, "email": "", "title": "", "role": "user", "is_champion": false}, "name"),
				invalid("m7", MutContactCreate, changed(ann, func(c *model.Contact) { c.ID = strings.Repeat("c", model.MaxIDBytes+1) }), "id"),
				{mutStep: mutStep{token: tok2, m: newMutation("m8", MutContactCreate, atHour(0), ann), status: StatusRejected, code: CodeNotFound}},
			},
			check: func(t *testing.T, b model.Book) {
				if len(b.Contacts) != 1 {
					t.Fatalf("%d contacts, want the one of the fixture", len(b.Contacts))
				}
			},
		},
		{
			name: "contact.update, last writer wins",
			steps: []contactStep{
				// A contact keeps no time of change: the first update wins
				// however old it is.
				step("m1", MutContactUpdate, atHour(-100), changed(edit, func(d *ContactUpdateData) { d.Name = "first" }), StatusApplied, ""),
				step("m2", MutContactUpdate, atHour(2), edit, StatusApplied, ""),
				stale("m3", MutContactUpdate, atHour(1), changed(edit, func(d *ContactUpdateData) { d.Name = "older" })),
			},
			check: func(t *testing.T, b model.Book) {
				want := model.Contact{ID: ct1, AccountID: a1, Name: "Bo Li", Email: "bo@example.com", Title: "VP Ops", Role: model.RoleAdmin, LeftCompanyOn: &left}
				if got := contactInBook(b, ct1); got == nil || !reflect.DeepEqual(*got, want) {
					t.Fatalf("contact %+v, want %+v", got, want)
				}
			},
		},
		{
			name: "contact.update keeps account and last activity",
			steps: []contactStep{
				step("m1", MutContactCreate, atHour(0), ann, StatusApplied, ""),
				step("m2", MutContactUpdate, atHour(1), changed(edit, func(d *ContactUpdateData) { d.ID, d.IsChampion = ann.ID, true }), StatusApplied, ""),
			},
			check: func(t *testing.T, b model.Book) {
				want := model.Contact{ID: ann.ID, AccountID: a1, Name: "Bo Li", Email: "bo@example.com", Title: "VP Ops", Role: model.RoleAdmin,
					IsChampion: true, LeftCompanyOn: &left, LastActiveOn: &active}
				if got := contactInBook(b, ann.ID); got == nil || !reflect.DeepEqual(*got, want) {
					t.Fatalf("contact %+v, want %+v", got, want)
				}
			},
		},
		{
			name: "contact.update rejections",
			steps: []contactStep{
				step("m1", MutContactUpdate, atHour(1), changed(edit, func(d *ContactUpdateData) { d.ID = csm2 + "-ct1" }), StatusRejected, CodeNotFound),
				step("m2", MutContactUpdate, atHour(1), changed(edit, func(d *ContactUpdateData) { d.ID = "ct-none" }), StatusRejected, CodeNotFound),
				{mutStep: mutStep{token: tok2, m: newMutation("m3", MutContactUpdate, atHour(1), edit), status: StatusRejected, code: CodeNotFound}},
				invalid("m4", MutContactUpdate, changed(edit, func(d *ContactUpdateData) { d.Role = "owner" }), "role"),
				invalid("m5", MutContactUpdate, map[string]any{"id": ct1, "name": "x", "email": "", "title": "", "role": "user", "is_champion": false}, "left_company_on"),
				invalid("m6", MutContactUpdate, map[string]any{"id": ct1, "name": "x", "email": "", "title": "", "role": "user", "is_champion": "yes", "left_company_on": nil}, "is_champion"),
			},
			check: func(t *testing.T, b model.Book) {
				if want := fixtureBook(csm1).Contacts; !reflect.DeepEqual(b.Contacts, want) {
					t.Fatalf("contacts %+v, want the fixture's %+v", b.Contacts, want)
				}
			},
		},
		{
			name: "task.set_due, last writer wins",
			steps: []contactStep{
				// Older than the task itself: its due date stands.
				stale("m1", MutTaskSetDue, atHour(-100), TaskSetDueData{ID: t1, DueOn: &due}),
				step("m2", MutTaskSetDue, atHour(2), TaskSetDueData{ID: t1, DueOn: &due}, StatusApplied, ""),
				stale("m3", MutTaskSetDue, atHour(1), TaskSetDueData{ID: t1}),
				// Done and due are separate values: neither supersedes the other.
				step("m4", MutTaskSetDone, atHour(5), TaskSetDoneData{ID: t1, DoneAt: ref(atHour(5))}, StatusApplied, ""),
				step("m5", MutTaskSetDue, atHour(4), TaskSetDueData{ID: t1, DueOn: &left}, StatusApplied, ""),
			},
			check: func(t *testing.T, b model.Book) {
				got := b.Tasks[0]
				if got.DueOn == nil || *got.DueOn != left || got.DoneAt == nil || !got.DoneAt.Equal(atHour(5)) {
					t.Fatalf("task %+v, want due %v and done at %v", got, left, atHour(5))
				}
			},
		},
		{
			name: "task.set_due clears when newer",
			steps: []contactStep{
				step("m1", MutTaskSetDue, atHour(1), TaskSetDueData{ID: t1, DueOn: &due}, StatusApplied, ""),
				step("m2", MutTaskSetDue, atHour(2), TaskSetDueData{ID: t1}, StatusApplied, ""),
			},
			check: func(t *testing.T, b model.Book) {
				if b.Tasks[0].DueOn != nil {
					t.Fatalf("due_on %v, want cleared", b.Tasks[0].DueOn)
				}
			},
		},
		{
			name: "task.set_due rejections",
			steps: []contactStep{
				step("m1", MutTaskSetDue, atHour(1), TaskSetDueData{ID: csm2 + "-t1", DueOn: &due}, StatusRejected, CodeNotFound),
				step("m2", MutTaskSetDue, atHour(1), TaskSetDueData{ID: "t-none", DueOn: &due}, StatusRejected, CodeNotFound),
				{mutStep: mutStep{token: tok2, m: newMutation("m3", MutTaskSetDue, atHour(1), TaskSetDueData{ID: t1, DueOn: &due}), status: StatusRejected, code: CodeNotFound}},
				invalid("m4", MutTaskSetDue, map[string]any{"id": t1}, "due_on"),
				invalid("m5", MutTaskSetDue, map[string]any{"id": t1, "due_on": "next week"}, "due_on"),
			},
			check: func(t *testing.T, b model.Book) {
				if want := fixtureBook(csm1).Tasks; !reflect.DeepEqual(b.Tasks, want) {
					t.Fatalf("tasks %+v, want the fixture's %+v", b.Tasks, want)
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ts := newTestServer(t)
			_, cursor, _ := walkFeed(t, ts, tok1, "", 0)
			results := make([]MutationResult, len(c.steps))
			applied := 0
			for i, st := range c.steps {
				where := fmt.Sprintf("step %d", i+1)
				results[i] = pushContactStep(t, ts, where, st)
				cursor = checkContactFeed(t, s, ts, where, cursor, st, results[i])
				if st.status == StatusApplied && contactStepToken(st.mutStep) == tok1 {
					applied++
				}
			}
			// Every mutation again: the first answer, and nothing new in the feed.
			for i, st := range c.steps {
				want := results[i]
				if want.Status == StatusApplied {
					want.Status = StatusDuplicate
				}
				if got := pushMutations(t, ts, contactStepToken(st.mutStep), st.m)[0]; !reflect.DeepEqual(got, want) {
					t.Fatalf("repeat of step %d: %+v, want %+v", i+1, got, want)
				}
			}
			if p := fetchPage(t, ts, tok1, cursor, 0); len(p.Changes) != 0 {
				t.Fatalf("repeats changed the feed: %+v", p.Changes)
			}
			if n := s.MutationCount(csm1); n != applied {
				t.Errorf("MutationCount = %d, want %d", n, applied)
			}
			c.check(t, s.Book(csm1))
			if !reflect.DeepEqual(s.Book(csm2), NewServer([]Tenant{{Book: fixtureBook(csm2)}}).Book(csm2)) {
				t.Errorf("the other CSM's book changed")
			}
		})
	}
}

func contactStepToken(st mutStep) string {
	if st.token == "" {
		return tok1
	}
	return st.token
}

// pushContactStep pushes one step and checks its answer, and that a
// rejection for bad data names the field at fault.
func pushContactStep(t *testing.T, ts *httptest.Server, where string, st contactStep) MutationResult {
	t.Helper()
	got := pushMutations(t, ts, contactStepToken(st.mutStep), st.m)[0]
	checkMutResult(t, where, got, st.mutStep)
	if st.field != "" && !strings.Contains(got.Error.Message, st.field+":") {
		t.Fatalf("%s: message %q does not name %s", where, got.Error.Message, st.field)
	}
	return got
}

// checkContactFeed reads tok1's feed from cursor after one step: a change of
// tok1's book that was applied (and not superseded) is there as one upsert
// of the entity it changed, at the answer's seq, with the book's new state;
// anything else left the feed as it was. It returns the cursor past what it
// read.
func checkContactFeed(t *testing.T, s *Server, ts *httptest.Server, where, cursor string, st contactStep, res MutationResult) string {
	t.Helper()
	p := fetchPage(t, ts, tok1, cursor, 0)
	if res.Status != StatusApplied || res.Superseded || contactStepToken(st.mutStep) != tok1 {
		if len(p.Changes) != 0 {
			t.Fatalf("%s: %s changed the feed: %+v", where, res.Status, p.Changes)
		}
		return p.NextCursor
	}
	entity, id := contactStepEntity(t, st.m)
	if len(p.Changes) != 1 || p.Changes[0].Seq != res.Seq || p.Changes[0].Entity != entity || p.Changes[0].ID != id || p.Changes[0].Op != OpUpsert {
		t.Fatalf("%s: feed %+v, want an upsert of %s %q at seq %d", where, p.Changes, entity, id, res.Seq)
	}
	got, err := DecodeEntity(entity, p.Changes[0].Data)
	if err != nil {
		t.Fatalf("%s: feed entity: %v", where, err)
	}
	if want := entityInBook(s.Book(csm1), entity, id); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: feed carries %+v, the book holds %+v", where, got, want)
	}
	return p.NextCursor
}

// contactStepEntity is the entity and id a mutation of these types changes.
func contactStepEntity(t *testing.T, m Mutation) (string, string) {
	t.Helper()
	var d struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(m.Data, &d); err != nil {
		t.Fatalf("mutation data: %v", err)
	}
	switch m.Type {
	case MutContactCreate, MutContactUpdate:
		return EntityContact, d.ID
	case MutTaskSetDue, MutTaskSetDone:
		return EntityTask, d.ID
	}
	t.Fatalf("no entity known for %s", m.Type)
	return "", ""
}

// entityInBook finds one entity of a book, as a model value; nil if absent.
func entityInBook(b model.Book, entity, id string) any {
	for _, e := range bookEntities(b) {
		if e.entity == entity && EntityID(entity, e.v) == id {
			return e.v
		}
	}
	return nil
}

func contactInBook(b model.Book, id string) *model.Contact {
	for i := range b.Contacts {
		if b.Contacts[i].ID == id {
			return &b.Contacts[i]
		}
	}
	return nil
}
