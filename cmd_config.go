package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"csm/config"
)

func newConfigCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Write, locate and check the config file",
		Long: `The config file holds the server URL, the data directory, and every
threshold and weight of the rules that place accounts in segments, raise
alerts and score health. It lives at $CSM_CONFIG, else
$XDG_CONFIG_HOME/csm/config.toml, else ~/.config/csm/config.toml.

A flag or an environment variable wins over the file. When the rules change,
the book is recomputed the next time csm opens it.`,
		// A RunE makes cobra refuse an unknown subcommand (exit 2) instead
		// of printing the help as if it had been asked for.
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		&cobra.Command{
			Use:   "path",
			Short: "Print where csm looks for its config file",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				path, err := config.Path()
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), path)
				return nil
			},
		},
		&cobra.Command{
			Use:   "init",
			Short: "Write the documented default config file (never overwrites)",
			Long: `Write the default config file, with every key, what it means and its
default, at the path 'csm config path' prints. An existing file is left
untouched and the command fails.`,
			Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				path, err := config.Path()
				if err != nil {
					return err
				}
				if err := config.WriteDefault(path); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", path)
				return nil
			},
		},
		&cobra.Command{
			Use:   "check",
			Short: "Validate the config file: print ok, or each problem and exit 1",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				path, err := config.Path()
				if err != nil {
					return err
				}
				exists, err := configFileExists(path)
				if err != nil {
					return err
				}
				if _, err := config.Load(path); err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if !exists {
					fmt.Fprintf(out, "ok: no config file at %s, the defaults apply\n", path)
					return nil
				}
				fmt.Fprintln(out, "ok")
				return nil
			},
		},
	)
	return cmd
}

// configFileExists tells a missing file from one that cannot be read.
func configFileExists(path string) (bool, error) {
	_, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check the config file: %w", err)
	}
	return true, nil
}
