package sync

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"time"

	"csm/model"
)

// MaxMutationsBody bounds the body of POST /mutations.
const MaxMutationsBody = 8 << 20

// handleMutations applies a batch of mutations, each at most once by id.
func (s *Server) handleMutations(w http.ResponseWriter, r *http.Request, csm model.CSM) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			s.fail(w, r, http.StatusUnsupportedMediaType, CodeUnsupportedMedia, "send application/json")
			return
		}
	}
	if ce := r.Header.Get("Content-Encoding"); ce != "" && ce != "identity" {
		s.fail(w, r, http.StatusUnsupportedMediaType, CodeUnsupportedMedia, "send the body without Content-Encoding")
		return
	}
	var req struct {
		Mutations []json.RawMessage `json:"mutations"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxMutationsBody))
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(w, r, http.StatusRequestEntityTooLarge, CodeTooLarge, fmt.Sprintf("body over %d MiB", MaxMutationsBody>>20))
			return
		}
		s.fail(w, r, http.StatusBadRequest, CodeBadRequest, `body must be {"mutations": [...]}`)
		return
	}
	if req.Mutations == nil {
		s.fail(w, r, http.StatusBadRequest, CodeBadRequest, `body must be {"mutations": [...]}`)
		return
	}
	if len(req.Mutations) > MaxMutationsBatch {
		s.fail(w, r, http.StatusRequestEntityTooLarge, CodeTooLarge, fmt.Sprintf("at most %d mutations per request", MaxMutationsBatch))
		return
	}

	// One transaction for the batch: every answer is stored with the
	// change it made, and a store that fails applies none of them, so
	// the client's retry finds nothing half done.
	resp := MutationsResponse{Results: make([]MutationResult, len(req.Mutations))}
	err := s.store.Write(r.Context(), csm.ID, func(tx BookTx) error {
		for i, raw := range req.Mutations {
			res, err := s.applyOnce(tx, raw)
			if err != nil {
				return fmt.Errorf("mutation %d: %w", i, err)
			}
			resp.Results[i] = res
		}
		return nil
	})
	if err != nil {
		s.unavailable(w, r, err)
		return
	}
	s.reply(w, r, http.StatusOK, resp)
}

// applyOnce answers one mutation: the first answer for an id seen before,
// else the result of applying it, recorded in the same transaction as the
// change it makes. err is a failure of the store, not a rejection.
func (s *Server) applyOnce(tx BookTx, raw json.RawMessage) (MutationResult, error) {
	m, err := readMutation(raw)
	if m.ID == "" || len(m.ID) > model.MaxIDBytes {
		// No usable idempotency key: answer, but remember nothing.
		return rejection(m.ID, CodeInvalid, "mutation id must be 1 to 64 bytes"), nil
	}
	prev, seen, serr := tx.Result(m.ID)
	if serr != nil {
		return MutationResult{}, serr
	}
	if seen {
		if prev.Status == StatusApplied {
			prev.Status = StatusDuplicate
		}
		return prev, nil
	}
	var res MutationResult
	if err != nil {
		res = rejection(m.ID, CodeInvalid, err.Error())
	} else if res, err = s.apply(tx, m); err != nil {
		return MutationResult{}, err
	}
	return res, tx.SaveResult(m.ID, res)
}

// readMutation decodes the envelope of one mutation. Even when it fails,
// the id is returned if there is one, so the rejection can be recorded.
func readMutation(raw json.RawMessage) (Mutation, error) {
	var m Mutation
	var idOnly struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(raw, &idOnly) // a failure leaves the id empty
	obj, err := jsonObject(raw)
	if err != nil {
		return Mutation{ID: idOnly.ID}, errors.New("mutation is not a JSON object")
	}
	for _, f := range []string{"id", "type", "at", "data"} {
		if err := checkPresent(obj, f, ""); err != nil {
			return Mutation{ID: idOnly.ID}, fmt.Errorf("mutation: %w", err)
		}
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return Mutation{ID: idOnly.ID}, fmt.Errorf("mutation: %w", blameField[Mutation](obj, err))
	}
	return m, nil
}

func rejection(id, code, msg string) MutationResult {
	return MutationResult{ID: id, Status: StatusRejected, Error: &APIError{Code: code, Message: msg}}
}

func supersededResult(id string) MutationResult {
	return MutationResult{ID: id, Status: StatusApplied, Superseded: true}
}

// apply checks and applies one new mutation.
func (s *Server) apply(tx BookTx, m Mutation) (MutationResult, error) {
	data, err := DecodeMutationData(m.Type, m.Data)
	if err != nil {
		return rejection(m.ID, CodeInvalid, err.Error()), nil
	}
	b := book{tx}
	var o outcome
	switch d := data.(type) {
	case model.Note:
		o = b.noteCreate(d)
	case NoteReviseData:
		o = b.noteRevise(m.At, d)
	case model.Task:
		o = b.taskCreate(d)
	case TaskSetDoneData:
		o = b.taskSetDone(m.At, d)
	case ChecklistSetData:
		o = b.checklistSet(m.At, d)
	case PlayStartData:
		o = b.playStart(m.At, d)
	case PlaySetStepData:
		o = b.playSetStep(m.At, d)
	case PlayCloseData:
		o = b.playClose(m.At, d)
	case model.Contact:
		o = b.contactCreate(d)
	case ContactUpdateData:
		o = b.contactUpdate(m.At, d)
	case TaskSetDueData:
		o = b.taskSetDue(m.At, d)
	case SnoozeSetData:
		o = b.snoozeSet(m.At, d)
	default:
		// DecodeMutationData knows a type this switch does not: a bug
		// here, not bad data, so it fails the batch rather than refusing.
		o = failed(fmt.Errorf("mutation type %q has no server rule", m.Type))
	}
	switch {
	case o.err != nil:
		return MutationResult{}, o.err
	case o.rej != nil:
		return MutationResult{ID: m.ID, Status: StatusRejected, Error: o.rej}, nil
	case o.seq == 0:
		return supersededResult(m.ID), nil
	}
	return MutationResult{ID: m.ID, Status: StatusApplied, Seq: o.seq}, nil
}

// book applies the mutation rules to one CSM's book in a transaction.
type book struct{ tx BookTx }

// outcome is what a rule did: the seq of the change it made, 0 when a
// last-writer-wins mutation lost to a newer write; or why it refused; or
// a failure of the store.
type outcome struct {
	seq int64
	rej *APIError
	err error
}

func refused(rej *APIError) outcome { return outcome{rej: rej} }
func failed(err error) outcome      { return outcome{err: err} }

// check is a refusal, or a failure of the store while looking.
type check struct {
	rej *APIError
	err error
}

// firstProblem is the first failed check, as an outcome; ok is false then.
func firstProblem(checks ...check) (outcome, bool) {
	for _, c := range checks {
		if c.err != nil {
			return failed(c.err), false
		}
	}
	for _, c := range checks {
		if c.rej != nil {
			return refused(c.rej), false
		}
	}
	return outcome{}, true
}

func (b book) noteCreate(n model.Note) outcome {
	if o, ok := firstProblem(b.needLive(EntityAccount, n.AccountID), b.needFree(EntityNote, n.ID)); !ok {
		return o
	}
	if n.Author == "" {
		// A device that has not synced yet does not know its CSM's name;
		// the note is the token's CSM's, as a revision is.
		n.Author = b.tx.CSM().Name
	}
	return b.put(EntityNote, n.ID, n)
}

func (b book) noteRevise(at time.Time, d NoteReviseData) outcome {
	old, c := loadLive[model.Note](b, EntityNote, d.Supersedes)
	if o, ok := firstProblem(c, b.needFree(EntityNote, d.ID)); !ok {
		return o
	}
	n := model.Note{
		ID: d.ID, AccountID: old.AccountID, Kind: d.Kind, HappenedAt: d.HappenedAt,
		Body: d.Body, NextSteps: d.NextSteps, Author: b.tx.CSM().Name, CreatedAt: at,
		Revision: old.Revision + 1, Supersedes: &old.ID,
	}
	return b.put(EntityNote, n.ID, n)
}

func (b book) taskCreate(task model.Task) outcome {
	checks := []check{b.needLive(EntityAccount, task.AccountID), b.needFree(EntityTask, task.ID)}
	if task.NoteID != nil {
		checks = append(checks, b.needLive(EntityNote, *task.NoteID))
	}
	if o, ok := firstProblem(checks...); !ok {
		return o
	}
	return b.put(EntityTask, task.ID, task)
}

func (b book) taskSetDone(at time.Time, d TaskSetDoneData) outcome {
	task, c := loadLive[model.Task](b, EntityTask, d.ID)
	if o, ok := firstProblem(c); !ok {
		return o
	}
	since := task.CreatedAt
	if task.DoneAt != nil {
		since = *task.DoneAt
	}
	return b.ifWins("task/"+d.ID+"/done", at, since, func() outcome {
		task.DoneAt = d.DoneAt
		return b.put(EntityTask, task.ID, task)
	})
}

func (b book) taskSetDue(at time.Time, d TaskSetDueData) outcome {
	task, c := loadLive[model.Task](b, EntityTask, d.ID)
	if o, ok := firstProblem(c); !ok {
		return o
	}
	// A task does not record when its due date changed; before the first
	// task.set_due the task's creation is the time of its due date.
	return b.ifWins("task/"+d.ID+"/due", at, task.CreatedAt, func() outcome {
		task.DueOn = d.DueOn
		return b.put(EntityTask, task.ID, task)
	})
}

// snoozeSet puts an account or one of its alerts to sleep, or wakes it:
// last writer wins per account and key, from the time of the state kept.
func (b book) snoozeSet(at time.Time, d SnoozeSetData) outcome {
	if o, ok := firstProblem(b.needLive(EntityAccount, d.AccountID)); !ok {
		return o
	}
	id := model.SnoozeID(d.AccountID, d.Key)
	var since time.Time // a first snooze: any write wins
	old, c := loadLive[model.Snooze](b, EntitySnooze, id)
	if c.err != nil {
		return failed(c.err)
	}
	if c.rej == nil {
		since = old.ChangedAt
	}
	return b.ifWins(EntitySnooze+"/"+id, at, since, func() outcome {
		return b.put(EntitySnooze, id, model.Snooze{ID: id, AccountID: d.AccountID, Key: d.Key, Until: d.Until, ChangedAt: at})
	})
}

func (b book) contactCreate(ct model.Contact) outcome {
	if o, ok := firstProblem(b.needLive(EntityAccount, ct.AccountID), b.needFree(EntityContact, ct.ID)); !ok {
		return o
	}
	return b.put(EntityContact, ct.ID, ct)
}

// contactUpdate replaces the fields a CSM edits, as one last-writer-wins
// value per contact: two devices editing one contact end with one whole
// version, never a mix of both.
func (b book) contactUpdate(at time.Time, d ContactUpdateData) outcome {
	ct, c := loadLive[model.Contact](b, EntityContact, d.ID)
	if o, ok := firstProblem(c); !ok {
		return o
	}
	// A contact has no changed-at time, so nothing in its state is older or
	// newer than an update: the first update wins, later ones by at.
	var since time.Time
	return b.ifWins(EntityContact+"/"+d.ID, at, since, func() outcome {
		ct = d.Apply(ct)
		return b.put(EntityContact, ct.ID, ct)
	})
}

func (b book) checklistSet(at time.Time, d ChecklistSetData) outcome {
	list, c := loadLive[model.Checklist](b, EntityChecklist, d.ChecklistKey)
	if o, ok := firstProblem(b.needLive(EntityAccount, d.AccountID), c); !ok {
		return o
	}
	if !slices.ContainsFunc(list.Items, func(it model.ChecklistTemplateItem) bool { return it.Key == d.ItemKey }) {
		return refused(refusal(CodeInvalid, "checklist %q has no item %q", d.ChecklistKey, d.ItemKey))
	}
	id := model.ChecklistItemID(d.AccountID, d.ChecklistKey, d.ItemKey)
	var since time.Time // a new item: any write wins
	old, c := loadLive[model.ChecklistItem](b, EntityChecklistItem, id)
	if c.err != nil {
		return failed(c.err)
	}
	if c.rej == nil {
		since = old.ChangedAt
	}
	return b.ifWins(EntityChecklistItem+"/"+id, at, since, func() outcome {
		item := model.ChecklistItem{ID: id, AccountID: d.AccountID, ChecklistKey: d.ChecklistKey, ItemKey: d.ItemKey, Done: d.Done, ChangedAt: at}
		return b.put(EntityChecklistItem, id, item)
	})
}

func (b book) playStart(at time.Time, d PlayStartData) outcome {
	pb, c := loadLive[model.Playbook](b, EntityPlaybook, d.PlaybookKey)
	if o, ok := firstProblem(b.needLive(EntityAccount, d.AccountID), c, b.needFree(EntityPlayRun, d.ID)); !ok {
		return o
	}
	run := model.StartPlayRun(d.ID, d.AccountID, pb, at)
	return b.put(EntityPlayRun, run.ID, run)
}

func (b book) playSetStep(at time.Time, d PlaySetStepData) outcome {
	run, c := loadLive[model.PlayRun](b, EntityPlayRun, d.ID)
	if o, ok := firstProblem(c); !ok {
		return o
	}
	done, found := run.Steps[d.StepKey]
	if !found {
		return refused(refusal(CodeInvalid, "play run %q has no step %q", d.ID, d.StepKey))
	}
	since := run.StartedAt
	if done != nil {
		since = *done
	}
	return b.ifWins("play_run/"+d.ID+"/step/"+d.StepKey, at, since, func() outcome {
		var v *time.Time
		if d.Done {
			v = &at
		}
		run.Steps[d.StepKey] = v
		return b.put(EntityPlayRun, run.ID, run)
	})
}

func (b book) playClose(at time.Time, d PlayCloseData) outcome {
	run, c := loadLive[model.PlayRun](b, EntityPlayRun, d.ID)
	if o, ok := firstProblem(c); !ok {
		return o
	}
	since := run.StartedAt
	if run.ClosedAt != nil {
		since = *run.ClosedAt
	}
	return b.ifWins("play_run/"+d.ID+"/close", at, since, func() outcome {
		run.ClosedAt, run.Outcome = &at, &d.Outcome
		return b.put(EntityPlayRun, run.ID, run)
	})
}

// ifWins runs write when a write at `at` is not older than the last write
// to target (or, before any, than since, the time the current state
// shows), and records it as the last write; else the mutation is
// superseded and changes nothing.
func (b book) ifWins(target string, at, since time.Time, write func() outcome) outcome {
	last, ok, err := b.tx.LastWrite(target)
	if err != nil {
		return failed(err)
	}
	if ok {
		since = last
	}
	if at.Before(since) {
		return outcome{}
	}
	if err := b.tx.SetLastWrite(target, at); err != nil {
		return failed(err)
	}
	return write()
}

// put stores a model value as the new state of an entity.
func (b book) put(entity, id string, v any) outcome {
	seq, err := b.tx.Put(entity, id, encodeModel(v))
	return outcome{seq: seq, err: err}
}

// loadLive decodes a live entity of the book. Each call decodes afresh, so
// the caller may change what it gets.
func loadLive[T any](b book, entity, id string) (T, check) {
	var zero T
	e, found, err := b.tx.Get(entity, id)
	switch {
	case err != nil:
		return zero, check{err: err}
	case !found || e.Deleted:
		return zero, notInBook(entity, id)
	}
	v, err := DecodeEntity(entity, e.Data)
	if err != nil {
		return zero, check{rej: refusal(CodeInvalid, "%s %q is stored invalid: %v", entity, id, err)}
	}
	x, ok := v.(T)
	if !ok {
		return zero, check{rej: refusal(CodeInvalid, "%s %q is not a %T", entity, id, zero)}
	}
	return x, check{}
}

// needLive refuses unless the entity is live in the book. Another CSM's
// entity reads as absent: a book never learns what others hold.
func (b book) needLive(entity, id string) check {
	e, found, err := b.tx.Get(entity, id)
	switch {
	case err != nil:
		return check{err: err}
	case !found || e.Deleted:
		return notInBook(entity, id)
	}
	return check{}
}

func notInBook(entity, id string) check {
	return check{rej: refusal(CodeNotFound, "%s %q is not in your book", entity, id)}
}

// needFree refuses a client-made id already used in any book.
func (b book) needFree(entity, id string) check {
	taken, err := b.tx.IDTaken(entity, id)
	switch {
	case err != nil:
		return check{err: err}
	case taken:
		return check{rej: refusal(CodeConflict, "%s id %q is already taken", entity, id)}
	}
	return check{}
}

func refusal(code, format string, args ...any) *APIError {
	return &APIError{Code: code, Message: fmt.Sprintf(format, args...)}
}
