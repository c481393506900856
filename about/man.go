package about

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cpuguy83/go-md2man/v2/md2man"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"csm/buildinfo"
	"csm/exitcode"
)

func newManCmd(root *cobra.Command) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "man",
		Short: "Print csm's man page (roff), made from its commands' help",
		Long: `Print the man page csm(1) in roff: every command with its flags, the exit
codes and the environment, made from the same text as --help, so the two
never disagree. Install it with

  csm man > ~/.local/share/man/man1/csm.1

or read it at once with  csm man | man -l -  . --output FILE writes it to a
file (the release's packages ship it so).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			page, err := ManPage(root)
			if err != nil {
				return err
			}
			if out != "" {
				if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
					return fmt.Errorf("man page: %w", err)
				}
				return os.WriteFile(out, page, 0o644)
			}
			_, err = cmd.OutOrStdout().Write(page)
			return err
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the page to this file instead of standard output")
	return cmd
}

// ManPage renders csm(1) from the command tree: roff, beginning with its
// .TH line. The date is the build's (SOURCE_DATE_EPOCH wins, so a package
// build is reproducible), else today.
func ManPage(root *cobra.Command) ([]byte, error) {
	day, err := manDate()
	if err != nil {
		return nil, err
	}
	info := buildinfo.Get()
	var b bytes.Buffer
	// md2man turns the "% title section date source manual" line into .TH.
	fmt.Fprintf(&b, "%% %q %q %q %q %q\n", "CSM", "1", day.Format("Jan 2006"), "csm "+info.Version, "csm manual")
	fmt.Fprintf(&b, "# NAME\n%s \\- %s\n\n", root.Name(), root.Short)
	fmt.Fprintf(&b, "# SYNOPSIS\n**csm** [*command*] [*flags*] [*arguments*]\n\n")
	fmt.Fprintf(&b, "# DESCRIPTION\n%s\n\n", markdown(root.Long))
	b.WriteString("# GLOBAL OPTIONS\n")
	writeFlags(&b, root.PersistentFlags())
	b.WriteString("# COMMANDS\n")
	var topics []*cobra.Command
	walk(root, func(c *cobra.Command) {
		if c.IsAdditionalHelpTopicCommand() {
			topics = append(topics, c)
			return
		}
		fmt.Fprintf(&b, "### %s\n", c.CommandPath())
		fmt.Fprintf(&b, "**%s**\n\n", escape(c.UseLine()))
		fmt.Fprintf(&b, "%s\n\n", markdown(firstNonEmpty(c.Long, c.Short)))
		writeFlags(&b, c.LocalNonPersistentFlags())
	})
	fmt.Fprintf(&b, "# EXIT STATUS\n%s\n\n", markdown(exitcode.Help))
	fmt.Fprintf(&b, "# ENVIRONMENT\n%s\n\n", markdown(Environment))
	for _, t := range topics {
		if t.Name() == "exit-codes" || t.Name() == "environment" {
			continue
		}
		fmt.Fprintf(&b, "# %s\n%s\n\n", strings.ToUpper(t.Name()), markdown(t.Long))
	}
	b.WriteString("# SEE ALSO\n**csm help** *command*, **csm** *command* **--help**\n")
	// md2man starts with .nh (no hyphenation); the page starts with its
	// .TH line, as man pages do and tools expect.
	page := md2man.Render(b.Bytes())
	if rest, ok := bytes.CutPrefix(page, []byte(".nh\n")); ok {
		th, after, _ := bytes.Cut(rest, []byte("\n"))
		page = slices.Concat(th, []byte("\n.nh\n"), after)
	}
	return page, nil
}

func manDate() (time.Time, error) {
	if epoch := os.Getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		n, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a number of seconds", epoch)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339, buildinfo.Get().Date); err == nil {
		return t, nil
	}
	return time.Now(), nil
}

// walk visits the commands under c that a user can run or read, in the
// order help lists them, depth first.
func walk(c *cobra.Command, visit func(*cobra.Command)) {
	for _, sub := range c.Commands() {
		if sub.Hidden || sub.Name() == "help" || !sub.IsAvailableCommand() && !sub.IsAdditionalHelpTopicCommand() {
			continue
		}
		visit(sub)
		walk(sub, visit)
	}
}

func writeFlags(b *bytes.Buffer, fs *pflag.FlagSet) {
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Deprecated != "" || f.Name == "help" {
			return
		}
		name := "**--" + f.Name + "**"
		if f.Shorthand != "" {
			name = "**-" + f.Shorthand + "**, " + name
		}
		if t := f.Value.Type(); t != "bool" {
			name += " *" + t + "*"
		}
		fmt.Fprintf(b, "%s\n: %s", name, escape(f.Usage))
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" && f.DefValue != "0" {
			fmt.Fprintf(b, " (default %s)", escape(f.DefValue))
		}
		b.WriteString("\n\n")
	})
}

// markdown makes help text Markdown: prose paragraphs as they are, and
// indented blocks (tables, examples) kept as they are laid out.
func markdown(text string) string {
	var out []string
	for _, block := range strings.Split(strings.TrimSpace(text), "\n\n") {
		if indented(block) {
			out = append(out, "```\n"+block+"\n```")
			continue
		}
		out = append(out, escape(block))
	}
	return strings.Join(out, "\n\n")
}

func indented(block string) bool {
	for _, l := range strings.Split(block, "\n") {
		if strings.HasPrefix(l, "  ") || strings.HasPrefix(l, "\t") {
			return true
		}
	}
	return false
}

// escape keeps help text literal: Markdown's emphasis and escapes are
// not meant there.
func escape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`, "<", `\<`, "[", `\[`, "]", `\]`)
	return r.Replace(s)
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}
