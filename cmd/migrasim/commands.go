package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"migrasim/scenarios"
)

// command is one subcommand: its own file, flags and help.
type command struct {
	name    string
	usage   string // arguments after the command name
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

var commands []command

func register(c command) { commands = append(commands, c) }

// run dispatches args to a subcommand. Help that was asked for goes to
// stdout; a mistake is an error of two lines, the second saying where to look.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e := &env{stdout: stdout, stderr: stderr, tty: isTerminal(stderr), args: args}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) < 2 {
			help(stdout)
			return nil
		}
		c := find(args[1])
		if c == nil {
			return unknownCommand("help: ", args[1])
		}
		sub := []string{"-h"}
		if c.name == "sweep" && len(args) > 2 {
			sub = []string{"help", args[2]}
		}
		if err := c.run(ctx, e, sub); !errors.Is(err, flag.ErrHelp) {
			return err
		}
		return nil
	}
	c := find(args[0])
	if c == nil {
		return unknownCommand("", args[0])
	}
	if err := c.run(ctx, e, args[1:]); !errors.Is(err, flag.ErrHelp) {
		return err // -h printed the command's help: that is not a failure
	}
	return nil
}

// unknownCommand is the error for a command name that is not one, with the
// nearest name if there is one near.
func unknownCommand(prefix, name string) error {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	msg := fmt.Sprintf("%sunknown command %q", prefix, name)
	if s := scenarios.ClosestName(name, names); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return errors.New(msg + "\nRun 'migrasim help' for the list of commands")
}

func find(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

func help(w io.Writer) {
	fmt.Fprintln(w, "migrasim: an agent-based simulator of migration from El Salvador, Honduras and Guatemala.")
	fmt.Fprintln(w, "\nUsage: migrasim COMMAND [ARGUMENTS]\n\nCommands:")
	sort.Slice(commands, func(i, j int) bool { return commands[i].name < commands[j].name })
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'migrasim help COMMAND' for a command's flags.")
}

// newFlags returns a flag set that prints the command's help to stdout on -h
// and returns errors instead of exiting (parseInterspersed words them).
//
//go:embed help
var helpFiles embed.FS

// details returns a command's long help, from help/NAME.txt ("sweep-plan"
// for a sweep subcommand): text for a person, kept out of the code.
func details(name string) string {
	b, err := helpFiles.ReadFile("help/" + name + ".txt")
	if err != nil {
		return "" // TestEveryCommandHasHelp keeps this from happening
	}
	return string(b)
}

func newFlags(c *command, e *env, details string) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(e.stdout)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: migrasim %s %s\n\n%s\n", c.name, c.usage, c.summary)
		if details != "" {
			fmt.Fprintf(fs.Output(), "\n%s\n", strings.TrimSpace(details))
		}
		fmt.Fprintln(fs.Output(), "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}

// parseInterspersed parses flags that may come before or after positional
// arguments ("run baseline --seed 3" and "run --seed 3 baseline"). After -h it
// prints the command's help and returns flag.ErrHelp, which run treats as
// success. A bad flag is an error of two lines: what was wrong, and where the
// flags are described (the flag package's own printing is silenced, so the
// error appears once and the usage not at all).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	defer func() { fs.Usage = usage; fs.SetOutput(out) }()
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(out)
				usage()
				return nil, flag.ErrHelp
			}
			return nil, fmt.Errorf("%s: %w\nRun 'migrasim help %s' for its flags", fs.Name(), err, fs.Name())
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// flagGiven reports whether the flag was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// forceUsage is the help of --force, for the commands that write a result set.
const forceUsage = "replace a result already in the output folder (without it, such a folder is refused)"
