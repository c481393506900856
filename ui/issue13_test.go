package ui

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"csm/data"
	"csm/model"
)

// Issue 13: the defects that lacked a test through the real Update and
// View. Each drives the root model as the program would.

// clipboardOf returns the text of an OSC 52 clipboard write (the message
// of tea.SetClipboard, whose type bubbletea keeps to itself).
func clipboardOf(msg tea.Msg) (string, bool) {
	if msg == nil {
		return "", false
	}
	v := reflect.ValueOf(msg)
	if v.Type().Name() != "setClipboardMsg" || v.Kind() != reflect.String {
		return "", false
	}
	return v.String(), true
}

// sendCopying is send that also returns what was put on the clipboard.
func sendCopying(a *App, msg tea.Msg) (clip []string) {
	var run func(cmd tea.Cmd, depth int)
	run = func(cmd tea.Cmd, depth int) {
		if cmd == nil || depth > 5 {
			return
		}
		m := cmd()
		if s, ok := clipboardOf(m); ok {
			clip = append(clip, s)
			return
		}
		if b, ok := m.(tea.BatchMsg); ok {
			for _, c := range b {
				run(c, depth+1)
			}
			return
		}
		if m == nil || isCursorBlink(m) {
			return
		}
		if _, ok := m.(statusExpiredMsg); ok {
			return
		}
		_, next := a.Update(m)
		run(next, depth+1)
	}
	_, cmd := a.Update(msg)
	run(cmd, 0)
	return clip
}

// footerOf is the last lines of the screen, where the footer answers.
func footerOf(a *App) string {
	lines := strings.Split(ansi.Strip(viewOf(a)), "\n")
	return strings.Join(lines[max(len(lines)-3, 0):], "\n")
}

// focusSection tabs the account page until the section has the focus.
func focusSection(t *testing.T, a *App, acc *accountScreen, sec string) {
	t.Helper()
	for range len(acc.page.sections) + 1 {
		if acc.focusedKey() == sec {
			return
		}
		press(t, a, "tab")
	}
	t.Fatalf("tab never reached the %s section (at %s)", sec, acc.focusedKey())
}

// campaignAccount opens, at 100×30, an account of the fixture book on
// which a campaign fits, with the CSM's name kept as a sync keeps it, and
// puts the focus on its first campaign.
func campaignAccount(t *testing.T) (*App, *accountScreen, campaign) {
	t.Helper()
	st := fixtureStore(t, 30)
	ctx := context.Background()
	if err := st.SetCSMName(ctx, "Maya Stone"); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, st, 100, 30)
	accts, err := st.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, acct := range accts {
		d := detailOf(t, st, acct.ID)
		if len(model.FittingCampaigns(d.CampaignFacts("Maya Stone", model.DateOf(fixedNow)))) == 0 {
			continue
		}
		send(a, openAccountMsg{id: acct.ID})
		acc, ok := a.active().(*accountScreen)
		if !ok {
			t.Fatalf("the account did not open: %T", a.active())
		}
		if !acc.loaded {
			send(a, acc.Init()())
		}
		focusSection(t, a, acc, secCampaigns)
		c, ok := acc.selectedCampaign()
		if !ok {
			t.Fatalf("the focus is on the campaigns, no campaign selected:\n%s", ansi.Strip(viewOf(a)))
		}
		return a, acc, c
	}
	t.Fatal("no account of the fixture book has a campaign that fits")
	return nil, nil, campaign{}
}

// Defect 3 (Build: "the CSM can edit the draft before copying"): e on a
// campaign opens its filled draft in an editor; what the CSM types is what
// ctrl+s copies, and the footer says so.
func TestCampaignDraftIsEditedBeforeCopying(t *testing.T) {
	a, acc, c := campaignAccount(t)
	press(t, a, "e")
	ed, ok := a.active().(*campaignEditor)
	if !ok {
		t.Fatalf("e on a campaign opened %T, want the campaign editor", a.active())
	}
	view := ansi.Strip(viewOf(a))
	if !strings.Contains(view, "Edit campaign · "+c.tmpl.Name) || !strings.Contains(view, "Subject: "+c.subject) {
		t.Fatalf("the editor does not show the filled draft:\n%s", view)
	}
	typeText(a, "Quick note first. ")
	if !ed.Unsaved() {
		t.Fatal("typing did not count as an edit")
	}
	clip := sendCopying(a, ctrl('s'))
	want := "Quick note first. " + campaignText(c)
	if len(clip) != 1 || clip[0] != want {
		t.Fatalf("ctrl+s copied %q, want the edited draft %q", clip, want)
	}
	if a.active() != screen(acc) {
		t.Fatalf("after copying the editor is still open (%T)", a.active())
	}
	if f := footerOf(a); !strings.Contains(f, "copied your edit of “"+c.tmpl.Name+"” to the clipboard") {
		t.Fatalf("the footer does not answer the copy:\n%s", f)
	}
	// y on the page still copies the draft as filled.
	if clip := sendCopying(a, keyMsg("y")); len(clip) != 1 || clip[0] != campaignText(c) {
		t.Fatalf("y copied %q, want the filled draft", clip)
	}
}

