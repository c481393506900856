package ui

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"csm/data"
	"csm/safe"
)

// searchLimit is how many hits one search shows; past that the CSM types
// another word.
const searchLimit = 100

// searchResultsMsg carries the hits of one query; seq says which.
type searchResultsMsg struct {
	seq   int
	query string
	hits  []data.Hit
	err   error
}

// searchScreen searches every note and follow-up of the book as you type.
type searchScreen struct {
	*env

	input  textinput.Model
	typing bool // the input has the focus; else the results do

	// seq numbers the queries sent; shown is the seq of the hits on
	// screen. Results of an older query than the one shown are dropped,
	// so a slow early query never replaces a later one.
	seq, shown int
	query      string // the query of the hits shown
	hits       []data.Hit
	err        string

	list          list // of hits
	width, height int
}

// newSearch opens the search with the input focused.
func newSearch(e *env) *searchScreen {
	in := textinput.New()
	in.Prompt = "search: "
	in.Placeholder = "words from notes and follow-ups"
	in.CharLimit = 200
	in.SetStyles(e.styles.Input)
	s := &searchScreen{env: e, input: in, typing: true}
	s.SetSize(80, 20)
	s.input.Focus()
	return s
}

// Refresh runs the query again, after a change made elsewhere.
func (s *searchScreen) Refresh() tea.Cmd { return s.run() }

// Capturing is true while the input has the focus: every key is text.
func (s *searchScreen) Capturing() bool { return s.typing }

// SetSize sets the room of the screen: the hits get what the input and
// the count line above them leave.
func (s *searchScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.input.SetWidth(max(w-len(s.input.Prompt)-1, 10))
	s.list.SetHeight(h - 2)
}

// restyle gives the input the new styles.
func (s *searchScreen) restyle() { s.input.SetStyles(s.styles.Input) }

// run sends the current query in a command.
func (s *searchScreen) run() tea.Cmd {
	s.seq++
	seq, st, q := s.seq, s.store, s.input.Value()
	if strings.TrimSpace(q) == "" {
		// Nothing to look for: clear now, and let no older answer in.
		s.shown, s.query, s.hits, s.err = seq, "", nil, ""
		s.list.SetLen(0)
		return nil
	}
	return s.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		hits, err := st.Search(ctx, q, searchLimit)
		return searchResultsMsg{seq: seq, query: q, hits: hits, err: err}
	})
}

// Update handles typing, moving through the hits and the answers.
func (s *searchScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case searchResultsMsg:
		if msg.seq <= s.shown {
			return nil // older than what is on screen
		}
		s.shown, s.query = msg.seq, msg.query
		if msg.err != nil {
			s.err = errText(msg.err)
			return nil
		}
		s.hits, s.err = msg.hits, ""
		s.list.SetLen(len(s.hits))
		s.list.Reset()
	case tea.PasteMsg:
		if !s.typing {
			return nil
		}
		msg.Content = safe.Line(msg.Content)
		return s.updateInput(msg)
	case tea.MouseWheelMsg:
		s.list.Update(msg, s.keys)
	case tea.KeyPressMsg:
		if s.typing {
			return s.updateTyping(msg)
		}
		return s.updateResults(msg)
	}
	return nil
}

func (s *searchScreen) updateTyping(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, s.keys.Back):
		return popScreen
	case key.Matches(msg, s.keys.Open):
		return s.open() // the best hit, without leaving the input
	case key.Matches(msg, s.keys.Results):
		if len(s.hits) > 0 {
			s.typing = false
			s.input.Blur()
			s.list.Top()
		}
		return nil
	}
	return s.updateInput(msg)
}

// updateInput types into the input and searches when the text changed.
func (s *searchScreen) updateInput(msg tea.Msg) tea.Cmd {
	before := s.input.Value()
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	if s.input.Value() == before {
		return cmd
	}
	return tea.Batch(cmd, s.run())
}

func (s *searchScreen) updateResults(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	switch {
	case key.Matches(msg, k.Up) && s.list.Cursor() == 0:
		return s.focusInput()
	case s.list.Update(msg, k):
	case key.Matches(msg, k.Open):
		return s.open()
	case key.Matches(msg, k.Filter, k.PrevTab):
		return s.focusInput()
	case key.Matches(msg, k.Back):
		return popScreen
	}
	return nil
}

// focusInput goes back to typing, with the best hit selected again: enter
// in the input opens the hit marked on screen.
func (s *searchScreen) focusInput() tea.Cmd {
	s.typing = true
	s.list.Top()
	return s.input.Focus()
}

// open opens the account of the selected hit.
func (s *searchScreen) open() tea.Cmd {
	i, ok := s.list.Selected()
	if !ok {
		return nil
	}
	id := s.hits[i].AccountID
	return func() tea.Msg { return openAccountMsg{id: id} }
}

