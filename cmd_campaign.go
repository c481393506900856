package main

import (
	"github.com/spf13/cobra"

	"csm/campaign"
	"csm/data"
)

// newCampaignCmd is `csm campaign`; the logic is package campaign's.
func newCampaignCmd() *cobra.Command {
	return campaign.NewCmd(func(cmd *cobra.Command) (*data.Store, error) {
		return openReadingStore(cmd.Context(), settingsFrom(cmd), cmd.ErrOrStderr())
	})
}