// Defect 3: "No placeholder text ever leaves csm", edited or not. A draft
// edited back to holding one is refused, saying which; nothing is copied
// and the text stays for the CSM to fix, after which it copies.
func TestEditedCampaignWithAPlaceholderIsNotCopied(t *testing.T) {
	a, _, c := campaignAccount(t)
	press(t, a, "e")
	const ph = "[missing: contact.first_name]"
	typeText(a, ph)
	if clip := sendCopying(a, ctrl('s')); len(clip) != 0 {
		t.Fatalf("a draft holding %s was copied: %q", ph, clip)
	}
	if _, ok := a.active().(*campaignEditor); !ok {
		t.Fatalf("the refused copy closed the editor (%T)", a.active())
	}
	if v := ansi.Strip(viewOf(a)); !strings.Contains(v, "not copied: the draft still holds "+ph) {
		t.Fatalf("the refusal does not say which placeholder:\n%s", v)
	}
	for range len([]rune(ph)) {
		press(t, a, "backspace")
	}
	if v := ansi.Strip(viewOf(a)); strings.Contains(v, "not copied") {
		t.Fatalf("the refusal stays after its cause was removed:\n%s", v)
	}
	clip := sendCopying(a, ctrl('s'))
	if len(clip) != 1 || clip[0] != campaignText(c) {
		t.Fatalf("once fixed, ctrl+s copied %q, want %q", clip, campaignText(c))
	}
}

// Defect 3: esc never loses an edit silently: it asks, n keeps editing, y
// discards and says nothing was copied; an untouched draft closes at once.
// Pasted text is cleaned before it can reach the clipboard.
func TestCampaignEditorEscAsksAndPasteIsCleaned(t *testing.T) {
	a, acc, c := campaignAccount(t)
	press(t, a, "e")
	press(t, a, "esc")
	if a.active() != screen(acc) || !strings.Contains(footerOf(a), "nothing copied") {
		t.Fatalf("esc on an untouched draft: %T\n%s", a.active(), footerOf(a))
	}

	press(t, a, "e")
	typeText(a, "x")
	press(t, a, "esc")
	if v := ansi.Strip(viewOf(a)); !strings.Contains(v, "discard your edits? y/n") {
		t.Fatalf("esc over an edit does not ask:\n%s", v)
	}
	press(t, a, "n")
	if _, ok := a.active().(*campaignEditor); !ok {
		t.Fatalf("n closed the editor (%T)", a.active())
	}
	press(t, a, "esc", "y")
	if a.active() != screen(acc) || !strings.Contains(footerOf(a), "discarded: nothing copied") {
		t.Fatalf("y did not discard with an answer: %T\n%s", a.active(), footerOf(a))
	}

	press(t, a, "e")
	send(a, tea.PasteMsg{Content: "hi \x1b]52;c;aGk=\x07there\u202e "})
	clip := sendCopying(a, ctrl('s'))
	if len(clip) != 1 || strings.ContainsAny(clip[0], "\x1b\x07\u202e") || !strings.HasPrefix(clip[0], "hi ") ||
		!strings.HasSuffix(clip[0], campaignText(c)) {
		t.Fatalf("pasted text copied uncleaned: %q", clip)
	}
}

// e answers by the section in focus: it edits a campaign, revises a note,
// and elsewhere says what it does.
func TestEditKeyAnswersBySection(t *testing.T) {
	a, acc, _ := campaignAccount(t)
	focusSection(t, a, acc, secChecklist)
	press(t, a, "e")
	if a.active() != screen(acc) || !strings.Contains(footerOf(a), "e revises a note or edits a campaign") {
		t.Fatalf("e on the checklist: %T\n%s", a.active(), footerOf(a))
	}
	if len(acc.detail.Notes) > 0 {
		focusSection(t, a, acc, secNotes)
		press(t, a, "e")
		if ed, ok := a.active().(*noteEditor); !ok || ed.revising == nil {
			t.Fatalf("e on a note opened %T, want the note reviser", a.active())
		}
	}
}

