package sync

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"csm/model"
)

func newMutation(id, typ string, at time.Time, data any) Mutation {
	raw, err := json.Marshal(data)
	if err != nil {
		panic(err) // test fixtures always encode
	}
	return Mutation{ID: id, Type: typ, At: at, Data: raw}
}

func pushMutations(t *testing.T, ts *httptest.Server, token string, muts ...Mutation) []MutationResult {
	t.Helper()
	body, err := json.Marshal(MutationsRequest{Mutations: muts})
	if err != nil {
		t.Fatal(err)
	}
	r := callServer(t, ts, http.MethodPost, APIPrefix+"/mutations", token, body)
	if r.status != http.StatusOK {
		t.Fatalf("POST mutations: %d %s", r.status, r.body)
	}
	var resp MutationsResponse
	if err := json.Unmarshal(r.body, &resp); err != nil || len(resp.Results) != len(muts) {
		t.Fatalf("answer %s (%v) for %d mutations", r.body, err, len(muts))
	}
	return resp.Results
}

func atHour(h int) time.Time { return serverNow.Add(time.Duration(h) * time.Hour) }

func draftNote(id, account string) model.Note {
	return model.Note{ID: id, AccountID: account, Kind: model.NoteMeeting, HappenedAt: atHour(-1),
		Body: "met the team", NextSteps: []string{"train admins"}, Author: "CSM c1", CreatedAt: atHour(0), Revision: 1}
}

// mutStep is one push and the answer it must get.
type mutStep struct {
	token      string // tok1 when empty
	m          Mutation
	status     string
	code       string // of a rejection
	superseded bool
}

