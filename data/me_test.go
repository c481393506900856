package data

import (
	"context"
	"testing"

	"csm/model"
)

func TestCSMNameRoundTrip(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if name, err := s.CSMName(ctx); err != nil || name != "" {
		t.Fatalf("fresh store: CSMName = %q, %v; want none", name, err)
	}
	if err := s.SetCSMName(ctx, "  Maya Stone "); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCSMName(ctx, " "); err != nil {
		t.Fatal(err)
	}
	if name, err := s.CSMName(ctx); err != nil || name != "Maya Stone" {
		t.Fatalf("CSMName = %q, %v; want Maya Stone (a blank name keeps it)", name, err)
	}
}

func TestCampaignFactsAsOf(t *testing.T) {
	d := AccountDetail{Account: model.Account{ID: "a"}}
	if f := d.CampaignFacts("M", 123); f.AsOf != 123 || f.CSMName != "M" {
		t.Errorf("no book day: %+v", f)
	}
	d.Book.AsOf = 100
	if f := d.CampaignFacts("", 123); f.AsOf != 100 {
		t.Errorf("as-of %d, want the book's 100", f.AsOf)
	}
}
