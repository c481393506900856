package ui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"csm/data"
)

// accountLoadedMsg carries one account's data.
type accountLoadedMsg struct {
	id     string
	detail data.AccountDetail
	err    error
}

// accountScreen shows one account as a scrolling page of sections: the
// figures, the charts, why it is flagged, the people, the work. The page is
// built once per load or resize (see account_page.go).
type accountScreen struct {
	*env
	id string

	detail data.AccountDetail
	loaded bool
	err    error

	width, height int

	page   page
	offset int // first visible page line
	focus  int // index into page.sections
	// cursor is the selected item of each section with items, by section
	// key, so it survives a rebuild.
	cursor map[string]int
	// timelineKind is the Timeline section's filter ("" for every kind).
	timelineKind string
}

func newAccountScreen(e *env, id string) *accountScreen {
	return &accountScreen{env: e, id: id, cursor: map[string]int{}}
}

// Init loads the account.
func (a *accountScreen) Init() tea.Cmd {
	st, id := a.store, a.id
	return a.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		d, err := st.AccountDetail(ctx, id)
		return accountLoadedMsg{id: id, detail: d, err: err}
	})
}

// Refresh re-reads the account after a change made elsewhere (a sync, a
// tick, a note); the focus, the cursors and the scroll stay.
func (a *accountScreen) Refresh() tea.Cmd { return a.Init() }

// SetSize rebuilds the page for the new room; the chart height follows the
// terminal's.
func (a *accountScreen) SetSize(w, h int) {
	if w == a.width && h == a.height {
		return
	}
	a.width, a.height = w, h
	a.rebuild()
}

func (a *accountScreen) Capturing() bool { return false }

// restyle lays the page out again: its lines were drawn with the old
// styles.
func (a *accountScreen) restyle() { a.rebuild() }

// rebuild lays the page out again and keeps the focus on the same section.
func (a *accountScreen) rebuild() {
	if !a.loaded || a.err != nil || a.width <= 0 {
		return
	}
	focused := a.focusedKey()
	a.page = a.buildPage(a.width)
	a.focus = 0
	for i, s := range a.page.sections {
		if s.key == focused {
			a.focus = i
		}
	}
	for i := range a.page.sections {
		a.clampCursor(&a.page.sections[i])
	}
	a.clampOffset()
	// The layout moved under the view (a resize, new data): bring what has
	// the focus back on screen rather than leave it off it.
	a.reveal()
}

func (a *accountScreen) focusedKey() string {
	if a.focus < len(a.page.sections) {
		return a.page.sections[a.focus].key
	}
	return ""
}

// Update handles the load, the keys and the mouse wheel.
func (a *accountScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case accountLoadedMsg:
		if msg.id == a.id {
			a.detail, a.err, a.loaded = msg.detail, msg.err, true
			a.rebuild()
		}
	case tea.KeyPressMsg:
		return a.updateKeys(msg)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			a.scroll(-wheelRows)
		case tea.MouseWheelDown:
			a.scroll(wheelRows)
		}
	}
	return nil
}

func (a *accountScreen) updateKeys(msg tea.KeyPressMsg) tea.Cmd {
	if cmd, ok := a.contactKey(msg); ok {
		return cmd
	}
	if cmd, ok := a.actionKey(msg); ok {
		return cmd
	}
	k := a.keys
	switch {
	case key.Matches(msg, k.Back):
		return func() tea.Msg { return closeAccountMsg{} }
	case key.Matches(msg, k.NextSection):
		a.jump(1)
	case key.Matches(msg, k.PrevSection):
		a.jump(-1)
	case key.Matches(msg, k.Down):
		if !a.moveCursor(1) {
			a.scroll(1)
		}
	case key.Matches(msg, k.Up):
		if !a.moveCursor(-1) {
			a.scroll(-1)
		}
	case key.Matches(msg, k.PageDown):
		a.scroll(max(a.height-1, 1))
	case key.Matches(msg, k.PageUp):
		a.scroll(-max(a.height-1, 1))
	case key.Matches(msg, k.Top):
		a.offset = 0
		a.focus = 0
		a.follow(-1)
	case key.Matches(msg, k.Bottom):
		a.offset = len(a.page.lines)
		a.clampOffset()
		// The last thing on the page takes the focus: the campaigns.
		a.focus = len(a.page.sections) - 1
		a.follow(-1)
	}
	return nil
}

// scroll moves the page; the focus follows it (see follow), so j/k never
// yank the view back, and no key acts on a row the reader cannot see.
func (a *accountScreen) scroll(n int) {
	a.offset += n
	a.clampOffset()
	a.follow(n)
}