// Defect 10: "admin training" typed in the cockpit's search shows, on the
// hit's own line, where both words matched: the body names the admin far
// into a long text, a next step the training (the line showed one field,
// without "training").
func TestSearchHitLineShowsTheMatchedWords(t *testing.T) {
	for _, w := range []int{80, 120} {
		st := fixtureStore(t, 20)
		ctx := context.Background()
		accts, err := st.Accounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		acct := accts[0]
		in := data.NewNote{AccountID: acct.ID, Kind: model.NoteCall, HappenedAt: fixedNow.Add(-time.Hour),
			Body: "Long call about the renewal, pricing, the new dashboards, the SSO rollout, the regional offices and their budgets for next year. The admin asked about seats.",
			NextSteps: []data.NextStep{{Title: "Book a meeting with finance"},
				{Title: "Plan the onboarding of the Lisbon team and then the training in January"}}}
		if _, err := st.CreateNote(ctx, in); err != nil {
			t.Fatal(err)
		}
		a := newTestApp(t, st, w, 30)
		send(a, ctrl('f'))
		if _, ok := a.active().(*searchScreen); !ok {
			t.Fatalf("ctrl+f opened %T, want the search", a.active())
		}
		typeText(a, "admin training")
		var line string
		for _, l := range strings.Split(ansi.Strip(viewOf(a)), "\n") {
			if strings.Contains(l, " note ") && strings.Contains(l, acct.Name[:min(len(acct.Name), 8)]) {
				line = l
				break
			}
		}
		if line == "" {
			t.Fatalf("%d columns: no note hit of %s:\n%s", w, acct.Name, ansi.Strip(viewOf(a)))
		}
		for _, word := range []string{"admin", "training"} {
			if !strings.Contains(line, word) {
				t.Errorf("%d columns: the hit's line hides %q: %q", w, word, line)
			}
		}
	}
}

// Defect 3, through the page: y on every campaign the book offers copies
// a draft with no placeholder, signed with the CSM's name the sync kept
// and greeting the contact it is addressed to.
func TestEveryCopiedCampaignIsFilled(t *testing.T) {
	st := fixtureStore(t, 30)
	ctx := context.Background()
	if err := st.SetCSMName(ctx, "Maya Stone"); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, st, 100, 30)
	accts, err := st.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	copied := 0
	for _, acct := range accts {
		send(a, openAccountMsg{id: acct.ID})
		acc := a.active().(*accountScreen)
		if !acc.loaded {
			send(a, acc.Init()())
		}
		n := len(acc.campaigns())
		if n > 0 {
			focusSection(t, a, acc, secCampaigns)
		}
		for i := range n {
			c, ok := acc.selectedCampaign()
			if !ok {
				t.Fatalf("%s: campaign %d not selected", acct.ID, i)
			}
			clip := sendCopying(a, keyMsg("y"))
			if len(clip) != 1 {
				t.Fatalf("%s %s: y copied %d texts", acct.ID, c.tmpl.Key, len(clip))
			}
			text := clip[0]
			copied++
			if len(model.DraftPlaceholders(text)) > 0 || !strings.HasSuffix(text, "\n\nMaya Stone\n") ||
				!strings.Contains(text, "Hi "+strings.Fields(c.to)[0]+",") {
				t.Errorf("%s %s: copied %q", acct.ID, c.tmpl.Key, text)
			}
			if !strings.Contains(footerOf(a), "copied “"+c.tmpl.Name+"”") {
				t.Errorf("%s %s: the copy is not answered:\n%s", acct.ID, c.tmpl.Key, footerOf(a))
			}
			press(t, a, "j")
		}
		press(t, a, "esc")
	}
	if copied == 0 {
		t.Fatal("no campaign copied over the whole book: the test proves nothing")
	}
}

// Defect 4, through the page: the plays an alert suggests are the plays
// the Plays section lists as suggested, and its count says how many.
func TestAlertAndPlaysSectionSuggestTheSame(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 100, 30)
	ctx := context.Background()
	accts, err := st.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	said := regexp.MustCompile(`Suggested plays?: ([^.]+)\.`)
	named := 0
	for _, acct := range accts {
		send(a, openAccountMsg{id: acct.ID})
		acc := a.active().(*accountScreen)
		if !acc.loaded {
			send(a, acc.Init()())
		}
		page := wholePage(t, a, acc)
		text := flat(page)
		var listed []string
		for _, l := range page {
			if _, name, ok := strings.Cut(l, "◇ "); ok {
				name, _, _ = strings.Cut(name, " · for ")
				listed = append(listed, strings.TrimSpace(name))
			}
		}
		summary := acc.playsSummary()
		if !strings.Contains(text, summary) {
			t.Errorf("%s: the Plays summary %q is not on the page", acct.ID, summary)
		}
		if want := fmt.Sprintf("%d suggested", len(listed)); !strings.Contains(summary, want) {
			t.Errorf("%s: the Plays section lists %d (%q) but says %q", acct.ID, len(listed), listed, summary)
		}
		for _, m := range said.FindAllStringSubmatch(text, -1) {
			for _, name := range strings.Split(m[1], "; ") {
				named++
				if !slices.Contains(listed, strings.TrimSpace(name)) {
					t.Errorf("%s: an alert suggests %q, the Plays section lists %q", acct.ID, name, listed)
				}
			}
		}
		press(t, a, "esc")
	}
	if named == 0 {
		t.Fatal("no alert of the book suggests a play: the test proves nothing")
	}
}

