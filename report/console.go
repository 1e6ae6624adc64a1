package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"time"

	"migrasim/progress"
	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

// Console is where a command reports: the summary on Stdout; notes,
// warnings and progress on Stderr.
type Console struct {
	Stdout, Stderr io.Writer
	TTY            bool     // Stderr is a terminal: progress bars are drawn
	Quiet          bool     // no progress on Stderr
	Command        []string // the command line as given, for manifests
}

// ErrInterrupted is what a command returns when it stopped for a signal
// before it finished; what it wrote, if anything, says the error's text.
var ErrInterrupted = errors.New("interrupted")

// Stopped is the error of a command interrupted before it wrote anything.
func Stopped() error { return fmt.Errorf("%w: nothing was written", ErrInterrupted) }

// progress reports a command's progress on Stderr (package progress).
func (c *Console) progress(command, label string) *bar {
	return &bar{progress.New(c.Stderr, c.TTY, command, label, c.Quiet)}
}

// bar is a progress reporter whose done ends it as a command should.
type bar struct{ *progress.Reporter }

func (b *bar) update(done, total int) { b.Update(done, total) }

// done removes the bar and returns Stopped() when ctx was interrupted, else err.
func (b *bar) done(ctx context.Context, err error) error {
	b.Finish()
	if ctx.Err() != nil {
		return Stopped()
	}
	return err
}

// Warn prints, on c.Stderr, each lever of p that never acts within the run
// (scenarios.Warnings), and returns them for the manifest.
func (c *Console) Warn(p *sim.Params) []string {
	var out []string
	for _, w := range scenarios.Warnings(p) {
		fmt.Fprintf(c.Stderr, "warning: %s: %s\n", p.Name, w)
		out = append(out, p.Name+": "+w)
	}
	return out
}

// manifest records how p was run, and the command line as given.
func (c *Console) manifest(p *sim.Params, workers int, wall time.Duration) *results.Manifest {
	resolved := scenarios.Format(p)
	return &results.Manifest{
		Scenario:    p.Name,
		Seed:        p.Seed,
		Replicates:  p.Replicates,
		Engine:      sim.Version,
		Arch:        runtime.GOARCH,
		Go:          runtime.Version(),
		Workers:     workers,
		WallSeconds: wall.Seconds(),
		Command:     c.Command,
		InputHash:   results.Hash([]byte(resolved), scenarios.DataHash()),
		Resolved:    resolved,
	}
}

// writeSet writes a result set (results.WriteSet), saying plainly what an
// interruption leaves: nothing new, and the previous result in dir, if any.
func writeSet(ctx context.Context, dir string, outputs []results.Output, m *results.Manifest) error {
	err := results.WriteSet(ctx, dir, outputs, m)
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("%w while writing: nothing new was written (a complete result already in %s is kept)", ErrInterrupted, dir)
	}
	return fmt.Errorf("%w; nothing new was written (a complete result already in %s is kept)", err, dir)
}
