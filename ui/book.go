package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"csm/data"
	"csm/model"
	"csm/safe"
)

// openAccountMsg asks the root to open an account screen.
type openAccountMsg struct{ id string }

// closeAccountMsg asks the root to go back to the book.
type closeAccountMsg struct{}

// tab is one view of the book (model.InView) and how many accounts it holds.
type tab struct {
	key   string // "" all, model.NeedsMe, or an alert or segment key
	label string
	count int
}

// bookScreen is the first screen: the book, most urgent first.
type bookScreen struct {
	*env

	book    data.Book
	snoozes map[string]map[string]model.Date
	loaded  bool
	tabs    []tab
	tab     int
	sortBy  int   // index into model.BookSorts
	reverse bool  // the order runs the other way round (O)
	order   []int // rows in the chosen sort
	visible []int // indices into book.Rows after tab and filter
	list    list  // over visible

	// arr caches the ARR of the tab in view, per currency (the header).
	arr tabARRCache

	filter    textinput.Model
	filtering bool

	// moving is the account a snooze or a wake is moving in the order:
	// the next read keeps the cursor at its place (the neighbour comes
	// under it) rather than following that account to the end.
	moving string

	// rowCache holds each unselected row as drawn at the current width
	// and styles, by row index: moving the cursor redraws two rows, not a
	// screenful. SetBook, SetSize and restyle empty it.
	rowCache  map[int]string
	tabsDrawn drawnLine // the tab row (tabsView)

	width, height int
}

func newBookScreen(e *env) *bookScreen {
	f := textinput.New()
	f.Prompt = "/"
	f.Placeholder = "filter by name"
	f.CharLimit = 100
	f.SetStyles(e.styles.Input)
	return &bookScreen{env: e, filter: f}
}

// SetBook replaces the data, keeping the selected account where possible.
// The snoozes are taken in as csm accounts takes them (model.ApplySnoozes):
// snoozed alerts leave the rows' alerts (the row shows them as snoozed),
// and snoozed accounts sink to the end of the urgency order.
func (b *bookScreen) SetBook(bk data.Book, snoozes map[string]map[string]model.Date) {
	selected := b.selectedID()
	b.snoozes = snoozes
	for i := range bk.Rows {
		model.ApplySnoozes(&bk.Rows[i].Metrics, snoozes[bk.Rows[i].Account.ID])
	}
	b.book = bk
	b.loaded = true
	b.rowCache = nil
	b.tabs = buildTabs(bk.Rows)
	if b.tab >= len(b.tabs) {
		b.tab = 0
	}
	place := b.list.Cursor()
	b.resort()
	b.refilter()
	if selected != "" && selected == b.moving {
		b.moving = ""
		b.list.Select(place)
		return
	}
	b.selectID(selected)
}

// buildTabs lists All, Needs me, and each alert and segment view that
// holds an account, with its count, in model.TabKeys' order.
func buildTabs(rows []data.BookRow) []tab {
	tabs := []tab{{key: "", label: "All", count: len(rows)}}
	for _, k := range model.TabKeys() {
		n := 0
		for i := range rows {
			if model.InView(&rows[i].Metrics, k) {
				n++
			}
		}
		if n > 0 || k == model.NeedsMe {
			tabs = append(tabs, tab{key: k, label: model.Label(k), count: n})
		}
	}
	return tabs
}

func (b *bookScreen) inTab(m *model.AccountMetrics) bool {
	return model.InView(m, b.tabs[b.tab].key)
}

// resort orders the rows by the chosen model.BookSorts order.
func (b *bookScreen) resort() {
	b.order = make([]int, len(b.book.Rows))
	for i := range b.order {
		b.order[i] = i
	}
	rows, order := b.book.Rows, model.BookSorts[b.sortBy]
	compare := order.Compare
	if b.reverse {
		compare = order.CompareReversed
	}
	slices.SortFunc(b.order, func(x, y int) int {
		return compare(&rows[x].Account, &rows[y].Account, &rows[x].Metrics, &rows[y].Metrics)
	})
}

// snoozedFlag marks a snoozed account; snoozedAlertFlag an account with a
// snoozed alert.
const (
	snoozedFlag      = model.FlagSnoozed
	snoozedAlertFlag = model.FlagSnoozedAlert
)

func (b *bookScreen) refilter() {
	q := strings.ToLower(strings.TrimSpace(b.filter.Value()))
	b.visible = b.visible[:0]
	for _, i := range b.order {
		r := &b.book.Rows[i]
		if len(b.tabs) > 0 && !b.inTab(&r.Metrics) {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(r.Account.Name), q) {
			continue
		}
		b.visible = append(b.visible, i)
	}
	b.list.SetLen(len(b.visible))
}