func TestMutations(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		a1, a2 := csm1+"-a1", csm2+"-a1"
		note := draftNote("n-new", a1)
		task := model.Task{ID: "t-new", AccountID: a1, NoteID: ref(csm1 + "-n1"), Title: "Train admins", CreatedAt: atHour(0)}
		cases := []struct {
			name  string
			steps []mutStep
			check func(t *testing.T, b model.Book)
		}{
			{
				name:  "note.create",
				steps: []mutStep{{m: newMutation("m1", MutNoteCreate, atHour(0), note), status: StatusApplied}},
				check: func(t *testing.T, b model.Book) {
					if got := findNote(b, "n-new"); !reflect.DeepEqual(got, &note) {
						t.Fatalf("note %+v, want %+v", got, note)
					}
				},
			},
			{
				name:  "note.create without an author is the token's CSM's",
				steps: []mutStep{{m: newMutation("m1", MutNoteCreate, atHour(0), changed(note, func(n *model.Note) { n.Author = "" })), status: StatusApplied}},
				check: func(t *testing.T, b model.Book) {
					if got := findNote(b, "n-new"); got == nil || got.Author != "CSM "+csm1 {
						t.Fatalf("note %+v, want the author %q", got, "CSM "+csm1)
					}
				},
			},
			{
				name: "note.create rejections",
				steps: []mutStep{
					{m: newMutation("m1", MutNoteCreate, atHour(0), draftNote("n-x", a2)), status: StatusRejected, code: CodeNotFound},
					{m: newMutation("m2", MutNoteCreate, atHour(0), draftNote(csm2+"-n1", a1)), status: StatusRejected, code: CodeConflict},
					{m: newMutation("m3", MutNoteCreate, atHour(0), draftNote(csm1+"-n1", a1)), status: StatusRejected, code: CodeConflict},
					{m: newMutation("m4", MutNoteCreate, atHour(0), changed(draftNote("n-y", a1), func(n *model.Note) { n.Kind = "chat" })), status: StatusRejected, code: CodeInvalid},
					{m: newMutation("m5", MutNoteCreate, atHour(0), map[string]any{"id": "n-z", "account_id": a1}), status: StatusRejected, code: CodeInvalid},
				},
				check: func(t *testing.T, b model.Book) {
					if len(b.Notes) != 1 {
						t.Fatalf("%d notes, want the one of the fixture", len(b.Notes))
					}
				},
			},
			{
				name: "note.revise keeps history",
				steps: []mutStep{
					{m: newMutation("m1", MutNoteRevise, atHour(1), NoteReviseData{ID: "n-r2", Supersedes: csm1 + "-n1", Body: "kickoff call, corrected", Kind: model.NoteQBR, HappenedAt: atHour(-3)}), status: StatusApplied},
					{m: newMutation("m2", MutNoteRevise, atHour(2), NoteReviseData{ID: "n-r3", Supersedes: "n-r2", Body: "third", Kind: model.NoteQBR, HappenedAt: atHour(-3)}), status: StatusApplied},
					{m: newMutation("m3", MutNoteRevise, atHour(2), NoteReviseData{ID: "n-x", Supersedes: csm2 + "-n1", Body: "b", Kind: model.NoteQBR, HappenedAt: atHour(-3)}), status: StatusRejected, code: CodeNotFound},
					{m: newMutation("m4", MutNoteRevise, atHour(2), NoteReviseData{ID: "n-r2", Supersedes: csm1 + "-n1", Body: "b", Kind: model.NoteQBR, HappenedAt: atHour(-3)}), status: StatusRejected, code: CodeConflict},
				},
				check: func(t *testing.T, b model.Book) {
					first, second, third := findNote(b, csm1+"-n1"), findNote(b, "n-r2"), findNote(b, "n-r3")
					if first == nil || first.Body != "kickoff call" || first.Revision != 1 {
						t.Fatalf("first revision changed or lost: %+v", first)
					}
					want := model.Note{ID: "n-r2", AccountID: a1, Kind: model.NoteQBR, HappenedAt: atHour(-3), Body: "kickoff call, corrected",
						Author: "CSM c1", CreatedAt: atHour(1), Revision: 2, Supersedes: ref(csm1 + "-n1")}
					if !reflect.DeepEqual(second, &want) {
						t.Fatalf("revision 2 is %+v, want %+v", second, want)
					}
					if third == nil || third.Revision != 3 || *third.Supersedes != "n-r2" {
						t.Fatalf("revision 3 is %+v", third)
					}
				},
			},
			{
				name: "task.create",
				steps: []mutStep{
					{m: newMutation("m1", MutTaskCreate, atHour(0), task), status: StatusApplied},
					{m: newMutation("m2", MutTaskCreate, atHour(0), changed(task, func(x *model.Task) { x.ID, x.NoteID = "t-2", ref(csm2+"-n1") })), status: StatusRejected, code: CodeNotFound},
					{m: newMutation("m3", MutTaskCreate, atHour(0), changed(task, func(x *model.Task) { x.ID = csm2 + "-t1" })), status: StatusRejected, code: CodeConflict},
				},
				check: func(t *testing.T, b model.Book) {
					if len(b.Tasks) != 2 || !reflect.DeepEqual(b.Tasks[1], task) {
						t.Fatalf("tasks %+v, want the fixture's and %+v", b.Tasks, task)
					}
				},
			},
			{
				name: "task.set_done, last writer wins",
				steps: []mutStep{
					{m: newMutation("m1", MutTaskSetDone, atHour(2), TaskSetDoneData{ID: csm1 + "-t1", DoneAt: ref(atHour(2))}), status: StatusApplied},
					{m: newMutation("m2", MutTaskSetDone, atHour(1), TaskSetDoneData{ID: csm1 + "-t1"}), status: StatusApplied, superseded: true},
					{m: newMutation("m3", MutTaskSetDone, atHour(3), TaskSetDoneData{ID: csm2 + "-t1", DoneAt: ref(atHour(3))}), status: StatusRejected, code: CodeNotFound},
					{token: tok2, m: newMutation("m4", MutTaskSetDone, atHour(3), TaskSetDoneData{ID: csm1 + "-t1"}), status: StatusRejected, code: CodeNotFound},
				},
				check: func(t *testing.T, b model.Book) {
					if d := b.Tasks[0].DoneAt; d == nil || !d.Equal(atHour(2)) {
						t.Fatalf("done_at %v, want %v", d, atHour(2))
					}
				},
			},
			{
				name: "task.set_done reopens when newer",
				steps: []mutStep{
					{m: newMutation("m1", MutTaskSetDone, atHour(1), TaskSetDoneData{ID: csm1 + "-t1", DoneAt: ref(atHour(1))}), status: StatusApplied},
					{m: newMutation("m2", MutTaskSetDone, atHour(2), TaskSetDoneData{ID: csm1 + "-t1"}), status: StatusApplied},
				},
				check: func(t *testing.T, b model.Book) {
					if b.Tasks[0].DoneAt != nil {
						t.Fatalf("done_at %v, want reopened", b.Tasks[0].DoneAt)
					}
				},
			},
			{
				name: "checklist.set, last writer wins",
				steps: []mutStep{
					{m: newMutation("m1", MutChecklistSet, atHour(2), ChecklistSetData{AccountID: a1, ChecklistKey: "onboarding", ItemKey: "training", Done: true}), status: StatusApplied},
					{m: newMutation("m2", MutChecklistSet, atHour(1), ChecklistSetData{AccountID: a1, ChecklistKey: "onboarding", ItemKey: "training"}), status: StatusApplied, superseded: true},
					{m: newMutation("m3", MutChecklistSet, atHour(-100), ChecklistSetData{AccountID: a1, ChecklistKey: "onboarding", ItemKey: "kickoff"}), status: StatusApplied, superseded: true},
					{m: newMutation("m4", MutChecklistSet, atHour(3), ChecklistSetData{AccountID: a1, ChecklistKey: "onboarding", ItemKey: "nope", Done: true}), status: StatusRejected, code: CodeInvalid},
					{m: newMutation("m5", MutChecklistSet, atHour(3), ChecklistSetData{AccountID: a2, ChecklistKey: "onboarding", ItemKey: "kickoff", Done: true}), status: StatusRejected, code: CodeNotFound},
				},
				check: func(t *testing.T, b model.Book) {
					want := []model.ChecklistItem{
						{ID: a1 + "/onboarding/kickoff", AccountID: a1, ChecklistKey: "onboarding", ItemKey: "kickoff", Done: true, ChangedAt: serverNow.Add(-48 * time.Hour)},
						{ID: a1 + "/onboarding/training", AccountID: a1, ChecklistKey: "onboarding", ItemKey: "training", Done: true, ChangedAt: atHour(2)},
					}
					if !reflect.DeepEqual(b.ChecklistItems, want) {
						t.Fatalf("items %+v, want %+v", b.ChecklistItems, want)
					}
				},
			},
			{
				name: "plays",
				steps: []mutStep{
					{m: newMutation("m1", MutPlayStart, atHour(0), PlayStartData{ID: "r-new", AccountID: a1, PlaybookKey: "low_util"}), status: StatusApplied},
					{m: newMutation("m2", MutPlaySetStep, atHour(2), PlaySetStepData{ID: "r-new", StepKey: "review", Done: true}), status: StatusApplied},
					{m: newMutation("m3", MutPlaySetStep, atHour(1), PlaySetStepData{ID: "r-new", StepKey: "review"}), status: StatusApplied, superseded: true},
					{m: newMutation("m4", MutPlayClose, atHour(4), PlayCloseData{ID: "r-new", Outcome: "recovered"}), status: StatusApplied},
					{m: newMutation("m5", MutPlayClose, atHour(3), PlayCloseData{ID: "r-new", Outcome: "lost"}), status: StatusApplied, superseded: true},
					{m: newMutation("m6", MutPlaySetStep, atHour(5), PlaySetStepData{ID: "r-new", StepKey: "nope", Done: true}), status: StatusRejected, code: CodeInvalid},
					{m: newMutation("m7", MutPlayStart, atHour(0), PlayStartData{ID: "r-x", AccountID: a1, PlaybookKey: "nope"}), status: StatusRejected, code: CodeNotFound},
					{m: newMutation("m8", MutPlayStart, atHour(0), PlayStartData{ID: csm2 + "-r1", AccountID: a1, PlaybookKey: "low_util"}), status: StatusRejected, code: CodeConflict},
					{m: newMutation("m9", MutPlayClose, atHour(6), PlayCloseData{ID: csm2 + "-r1", Outcome: "x"}), status: StatusRejected, code: CodeNotFound},
				},
				check: func(t *testing.T, b model.Book) {
					want := model.PlayRun{ID: "r-new", AccountID: a1, PlaybookKey: "low_util", StartedAt: atHour(0),
						ClosedAt: ref(atHour(4)), Outcome: ref("recovered"), Steps: map[string]*time.Time{"review": ref(atHour(2)), "plan": nil}}
					if len(b.PlayRuns) != 2 || !reflect.DeepEqual(b.PlayRuns[1], want) {
						t.Fatalf("play runs %+v, want the fixture's and %+v", b.PlayRuns, want)
					}
				},
			},
			{
				name: "bad envelopes",
				steps: []mutStep{
					{m: Mutation{ID: "m1", Type: "note.delete", At: atHour(0), Data: json.RawMessage(`{}`)}, status: StatusRejected, code: CodeInvalid},
					{m: Mutation{ID: "m2", Type: MutNoteCreate, Data: newMutation("", "", atHour(0), note).Data}, status: StatusApplied},
					{m: Mutation{ID: "m3", Type: MutTaskSetDone, At: atHour(0), Data: json.RawMessage(`{"id":"` + csm1 + `-t1"}`)}, status: StatusRejected, code: CodeInvalid},
				},
			},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				s, ts := newTestServerOn(t, kind)
				applied := 0
				for i, st := range c.steps {
					token := st.token
					if token == "" {
						token = tok1
					}
					got := pushMutations(t, ts, token, st.m)[0]
					checkMutResult(t, fmt.Sprintf("step %d", i+1), got, st)
					if st.status == StatusApplied && token == tok1 {
						applied++
					}
				}
				if n := s.MutationCount(csm1); n != applied {
					t.Errorf("MutationCount = %d, want %d", n, applied)
				}
				if c.check != nil {
					c.check(t, s.Book(csm1))
				}
				if !reflect.DeepEqual(s.Book(csm2), NewServer([]Tenant{{Book: fixtureBook(csm2)}}).Book(csm2)) {
					t.Errorf("the other CSM's book changed")
				}
			})
		}
	})
}

