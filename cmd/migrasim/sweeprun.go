package main

import (
	"context"
	"fmt"

	"migrasim/report"
)

func init() {
	registerSweep(command{name: "sweep run",
		usage:   "DIR [--task I --tasks N] [--workers W] [--on-error continue|stop] [--log auto|json|text] [--quiet]",
		summary: "run the runs of one task of a planned sweep (all of them by default)",
		run:     runSweepRun})
}

func runSweepRun(ctx context.Context, e *env, args []string) error {
	fs := newFlags(findSweep("run"), e, details("sweep-run"))
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
	return report.SweepRun(ctx, e.console(*quiet), report.SweepRunRequest{Dir: pos[0], Task: *task, Tasks: *tasks,
		Workers: *workers, StopOnError: *onError == "stop", Log: *logMode, BeforeRun: sweepRunHook})
}

// sweepRunHook lets tests make a run fail or stall; it does nothing otherwise.
var sweepRunHook = func(run int) error { return nil }