// clearFilter drops the filter and keeps the selected account selected
// (and in view) in the full list, so the CSM keeps their place.
func (b *bookScreen) clearFilter() {
	id := b.selectedID()
	b.filter.SetValue("")
	b.refilter()
	b.fitList()
	b.selectID(id)
}

// selectID selects the visible row of account id, if it is shown.
func (b *bookScreen) selectID(id string) {
	if id == "" {
		return
	}
	for i, r := range b.visible {
		if b.book.Rows[r].Account.ID == id {
			b.list.Select(i)
			return
		}
	}
}

// selected is the selected row, false when no row is shown.
func (b *bookScreen) selected() (*data.BookRow, bool) {
	i, ok := b.list.Selected()
	if !ok {
		return nil, false
	}
	return &b.book.Rows[b.visible[i]], true
}

func (b *bookScreen) selectedID() string {
	if r, ok := b.selected(); ok {
		return r.Account.ID
	}
	return ""
}

// SetSize sets the room of the screen.
func (b *bookScreen) SetSize(w, h int) {
	if w != b.width {
		b.rowCache = nil
	}
	b.width, b.height = w, h
	b.filter.SetWidth(max(w-4, 10))
	b.fitList()
}

// listHeight is the number of account rows that fit.
func (b *bookScreen) listHeight() int {
	// tabs line, column header line, and the filter line when shown
	h := b.height - 2
	if b.filtering || b.filter.Value() != "" {
		h--
	}
	return max(h, 1)
}

// fitList gives the list the rows that fit now: the filter line takes one
// when it opens, and the selection stays in view.
func (b *bookScreen) fitList() { b.list.SetHeight(b.listHeight()) }

// Capturing is true while the filter takes input.
func (b *bookScreen) Capturing() bool { return b.filtering }

// Update handles keys and the mouse wheel. The filter line opens and
// closes on keys, so the list's room is measured again after each.
func (b *bookScreen) Update(msg tea.Msg) tea.Cmd {
	defer b.fitList()
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if b.filtering {
			return b.updateFilter(msg)
		}
		return b.updateKeys(msg)
	case tea.MouseWheelMsg:
		b.list.Update(msg, b.keys)
	}
	return nil
}

func (b *bookScreen) updateFilter(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		b.filtering = false
		b.filter.Blur()
		b.clearFilter()
		return nil
	case "enter":
		b.filtering = false
		b.filter.Blur()
		return nil
	case "up", "down":
		b.filtering = false
		b.filter.Blur()
		b.fitList()
		return b.updateKeys(msg)
	}
	var cmd tea.Cmd
	b.filter, cmd = b.filter.Update(msg)
	b.refilter()
	b.list.Reset()
	return cmd
}

func (b *bookScreen) updateKeys(msg tea.KeyPressMsg) tea.Cmd {
	k := b.keys
	if b.list.Update(msg, k) {
		return nil
	}
	switch {
	case key.Matches(msg, k.NextTab):
		b.switchTab(1)
	case key.Matches(msg, k.PrevTab):
		b.switchTab(-1)
	case key.Matches(msg, k.Sort):
		b.sortBy = (b.sortBy + 1) % len(model.BookSorts)
		b.reverse = false
		return b.sorted()
	case key.Matches(msg, k.Reverse):
		b.reverse = !b.reverse
		return b.sorted()
	case key.Matches(msg, k.Filter):
		b.filtering = true
		return b.filter.Focus()
	case key.Matches(msg, k.Back):
		if b.filter.Value() != "" {
			b.clearFilter()
		}
	case key.Matches(msg, k.Open):
		if id := b.selectedID(); id != "" {
			return func() tea.Msg { return openAccountMsg{id: id} }
		}
		return statusCmd("no account here to open", false)
	case key.Matches(msg, k.Note):
		if r, ok := b.selected(); ok {
			return pushScreen(newNoteEditor(b.env, r.Account.ID, r.Account.Name))
		}
		return statusCmd("no account here to write a note on", false)
	case key.Matches(msg, k.FollowUps):
		return pushScreen(newFollowUps(b.env))
	case key.Matches(msg, k.Search):
		return pushScreen(newSearch(b.env))
	case key.Matches(msg, k.Rejected):
		return pushScreen(newRejected(b.env))
	case key.Matches(msg, k.Renewals):
		return pushScreen(newRenewals(b.env))
	case key.Matches(msg, k.Changes):
		return pushScreen(newChangesScreen(b.env))
	case key.Matches(msg, k.Snooze):
		return b.toggleSnooze(false)
	case key.Matches(msg, k.SnoozeAlerts):
		return b.toggleSnooze(true)
	case key.Matches(msg, k.AddFollowUp):
		if r, ok := b.selected(); ok {
			return addFollowUp(b.env, r.Account.ID, r.Account.Name)
		}
		return statusCmd("no account here to add a follow-up to", false)
	}
	return nil
}

