package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress reports a command's progress on stderr: a bar on a terminal, for
// runs longer than a moment; otherwise (a pipe, a file, a cluster log) JSON
// lines, one every progressEvery at most and a final one:
//
//	{"time":"2026-01-02T15:04:05Z","command":"run","done":120,"total":480}
//	{"time":"2026-01-02T15:04:07Z","command":"run","done":480,"total":480,"end":true}
//
// and nothing when quiet.
type progress struct {
	e       *env
	command string // run, compare or calibrate
	label   string // the bar's description
	bar     *progressbar.ProgressBar
	start   time.Time

	quiet, json bool
	now         func() time.Time
	mu          sync.Mutex // guards the JSON lines' state, for callers that do not serialise
	last        time.Time  // when the last JSON line was written
	n, of       int        // the last counts seen
	seen, ended bool
}

// momentary is how long a run may take before it earns a progress bar.
const momentary = 400 * time.Millisecond

// progressEvery is the least time between two JSON progress lines.
const progressEvery = 5 * time.Second

// progressLine is one JSON progress line.
type progressLine struct {
	Time    string `json:"time"`
	Command string `json:"command"`
	Done    int    `json:"done"`
	Total   int    `json:"total"`
	End     bool   `json:"end,omitempty"`
}

func newProgress(e *env, command, label string, quiet bool) *progress {
	p := &progress{e: e, command: command, label: label, quiet: quiet, json: !e.tty, now: time.Now}
	p.start = p.now()
	p.last = p.start
	return p
}

// update is a sim.Options.Progress callback.
func (p *progress) update(done, total int) {
	switch {
	case p.quiet:
	case p.json:
		p.line(done, total, false)
	default:
		p.draw(done, total)
	}
}

// line writes a JSON line if progressEvery has passed since the last one,
// or at the end.
func (p *progress) line(done, total int, end bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if end {
		if !p.seen || p.ended {
			return
		}
		p.ended = true
		done, total = p.n, p.of
	} else {
		p.n, p.of, p.seen = done, total, true
	}
	t := p.now()
	if !end && t.Sub(p.last) < progressEvery {
		return
	}
	p.last = t
	b, _ := json.Marshal(progressLine{Time: t.UTC().Format(time.RFC3339), Command: p.command, Done: done, Total: total, End: end})
	fmt.Fprintf(p.e.stderr, "%s\n", b)
}

// draw updates the terminal's bar.
func (p *progress) draw(done, total int) {
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

// finish removes the bar, or writes the final JSON line.
func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar.Clear()
	}
	if !p.quiet && p.json {
		p.line(0, 0, true)
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