// Defect 6, through a sync: a note and a follow-up a colleague wrote,
// brought by s, are on the "what changed" screen (c), not "Nothing has
// changed yet".
func TestWhatChangedShowsAColleaguesNoteAfterSync(t *testing.T) {
	st := fixtureStore(t, 20)
	ctx := context.Background()
	accts, err := st.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	acct := accts[0]
	at := fixedNow.Add(-time.Hour)
	note := model.Note{ID: "n-dana", AccountID: acct.ID, Kind: model.NoteMeeting, Body: "QBR prep with the sponsor", Author: "Dana Lee",
		HappenedAt: at, CreatedAt: at, Revision: 1}
	task := model.Task{ID: "t-dana", AccountID: acct.ID, Title: "send the renewal quote", CreatedAt: at}
	sync := func(ctx context.Context) (string, error) {
		if err := st.BeginChangesRound(ctx); err != nil {
			return "", err
		}
		_, err := st.ApplyPage(ctx, data.Page{NextCursor: "c-dana", Changes: []data.Change{
			{Seq: 1, Entity: model.EntityNote, Op: "upsert", ID: note.ID, Value: note},
			{Seq: 2, Entity: model.EntityTask, Op: "upsert", ID: task.ID, Value: task},
		}})
		return "pulled 2 changes", err
	}
	a := New(Options{Store: st, Sync: sync, Now: func() time.Time { return fixedNow }, Label: "test", StatusTTL: -1})
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	a.Update(a.loadBook()())
	press(t, a, "s")
	press(t, a, "c")
	if _, ok := a.active().(*changesScreen); !ok {
		t.Fatalf("c opened %T, want what changed", a.active())
	}
	view := ansi.Strip(viewOf(a))
	for _, want := range []string{"new meeting note by Dana Lee", "new follow-up: send the renewal quote"} {
		if !strings.Contains(view, want) {
			t.Errorf("what changed lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "Nothing has changed") {
		t.Errorf("what changed says nothing changed:\n%s", view)
	}
}

// Defect 13, through the page: a note written here shows the CSM's name as
// its author, the name the sync kept.
func TestNoteWrittenHereShowsItsAuthor(t *testing.T) {
	st := fixtureStore(t, 20)
	ctx := context.Background()
	const me = "Quinn Okafor"
	if err := st.SetCSMName(ctx, me); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, st, 100, 30)
	acc := openFirstAccount(t, a)
	press(t, a, "n")
	if _, ok := a.active().(*noteEditor); !ok {
		t.Fatalf("n opened %T, want the note editor", a.active())
	}
	typeText(a, "Called about the renewal")
	sendNow(t, a, ctrl('s'))
	if a.active() != screen(acc) {
		t.Fatalf("after saving: %T\n%s", a.active(), ansi.Strip(viewOf(a)))
	}
	if !acc.loaded {
		send(a, acc.Init()())
	}
	page := wholePage(t, a, acc)
	for i, l := range page {
		if strings.Contains(l, "Called about the renewal") {
			if i == 0 || !strings.Contains(page[i-1], "· "+me) {
				t.Errorf("the note's head does not name its author %q:\n%s\n%s", me, page[max(i-1, 0)], l)
			}
			return
		}
	}
	t.Fatalf("the note saved is not on the page:\n%s", strings.Join(page, "\n"))
}

// Defect 3's editor: ctrl+c over an edit not copied warns first, in the
// editor's own words, and quits only when pressed again.
func TestCtrlCOverAnEditedCampaignWarnsFirst(t *testing.T) {
	a, _, _ := campaignAccount(t)
	press(t, a, "e")
	typeText(a, "x")
	_, cmd := a.Update(keyMsg("ctrl+c"))
	if isQuit(cmd) {
		t.Fatal("ctrl+c quit over an edited campaign")
	}
	runCmd(a, cmd, 0)
	if f := footerOf(a); !strings.Contains(f, "edited campaign not copied: ctrl+s copies it") {
		t.Fatalf("the first ctrl+c does not warn:\n%s", f)
	}
	if _, cmd := a.Update(keyMsg("ctrl+c")); !isQuit(cmd) {
		t.Fatal("the second ctrl+c did not quit")
	}
}
