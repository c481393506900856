package sync

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	gosync "sync"
	"time"

	"csm/data"
	"csm/model"
)

// PullPageLimit is the page size the client asks for: the most docs/API.md
// allows, since a page costs one round trip and one transaction.
const PullPageLimit = 5000

// maxPages bounds one pull, so a server that always says has_more cannot
// keep csm busy forever.
const maxPages = 100000

// PullSummary counts what one pull did.
type PullSummary struct {
	Pages      int
	Changes    int // changes received
	Applied    int // rows upserted or deleted
	Invalid    []string
	FullResync bool
	// Requeued counts what this device had created and the server no
	// longer had after a full resync: queued again, to push.
	Requeued int
}

// Pull applies the server's feed to the store page by page, from the stored
// cursor. A 410 cursor_expired starts a full resync, which keeps the old copy
// readable until the new one has fully arrived.
//
// Each page is applied only if the store is still at the position the page
// was fetched from. If another sync of the same database moved it (the
// TUI's timer and cron at once), Pull stops with an error matching
// data.ErrCursorMoved: the other sync has fetched the same pages and goes on
// from where it stands, so going on here would only repeat its work.
func Pull(ctx context.Context, c *Client, st *data.Store, limit int) (PullSummary, error) {
	var sum PullSummary
	if limit <= 0 {
		limit = PullPageLimit
	}
	state, err := st.SyncState(ctx)
	if err != nil {
		return sum, err
	}
	pos := state.Position()
	if state.Cursor == "" && !state.FullInProgress {
		if pos, err = st.BeginFullResyncFrom(ctx, pos); err != nil {
			return sum, stopped(err)
		}
		sum.FullResync = true
	}
	// Page n+1 is fetched and decoded while page n is applied: the two
	// take about as long, and overlap on two cores.
	feed := prefetch(ctx, c, pos.Cursor, limit)
	defer func() { feed.stop() }()
	var walk pullWalk // for the progress shown while it runs
	for n := 1; n <= maxPages; n++ {
		f, ok := feed.next()
		if !ok {
			return sum, fmt.Errorf("fetch page %d: %w", n, cmp.Or(ctx.Err(), errors.New("the feed stopped")))
		}
		if IsCursorExpired(f.err) && !sum.FullResync {
			feed.stop()
			if pos, err = st.BeginFullResyncFrom(ctx, pos); err != nil {
				return sum, stopped(err)
			}
			sum.FullResync = true
			feed = prefetch(ctx, c, pos.Cursor, limit)
			n = 0
			continue
		}
		if f.err != nil {
			return sum, fmt.Errorf("fetch page %d: %w", n, f.err)
		}
		page := f.page
		from := pos
		stats, err := st.ApplyPage(ctx, data.Page{Changes: f.changes, NextCursor: page.NextCursor, Last: !page.HasMore, From: &from})
		if err != nil {
			return sum, stopped(fmt.Errorf("apply page %d: %w", n, err))
		}
		// Counted once the page is in: a page not applied is fetched
		// again, and its invalid entities would be counted twice.
		sum.Invalid = append(sum.Invalid, f.invalid...)
		for _, o := range stats.Orphans {
			sum.Invalid = append(sum.Invalid, fmt.Sprintf("%q: its account is unknown", o))
		}
		sum.Pages++
		sum.Changes += len(page.Changes)
		sum.Applied += stats.Upserted + stats.Deleted
		sum.Requeued += stats.Requeued
		walk.report(ctx, sum, page)
		pos.Cursor = page.NextCursor
		if !page.HasMore {
			return sum, nil
		}
		if page.NextCursor == "" {
			return sum, fmt.Errorf("page %d says has_more but gives no next_cursor", n)
		}
	}
	return sum, fmt.Errorf("feed did not end after %d pages", maxPages)
}

// fetchedPage is one page of the feed, fetched and decoded, or why not.
type fetchedPage struct {
	page    Page
	changes []data.Change
	invalid []string
	err     error
}

// pageFeed fetches and decodes the pages of the feed one ahead of the
// pull that applies them. It holds at most one page waiting, so a sync
// holds about two pages at a time however long the feed.
type pageFeed struct {
	pages  chan fetchedPage
	cancel context.CancelFunc
	done   chan struct{}
}

