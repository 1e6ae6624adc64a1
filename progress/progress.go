// Package progress reports a long command's progress on a stream: a bar
// on a terminal, JSON lines elsewhere (a pipe, a file, a cluster's log),
// nothing when asked to be quiet. Its Update method is a
// sim.Options.Progress callback.
package progress

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Reporter reports a command's progress on w: a bar on a terminal, for
// runs longer than a moment; otherwise (a pipe, a file, a cluster log) JSON
// lines, one every Every at most and a final one:
//
//	{"time":"2026-01-02T15:04:05Z","command":"run","done":120,"total":480}
//	{"time":"2026-01-02T15:04:07Z","command":"run","done":480,"total":480,"end":true}
//
// and nothing when quiet.
type Reporter struct {
	w       io.Writer
	command string // run, compare or calibrate
	label   string // the bar's description
	bar     *progressbar.ProgressBar
	start   time.Time

	quiet, json bool
	now         func() time.Time // the clock; tests set it
	mu          sync.Mutex       // guards the JSON lines' state, for callers that do not serialise
	last        time.Time        // when the last JSON line was written
	n, of       int              // the last counts seen
	seen, ended bool
}

// momentary is how long a run may take before it earns a progress bar.
const momentary = 400 * time.Millisecond

// Every is the least time between two JSON progress lines.
const Every = 5 * time.Second

// Line is one JSON progress line.
type Line struct {
	Time    string `json:"time"`
	Command string `json:"command"`
	Done    int    `json:"done"`
	Total   int    `json:"total"`
	End     bool   `json:"end,omitempty"`
}

// New returns a reporter for command on w (a terminal when tty), labelled
// label on the bar; quiet reports nothing.
func New(w io.Writer, tty bool, command, label string, quiet bool) *Reporter {
	p := &Reporter{w: w, command: command, label: label, quiet: quiet, json: !tty, now: time.Now}
	p.start = p.now()
	p.last = p.start
	return p
}

// Update is a sim.Options.Progress callback.
func (p *Reporter) Update(done, total int) {
	switch {
	case p.quiet:
	case p.json:
		p.line(done, total, false)
	default:
		p.draw(done, total)
	}
}

// line writes a JSON line if Every has passed since the last one,
// or at the end.
func (p *Reporter) line(done, total int, end bool) {
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
	if !end && t.Sub(p.last) < Every {
		return
	}
	p.last = t
	b, _ := json.Marshal(Line{Time: t.UTC().Format(time.RFC3339), Command: p.command, Done: done, Total: total, End: end})
	fmt.Fprintf(p.w, "%s\n", b)
}

// draw updates the terminal's bar.
func (p *Reporter) draw(done, total int) {
	if p.bar == nil {
		if time.Since(p.start) < momentary {
			return
		}
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
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

// Finish removes the bar, or writes the final JSON line. A second call does nothing.
func (p *Reporter) Finish() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar.Clear()
	}
	if !p.quiet && p.json {
		p.line(0, 0, true)
	}
}

// ParseLine reads one JSON progress line, refusing unknown fields and a
// time that is not RFC 3339: for a wrapper that follows a command's
// progress, and for tests.
func ParseLine(s string) (Line, error) {
	var l Line
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return Line{}, fmt.Errorf("progress line %q: %w", s, err)
	}
	if _, err := time.Parse(time.RFC3339, l.Time); err != nil {
		return Line{}, fmt.Errorf("progress line %q: %w", s, err)
	}
	return l, nil
}
