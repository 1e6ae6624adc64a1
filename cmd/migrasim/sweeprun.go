package main

import (
	"context"
	"errors"
	"fmt"
	"migrasim/sweep"
	"os"
	"runtime"
	"strconv"
)

func init() {
	registerSweep(command{name: "sweep run",
		usage:   "DIR [--task I --tasks N] [--workers W] [--on-error continue|stop] [--log auto|json|text] [--quiet]",
		summary: "run the runs of one task of a planned sweep (all of them by default)",
		run:     runSweepRun})
}

const sweepRunDetails = `
Task I of N runs the runs I, I+N, I+2N, … of DIR/plan.jsonl. Without --task
and --tasks, they come from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT,
and without those the task is 0 of 1: the whole sweep in this process.

Results go to DIR/tasks/task-I-of-N.runs, and each run's outcome (succeeded,
or failed with its error) to the status log DIR/tasks/task-I-of-N.status,
both written so that a task killed at any moment leaves nothing half-done
that a later try would trust. Running a task again skips the runs that
already succeeded (in any task's files) and tries the others: resume after a
time limit, a node failure or a failed run by running the same command.

With --on-error continue (the default) a failing run is recorded and the
others go on; with stop, the task stops at the first failure. Either way the
exit status is 1 if any run failed.

Progress goes to a progress bar when stderr is a terminal; otherwise (or with
--log json) one JSON object per line goes to stdout for each finished run,
with a "start" and an "end" line, for cluster logs.`

func runSweepRun(ctx context.Context, e *env, args []string) error {
	fs := newFlags(findSweep("run"), e, sweepRunDetails)
	task := fs.Int("task", -1, "this task's index, from 0 (default: $SLURM_ARRAY_TASK_ID, or 0)")
	tasks := fs.Int("tasks", 0, "number of tasks the sweep is split into (default: $SLURM_ARRAY_TASK_COUNT, or 1)")
	workers := fs.Int("workers", 0, "goroutines to use (default: $SLURM_CPUS_PER_TASK, or all cores); never changes results")
	onError := fs.String("on-error", "continue", "after a failed run: continue with the others, or stop")
	logMode := fs.String("log", "auto", "progress: text (a progress bar), json (a line per run), or auto (text on a terminal)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("sweep run: want the plan's folder, got %d arguments", len(pos))
	}
	if *onError != "continue" && *onError != "stop" {
		return fmt.Errorf("sweep run: --on-error %q: want continue or stop", *onError)
	}
	if *logMode != "auto" && *logMode != "json" && *logMode != "text" {
		return fmt.Errorf("sweep run: --log %q: want auto, json or text", *logMode)
	}
	index, of, err := taskSlot(*task, *tasks)
	if err != nil {
		return err
	}
	w, err := taskWorkers(*workers)
	if err != nil {
		return err
	}
	t, err := sweep.NewRunner(pos[0], index, of, w)
	if err != nil {
		return err
	}
	t.StopOnError, t.BeforeRun = *onError == "stop", sweepRunHook
	l := &runLog{e: e, json: *logMode == "json" || (*logMode == "auto" && !e.tty), quiet: *quiet}
	t.Events = l.event
	_, err = t.Run(ctx)
	return err
}

// sweepRunHook lets tests make a run fail or stall; it does nothing otherwise.
var sweepRunHook = func(run int) error { return nil }

// taskSlot resolves the task index and count from the flags, then Slurm's
// environment, then the default of one task.
func taskSlot(task, tasks int) (int, int, error) {
	fromEnv := func(name string) (int, bool, error) {
		s := os.Getenv(name)
		if s == "" {
			return 0, false, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, false, fmt.Errorf("sweep run: %s=%q is not a whole number", name, s)
		}
		return n, true, nil
	}
	if tasks == 0 {
		n, ok, err := fromEnv("SLURM_ARRAY_TASK_COUNT")
		if err != nil {
			return 0, 0, err
		}
		tasks = 1
		if ok {
			tasks = n
		} else if task >= 0 {
			return 0, 0, errors.New("sweep run: --task needs --tasks (the number of tasks the sweep is split into)")
		}
	}
	if task < 0 {
		n, ok, err := fromEnv("SLURM_ARRAY_TASK_ID")
		if err != nil {
			return 0, 0, err
		}
		task = 0
		if ok {
			task = n
		}
	}
	if tasks < 1 || task < 0 || task >= tasks {
		return 0, 0, fmt.Errorf("sweep run: task %d of %d: want 0 <= task < tasks (tasks count from 0, like --array=0-%d)", task, tasks, max(tasks-1, 0))
	}
	return task, tasks, nil
}

func taskWorkers(w int) (int, error) {
	if w < 0 {
		return 0, fmt.Errorf("sweep run: --workers %d: want 0 (automatic) or more", w)
	}
	if w > 0 {
		return w, nil
	}
	if s := os.Getenv("SLURM_CPUS_PER_TASK"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n, nil
		}
	}
	return runtime.GOMAXPROCS(0), nil
}