func checkMutResult(t *testing.T, where string, got MutationResult, want mutStep) {
	t.Helper()
	code := ""
	if got.Error != nil {
		code = got.Error.Code
	}
	switch {
	case got.ID != want.m.ID || got.Status != want.status || code != want.code || got.Superseded != want.superseded:
		t.Fatalf("%s: %+v (error %+v), want %s %s superseded=%v", where, got, got.Error, want.status, want.code, want.superseded)
	case got.Status == StatusApplied && !got.Superseded && got.Seq == 0:
		t.Fatalf("%s: applied without a seq", where)
	case got.Status == StatusRejected && got.Error.Message == "":
		t.Fatalf("%s: rejected without a message", where)
	}
}

func findNote(b model.Book, id string) *model.Note {
	for i := range b.Notes {
		if b.Notes[i].ID == id {
			return &b.Notes[i]
		}
	}
	return nil
}

func ref[T any](v T) *T { return &v }

// changed returns a copy of v altered by f.
func changed[T any](v T, f func(*T)) T {
	f(&v)
	return v
}

func TestMutationsOnce(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		s, ts := newTestServerOn(t, kind)
		_, cursor, _ := walkFeed(t, ts, tok1, "", 0)
		note := draftNote("n-new", csm1+"-a1")
		create := newMutation("m1", MutNoteCreate, atHour(0), note)
		bad := newMutation("m2", MutNoteCreate, atHour(0), draftNote("n-bad", csm2+"-a1"))
		late := newMutation("m3", MutChecklistSet, atHour(-100), ChecklistSetData{AccountID: csm1 + "-a1", ChecklistKey: "onboarding", ItemKey: "kickoff"})

		first := pushMutations(t, ts, tok1, create, bad, late)
		feed := fetchPage(t, ts, tok1, cursor, 0)
		if len(feed.Changes) != 1 || feed.Changes[0].Seq != first[0].Seq || feed.Changes[0].ID != "n-new" {
			t.Fatalf("feed after the push: %+v, want the note at seq %d", feed.Changes, first[0].Seq)
		}

		// The rejected one is sent again with its data fixed: a rejection is final.
		fixed := newMutation("m2", MutNoteCreate, atHour(0), draftNote("n-bad", csm1+"-a1"))
		again := pushMutations(t, ts, tok1, create, fixed, late)
		want := []MutationResult{
			{ID: "m1", Status: StatusDuplicate, Seq: first[0].Seq},
			first[1],
			{ID: "m3", Status: StatusDuplicate, Superseded: true},
		}
		if !reflect.DeepEqual(again, want) {
			t.Fatalf("repeat answered %+v, want %+v", again, want)
		}
		if first[1].Status != StatusRejected {
			t.Fatalf("first answer to m2: %+v", first[1])
		}
		if p := fetchPage(t, ts, tok1, feed.NextCursor, 0); len(p.Changes) != 0 {
			t.Fatalf("repeats changed the feed: %+v", p.Changes)
		}
		if n := s.MutationCount(csm1); n != 2 {
			t.Fatalf("MutationCount = %d, want 2 (the note and the superseded tick)", n)
		}
		// Mutation ids are per book: the other CSM's m1 is a new mutation.
		if r := pushMutations(t, ts, tok2, newMutation("m1", MutNoteCreate, atHour(0), draftNote("n-other", csm2+"-a1"))); r[0].Status != StatusApplied {
			t.Fatalf("other book's m1: %+v", r[0])
		}
	})
}

