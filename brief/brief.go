// Package brief renders the pre-call brief of one account as Markdown:
// what to know before calling it, from the store's account detail. It
// reads nothing and writes nothing: the same detail and day give the same
// text.
package brief

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"csm/data"
	"csm/format"
	"csm/model"
	"csm/safe"
)

// maxNotes is how many notes the brief shows, and noteLines how many lines
// of each: enough to recall the last calls, short enough to read before
// dialling.
const (
	maxNotes  = 3
	noteLines = 15
)

// Render writes the brief of one account. now decides which follow-ups
// are overdue; figures are as of the book's usage day.
//
// Every string from data goes through safe (no escape sequence reaches the
// terminal) and, inline, through mdInline (a name like "*Acme* | [x]" stays
// text and cannot break a table or a heading).
func Render(d data.AccountDetail, now time.Time) string {
	var b strings.Builder
	a := d.Account
	asOf := d.Book.AsOf
	today := max(model.DateOf(now), asOf)

	fmt.Fprintf(&b, "# %s\n\n", mdInline(a.Name))
	if d.HasMetrics {
		fmt.Fprintf(&b, "Pre-call brief · usage as of %s\n\n", format.Day(asOf))
	}
	writeHeader(&b, d)

	b.WriteString("## Figures\n\n")
	if !d.HasMetrics {
		b.WriteString("Not computed yet: run `csm sync`.\n\n")
	} else {
		writeFigures(&b, d)
		writeReasons(&b, d, today)
	}
	writePlays(&b, d, today)
	writeChampion(&b, d.Contacts, asOf)
	writeNPS(&b, d.NPS, d.Contacts, asOf)
	writeNotes(&b, d.Notes)
	writeFollowUps(&b, d.Tasks, today)
	return b.String()
}

func writeHeader(b *strings.Builder, d data.AccountDetail) {
	a, m := d.Account, d.Metrics
	fmt.Fprintf(b, "- Tier: %s · Stage: %s\n", keyWords(a.Tier), keyWords(a.Stage))
	fmt.Fprintf(b, "- ARR: %s · Licenses: %d\n", mdInline(format.Money(a.ARRCents, a.Currency)), a.Licenses)
	renewal := format.Day(a.RenewalOn)
	if d.HasMetrics {
		renewal += ", " + model.InDays(m.RenewalInDays)
	}
	fmt.Fprintf(b, "- Renewal: %s\n", renewal)
	switch {
	case a.OnboardingCompletedOn != nil:
		fmt.Fprintf(b, "- Onboarding: completed on %s\n", format.Day(*a.OnboardingCompletedOn))
	default:
		fmt.Fprintf(b, "- Onboarding: started on %s, not complete\n", format.Day(a.OnboardingStartedOn))
	}
	if a.AccountExecutive.Name != "" {
		fmt.Fprintf(b, "- Account executive: %s\n", mdInline(a.AccountExecutive.Name))
	}
	b.WriteString("\n")
}

func writeFigures(b *strings.Builder, d data.AccountDetail) {
	m := d.Metrics
	util := "undefined (no licenses)"
	if m.Util != nil {
		util = fmt.Sprintf("%s (%d active of %d licenses)", format.Percent(m.Util), m.MAU, m.Licenses)
	}
	trend := "undefined (no active users 30 days ago)"
	if m.Trend != nil {
		trend = fmt.Sprintf("%s (%d users 30 days ago)", format.SignedPercent(m.Trend), m.MAUPrev)
	}
	weekly := "yes: active users in each of the last 4 weeks"
	if !m.WeeklyUse {
		active := 0
		for _, v := range m.WeeklyActive {
			if v > 0 {
				active++
			}
		}
		weekly = fmt.Sprintf("no: active users in %d of the last 4 weeks", active)
	}
	features := "undefined (no high-value feature in the catalogue)"
	if m.FeatureAdoption != nil {
		features = fmt.Sprintf("%s (%d of %d high-value features)", format.Percent(m.FeatureAdoption), len(m.FeaturesAdopted), m.HighValueFeatures)
	}
	rows := [][2]string{
		{"Utilization", util},
		{"Monthly active users", fmt.Sprint(m.MAU)},
		{"Daily active users", fmt.Sprintf("%.1f on average over 30 days", m.DAU)},
		{"Stickiness", format.Percent(&m.Stickiness)},
		{"Trend", trend},
		{"Weekly use", weekly},
		{"Feature adoption", features},
		{"Health", fmt.Sprintf("**%.1f** of 100 (danger line %.1f)", m.Health.Score, d.Book.DangerLine)},
	}
	b.WriteString("| Figure | Value |\n|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(b, "| %s | %s |\n", r[0], r[1])
	}
	writeHealthTable(b, m)
}

