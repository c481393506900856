package sync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"

	"csm/data"
	"csm/model"
)

// Progress is how far a running sync has got: what `csm sync` shows on
// stderr and the cockpit in its footer while the CSM waits.
type Progress struct {
	Phase   Phase
	Pushed  int // changes sent so far (push)
	ToPush  int // changes waiting when the push began
	Pages   int // feed pages applied (pull)
	Changes int // changes pulled so far
	// Percent of the feed pulled, 0–100; -1 when the server does not say
	// how far its feed goes (head_seq is an optional field of a page).
	Percent int
	Full    bool // a full sync (the whole book), not only what changed
	// Retry says what the sync waits for, in words: "server answered 503,
	// retrying in 2s (try 3 of 6)". Empty when it is not waiting.
	Retry string
}

// Phase is the part of a sync a Progress is about.
type Phase string

const (
	PhasePush  Phase = "push"
	PhasePull  Phase = "pull"
	PhaseRetry Phase = "retry"
)

// String is one line in the CSM's words: "pulling the full book: 3 pages,
// 15,000 changes (42%)", "sending 500 of 1,200 changes", or the retry.
func (p Progress) String() string {
	switch p.Phase {
	case PhaseRetry:
		return p.Retry
	case PhasePush:
		return fmt.Sprintf("sending %d of %s", p.Pushed, model.Plural(p.ToPush, "change"))
	}
	what := "pulling"
	if p.Full {
		what = "pulling the full book"
	}
	s := fmt.Sprintf("%s: %s, %s", what, model.Plural(p.Pages, "page"), model.Plural(p.Changes, "change"))
	if p.Percent >= 0 {
		s += fmt.Sprintf(" (%d%%)", p.Percent)
	}
	return s
}

// ProgressFunc hears a running sync. It may be called from more than one
// goroutine (a page is fetched while the one before is applied) and must
// return quickly.
type ProgressFunc func(Progress)

type progressKey struct{}

// WithProgress makes the syncs run under ctx report to fn: Run, Push, Pull
// and the client's retries.
func WithProgress(ctx context.Context, fn ProgressFunc) context.Context {
	if fn == nil {
		return ctx
	}
	return context.WithValue(ctx, progressKey{}, fn)
}

func report(ctx context.Context, p Progress) {
	if fn, ok := ctx.Value(progressKey{}).(ProgressFunc); ok {
		fn(p)
	}
}

// feedPercent is how much of the feed a pull has walked: from the seq
// before its first change to the head the server named, by seq. A feed's
// seqs grow evenly enough with what it holds for a progress bar; the last
// page is 100.
func feedPercent(from, at, head int64, last bool) int {
	switch {
	case last:
		return 100
	case head <= 0 || head <= from:
		return -1
	}
	pct := int((at - from) * 100 / (head - from))
	return min(max(pct, 0), 99)
}

// retryWords says what a retry waits for: "server unreachable, retrying in
// 2s (try 3 of 6)".
func retryWords(last error, wait time.Duration, try, of int) string {
	return fmt.Sprintf("%s, retrying in %s (try %d of %d)", retryReason(last), roundWait(wait), try, of)
}

func retryReason(err error) string {
	var se *StatusError
	switch {
	case errors.As(err, &se) && se.Status == http.StatusTooManyRequests:
		return "server busy (429)"
	case errors.As(err, &se):
		return fmt.Sprintf("server answered %d", se.Status)
	case unreachable(err):
		return "server unreachable"
	case errors.Is(err, context.DeadlineExceeded):
		return "no answer in time"
	case err != nil && strings.Contains(err.Error(), "malformed answer"):
		return "answer garbled"
	}
	return "connection lost"
}

func roundWait(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}

// Meter writes a sync's progress for a person: on a terminal, one line
// redrawn in place (at most ten times a second); elsewhere (a pipe, a log),
// a plain line at most every interval, and every retry. Done ends it.
type Meter struct {
	w        io.Writer
	terminal bool
	interval time.Duration
	now      func() time.Time

	mu    sync.Mutex
	last  time.Time
	drawn int // width of the line on screen (terminal)
	shown string
}

// NewMeter writes to w; terminal says w is one (then lines are redrawn).
func NewMeter(w io.Writer, terminal bool) *Meter {
	return &Meter{w: w, terminal: terminal, interval: 2 * time.Second, now: time.Now}
}

// Report is the Meter's ProgressFunc.
func (m *Meter) Report(p Progress) {
	m.mu.Lock()
	defer m.mu.Unlock()
	line := "csm: " + p.String()
	now := m.now()
	retry := p.Phase == PhaseRetry
	if m.terminal {
		if !retry && now.Sub(m.last) < 100*time.Millisecond && p.Percent != 100 {
			return
		}
		m.last = now
		pad := max(m.drawn-len(line), 0)
		fmt.Fprintf(m.w, "\r%s%s", line, strings.Repeat(" ", pad))
		m.drawn = len(line)
		return
	}
	if line == m.shown || !retry && !m.last.IsZero() && now.Sub(m.last) < m.interval {
		return
	}
	m.last, m.shown = now, line
	fmt.Fprintln(m.w, line)
}

// Done clears the terminal's progress line, so the summary that follows
// starts on a clean line.
func (m *Meter) Done() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.terminal && m.drawn > 0 {
		fmt.Fprintf(m.w, "\r%s\r", strings.Repeat(" ", m.drawn))
		m.drawn = 0
	}
}

// pullWalk follows a pull through the feed for its progress: the seq
// before its first change, and whether that walk is a full sync (a full
// resync that starts midway begins a new walk).
type pullWalk struct {
	from    int64
	started bool
	full    bool
}

func (w *pullWalk) report(ctx context.Context, sum PullSummary, p Page) {
	if _, ok := ctx.Value(progressKey{}).(ProgressFunc); !ok {
		return
	}
	if w.full != sum.FullResync {
		*w = pullWalk{full: sum.FullResync}
	}
	if !w.started && len(p.Changes) > 0 {
		w.from, w.started = p.Changes[0].Seq-1, true
	}
	at := w.from
	if n := len(p.Changes); n > 0 {
		at = p.Changes[n-1].Seq
	}
	report(ctx, Progress{Phase: PhasePull, Pages: sum.Pages, Changes: sum.Changes, Full: sum.FullResync,
		Percent: feedPercent(w.from, at, p.HeadSeq, !p.HasMore)})
}

// pushTotal is how many changes wait to be sent, when someone listens.
func pushTotal(ctx context.Context, st *data.Store) int {
	if _, ok := ctx.Value(progressKey{}).(ProgressFunc); !ok {
		return 0
	}
	n, _, err := st.OutboxCounts(ctx)
	if err != nil {
		return 0
	}
	return n
}

// NewMeterFor writes to w, redrawing in place when w is a terminal.
func NewMeterFor(w io.Writer) *Meter {
	f, ok := w.(*os.File)
	return NewMeter(w, ok && term.IsTerminal(f.Fd()))
}
