// Command migrasim runs the migrasim model: scenarios, comparisons and the
// scenario library. Run 'migrasim help' for the commands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrasim:", err)
		os.Exit(1)
	}
}

// env is what every subcommand gets: where to write, and whether stderr is a terminal.
type env struct {
	stdout, stderr io.Writer
	tty            bool     // stderr is a terminal: progress bars are drawn
	args           []string // the arguments given, after the program's name
}

// command is the command line as given, for manifests and plans.
func (e *env) command() []string { return append([]string{"migrasim"}, e.args...) }
