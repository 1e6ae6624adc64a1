package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"

	"migrasim/sweep"
)

// runLog reports a task's progress: for people (--log text, the default
// when stderr is a terminal), a progress bar over runs on a terminal, a
// line per failure and a closing line; for cluster logs (--log json, the
// default otherwise), one JSON object per line on stdout: a "start" event,
// one "run" event per finished run, and an "end" event. The runner
// serialises its events.
type runLog struct {
	e     *env
	json  bool
	quiet bool
	bar   *progressbar.ProgressBar
}

func (l *runLog) event(ev sweep.Event) {
	if ev.Event == "start" && len(ev.Dropped) > 0 {
		fmt.Fprintf(l.e.stderr, "task %d of %d: the results of runs %v failed their check (a damaged file?); they run again\n", ev.Task, ev.Tasks, ev.Dropped)
	}
	if l.json {
		ev.Time = time.Now().UTC().Format(time.RFC3339)
		b, _ := json.Marshal(ev)
		fmt.Fprintf(l.e.stdout, "%s\n", b)
		return
	}
	switch ev.Event {
	case "start":
		if !l.quiet && l.e.tty && *ev.Todo > 0 {
			l.bar = progressbar.NewOptions(*ev.Todo,
				progressbar.OptionSetWriter(l.e.stderr),
				progressbar.OptionSetDescription(fmt.Sprintf("task %d of %d", ev.Task, ev.Tasks)),
				progressbar.OptionSetItsString("runs"),
				progressbar.OptionShowIts(),
				progressbar.OptionShowCount(),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish())
		}
	case "run":
		if ev.Error != "" {
			if l.bar != nil {
				l.bar.Clear()
			}
			fmt.Fprintf(l.e.stderr, "run %d (%s, replicate %d) failed: %s\n", *ev.Run, ev.Scenario, *ev.Replicate, ev.Error)
		}
		if l.bar != nil {
			l.bar.Set(*ev.Done)
		}
	case "end":
		if l.bar != nil {
			l.bar.Finish()
			l.bar.Clear()
		}
		fmt.Fprintf(l.e.stdout, "task %d of %d: %d runs: %d succeeded, %d failed, %d already done; results in %s\n",
			ev.Task, ev.Tasks, *ev.Runs, *ev.Succeeded, *ev.Failed, *ev.Skipped, ev.Files)
	}
}
