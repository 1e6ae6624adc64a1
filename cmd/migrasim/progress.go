package main

import (
	"context"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress draws a progress bar on stderr for runs longer than a moment, and
// nothing when quiet or when stderr is not a terminal.
type progress struct {
	e       *env
	label   string
	enabled bool
	start   time.Time
	bar     *progressbar.ProgressBar
}

// momentary is how long a run may take before it earns a progress bar.
const momentary = 400 * time.Millisecond

func newProgress(e *env, label string, quiet bool) *progress {
	return &progress{e: e, label: label, enabled: !quiet && e.tty, start: time.Now()}
}

// update is a sim.Options.Progress callback.
func (p *progress) update(done, total int) {
	if !p.enabled {
		return
	}
	if p.bar == nil {
		if time.Since(p.start) < momentary {
			return
		}
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.e.stderr),
			progressbar.OptionSetDescription(p.label),
			progressbar.OptionSetItsString("months"),
			progressbar.OptionShowIts(),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish())
	}
	p.bar.Set(done)
}

// finish removes the bar.
func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar.Clear()
	}
}

// done removes the bar and returns what the command should: stopped() when
// ctx was interrupted, else err.
func (p *progress) done(ctx context.Context, err error) error {
	p.finish()
	if ctx.Err() != nil {
		return stopped()
	}
	return err
}
