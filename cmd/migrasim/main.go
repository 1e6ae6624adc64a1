// Command migrasim runs the migrasim model: scenarios, comparisons and the
// scenario library. Run 'migrasim help' for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"migrasim/report"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal the command winds down; restoring the
		// default handling lets a second one end the process at once.
		<-ctx.Done()
		stop()
	}()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	code := exitStatus(ctx, err, os.Stderr) // before stop, which cancels ctx
	stop()
	os.Exit(code)
}

// exitStatus prints err and returns the exit status: 0 on success, 130
// (as for a shell's Ctrl-C) for an interrupted command, 1 otherwise.
func exitStatus(ctx context.Context, err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case interrupted(ctx, err):
		msg := err.Error()
		if !strings.HasPrefix(msg, "interrupted") {
			msg = "interrupted: " + msg
		}
		fmt.Fprintln(stderr, "migrasim:", msg)
		return 130
	}
	fmt.Fprintln(stderr, "migrasim:", err)
	return 1
}

// interrupted reports whether err ends a command that a signal stopped.
func interrupted(ctx context.Context, err error) bool {
	return errors.Is(err, report.ErrInterrupted) || errors.Is(err, context.Canceled) || (ctx.Err() != nil && err != nil)
}

// env is what every subcommand gets: where to write, and whether stderr is a terminal.
type env struct {
	stdout, stderr io.Writer
	tty            bool     // stderr is a terminal: progress bars are drawn
	args           []string // the arguments given, after the program's name
}

// command is the command line as given, for manifests and plans.
func (e *env) command() []string { return append([]string{"migrasim"}, e.args...) }

// console is where a command reports (package report), with progress
// unless quiet.
func (e *env) console(quiet bool) *report.Console {
	return &report.Console{Stdout: e.stdout, Stderr: e.stderr, TTY: e.tty, Quiet: quiet, Command: e.command()}
}
