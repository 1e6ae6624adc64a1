package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
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

// run dispatches args to a subcommand.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e := &env{stdout: stdout, stderr: stderr, tty: isTerminal(stderr), args: args}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if c := find(args[1]); c != nil {
				c.run(ctx, e, []string{"-h"})
				return nil
			}
		}
		help(stdout)
		return nil
	}
	c := find(args[0])
	if c == nil {
		help(stderr)
		return fmt.Errorf("unknown command %q", args[0])
	}
	if err := c.run(ctx, e, args[1:]); !errors.Is(err, flag.ErrHelp) {
		return err // -h printed the command's help: that is not a failure
	}
	return nil
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

// newFlags returns a flag set that prints the command's help on -h and
// returns errors instead of exiting.
func newFlags(c *command, e *env, details string) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
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
// returns flag.ErrHelp, which run treats as success.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, flag.ErrHelp
			}
			return nil, fmt.Errorf("%s: %w (see 'migrasim help %s')", fs.Name(), err, fs.Name())
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
