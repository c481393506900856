package sync

import (
	"context"
	"fmt"

	"csm/data"
)

// PushSummary counts what one push did.
type PushSummary struct {
	Pushed   int // applied or already there (duplicate)
	Rejected int
}

// Push sends the outbox in order, in batches of at most 500. Each change
// keeps the id it was given when it was saved, so a batch resent after a
// lost answer is answered "duplicate" and nothing is applied twice.
func Push(ctx context.Context, c *Client, st *data.Store) (PushSummary, error) {
	var sum PushSummary
	toPush := pushTotal(ctx, st) // for the progress shown while it runs
	for n := 1; ; n++ {
		batch, err := st.Pending(ctx, MaxMutationsBatch)
		if err != nil {
			return sum, err
		}
		if len(batch) == 0 {
			return sum, nil
		}
		muts := make([]Mutation, len(batch))
		ids := make([]string, len(batch))
		for i, m := range batch {
			muts[i] = Mutation{ID: m.ID, Type: m.Type, At: m.At, Data: m.Data}
			ids[i] = m.ID
		}
		resp, err := c.PushMutations(ctx, muts)
		if err != nil {
			if aerr := st.NoteAttempt(ctx, ids); aerr != nil {
				err = fmt.Errorf("%w (and %v)", err, aerr)
			}
			return sum, fmt.Errorf("push batch %d: %w", n, err)
		}
		results, err := matchResults(muts, resp.Results)
		if err != nil {
			return sum, fmt.Errorf("push batch %d: %w", n, err)
		}
		if err := st.RecordResults(ctx, results); err != nil {
			return sum, fmt.Errorf("push batch %d: %w", n, err)
		}
		for _, r := range results {
			if r.Done {
				sum.Pushed++
			} else {
				sum.Rejected++
			}
		}
		report(ctx, Progress{Phase: PhasePush, Pushed: sum.Pushed + sum.Rejected, ToPush: max(toPush, sum.Pushed+sum.Rejected), Percent: -1})
	}
}

// matchResults pairs the server's answers with the changes sent. An answer
// that is neither applied, duplicate nor rejected, or names another change,
// is a broken server: nothing is recorded, and the batch will be resent.
func matchResults(sent []Mutation, got []MutationResult) ([]data.Result, error) {
	if len(got) != len(sent) {
		return nil, fmt.Errorf("server answered %d results for %d changes", len(got), len(sent))
	}
	out := make([]data.Result, len(got))
	for i, r := range got {
		if r.ID != sent[i].ID {
			return nil, fmt.Errorf("result %d names change %q, not %q", i, r.ID, sent[i].ID)
		}
		switch r.Status {
		case StatusApplied, StatusDuplicate:
			out[i] = data.Result{ID: r.ID, Done: true}
		case StatusRejected:
			out[i] = data.Result{ID: r.ID, ErrorCode: "rejected", ErrorMsg: "the server refused this change"}
			if r.Error != nil {
				out[i].ErrorCode, out[i].ErrorMsg = r.Error.Code, r.Error.Message
			}
		default:
			return nil, fmt.Errorf("result %d has unknown status %q", i, r.Status)
		}
	}
	return out, nil
}
