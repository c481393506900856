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
func (s *Server) handleMutations(w http.ResponseWriter, r *http.Request, t *tenant) {
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

	resp := MutationsResponse{Results: make([]MutationResult, len(req.Mutations))}
	s.mu.Lock()
	for i, raw := range req.Mutations {
		resp.Results[i] = s.applyOnce(t, raw)
	}
	s.mu.Unlock()
	s.reply(w, r, http.StatusOK, resp)
}

// applyOnce answers one mutation: the first answer for an id seen before,
// else the result of applying it, recorded under the same lock as the
// change it makes. The caller holds s.mu.
func (s *Server) applyOnce(t *tenant, raw json.RawMessage) MutationResult {
	m, err := readMutation(raw)
	if m.ID == "" || len(m.ID) > model.MaxIDBytes {
		// No usable idempotency key: answer, but remember nothing.
		return rejection(m.ID, CodeInvalid, "mutation id must be 1 to 64 bytes")
	}
	if prev, ok := t.results[m.ID]; ok {
		if prev.Status == StatusApplied {
			prev.Status = StatusDuplicate
		}
		return prev
	}
	var res MutationResult
	if err != nil {
		res = rejection(m.ID, CodeInvalid, err.Error())
	} else {
		res = s.apply(t, m)
	}
	t.results[m.ID] = res
	if res.Status == StatusApplied {
		t.applied++
	}
	return res
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

// apply checks and applies one new mutation. The caller holds s.mu.
func (s *Server) apply(t *tenant, m Mutation) MutationResult {
	data, err := DecodeMutationData(m.Type, m.Data)
	if err != nil {
		return rejection(m.ID, CodeInvalid, err.Error())
	}
	var seq int64
	var rej *APIError
	switch d := data.(type) {
	case model.Note:
		seq, rej = s.noteCreate(t, d)
	case NoteReviseData:
		seq, rej = s.noteRevise(t, m.At, d)
	case model.Task:
		seq, rej = s.taskCreate(t, d)
	case TaskSetDoneData:
		seq, rej = t.taskSetDone(m.At, d)
	case ChecklistSetData:
		seq, rej = t.checklistSet(m.At, d)
	case PlayStartData:
		seq, rej = s.playStart(t, m.At, d)
	case PlaySetStepData:
		seq, rej = t.playSetStep(m.At, d)
	case PlayCloseData:
		seq, rej = t.playClose(m.At, d)
	}
	switch {
	case rej != nil:
		return MutationResult{ID: m.ID, Status: StatusRejected, Error: rej}
	case seq == 0:
		return supersededResult(m.ID)
	}
	return MutationResult{ID: m.ID, Status: StatusApplied, Seq: seq}
}

// The mutation rules below return the seq of the change they made, 0 when
// a last-writer-wins mutation lost to a newer write, or why they refuse.

func (s *Server) noteCreate(t *tenant, n model.Note) (int64, *APIError) {
	if err := firstRefusal(t.needLive(EntityAccount, n.AccountID), s.needFree(EntityNote, n.ID)); err != nil {
		return 0, err
	}
	return t.put(EntityNote, n.ID, n), nil
}

func (s *Server) noteRevise(t *tenant, at time.Time, d NoteReviseData) (int64, *APIError) {
	old, err := loadLive[model.Note](t, EntityNote, d.Supersedes)
	if err := firstRefusal(err, s.needFree(EntityNote, d.ID)); err != nil {
		return 0, err
	}
	n := model.Note{
		ID: d.ID, AccountID: old.AccountID, Kind: d.Kind, HappenedAt: d.HappenedAt,
		Body: d.Body, NextSteps: d.NextSteps, Author: t.csm.Name, CreatedAt: at,
		Revision: old.Revision + 1, Supersedes: &old.ID,
	}
	return t.put(EntityNote, n.ID, n), nil
}

func (s *Server) taskCreate(t *tenant, task model.Task) (int64, *APIError) {
	refusals := []*APIError{t.needLive(EntityAccount, task.AccountID), s.needFree(EntityTask, task.ID)}
	if task.NoteID != nil {
		refusals = append(refusals, t.needLive(EntityNote, *task.NoteID))
	}
	if err := firstRefusal(refusals...); err != nil {
		return 0, err
	}
	return t.put(EntityTask, task.ID, task), nil
}

func (t *tenant) taskSetDone(at time.Time, d TaskSetDoneData) (int64, *APIError) {
	task, err := loadLive[model.Task](t, EntityTask, d.ID)
	if err != nil {
		return 0, err
	}
	since := task.CreatedAt
	if task.DoneAt != nil {
		since = *task.DoneAt
	}
	if !t.wins("task/"+d.ID+"/done", at, since) {
		return 0, nil
	}
	task.DoneAt = d.DoneAt
	return t.put(EntityTask, task.ID, task), nil
}

func (t *tenant) checklistSet(at time.Time, d ChecklistSetData) (int64, *APIError) {
	list, err := loadLive[model.Checklist](t, EntityChecklist, d.ChecklistKey)
	if err := firstRefusal(t.needLive(EntityAccount, d.AccountID), err); err != nil {
		return 0, err
	}
	if !slices.ContainsFunc(list.Items, func(it model.ChecklistTemplateItem) bool { return it.Key == d.ItemKey }) {
		return 0, refusal(CodeInvalid, "checklist %q has no item %q", d.ChecklistKey, d.ItemKey)
	}
	id := model.ChecklistItemID(d.AccountID, d.ChecklistKey, d.ItemKey)
	var since time.Time // a new item: any write wins
	if old, err := loadLive[model.ChecklistItem](t, EntityChecklistItem, id); err == nil {
		since = old.ChangedAt
	}
	if !t.wins(EntityChecklistItem+"/"+id, at, since) {
		return 0, nil
	}
	item := model.ChecklistItem{ID: id, AccountID: d.AccountID, ChecklistKey: d.ChecklistKey, ItemKey: d.ItemKey, Done: d.Done, ChangedAt: at}
	return t.put(EntityChecklistItem, id, item), nil
}

func (s *Server) playStart(t *tenant, at time.Time, d PlayStartData) (int64, *APIError) {
	pb, err := loadLive[model.Playbook](t, EntityPlaybook, d.PlaybookKey)
	if err := firstRefusal(t.needLive(EntityAccount, d.AccountID), err, s.needFree(EntityPlayRun, d.ID)); err != nil {
		return 0, err
	}
	run := model.StartPlayRun(d.ID, d.AccountID, pb, at)
	return t.put(EntityPlayRun, run.ID, run), nil
}

func (t *tenant) playSetStep(at time.Time, d PlaySetStepData) (int64, *APIError) {
	run, err := loadLive[model.PlayRun](t, EntityPlayRun, d.ID)
	if err != nil {
		return 0, err
	}
	done, ok := run.Steps[d.StepKey]
	if !ok {
		return 0, refusal(CodeInvalid, "play run %q has no step %q", d.ID, d.StepKey)
	}
	since := run.StartedAt
	if done != nil {
		since = *done
	}
	if !t.wins("play_run/"+d.ID+"/step/"+d.StepKey, at, since) {
		return 0, nil
	}
	var v *time.Time
	if d.Done {
		v = &at
	}
	run.Steps[d.StepKey] = v
	return t.put(EntityPlayRun, run.ID, run), nil
}

func (t *tenant) playClose(at time.Time, d PlayCloseData) (int64, *APIError) {
	run, err := loadLive[model.PlayRun](t, EntityPlayRun, d.ID)
	if err != nil {
		return 0, err
	}
	since := run.StartedAt
	if run.ClosedAt != nil {
		since = *run.ClosedAt
	}
	if !t.wins("play_run/"+d.ID+"/close", at, since) {
		return 0, nil
	}
	run.ClosedAt, run.Outcome = &at, &d.Outcome
	return t.put(EntityPlayRun, run.ID, run), nil
}

// wins says whether a write at `at` is not older than the last write to
// target (or, before any, than since, the time the current state shows),
// and records it as the last write when it is.
func (t *tenant) wins(target string, at, since time.Time) bool {
	if last, ok := t.lww[target]; ok {
		since = last
	}
	if at.Before(since) {
		return false
	}
	t.lww[target] = at
	return true
}

// put stores a model value as the new state of an entity.
func (t *tenant) put(entity, id string, v any) int64 {
	return t.upsert(entity, id, encodeModel(v))
}

// loadLive decodes a live entity of t's book. Each call decodes afresh, so
// the caller may change what it gets.
func loadLive[T any](t *tenant, entity, id string) (T, *APIError) {
	var zero T
	if err := t.needLive(entity, id); err != nil {
		return zero, err
	}
	v, err := DecodeEntity(entity, t.rows[rowKey{entity, id}].data)
	if err != nil {
		return zero, refusal(CodeInvalid, "%s %q is stored invalid: %v", entity, id, err)
	}
	x, ok := v.(T)
	if !ok {
		return zero, refusal(CodeInvalid, "%s %q is not a %T", entity, id, zero)
	}
	return x, nil
}

// needLive refuses unless the entity is live in t's book. Another CSM's
// entity reads as absent: a book never learns what others hold.
func (t *tenant) needLive(entity, id string) *APIError {
	if r := t.rows[rowKey{entity, id}]; r == nil || r.deleted {
		return refusal(CodeNotFound, "%s %q is not in your book", entity, id)
	}
	return nil
}

// needFree refuses a client-made id already used in any book.
func (s *Server) needFree(entity, id string) *APIError {
	for _, t := range s.tenants {
		if t.rows[rowKey{entity, id}] != nil {
			return refusal(CodeConflict, "%s id %q is already taken", entity, id)
		}
	}
	return nil
}

func refusal(code, format string, args ...any) *APIError {
	return &APIError{Code: code, Message: fmt.Sprintf(format, args...)}
}

func firstRefusal(errs ...*APIError) *APIError {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
