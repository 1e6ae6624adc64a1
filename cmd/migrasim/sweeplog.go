package main

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// runLog reports a task's progress: for people (--log text, the default
// when stderr is a terminal), a progress bar over runs on a terminal, a
// line per failure and a closing line; for cluster logs (--log json, the
// default otherwise), one JSON object per line on stdout: a "start" event,
// one "run" event per finished run, and an "end" event.
type runLog struct {
	e     *env
	json  bool
	quiet bool
	task  int
	tasks int
	total int // runs to do

	mu   sync.Mutex
	done int
	bar  *progressbar.ProgressBar
}

// runEvent is one JSON log line.
type runEvent struct {
	Time      string   `json:"time"`
	Event     string   `json:"event"` // start, run, end
	Task      int      `json:"task"`
	Tasks     int      `json:"tasks"`
	Run       *int     `json:"run,omitempty"`
	Scenario  string   `json:"scenario,omitempty"`
	Replicate *int     `json:"replicate,omitempty"`
	Status    string   `json:"status,omitempty"`
	Error     string   `json:"error,omitempty"`
	Seconds   *float64 `json:"seconds,omitempty"`
	Done      *int     `json:"done,omitempty"` // runs finished by this process so far
	Todo      *int     `json:"todo,omitempty"` // runs this process set out to do
	Runs      *int     `json:"runs,omitempty"` // runs of the task
	Skipped   *int     `json:"skipped,omitempty"`
	Succeeded *int     `json:"succeeded,omitempty"`
	Failed    *int     `json:"failed,omitempty"`
	Workers   int      `json:"workers,omitempty"`
	Host      string   `json:"host,omitempty"`
}

func (l *runLog) emit(ev runEvent) {
	ev.Time = time.Now().UTC().Format(time.RFC3339)
	ev.Task, ev.Tasks = l.task, l.tasks
	b, _ := json.Marshal(ev)
	fmt.Fprintf(l.e.stdout, "%s\n", b)
}

func ptr[T any](v T) *T { return &v }

// start reports what the task is about to do.
func (l *runLog) start(runs, skipped, workers int, host string) {
	if l.json {
		l.emit(runEvent{Event: "start", Runs: ptr(runs), Skipped: ptr(skipped), Todo: ptr(l.total), Workers: workers, Host: host})
		return
	}
	if !l.quiet && l.e.tty && l.total > 0 {
		l.bar = progressbar.NewOptions(l.total,
			progressbar.OptionSetWriter(l.e.stderr),
			progressbar.OptionSetDescription(fmt.Sprintf("task %d of %d", l.task, l.tasks)),
			progressbar.OptionSetItsString("runs"),
			progressbar.OptionShowIts(),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish())
	}
}

// finished reports one run; err is nil when it succeeded.
func (l *runLog) finished(run, replicate int, scenario string, seconds float64, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done++
	status, msg := "succeeded", ""
	if err != nil {
		status, msg = "failed", err.Error()
	}
	if l.json {
		l.emit(runEvent{Event: "run", Run: ptr(run), Scenario: scenario, Replicate: ptr(replicate), Status: status,
			Error: msg, Seconds: ptr(seconds), Done: ptr(l.done), Todo: ptr(l.total)})
		return
	}
	if err != nil {
		if l.bar != nil {
			l.bar.Clear()
		}
		fmt.Fprintf(l.e.stderr, "run %d (%s, replicate %d) failed: %v\n", run, scenario, replicate, err)
	}
	if l.bar != nil {
		l.bar.Set(l.done)
	}
}

// end reports the task's totals.
func (l *runLog) end(runs, skipped, succeeded, failed int, wall time.Duration, files string) {
	if l.json {
		l.emit(runEvent{Event: "end", Runs: ptr(runs), Skipped: ptr(skipped), Succeeded: ptr(succeeded), Failed: ptr(failed),
			Todo: ptr(l.total), Seconds: ptr(wall.Seconds())})
		return
	}
	if l.bar != nil {
		l.bar.Finish()
		l.bar.Clear()
	}
	fmt.Fprintf(l.e.stdout, "task %d of %d: %d runs: %d succeeded, %d failed, %d already done; %s\n",
		l.task, l.tasks, runs, succeeded, failed, skipped, files)
}