func TestMutationsConcurrent(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		s, ts := newTestServerOn(t, kind)
		m := newMutation("m-race", MutNoteCreate, atHour(0), draftNote("n-race", csm1+"-a1"))
		const pushers = 32
		results := make([]MutationResult, pushers)
		var wg gosync.WaitGroup
		for i := range pushers {
			wg.Go(func() {
				body, _ := json.Marshal(MutationsRequest{Mutations: []Mutation{m}})
				req, _ := http.NewRequest(http.MethodPost, ts.URL+APIPrefix+"/mutations", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+tok1)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				defer resp.Body.Close()
				var r MutationsResponse
				if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || len(r.Results) != 1 {
					t.Errorf("answer: %v", err)
					return
				}
				results[i] = r.Results[0]
			})
		}
		wg.Wait()
		applied := 0
		for _, r := range results {
			switch r.Status {
			case StatusApplied:
				applied++
			case StatusDuplicate:
			default:
				t.Errorf("answer %+v", r)
			}
			if r.Seq != results[0].Seq {
				t.Errorf("seq %d, another answer has %d", r.Seq, results[0].Seq)
			}
		}
		if applied != 1 || s.MutationCount(csm1) != 1 {
			t.Fatalf("%d applied, MutationCount %d, want 1 and 1", applied, s.MutationCount(csm1))
		}
		if n := len(s.Book(csm1).Notes); n != 2 {
			t.Fatalf("%d notes, want 2", n)
		}
	})
}

