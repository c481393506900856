package sync

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"csm/data"
	"csm/exitcode"
	"csm/model"
)

// Summary is what one sync did, for the one-line report.
type Summary struct {
	Pull     PullSummary
	Pushed   int
	Rejected int
	Took     time.Duration
	Invalid  []string
}

// String is the one-line summary `csm sync` prints.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "pulled %s in %s", model.Plural(s.Pull.Changes, "change"), model.Plural(s.Pull.Pages, "page"))
	if s.Pull.FullResync {
		b.WriteString(" (full)")
	}
	fmt.Fprintf(&b, ", pushed %d, rejected %d, skipped %d invalid, in %s", s.Pushed, s.Rejected, len(s.Invalid), s.Took.Round(time.Millisecond))
	if s.Pull.Requeued > 0 {
		fmt.Fprintf(&b, "; the server had lost %s made here: sent again", model.Plural(s.Pull.Requeued, "change"))
	}
	return b.String()
}

// Run is one sync: push what waits, pull the feed, then recompute the
// metrics the screens read. Pushing first means the pull brings back the
// server's view of our own changes, already merged with everyone else's.
//
// One sync at a time per database: when another csm is syncing it, Run
// does nothing and returns an error matching data.ErrSyncBusy.
func Run(ctx context.Context, c *Client, st *data.Store) (sum Summary, err error) {
	defer func() {
		// Offline, the CSM wants to know what waits here.
		var oe *OfflineError
		if errors.As(err, &oe) {
			oe.Waiting, _, _ = st.OutboxCounts(context.WithoutCancel(ctx))
		}
	}()
	start := time.Now()
	release, err := st.LockSync()
	if err != nil {
		return sum, err
	}
	defer release()
	// /me first: the CSM's name signs campaign drafts, and its extensions
	// say whether this server takes the changes docs/API.md does not
	// have yet (snoozes). Offline or refused, the sync ends here; any
	// other failure of /me leaves both as the last sync knew them.
	me, err := c.Me(ctx)
	var oe *OfflineError
	if errors.As(err, &oe) || IsUnauthorized(err) || ctx.Err() != nil {
		sum.Took = time.Since(start)
		return sum, fmt.Errorf("ask the server who you are: %w", err)
	}
	if err == nil {
		_ = st.SetCSMName(ctx, me.CSM.Name)
		if err := st.SetServerExtensions(ctx, me.Extensions); err != nil {
			return sum, err
		}
	}
	push, err := Push(ctx, c, st)
	sum.Pushed, sum.Rejected = push.Pushed, push.Rejected
	if err != nil {
		sum.Took = time.Since(start)
		return sum, fmt.Errorf("push: %w", err)
	}
	// "What changed" is this sync's: its first change replaces the list.
	if err := st.BeginChangesRound(ctx); err != nil {
		sum.Took = time.Since(start)
		return sum, err
	}
	pull, err := Pull(ctx, c, st, 0)
	sum.Pull = pull
	sum.Invalid = pull.Invalid
	if err != nil {
		sum.Took = time.Since(start)
		return sum, fmt.Errorf("pull: %w", err)
	}
	if pull.Requeued > 0 {
		// The server had lost what this device made: give it back now
		// rather than at the next sync.
		again, err := Push(ctx, c, st)
		sum.Pushed, sum.Rejected = sum.Pushed+again.Pushed, sum.Rejected+again.Rejected
		if err != nil {
			sum.Took = time.Since(start)
			return sum, fmt.Errorf("push what the server lost: %w", err)
		}
	}
	if _, err := st.RecomputeIfStale(ctx); err != nil {
		sum.Took = time.Since(start)
		return sum, fmt.Errorf("recompute metrics: %w", err)
	}
	sum.Took = time.Since(start)
	if err := st.SetLastSync(ctx, time.Now(), sum.String()); err != nil {
		return sum, err
	}
	return sum, nil
}

// Plain says what a sync error means in the CSM's words, with the exit code
// it ends in (see exitcode): offline is a state, said with how many changes
// wait (waiting < 0: as the error knows it); a refused token sends the CSM
// to login. Any other error is its own text with code 1.
func Plain(err error, waiting int) (string, int) {
	var oe *OfflineError
	switch {
	case err == nil:
		return "", exitcode.OK
	case errors.As(err, &oe):
		msg := oe.Error()
		if waiting < 0 {
			waiting = oe.Waiting
		}
		switch {
		case waiting > 0:
			msg += "; " + model.Plural(waiting, "change") + " waiting, saved on this computer"
		case waiting == 0:
			msg += "; nothing waits to be sent"
		}
		return msg, exitcode.Offline
	case IsUnauthorized(err):
		return "the server refused the token: run `csm login` again", exitcode.Auth
	}
	return err.Error(), exitcode.Failed
}