// snoozeDays is how long Z puts an account's alerts to sleep.
const snoozeDays = 7

// toggleSnooze snoozes the selected account until the day picked in the
// snooze picker (or only its current alerts, for a week), or wakes it
// when it already sleeps.
func (b *bookScreen) toggleSnooze(alertsOnly bool) tea.Cmd {
	r, ok := b.selected()
	if !ok {
		return statusCmd("no account here to snooze", false)
	}
	row := *r
	id := row.Account.ID
	until := model.DateOf(b.now()) + snoozeDays
	keys := []string{data.SnoozeAll}
	if alertsOnly {
		keys = row.Metrics.Alerts
		for k := range b.snoozes[id] {
			if k != data.SnoozeAll {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			return statusCmd("this account has no alert to snooze", false)
		}
	}
	wake := false
	for _, k := range keys {
		if _, ok := b.snoozes[id][k]; ok {
			wake = true
		}
	}
	name := safe.Line(row.Account.Name)
	if !alertsOnly && !wake {
		return pushScreen(newSnoozePicker(b.env, "Snooze "+name+" until…", func(day model.Date) tea.Cmd {
			b.moving = id // it sinks to the end: keep the place
			return b.snoozeCmd(id, name, keys, day, false, false)
		}))
	}
	if !alertsOnly {
		b.moving = id // it rises back: keep the place
	}
	return b.snoozeCmd(id, name, keys, until, alertsOnly, wake)
}

// snoozeCmd snoozes (or wakes) account id under keys until a day.
func (b *bookScreen) snoozeCmd(id, name string, keys []string, until model.Date, alertsOnly, wake bool) tea.Cmd {
	st := b.store
	return b.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		for _, k := range keys {
			var err error
			if wake {
				err = st.Unsnooze(ctx, id, k)
			} else {
				err = st.Snooze(ctx, id, k, until)
			}
			if err != nil {
				return statusMsg{text: err.Error(), bad: true}
			}
		}
		what := name
		if alertsOnly {
			what = "alerts of " + name
		}
		if wake {
			return batchMsgs(dataChangedMsg{}, statusMsg{text: "woke " + what})
		}
		return batchMsgs(dataChangedMsg{}, statusMsg{text: fmt.Sprintf("snoozed %s until %s (press again to wake)", what, b.day(until))})
	})
}

// sorted puts the book in the order chosen, the selected account kept
// selected and in view, and says in the footer what comes first.
func (b *bookScreen) sorted() tea.Cmd {
	id := b.selectedID()
	b.rowCache = nil
	b.resort()
	b.refilter()
	for i, r := range b.visible {
		if b.book.Rows[r].Account.ID == id {
			b.list.Select(i)
			break
		}
	}
	return statusCmd("sorted by "+model.BookSorts[b.sortBy].Says(b.reverse)+" · o next order, O reverse", false)
}

func (b *bookScreen) switchTab(d int) {
	if len(b.tabs) == 0 {
		return
	}
	b.tab = (b.tab + d + len(b.tabs)) % len(b.tabs)
	b.refilter()
	b.list.Reset()
}

// ShortHelp lists the screen's main keys for the footer.
func (b *bookScreen) ShortHelp() []key.Binding {
	if b.filtering {
		keep, drop := b.keys.Open, b.keys.Back
		keep.SetHelp("enter", "keep filter")
		drop.SetHelp("esc", "clear")
		return []key.Binding{keep, drop}
	}
	return []key.Binding{b.keys.Open, b.keys.NextTab, b.keys.Filter, b.keys.Note, b.keys.FollowUps, b.keys.Sync}
}

// FullHelp lists every key of the screen.
func (b *bookScreen) FullHelp() [][]key.Binding {
	k := b.keys
	clearFilter := k.Back // the book is the first screen: esc has nothing to go back to
	clearFilter.SetHelp("esc", "clear filter")
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		{k.Open, k.NextTab, k.PrevTab, k.Filter, k.Sort, k.Reverse, clearFilter},
		{k.Note, k.FollowUps, k.Renewals, k.Search, k.Rejected},
		{k.Changes, k.Snooze, k.SnoozeAlerts, k.AddFollowUp},
	}
}