// writeHealthTable breaks the health score down with the weights actually
// used, so that 100 × score × weight is each component's points and the
// points add up to the health; when a component is undefined it says so
// and that the configured weights of the others were renormalised.
func writeHealthTable(b *strings.Builder, m model.AccountMetrics) {
	b.WriteString("\nHealth by component (points = 100 × score × weight):\n\n| Component | Value | Score | Weight | Points |\n|---|---:|---:|---:|---:|\n")
	for _, c := range m.Health.Components {
		if !c.Counted {
			fmt.Fprintf(b, "| %s | %s | — | — | left out |\n", keyWords(c.Key), componentValue(c, m))
			continue
		}
		fmt.Fprintf(b, "| %s | %s | %.2f | %s | %.1f |\n", keyWords(c.Key), componentValue(c, m), c.Score,
			weightPercent(m.Health.UsedWeight(c.Key)), c.Points)
	}
	fmt.Fprintf(b, "| **Health** | | | | **%.1f** |\n", m.Health.Score)
	if left := m.Health.LeftOut(); len(left) > 0 {
		var why, configured []string
		for _, key := range left {
			why = append(why, keyWords(key)+" is undefined ("+model.UndefinedWhy(key)+")")
		}
		for _, c := range m.Health.Components {
			if c.Counted {
				configured = append(configured, fmt.Sprintf("%s %g", keyWords(c.Key), c.Weight))
			}
		}
		fmt.Fprintf(b, "\nWeights renormalised: %s and left out, so the configured weights of the others (%s) are scaled to add up to 100%%.\n",
			strings.Join(why, "; "), strings.Join(configured, ", "))
	}
	b.WriteString("\n")
}

// weightPercent shows a used weight as a percentage, to one decimal when
// it has one (37.5%), so weight × score gives the points shown.
func weightPercent(w float64) string {
	s := fmt.Sprintf("%.1f", w*100)
	return strings.TrimSuffix(s, ".0") + "%"
}

// componentValue shows a health component's raw figure in its own unit.
func componentValue(c model.HealthComponent, m model.AccountMetrics) string {
	if c.Key == model.HealthChampion {
		return keyWords(m.Champion)
	}
	if c.Value == nil {
		return "undefined"
	}
	switch c.Key {
	case model.HealthTrend:
		return format.SignedPercent(c.Value)
	case model.HealthNPS:
		return fmt.Sprintf("%.0f", *c.Value)
	}
	return format.Percent(c.Value)
}

// writeReasons says why the account is flagged: each alert's note,
// then each segment's and flag's sentence.
func writeReasons(b *strings.Builder, d data.AccountDetail, today model.Date) {
	m := d.Metrics
	b.WriteString("## Why flagged\n\n")
	if len(m.Alerts)+len(m.Segments)+len(m.Flags) == 0 {
		b.WriteString("Nothing: no alert, segment or flag.\n\n")
		return
	}
	for _, n := range m.AlertNotes {
		fmt.Fprintf(b, "### Alert: %s\n\n", mdInline(n.Title))
		if n.What != "" {
			fmt.Fprintf(b, "- What happened: %s\n", mdInline(n.What))
		}
		if n.Figures != "" {
			fmt.Fprintf(b, "- Figures: %s\n", mdInline(n.Figures))
		}
		// The play as it stands today: the same suggestions as the Plays
		// section below and the account page.
		if play := d.AlertPlay(n, today); play != "" {
			fmt.Fprintf(b, "- %s\n", mdInline(play))
		}
		b.WriteString("\n")
	}
	keys := slices.Concat(m.Segments, m.Flags)
	if len(m.AlertNotes) > 0 && len(keys) > 0 {
		// Without a heading the list would read as part of the last alert.
		b.WriteString("### Segments\n\n")
	}
	for _, k := range keys {
		fmt.Fprintf(b, "- **%s**: %s\n", mdInline(model.Label(k)), mdInline(m.Reasons[k]))
	}
	if len(keys) > 0 {
		b.WriteString("\n")
	}
}