// prefetch starts fetching from cursor, asking for limit changes a page
// (halved while a page is too large to read).
func prefetch(ctx context.Context, c *Client, cursor string, limit int) *pageFeed {
	ctx, cancel := context.WithCancel(ctx)
	f := &pageFeed{pages: make(chan fetchedPage), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(f.done)
		defer close(f.pages)
		send := func(p fetchedPage) bool {
			select {
			case f.pages <- p:
				return true
			case <-ctx.Done():
				return false
			}
		}
		for range maxPages {
			page, err := c.Changes(ctx, cursor, limit)
			if errors.Is(err, ErrTooLarge) && limit > 1 {
				// Pages of huge notes: ask for the same changes in halves.
				limit /= 2
				continue
			}
			if err != nil {
				send(fetchedPage{err: err})
				return
			}
			changes, invalid := decodePage(page)
			if !send(fetchedPage{page: page, changes: changes, invalid: invalid}) || !page.HasMore || page.NextCursor == "" {
				return
			}
			cursor = page.NextCursor
		}
	}()
	return f
}

// next is the next page; false when the feed stopped (its context ended).
func (f *pageFeed) next() (fetchedPage, bool) {
	p, ok := <-f.pages
	return p, ok
}

// stop ends the fetching and waits for it to end, so nothing is fetched
// once the pull has returned.
func (f *pageFeed) stop() {
	f.cancel()
	<-f.done
}

// stopped says, for a pull that another sync overtook, that this one
// stopped on purpose and what becomes of the rest; other errors pass
// unchanged.
func stopped(err error) error {
	if errors.Is(err, data.ErrCursorMoved) {
		return fmt.Errorf("%w; this sync stopped and leaves the rest to it", err)
	}
	return err
}

// decodePage turns wire changes into store changes; an invalid entity is
// left out and described, never fatal.
//
// A usage month after next month is refused too: T, the day every metric
// is computed as of, is the newest usage day of the book, so one month
// dated 9999 would freeze every account's figures.
func decodePage(p Page) ([]data.Change, []string) {
	latestMonth := model.DateOf(time.Now().AddDate(0, 1, 0)).Month()
	// Changes decode independently: large pages are split across the
	// cores, and the results put back in feed order.
	results := make([]decoded, len(p.Changes))
	parts := 1
	if len(p.Changes) >= 1000 {
		parts = runtime.GOMAXPROCS(0)
	}
	var wg gosync.WaitGroup
	for w := 0; w < parts; w++ {
		lo, hi := w*len(p.Changes)/parts, (w+1)*len(p.Changes)/parts
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				results[i] = decodeChange(p.Changes[i], latestMonth)
			}
		})
	}
	wg.Wait()
	out := make([]data.Change, 0, len(p.Changes))
	var invalid []string
	for _, r := range results {
		if r.invalid != "" {
			invalid = append(invalid, r.invalid)
			continue
		}
		out = append(out, r.change)
	}
	return out, invalid
}

// decoded is one change of a page, decoded, or why it is invalid.
type decoded struct {
	change  data.Change
	invalid string
}

func decodeChange(c Change, latestMonth string) decoded {
	bad := func(format string, args ...any) decoded {
		return decoded{invalid: fmt.Sprintf("change %d: ", c.Seq) + fmt.Sprintf(format, args...)}
	}
	switch c.Op {
	case OpDelete:
		if _, err := entityTable(c.Entity); err != nil || c.ID == "" {
			return bad("delete of %q %q is not valid", c.Entity, c.ID)
		}
		return decoded{change: data.Change{Seq: c.Seq, Entity: c.Entity, Op: OpDelete, ID: c.ID}}
	case OpUpsert:
		v, err := DecodeEntity(c.Entity, c.Data)
		if err != nil {
			return bad("%q %q: %v", c.Entity, c.ID, err)
		}
		if id := EntityID(c.Entity, v); id != c.ID {
			return bad("%q id %q does not match its data (%q)", c.Entity, c.ID, id)
		}
		if u, ok := v.(model.UsageMonth); ok && u.Month > latestMonth {
			return bad("usage month %q is in the future (after %s)", c.ID, latestMonth)
		}
		return decoded{change: data.Change{Seq: c.Seq, Entity: c.Entity, Op: OpUpsert, ID: c.ID, Value: v}}
	}
	return bad("unknown op %q", c.Op)
}

func entityTable(entity string) (string, error) {
	switch entity {
	case EntityAccount, EntityContact, EntityFeature, EntityUsageMonth, EntityNPS, EntityPlaybook,
		EntityChecklist, EntityNote, EntityTask, EntityChecklistItem, EntityPlayRun, EntitySnooze:
		return entity, nil
	}
	return "", fmt.Errorf("unknown entity %q", entity)
}