// ShortHelp lists the screen's main keys.
func (s *searchScreen) ShortHelp() []key.Binding {
	open := s.keys.Open
	open.SetHelp("enter", "open account")
	if s.typing {
		return []key.Binding{open, s.keys.Results, s.keys.Back}
	}
	filter := s.keys.Filter
	filter.SetHelp("/", "edit search")
	return []key.Binding{s.keys.Up, s.keys.Down, open, filter, s.keys.Back}
}

// FullHelp lists every key of the screen.
func (s *searchScreen) FullHelp() [][]key.Binding {
	k := s.keys
	open := k.Open
	open.SetHelp("enter", "open account")
	filter := k.Filter
	filter.SetHelp("/", "edit search")
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		{open, filter, k.Back},
	}
}

// View draws the input, a count line and the hits.
func (s *searchScreen) View() string {
	st := s.styles
	lines := []string{truncateLine(s.input.View(), s.width)}
	switch {
	case s.err != "":
		lines = append(lines, truncateLine(st.Bad.Render("search failed: "+s.err), s.width))
	case strings.TrimSpace(s.query) == "":
		lines = append(lines, st.Subtle.Render(truncateLine("  every word must match; the last one may be cut short", s.width)))
	case len(s.hits) == 0:
		lines = append(lines, st.Subtle.Render(truncateLine("  nothing matches "+safe.Line(s.query), s.width)))
	default:
		count := fmt.Sprintf("  %d matches", len(s.hits))
		if len(s.hits) == 1 {
			count = "  1 match"
		}
		if len(s.hits) == searchLimit {
			count = fmt.Sprintf("  the best %d matches", searchLimit)
		}
		lines = append(lines, st.Subtle.Render(count))
	}
	for i := s.list.Offset(); i < s.list.End(); i++ {
		lines = append(lines, s.hitView(s.hits[i], i == s.list.Cursor()))
	}
	return strings.Join(lines, "\n")
}

const (
	hitDateWidth = 12 // "Nov 20, 2026", format.ShortDay's widest (a day of another year)
	hitKindWidth = 9  // "follow-up"
)

func (s *searchScreen) hitView(h data.Hit, selected bool) string {
	st := s.styles
	marker := "  "
	if selected {
		marker = "▶ "
	}
	when := "—"
	if !h.When.IsZero() {
		when = s.dayOf(h.When.In(s.now().Location()))
	}
	kind := "note"
	if h.Kind == data.HitTask {
		kind = "follow-up"
	}
	aw := min(max(s.width/5, 14), 30)
	sw := max(s.width-2-hitDateWidth-1-aw-1-hitKindWidth-1, 10)
	line := marker + pad(when, hitDateWidth) + " " + cell(h.AccountName, aw) + " " + st.Label.Render(pad(kind, hitKindWidth)) + " " +
		highlight(h.Snippet, sw, st.Title)
	line = truncateLine(line, s.width)
	if selected {
		return st.SelectedRow(line, s.width)
	}
	return line
}

// highlight draws an untrusted snippet in at most width cells: sanitized
// first (the match markers survive it), then the matched words styled.
// Working segment by segment keeps every style closed even when the text
// is cut inside a match.
func highlight(snippet string, width int, match lipgloss.Style) string {
	// Every match in view (search_fit.go).
	rest := fitMatches(safe.Line(snippet), width)
	var b strings.Builder
	used, inMatch := 0, false
	for rest != "" && used < width {
		seg, marker := rest, ""
		if i := strings.IndexAny(rest, data.MatchStart+data.MatchEnd); i >= 0 {
			_, n := utf8.DecodeRuneInString(rest[i:])
			seg, marker, rest = rest[:i], rest[i:i+n], rest[i+n:]
		} else {
			rest = ""
		}
		if seg != "" {
			if used+ansi.StringWidth(seg) > width {
				seg = safe.Truncate(seg, width-used)
			}
			used += ansi.StringWidth(seg)
			if inMatch {
				seg = match.Render(seg)
			}
			b.WriteString(seg)
		}
		switch marker {
		case data.MatchStart:
			inMatch = true
		case data.MatchEnd:
			inMatch = false
		}
	}
	return b.String()
}

// dropLeft removes whole grapheme clusters from the start of s until it is
// at most keep cells wide.
func dropLeft(s string, keep int) string {
	for s != "" && ansi.StringWidth(s) > keep {
		c, _ := ansi.FirstGraphemeCluster(s, ansi.GraphemeWidth)
		if c == "" {
			return ""
		}
		s = s[len(c):]
	}
	return s
}
