package teamdata

import (
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"csm/model"
)

// WriteCSV writes what the import files can carry of a book into dir, as
// features.csv, accounts.csv (csm_email is the book's CSM), contacts.csv,
// usage_daily.csv and nps.csv, and returns their paths. Importing them
// gives the book back: the same entities, byte for byte, but for the
// accounts' updated_at, which a CSV does not carry, and for a "\r\n" in
// text, which a CSV reader reads as "\n". Notes, tasks, checklist items,
// play runs, playbooks and checklists are the API's and are left out.
func WriteCSV(dir string, b model.Book) ([]string, error) {
	tables := []struct {
		name string
		rows [][]string
	}{
		{FileFeatures, featureRows(b)},
		{FileAccounts, accountRows(b)},
		{FileContacts, contactRows(b)},
		{FileUsage, usageRows(b)},
		{FileNPS, npsRows(b)},
	}
	var paths []string
	for _, t := range tables {
		p := filepath.Join(dir, t.name)
		if err := writeCSVFile(p, t.rows); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

func writeCSVFile(path string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write %s: %w", filepath.Base(path), cerr)
		}
	}()
	w := csv.NewWriter(f)
	if err := w.WriteAll(rows); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), errors.Join(err, w.Error()))
	}
	return nil
}

func featureRows(b model.Book) [][]string {
	rows := [][]string{featureSpec.required}
	for _, f := range b.Features {
		rows = append(rows, []string{f.Key, f.Name, strconv.FormatBool(f.HighValue)})
	}
	return rows
}

func accountRows(b model.Book) [][]string {
	rows := [][]string{slices.Concat(accountSpec.required, accountSpec.optional)}
	for _, a := range b.Accounts {
		rows = append(rows, []string{
			a.ID, a.Name, a.Tier, a.Stage, strconv.Itoa(a.Licenses), strconv.FormatInt(a.ARRCents, 10), a.Currency,
			a.PurchasedOn.String(), a.OnboardingStartedOn.String(), a.RenewalOn.String(),
			optDate(a.OnboardingCompletedOn), a.AccountExecutive.Name, a.AccountExecutive.Email,
			a.Industry, a.Region, b.CSM.Email,
		})
	}
	return rows
}

func contactRows(b model.Book) [][]string {
	rows := [][]string{slices.Concat(contactSpec.required, contactSpec.optional)}
	for _, c := range b.Contacts {
		rows = append(rows, []string{
			c.ID, c.AccountID, c.Name, c.Role, strconv.FormatBool(c.IsChampion),
			c.Email, c.Title, optDate(c.LeftCompanyOn), optDate(c.LastActiveOn),
		})
	}
	return rows
}

func npsRows(b model.Book) [][]string {
	rows := [][]string{slices.Concat(npsSpec.required, npsSpec.optional)}
	for _, n := range b.NPS {
		rows = append(rows, []string{n.ID, n.AccountID, n.ContactID, strconv.Itoa(n.Score), n.RespondedOn.String(), n.Comment})
	}
	return rows
}

// usageRows writes every day of every month, zeros included, so a month's
// days come back the same; a feature a month leaves out has empty cells.
func usageRows(b model.Book) [][]string {
	keys := usageFeatureKeys(b)
	header := slices.Clone(usageSpec.required)
	for _, k := range keys {
		header = append(header, usageSpec.prefix+k)
	}
	rows := [][]string{header}
	for _, m := range b.Usage {
		first, err := model.FirstOfMonth(m.Month)
		if err != nil {
			continue // not a month: nothing a reader could place
		}
		for i := range m.Days {
			row := []string{m.AccountID, (first + model.Date(i)).String(),
				cellAt(m.DAU, i), cellAt(m.WAU, i), cellAt(m.MAU, i), cellAt(m.Sessions, i), cellAt(m.Minutes, i)}
			for _, k := range keys {
				if col, ok := m.Features[k]; ok {
					row = append(row, cellAt(col, i))
				} else {
					row = append(row, "")
				}
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// usageFeatureKeys are the catalogue's keys, then any other key a month
// uses, sorted.
func usageFeatureKeys(b model.Book) []string {
	var keys []string
	for _, f := range b.Features {
		keys = append(keys, f.Key)
	}
	var extra []string
	for _, m := range b.Usage {
		for k := range m.Features {
			if !slices.Contains(keys, k) && !slices.Contains(extra, k) {
				extra = append(extra, k)
			}
		}
	}
	slices.Sort(extra)
	return append(keys, extra...)
}

func cellAt(col []int, i int) string {
	if i < len(col) {
		return strconv.Itoa(col[i])
	}
	return "0"
}

func optDate(d *model.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}
