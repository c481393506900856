package sync

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"csm/model"
)

// snooze.set on both servers: each (account, key) is a last-writer-wins
// snooze entity in the feed; a wake is an until of null; repeats get the
// first answer; another CSM's account and bad data are refused.
func TestMutationsSnooze(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		a1, a2 := csm1+"-a1", csm2+"-a1"
		week, month := model.MakeDate(2026, 11, 30), model.MakeDate(2026, 12, 23)
		type step struct {
			m          Mutation
			token      string
			status     string
			code       string
			superseded bool
			until      *model.Date // the state in the feed after an applied step
		}
		steps := []step{
			{m: newMutation("s1", MutSnoozeSet, atHour(1), SnoozeSetData{AccountID: a1, Key: model.SnoozeAll, Until: &week}), status: StatusApplied, until: &week},
			{m: newMutation("s2", MutSnoozeSet, atHour(3), SnoozeSetData{AccountID: a1, Key: model.SnoozeAll, Until: &month}), status: StatusApplied, until: &month},
			// Older than the state: superseded, nothing changes.
			{m: newMutation("s3", MutSnoozeSet, atHour(2), SnoozeSetData{AccountID: a1, Key: model.SnoozeAll}), status: StatusApplied, superseded: true},
			// A wake, newer.
			{m: newMutation("s4", MutSnoozeSet, atHour(4), SnoozeSetData{AccountID: a1, Key: model.SnoozeAll}), status: StatusApplied},
			// One alert's snooze is its own value.
			{m: newMutation("s5", MutSnoozeSet, atHour(1), SnoozeSetData{AccountID: a1, Key: model.AlertCrisis, Until: &week}), status: StatusApplied, until: &week},
			{m: newMutation("s6", MutSnoozeSet, atHour(1), SnoozeSetData{AccountID: a2, Key: model.SnoozeAll, Until: &week}), status: StatusRejected, code: CodeNotFound},
			{m: newMutation("s7", MutSnoozeSet, atHour(1), SnoozeSetData{AccountID: "nowhere", Until: &week}), status: StatusRejected, code: CodeNotFound},
			{m: newMutation("s8", MutSnoozeSet, atHour(1), map[string]any{"account_id": a1, "key": ""}), status: StatusRejected, code: CodeInvalid},
			{m: newMutation("s9", MutSnoozeSet, atHour(1), map[string]any{"account_id": a1, "until": nil}), status: StatusRejected, code: CodeInvalid},
			{m: newMutation("s10", MutSnoozeSet, atHour(1), map[string]any{"account_id": a1, "key": "", "until": "soon"}), status: StatusRejected, code: CodeInvalid},
			{token: tok2, m: newMutation("s11", MutSnoozeSet, atHour(1), SnoozeSetData{AccountID: a1, Until: &week}), status: StatusRejected, code: CodeNotFound},
		}
		s, ts := newTestServerOn(t, kind)
		_, cursor, _ := walkFeed(t, ts, tok1, "", 0)
		results := make([]MutationResult, len(steps))
		applied := 0
		for i, st := range steps {
			where := fmt.Sprintf("step %d", i+1)
			token := st.token
			if token == "" {
				token = tok1
			}
			res := pushMutations(t, ts, token, st.m)[0]
			results[i] = res
			if res.Status != st.status || res.Superseded != st.superseded || st.code != "" && (res.Error == nil || res.Error.Code != st.code) {
				t.Fatalf("%s: %+v, want %s (superseded %v) %s", where, res, st.status, st.superseded, st.code)
			}
			p := fetchPage(t, ts, tok1, cursor, 0)
			cursor = p.NextCursor
			if st.status != StatusApplied || st.superseded || token != tok1 {
				if len(p.Changes) != 0 {
					t.Fatalf("%s changed the feed: %+v", where, p.Changes)
				}
				continue
			}
			applied++
			if len(p.Changes) != 1 || p.Changes[0].Entity != EntitySnooze {
				t.Fatalf("%s: feed %+v, want one snooze", where, p.Changes)
			}
			v, err := DecodeEntity(EntitySnooze, p.Changes[0].Data)
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			var d SnoozeSetData
			if err := json.Unmarshal(st.m.Data, &d); err != nil {
				t.Fatal(err)
			}
			want := model.Snooze{ID: model.SnoozeID(d.AccountID, d.Key), AccountID: d.AccountID, Key: d.Key, Until: st.until, ChangedAt: st.m.At}
			if got := v.(model.Snooze); !reflect.DeepEqual(got, want) || p.Changes[0].ID != want.ID {
				t.Fatalf("%s: feed carries %+v (id %s), want %+v", where, got, p.Changes[0].ID, want)
			}
		}
		for i, st := range steps {
			token := st.token
			if token == "" {
				token = tok1
			}
			want := results[i]
			if want.Status == StatusApplied {
				want.Status = StatusDuplicate
			}
			if got := pushMutations(t, ts, token, st.m)[0]; !reflect.DeepEqual(got, want) {
				t.Fatalf("repeat of step %d: %+v, want %+v", i+1, got, want)
			}
		}
		if n := s.MutationCount(csm1); n != applied+1 { // the superseded one counts
			t.Errorf("MutationCount = %d, want %d", n, applied+1)
		}
	})
}
