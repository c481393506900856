package teamdata

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"csm/model"
	csmsync "csm/sync"
)

// jsonlTypes are the entities a .jsonl file may hold: the book as the
// company's systems know it. Notes, tasks, checklist items and play runs
// are the CSMs' own work; they come through the API, where they are never
// overwritten, not through an import that replaces what it names.
var jsonlTypes = []string{
	csmsync.EntityFeature, csmsync.EntityPlaybook, csmsync.EntityChecklist, csmsync.EntityAccount,
	csmsync.EntityContact, csmsync.EntityUsageMonth, csmsync.EntityNPS,
}

// workTypes are the entities of docs/API.md a .jsonl file may not hold.
var workTypes = []string{csmsync.EntityNote, csmsync.EntityTask, csmsync.EntityChecklistItem, csmsync.EntityPlayRun, csmsync.EntitySnooze}

// readJSONL reads one docs/API.md entity per line, with a "type" field naming
// it; an account may carry "csm_email" as in accounts.csv. Blank lines
// are skipped.
func readJSONL(file string, in io.Reader, imp *Import, seen *idRegistry, ps *problems) {
	br := bufio.NewReader(in)
	if head, _ := br.Peek(len(utf8BOM)); bytes.Equal(head, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	for line := 1; ; line++ {
		// ReadBytes has no line limit, unlike a Scanner: a month of
		// usage with many features is a long line, and a huge one is
		// still a row to report, not a reason to stop.
		raw, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(raw)) > 0 {
			readJSONLine(Pos{file, line}, bytes.TrimRight(raw, "\r\n"), imp, seen, ps)
		}
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			ps.add(file, line, "row", "cannot read: %v", err)
			return
		}
	}
}

func readJSONLine(at Pos, raw []byte, imp *Import, seen *idRegistry, ps *problems) {
	if !utf8.Valid(raw) {
		ps.add(at.File, at.Line, "row", "is not valid UTF-8")
		return
	}
	var head struct {
		Type     *string         `json:"type"`
		CSMEmail json.RawMessage `json:"csm_email"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		ps.add(at.File, at.Line, "row", "is not a JSON object: %v", err)
		return
	}
	switch {
	case head.Type == nil:
		ps.add(at.File, at.Line, "type", "is missing; want one of %s", strings.Join(jsonlTypes, ", "))
		return
	case slices.Contains(workTypes, *head.Type):
		ps.add(at.File, at.Line, "type", "%s is the CSMs' own work, which comes through the API, not an import", quote(*head.Type))
		return
	case !slices.Contains(jsonlTypes, *head.Type):
		ps.add(at.File, at.Line, "type", "%s is not one of %s", quote(*head.Type), strings.Join(jsonlTypes, ", "))
		return
	}
	entity := *head.Type
	v, err := csmsync.DecodeEntity(entity, raw)
	if err != nil {
		var fe *model.FieldError
		if errors.As(err, &fe) {
			ps.add(at.File, at.Line, columnName(fe.Field), "%s", fe.Problem)
		} else {
			ps.add(at.File, at.Line, "row", "%v", err)
		}
		return
	}
	email, ok := csmEmailOf(head.CSMEmail)
	if !ok {
		ps.add(at.File, at.Line, "csm_email", "must be a string")
		return
	}
	if !seen.claim(entity, csmsync.EntityID(entity, v), at, idField(entity)) {
		return
	}
	addDecoded(imp, at, v, email)
}

// csmEmailOf reads the optional csm_email of a line.
func csmEmailOf(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return strings.TrimSpace(s), true
}

// idField is the field that names an entity.
func idField(entity string) string {
	switch entity {
	case csmsync.EntityFeature, csmsync.EntityPlaybook, csmsync.EntityChecklist:
		return "key"
	}
	return "id"
}

// addDecoded files a decoded entity under its kind.
func addDecoded(imp *Import, at Pos, v any, csmEmail string) {
	switch x := v.(type) {
	case model.Feature:
		imp.features = append(imp.features, item[model.Feature]{at, x})
	case model.Playbook:
		imp.playbooks = append(imp.playbooks, item[model.Playbook]{at, x})
	case model.Checklist:
		imp.checklists = append(imp.checklists, item[model.Checklist]{at, x})
	case model.Account:
		imp.accounts = append(imp.accounts, accountItem{at: at, v: x, csmEmail: csmEmail})
	case model.Contact:
		imp.contacts = append(imp.contacts, item[model.Contact]{at, x})
	case model.UsageMonth:
		imp.months = append(imp.months, item[model.UsageMonth]{at, x})
	case model.NPSResponse:
		imp.nps = append(imp.nps, item[model.NPSResponse]{at, x})
	}
}