// writePlays lists the running plays with their steps in due order and
// their dates, then the plays suggested today (data.AccountDetail's
// SuggestedPlays, the answer the alerts and the account page give), their
// steps dated as if started today. Nothing when there is neither.
func writePlays(b *strings.Builder, d data.AccountDetail, today model.Date) {
	suggested := d.SuggestedPlays(today)
	runs := slices.Clone(d.PlayRuns)
	runs = slices.DeleteFunc(runs, func(r model.PlayRun) bool { return r.ClosedAt != nil })
	if len(runs)+len(suggested) == 0 {
		return
	}
	slices.SortFunc(runs, func(x, y model.PlayRun) int { return cmp.Or(x.StartedAt.Compare(y.StartedAt), cmp.Compare(x.ID, y.ID)) })
	playbook := func(key string) model.Playbook {
		i := slices.IndexFunc(d.Catalogue.Playbooks, func(p model.Playbook) bool { return p.Key == key })
		if i < 0 {
			return model.Playbook{Key: key, Name: key}
		}
		return d.Catalogue.Playbooks[i]
	}
	b.WriteString("## Plays\n\n")
	for _, r := range runs {
		pb := playbook(r.PlaybookKey)
		started := model.DateOf(r.StartedAt)
		fmt.Fprintf(b, "### Running: %s\n\nStarted %s.\n\n", mdInline(cmp.Or(pb.Name, pb.Key)), format.Day(started))
		for _, s := range model.StepsByDue(pb.Steps) {
			due := started + model.Date(s.DueDays)
			switch at := r.Steps[s.Key]; {
			case at != nil:
				fmt.Fprintf(b, "- [x] %s, done %s\n", mdInline(s.Title), format.Day(model.DateOf(*at)))
			case due < today:
				fmt.Fprintf(b, "- [ ] %s, due %s (**overdue**)\n", mdInline(s.Title), format.Day(due))
			default:
				fmt.Fprintf(b, "- [ ] %s, due %s\n", mdInline(s.Title), format.Day(due))
			}
		}
		b.WriteString("\n")
	}
	for _, pb := range suggested {
		fmt.Fprintf(b, "### Suggested: %s\n\n", mdInline(pb.Name))
		if pb.Description != "" {
			fmt.Fprintf(b, "%s\n\n", mdInline(pb.Description))
		}
		for _, s := range model.StepsByDue(pb.Steps) {
			fmt.Fprintf(b, "- %s: day %d, %s if started today\n", mdInline(s.Title), s.DueDays, format.Day(today+model.Date(s.DueDays)))
		}
		b.WriteString("\n")
	}
}

func writeChampion(b *strings.Builder, contacts []model.Contact, asOf model.Date) {
	b.WriteString("## Champion\n\n")
	n := 0
	for _, c := range contacts {
		if !c.IsChampion {
			continue
		}
		n++
		who := contactName(c)
		if c.LeftCompanyOn != nil && *c.LeftCompanyOn <= asOf {
			fmt.Fprintf(b, "- Left: %s, on %s\n", who, format.Day(*c.LeftCompanyOn))
		} else {
			fmt.Fprintf(b, "- Active: %s\n", who)
		}
	}
	// Other people who left matter too: a sponsor or admin gone is a
	// relationship to rebuild.
	for _, c := range contacts {
		if !c.IsChampion && c.LeftCompanyOn != nil && *c.LeftCompanyOn <= asOf {
			n++
			fmt.Fprintf(b, "- Also left: %s, %s, on %s\n", contactName(c), keyWords(c.Role), format.Day(*c.LeftCompanyOn))
		}
	}
	if n == 0 {
		b.WriteString("No champion named.\n")
	}
	b.WriteString("\n")
}

// contactName is "Name, Title (email)" with what is known.
func contactName(c model.Contact) string {
	s := mdInline(c.Name)
	if c.Title != "" {
		s += ", " + mdInline(c.Title)
	}
	if c.Email != "" {
		s += " (" + mdInline(c.Email) + ")"
	}
	return s
}

