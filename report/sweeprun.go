package report

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"

	"migrasim/sweep"
)

// SweepRunRequest is what 'migrasim sweep run' was asked.
type SweepRunRequest struct {
	Dir         string // the plan's folder
	Task, Tasks int    // this task and the number of tasks (sweep.TaskSlot)
	Workers     int    // 0 for the default (sweep.TaskWorkers)
	StopOnError bool   // stop at the first failed run
	// Log is how progress is reported: text (a progress bar, a line per
	// failure and a closing line), json (a line per event on Stdout), or
	// auto (text when Stderr is a terminal).
	Log string
	// BeforeRun, if set, is called before each run (sweep.Runner.BeforeRun).
	BeforeRun func(run int) error
}

// SweepRun runs the runs of one task of a planned sweep, reporting each.
func SweepRun(ctx context.Context, c *Console, req SweepRunRequest) error {
	index, of, err := sweep.TaskSlot(req.Task, req.Tasks)
	if err != nil {
		return err
	}
	w, err := sweep.TaskWorkers(req.Workers)
	if err != nil {
		return err
	}
	t, err := sweep.NewRunner(req.Dir, index, of, w)
	if err != nil {
		return err
	}
	t.StopOnError, t.BeforeRun = req.StopOnError, req.BeforeRun
	l := &runLog{c: c, json: req.Log == "json" || (req.Log == "auto" && !c.TTY)}
	t.Events = l.event
	_, err = t.Run(ctx)
	return err
}

// runLog reports a task's progress: for people (text), a progress bar
// over runs on a terminal, a line per failure and a closing line; for
// cluster logs (json), one JSON object per line on Stdout: a "start"
// event, one "run" event per finished run, and an "end" event. The runner
// serialises its events.
type runLog struct {
	c    *Console
	json bool
	bar  *progressbar.ProgressBar
}

func (l *runLog) event(ev sweep.Event) {
	if ev.Event == "start" && len(ev.Dropped) > 0 {
		fmt.Fprintf(l.c.Stderr, "task %d of %d: the results of runs %v failed their check (a damaged file?); they run again\n", ev.Task, ev.Tasks, ev.Dropped)
	}
	if l.json {
		ev.Time = time.Now().UTC().Format(time.RFC3339)
		b, _ := json.Marshal(ev)
		fmt.Fprintf(l.c.Stdout, "%s\n", b)
		return
	}
	switch ev.Event {
	case "start":
		if !l.c.Quiet && l.c.TTY && *ev.Todo > 0 {
			l.bar = progressbar.NewOptions(*ev.Todo,
				progressbar.OptionSetWriter(l.c.Stderr),
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
			fmt.Fprintf(l.c.Stderr, "run %d (%s, replicate %d) failed: %s\n", *ev.Run, ev.Scenario, *ev.Replicate, ev.Error)
		}
		if l.bar != nil {
			l.bar.Set(*ev.Done)
		}
	case "end":
		if l.bar != nil {
			l.bar.Finish()
			l.bar.Clear()
		}
		fmt.Fprintf(l.c.Stdout, "task %d of %d: %d runs: %d succeeded, %d failed, %d already done; results in %s\n",
			ev.Task, ev.Tasks, *ev.Runs, *ev.Succeeded, *ev.Failed, *ev.Skipped, ev.Files)
	}
}