func TestMutationsRequest(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		_, ts := newTestServerOn(t, kind)
		many := MutationsRequest{Mutations: make([]Mutation, MaxMutationsBatch+1)}
		for i := range many.Mutations {
			many.Mutations[i] = newMutation(fmt.Sprintf("m%d", i), MutTaskSetDone, atHour(0), TaskSetDoneData{ID: csm1 + "-t1"})
		}
		tooMany, _ := json.Marshal(many)
		huge := []byte(`{"mutations":[{"id":"m1","type":"note.create","at":"2026-11-23T10:00:00Z","data":{"body":"` +
			strings.Repeat("x", MaxMutationsBody) + `"}}]}`)
		cases := []struct {
			name        string
			body        []byte
			contentType string
			status      int
			code        string
		}{
			{"too many", tooMany, "application/json", http.StatusRequestEntityTooLarge, CodeTooLarge},
			{"too big", huge, "application/json", http.StatusRequestEntityTooLarge, CodeTooLarge},
			{"not JSON", []byte(`{"mutations": [`), "application/json", http.StatusBadRequest, CodeBadRequest},
			{"no mutations key", []byte(`{}`), "application/json", http.StatusBadRequest, CodeBadRequest},
			{"mutations not a list", []byte(`{"mutations": {}}`), "application/json", http.StatusBadRequest, CodeBadRequest},
			{"form body", []byte(`a=b`), "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType, CodeUnsupportedMedia},
			{"empty list", []byte(`{"mutations": []}`), "application/json; charset=utf-8", http.StatusOK, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := callServer(t, ts, http.MethodPost, APIPrefix+"/mutations", tok1, c.body, "Content-Type", c.contentType)
				if c.status == http.StatusOK {
					if r.status != http.StatusOK || string(r.body) != `{"results":[]}` {
						t.Fatalf("%d %s", r.status, r.body)
					}
					return
				}
				wantAPIError(t, r, c.status, c.code)
			})
		}
	})
}

// TestMutationsMalformedEntries answers each broken entry on its own, so
// one bad change never blocks the rest of a client's outbox.
func TestMutationsMalformedEntries(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		s, ts := newTestServerOn(t, kind)
		good := newMutation("m-good", MutTaskSetDone, atHour(0), TaskSetDoneData{ID: csm1 + "-t1", DoneAt: ref(atHour(0))})
		goodRaw, _ := json.Marshal(good)
		body := []byte(`{"mutations":[
		{"id":"m-at","type":"task.set_done","at":"yesterday","data":{"id":"x","done_at":null}},
		{"type":"task.set_done","at":"2026-11-23T10:00:00Z","data":{}},
		{"id":"m-nodata","type":"task.set_done","at":"2026-11-23T10:00:00Z"},
		"not an object",
		` + string(goodRaw) + `]}`)
		r := callServer(t, ts, http.MethodPost, APIPrefix+"/mutations", tok1, body)
		var resp MutationsResponse
		if err := json.Unmarshal(r.body, &resp); err != nil || r.status != http.StatusOK {
			t.Fatalf("%d %s", r.status, r.body)
		}
		want := []struct{ id, status string }{
			{"m-at", StatusRejected}, {"", StatusRejected}, {"m-nodata", StatusRejected}, {"", StatusRejected}, {"m-good", StatusApplied},
		}
		if len(resp.Results) != len(want) {
			t.Fatalf("%d results, want %d", len(resp.Results), len(want))
		}
		for i, w := range want {
			if got := resp.Results[i]; got.ID != w.id || got.Status != w.status {
				t.Errorf("result %d: %+v, want %s %s", i, got, w.id, w.status)
			}
		}
		if s.MutationCount(csm1) != 1 {
			t.Fatalf("MutationCount = %d, want 1", s.MutationCount(csm1))
		}
	})
}