// onScreen: page line i is in view.
func (a *accountScreen) onScreen(i int) bool { return i >= a.offset && i < a.offset+a.height }

// follow keeps the focus on screen after the view moved by d lines: the
// selected item, when it left the screen, becomes the nearest item of its
// section on screen (the first going down, the last going up); when no item
// of the focused section is on screen, or nothing of a section without
// items, the focus moves to the first section going down (the last going
// up) that shows one.
func (a *accountScreen) follow(d int) {
	if len(a.page.sections) == 0 {
		return
	}
	if a.focus >= len(a.page.sections) {
		a.focus = 0
	}
	if a.holdsFocus(&a.page.sections[a.focus], d) {
		return
	}
	order := make([]int, len(a.page.sections))
	for i := range order {
		order[i] = i
		if d < 0 {
			order[i] = len(order) - 1 - i
		}
	}
	for _, i := range order {
		if a.holdsFocus(&a.page.sections[i], d) {
			a.focus = i
			return
		}
	}
}

// holdsFocus says whether section s can have the focus with the view as
// it is, moving its cursor to an item on screen when the selected one is
// off it.
func (a *accountScreen) holdsFocus(s *placed, d int) bool {
	if len(s.items) == 0 {
		return a.visible(*s)
	}
	a.clampCursor(s)
	if a.onScreen(s.items[a.cursor[s.key]].line) {
		return true
	}
	return a.cursorToScreen(s, d)
}

// reveal scrolls as little as brings the focus into view: the selected
// item of the focused section, or the section itself when it has none.
func (a *accountScreen) reveal() {
	if a.focus >= len(a.page.sections) {
		return
	}
	s := &a.page.sections[a.focus]
	line := s.start
	if len(s.items) > 0 {
		a.clampCursor(s)
		line = s.items[a.cursor[s.key]].line
	} else if a.visible(*s) {
		return
	}
	switch {
	case line < a.offset:
		a.offset = line
	case line >= a.offset+a.height:
		a.offset = line - a.height + 1
	}
	a.clampOffset()
}

// visible: some line of the section's title or body is on screen.
func (a *accountScreen) visible(s placed) bool {
	return s.end > a.offset && s.start < a.offset+a.height
}

func (a *accountScreen) clampOffset() {
	a.offset = min(max(a.offset, 0), max(len(a.page.lines)-a.height, 0))
}

// jump focuses the next or previous section and brings its title to the
// top, unless the whole section is already on screen.
func (a *accountScreen) jump(d int) {
	n := len(a.page.sections)
	if n == 0 {
		return
	}
	a.focus = (a.focus + d + n) % n
	s := a.page.sections[a.focus]
	if s.start < a.offset || s.end > a.offset+a.height {
		a.offset = s.start
		a.clampOffset()
	}
	// A cursor left further down than the screen reaches comes to the
	// first item on screen: the highlight is always where the eye is.
	if len(s.items) > 0 && !a.onScreen(s.items[a.cursor[s.key]].line) {
		if !a.cursorToScreen(&a.page.sections[a.focus], 1) {
			a.reveal()
		}
	}
}

// moveCursor moves the selection inside the focused section. It reports
// false at either end (or without items), so the key scrolls instead.
func (a *accountScreen) moveCursor(d int) bool {
	if len(a.page.sections) == 0 {
		return false
	}
	s := &a.page.sections[a.focus]
	if len(s.items) == 0 {
		return false
	}
	c := a.cursor[s.key]
	// A cursor off screen (it never is after follow and reveal) comes back
	// to the first (or last) item on screen, rather than pulling the view
	// back to it.
	if !a.onScreen(s.items[c].line) {
		return a.cursorToScreen(s, d)
	}
	next := c + d
	if next < 0 || next >= len(s.items) {
		return false
	}
	a.cursor[s.key] = next
	line := s.items[next].line
	switch {
	case line < a.offset:
		a.offset = line
	case line >= a.offset+a.height:
		a.offset = line - a.height + 1
	}
	a.clampOffset()
	return true
}

// cursorToScreen selects the first item on screen going down, the last
// going up; false when none is on screen.
func (a *accountScreen) cursorToScreen(s *placed, d int) bool {
	found := -1
	for i, it := range s.items {
		if it.line >= a.offset && it.line < a.offset+a.height {
			found = i
			if d > 0 {
				break
			}
		}
	}
	if found < 0 {
		return false
	}
	a.cursor[s.key] = found
	return true
}

