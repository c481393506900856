package teamdata

import (
	"io"
	"strings"

	"csm/model"
	csmsync "csm/sync"
)

// csvReader reads one kind of CSV file into imp.
type csvReader func(file string, r io.Reader, imp *Import, seen *idRegistry, ps *problems)

var csvReaders = map[string]csvReader{
	FileFeatures: readFeatures,
	FileAccounts: readAccounts,
	FileContacts: readContacts,
	FileUsage:    readUsageDaily,
	FileNPS:      readNPS,
}

// The columns of each file (SERVER.md). A column whose every cell may be
// empty may be left out of the header.
var (
	featureSpec = tableSpec{required: []string{"key", "name", "high_value"}}
	accountSpec = tableSpec{
		required: []string{"id", "name", "tier", "stage", "licenses", "arr_cents", "currency",
			"purchased_on", "onboarding_started_on", "renewal_on"},
		optional: []string{"onboarding_completed_on", "ae_name", "ae_email", "industry", "region", "csm_email"},
	}
	contactSpec = tableSpec{
		required: []string{"id", "account_id", "name", "role", "is_champion"},
		optional: []string{"email", "title", "left_company_on", "last_active_on"},
	}
	usageSpec = tableSpec{
		required: []string{"account_id", "date", "dau", "wau", "mau", "sessions", "minutes"},
		prefix:   "feature:",
	}
	npsSpec = tableSpec{
		required: []string{"id", "account_id", "contact_id", "score", "responded_on"},
		optional: []string{"comment"},
	}
)

func readFeatures(file string, in io.Reader, imp *Import, seen *idRegistry, ps *problems) {
	readTable(file, in, featureSpec, ps, func(r *csvRow) {
		f := model.Feature{Key: r.id("key"), Name: r.name("name"), HighValue: r.boolean("high_value")}
		r.validate(f)
		at := Pos{file, r.line}
		if !r.bad && seen.claim(csmsync.EntityFeature, f.Key, at, "key") {
			f.CutLongText()
			imp.features = append(imp.features, item[model.Feature]{at, f})
		}
	})
}

func readAccounts(file string, in io.Reader, imp *Import, seen *idRegistry, ps *problems) {
	readTable(file, in, accountSpec, ps, func(r *csvRow) {
		a := model.Account{
			ID:                    r.id("id"),
			Name:                  r.name("name"),
			Tier:                  r.oneOf("tier", model.Tiers),
			Stage:                 r.oneOf("stage", model.Stages),
			Currency:              r.text("currency"),
			PurchasedOn:           r.date("purchased_on"),
			OnboardingStartedOn:   r.date("onboarding_started_on"),
			OnboardingCompletedOn: r.optDate("onboarding_completed_on"),
			RenewalOn:             r.date("renewal_on"),
			AccountExecutive:      model.Person{Name: r.text("ae_name"), Email: r.text("ae_email")},
			Industry:              r.text("industry"),
			Region:                r.text("region"),
		}
		a.Licenses, _ = r.smallCount("licenses", true)
		a.ARRCents = r.count("arr_cents")
		email := strings.TrimSpace(r.text("csm_email"))
		r.validate(a)
		at := Pos{file, r.line}
		if !r.bad && seen.claim(csmsync.EntityAccount, a.ID, at, "id") {
			a.CutLongText()
			imp.accounts = append(imp.accounts, accountItem{at: at, v: a, csmEmail: email, fromCSV: true})
		}
	})
}

func readContacts(file string, in io.Reader, imp *Import, seen *idRegistry, ps *problems) {
	readTable(file, in, contactSpec, ps, func(r *csvRow) {
		c := model.Contact{
			ID:            r.id("id"),
			AccountID:     r.id("account_id"),
			Name:          r.name("name"),
			Email:         r.text("email"),
			Title:         r.text("title"),
			Role:          r.oneOf("role", model.ContactRoles),
			IsChampion:    r.boolean("is_champion"),
			LeftCompanyOn: r.optDate("left_company_on"),
			LastActiveOn:  r.optDate("last_active_on"),
		}
		r.validate(c)
		at := Pos{file, r.line}
		if !r.bad && seen.claim(csmsync.EntityContact, c.ID, at, "id") {
			c.CutLongText()
			imp.contacts = append(imp.contacts, item[model.Contact]{at, c})
		}
	})
}

func readNPS(file string, in io.Reader, imp *Import, seen *idRegistry, ps *problems) {
	readTable(file, in, npsSpec, ps, func(r *csvRow) {
		n := model.NPSResponse{
			ID:          r.id("id"),
			AccountID:   r.id("account_id"),
			ContactID:   r.id("contact_id"),
			Comment:     r.text("comment"),
			RespondedOn: r.date("responded_on"),
		}
		n.Score, _ = r.smallCount("score", true)
		r.validate(n)
		at := Pos{file, r.line}
		if !r.bad && seen.claim(csmsync.EntityNPS, n.ID, at, "id") {
			n.CutLongText()
			imp.nps = append(imp.nps, item[model.NPSResponse]{at, n})
		}
	})
}

// readUsageDaily reads one day of one account per row. The feature
// columns are remembered for Apply, which checks them against the books.
func readUsageDaily(file string, in io.Reader, imp *Import, seen *idRegistry, ps *problems) {
	var keys []string // shared by every row of the file
	readTable(file, in, usageSpec, ps, func(r *csvRow) {
		if keys == nil {
			keys = make([]string, len(r.t.prefixed))
			for i, col := range r.t.prefixed {
				keys[i] = strings.TrimPrefix(col, usageSpec.prefix)
				imp.featureCols = append(imp.featureCols, featureColumn{file: file, key: keys[i]})
			}
		}
		d := usageDay{at: Pos{file, r.line}, accountID: r.id("account_id"), date: r.date("date"), featureKeys: keys}
		d.dau, _ = r.smallCount("dau", true)
		d.wau, _ = r.smallCount("wau", true)
		d.mau, _ = r.smallCount("mau", true)
		d.sessions, _ = r.smallCount("sessions", true)
		d.minutes, _ = r.smallCount("minutes", true)
		d.features = make([]int, len(keys))
		for i, col := range r.t.prefixed {
			n, ok := r.smallCount(col, false)
			if !ok {
				n = -1
			}
			d.features[i] = n
		}
		if !r.bad && seen.claimDay(d) {
			imp.days = append(imp.days, d)
		}
	})
}