// writeNPS shows the latest answer on or before the usage day, the
// one health counts (same day: the larger id, as the model decides).
func writeNPS(b *strings.Builder, nps []model.NPSResponse, contacts []model.Contact, asOf model.Date) {
	b.WriteString("## Latest NPS\n\n")
	var latest *model.NPSResponse
	for i := range nps {
		n := &nps[i]
		if n.RespondedOn > asOf {
			continue
		}
		if latest == nil || n.RespondedOn > latest.RespondedOn || (n.RespondedOn == latest.RespondedOn && n.ID > latest.ID) {
			latest = n
		}
	}
	if latest == nil {
		b.WriteString("No answer yet.\n\n")
		return
	}
	fmt.Fprintf(b, "%d of 10 on %s", latest.Score, format.Day(latest.RespondedOn))
	if i := slices.IndexFunc(contacts, func(c model.Contact) bool { return c.ID == latest.ContactID }); i >= 0 {
		fmt.Fprintf(b, ", from %s", mdInline(contacts[i].Name))
	}
	b.WriteString("\n\n")
	if strings.TrimSpace(latest.Comment) != "" {
		b.WriteString(mdQuote(latest.Comment, noteLines))
		b.WriteString("\n")
	}
}

// writeNotes shows the newest notes, current revisions only: a note
// superseded by a correction is history, not what was said last.
func writeNotes(b *strings.Builder, notes []model.Note) {
	b.WriteString("## Last notes\n\n")
	superseded := map[string]bool{}
	for _, n := range notes {
		if n.Supersedes != nil {
			superseded[*n.Supersedes] = true
		}
	}
	var current []model.Note
	for _, n := range notes {
		if !superseded[n.ID] {
			current = append(current, n)
		}
	}
	slices.SortFunc(current, func(x, y model.Note) int {
		return cmp.Or(y.HappenedAt.Compare(x.HappenedAt), cmp.Compare(y.ID, x.ID))
	})
	if len(current) == 0 {
		b.WriteString("No notes yet.\n\n")
		return
	}
	for _, n := range current[:min(len(current), maxNotes)] {
		fmt.Fprintf(b, "### %s · %s", format.Day(model.DateOf(n.HappenedAt)), keyWords(n.Kind))
		if n.Author != "" {
			fmt.Fprintf(b, " · %s", mdInline(n.Author))
		}
		if n.Revision > 1 {
			b.WriteString(" (corrected)")
		}
		b.WriteString("\n\n")
		if strings.TrimSpace(n.Body) != "" {
			b.WriteString(mdQuote(n.Body, noteLines))
			b.WriteString("\n")
		}
		if len(n.NextSteps) > 0 {
			b.WriteString("Next steps:\n\n")
			for _, s := range n.NextSteps {
				fmt.Fprintf(b, "- %s\n", mdInline(s))
			}
			b.WriteString("\n")
		}
	}
	if more := len(current) - maxNotes; more > 0 {
		fmt.Fprintf(b, "(%s not shown.)\n\n", model.Plural(more, "older note"))
	}
}

// writeFollowUps lists the open follow-ups, soonest due first, those
// without a due day last.
func writeFollowUps(b *strings.Builder, tasks []model.Task, today model.Date) {
	b.WriteString("## Open follow-ups\n\n")
	open, _ := model.OpenTasks(tasks)
	if len(open) == 0 {
		b.WriteString("Nothing open.\n")
		return
	}
	for _, t := range open {
		due := "no due day"
		if t.DueOn != nil {
			switch n := int(*t.DueOn - today); {
			case n < 0:
				due = fmt.Sprintf("**overdue** by %s (due %s)", model.Plural(-n, "day"), format.Day(*t.DueOn))
			case n == 0:
				due = "due today"
			default:
				due = fmt.Sprintf("due %s, %s", format.Day(*t.DueOn), model.InDays(n))
			}
		}
		fmt.Fprintf(b, "- [ ] %s: %s\n", mdInline(t.Title), due)
	}
}

// mdEscaper backslash-escapes what Markdown would read as structure inside
// a line: emphasis, code, links, HTML, table cells and headings.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `|`, `\|`, `#`, `\#`,
)

// mdInline makes a data string safe for one line of Markdown.
func mdInline(s string) string { return mdEscaper.Replace(safe.Line(s)) }

// mdQuote sanitizes a block of text and sets it as a Markdown blockquote, so
// that whatever the text holds stays inside it; at most maxLines lines.
func mdQuote(s string, maxLines int) string {
	lines := strings.Split(strings.TrimRight(safe.Text(s), "\n "), "\n")
	cut := len(lines) > maxLines
	if cut {
		lines = lines[:maxLines]
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(strings.TrimRight("> "+l, " ") + "\n")
	}
	if cut {
		b.WriteString("> …\n")
	}
	return b.String()
}

// keyWords turns a key such as "high_touch" into "high touch".
func keyWords(key string) string { return strings.ReplaceAll(mdInline(key), `\_`, " ") }
