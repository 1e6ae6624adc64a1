package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"migrasim/scenarios"
)

func init() {
	register(command{name: "sweep", usage: "plan|run|slurm|merge|status ARGUMENTS",
		summary: "parameter sweeps, in one process or as a Slurm job array", run: runSweep})
}

// sweepCommands are the subcommands of sweep, each in its own file.
var sweepCommands []command

func registerSweep(c command) { sweepCommands = append(sweepCommands, c) }

func findSweep(name string) *command {
	for i := range sweepCommands {
		if sweepCommands[i].name == "sweep "+name {
			return &sweepCommands[i]
		}
	}
	return nil
}

func runSweep(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) < 2 {
			return sweepHelp(e.stdout)
		}
		c := findSweep(args[1])
		if c == nil {
			return unknownSweep(args[1])
		}
		return c.run(ctx, e, []string{"-h"})
	}
	c := findSweep(args[0])
	if c == nil {
		return unknownSweep(args[0])
	}
	return c.run(ctx, e, args[1:])
}

// unknownSweep is the error for a sweep subcommand that is not one.
func unknownSweep(name string) error {
	msg := fmt.Sprintf("sweep: unknown command %q (want plan, run, slurm, merge or status)", name)
	if s := scenarios.ClosestName(name, []string{"plan", "run", "slurm", "merge", "status"}); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return errors.New(msg + "\nRun 'migrasim help sweep' for the sweep commands")
}

func sweepHelp(w io.Writer) error {
	fmt.Fprintln(w, "Usage: migrasim sweep COMMAND [ARGUMENTS]")
	fmt.Fprintln(w, strings.TrimRight(details("sweep"), "\n"))
	infos, err := scenarios.Sweeps()
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nEmbedded sweeps (any embedded scenario is also a sweep of one point):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, in := range infos {
		fmt.Fprintf(tw, "  %s\t%s\n", in.Name, in.Description)
	}
	return tw.Flush()
}