func TestDecodeMutationData(t *testing.T) {
	note := newMutation("", "", atHour(0), draftNote("n1", "a1")).Data
	cases := []struct {
		name  string
		typ   string
		data  string
		want  any
		field string // of the error; "" = valid
	}{
		{"note.create", MutNoteCreate, string(note), draftNote("n1", "a1"), ""},
		{"note.create revision 2", MutNoteCreate, strings.Replace(string(note), `"revision":1,"supersedes":null`, `"revision":2,"supersedes":"n0"`, 1), nil, "revision"},
		{"note.revise", MutNoteRevise, `{"id":"n2","supersedes":"n1","body":"b","next_steps":null,"kind":"qbr","happened_at":"2026-11-23T10:00:00Z","extra":1}`,
			NoteReviseData{ID: "n2", Supersedes: "n1", Body: "b", Kind: "qbr", HappenedAt: serverNow}, ""},
		{"note.revise of itself", MutNoteRevise, `{"id":"n1","supersedes":"n1","body":"b","next_steps":[],"kind":"qbr","happened_at":"2026-11-23T10:00:00Z"}`, nil, "supersedes"},
		{"note.revise without body", MutNoteRevise, `{"id":"n2","supersedes":"n1","next_steps":[],"kind":"qbr","happened_at":"2026-11-23T10:00:00Z"}`, nil, "body"},
		{"task.set_done", MutTaskSetDone, `{"id":"t1","done_at":"2026-11-23T10:00:00Z"}`, TaskSetDoneData{ID: "t1", DoneAt: ref(serverNow)}, ""},
		{"task.set_done null", MutTaskSetDone, `{"id":"t1","done_at":null}`, TaskSetDoneData{ID: "t1"}, ""},
		{"task.set_done absent done_at", MutTaskSetDone, `{"id":"t1"}`, nil, "done_at"},
		{"checklist.set", MutChecklistSet, `{"account_id":"a1","checklist_key":"c","item_key":"i","done":true}`, ChecklistSetData{AccountID: "a1", ChecklistKey: "c", ItemKey: "i", Done: true}, ""},
		{"checklist.set done as string", MutChecklistSet, `{"account_id":"a1","checklist_key":"c","item_key":"i","done":"yes"}`, nil, "done"},
		{"play.start", MutPlayStart, `{"id":"r1","account_id":"a1","playbook_key":"pb"}`, PlayStartData{ID: "r1", AccountID: "a1", PlaybookKey: "pb"}, ""},
		{"play.start empty playbook", MutPlayStart, `{"id":"r1","account_id":"a1","playbook_key":""}`, nil, "playbook_key"},
		{"play.set_step", MutPlaySetStep, `{"id":"r1","step_key":"s","done":false}`, PlaySetStepData{ID: "r1", StepKey: "s"}, ""},
		{"play.set_step no done", MutPlaySetStep, `{"id":"r1","step_key":"s"}`, nil, "done"},
		{"play.close", MutPlayClose, `{"id":"r1","outcome":"won"}`, PlayCloseData{ID: "r1", Outcome: "won"}, ""},
		{"play.close long outcome", MutPlayClose, `{"id":"r1","outcome":"` + strings.Repeat("w", 300) + `"}`,
			PlayCloseData{ID: "r1", Outcome: strings.Repeat("w", model.MaxNameChars-1) + model.Ellipsis}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DecodeMutationData(c.typ, json.RawMessage(c.data))
			if c.field != "" {
				wantFieldError(t, err, c.field)
				return
			}
			if err != nil || !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %+v (%v), want %+v", got, err, c.want)
			}
		})
	}
	if _, err := DecodeMutationData("note.delete", json.RawMessage(`{}`)); err == nil {
		t.Fatal("unknown type accepted")
	}
}