func (a *accountScreen) clampCursor(s *placed) {
	if len(s.items) == 0 {
		return
	}
	a.cursor[s.key] = min(max(a.cursor[s.key], 0), len(s.items)-1)
}

// selected returns the selected item of the focused section; false when
// it is not on screen, so no key ever acts on a row the CSM cannot see.
func (a *accountScreen) selected() (itemRef, bool) {
	if a.focus >= len(a.page.sections) {
		return itemRef{}, false
	}
	s := a.page.sections[a.focus]
	if len(s.items) == 0 {
		return itemRef{}, false
	}
	it := s.items[a.cursor[s.key]]
	if !a.onScreen(it.line) {
		return itemRef{}, false
	}
	return it.ref, true
}

// selectedChecklistItem is the checklist item under the cursor when the
// checklist section has the focus.
func (a *accountScreen) selectedChecklistItem() (checklistKey, itemKey string, ok bool) {
	r, ok := a.selected()
	if !ok || r.kind != itemChecklist {
		return "", "", false
	}
	return r.a, r.b, true
}

// selectedPlayStep is the step of a running play under the cursor when the
// plays section has the focus.
func (a *accountScreen) selectedPlayStep() (runID, stepKey string, ok bool) {
	r, ok := a.selected()
	if !ok || r.kind != itemPlayStep {
		return "", "", false
	}
	return r.a, r.b, true
}

// selectedSuggestedPlay is the suggested playbook under the cursor when the
// plays section has the focus (to start it).
func (a *accountScreen) selectedSuggestedPlay() (playbookKey string, ok bool) {
	r, ok := a.selected()
	if !ok || r.kind != itemSuggestedPlay {
		return "", false
	}
	return r.a, true
}

// selectedNote is the note under the cursor (its current revision) when
// the notes section has the focus.
func (a *accountScreen) selectedNote() (noteID string, ok bool) {
	r, ok := a.selected()
	if !ok || r.kind != itemNote {
		return "", false
	}
	return r.a, true
}

// selectedFollowUp is the open follow-up under the cursor when the
// follow-ups section has the focus.
func (a *accountScreen) selectedFollowUp() (taskID string, ok bool) {
	r, ok := a.selected()
	if !ok || r.kind != itemTask {
		return "", false
	}
	return r.a, true
}

// View slices the visible lines of the page and draws the focus and the
// selection over them.
func (a *accountScreen) View() string {
	if a.err != nil {
		return a.styles.Bad.Render(truncateLine("could not read the account: "+errText(a.err), a.width))
	}
	if !a.loaded {
		return a.styles.Subtle.Render("reading…")
	}
	end := min(a.offset+a.height, len(a.page.lines))
	out := make([]string, 0, end-a.offset)
	var focused *placed
	selLine := -1
	if a.focus < len(a.page.sections) {
		focused = &a.page.sections[a.focus]
		if len(focused.items) > 0 {
			selLine = focused.items[a.cursor[focused.key]].line
		}
	}
	for i := a.offset; i < end; i++ {
		l := a.page.lines[i]
		switch {
		case focused == nil:
		case i == focused.start:
			l = overlay(l, focused.x, focused.w, sectionTitle(focused.title, focused.summary, focused.w, true, a.styles))
		case i == selLine:
			l = selectedRow(l, focused.x, focused.w, a.styles)
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// ShortHelp lists the screen's main keys for the footer.
func (a *accountScreen) ShortHelp() []key.Binding {
	if a.focusedKey() == secContacts {
		return []key.Binding{a.keys.Back, a.keys.NextSection, a.keys.AddContact, a.keys.EditContact, a.keys.ContactLeft, a.keys.MakeChampion}
	}
	return []key.Binding{a.keys.Back, a.keys.NextSection, a.keys.Tick, a.keys.StartPlay, a.keys.Note}
}

// FullHelp lists every key of the screen.
func (a *accountScreen) FullHelp() [][]key.Binding {
	k := a.keys
	addFollowUp := k.AddFollowUp
	addFollowUp.SetHelp("a", "add follow-up (off Contacts)")
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		{k.NextSection, k.PrevSection, k.Back},
		{k.Tick, k.StartPlay, k.ClosePlay, k.Note, k.Revise, k.EditCampaign, k.Copy, k.Save, addFollowUp},
		{k.AddContact, k.EditContact, k.ContactLeft, k.MakeChampion},
		{k.OpenCRM, k.Snooze, k.SnoozeAlerts, k.FollowUps, k.Search, k.Rejected},
		{k.TimelineFilter},
	}
}
