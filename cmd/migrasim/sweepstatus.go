package main

import (
	"context"
	"fmt"

	"migrasim/report"
)

func init() {
	registerSweep(command{name: "sweep status", usage: "DIR [--tasks N]",
		summary: "show which runs of a sweep are done, failed or not yet run, and which tasks to rerun",
		run:     runSweepStatus})
}

func runSweepStatus(ctx context.Context, e *env, args []string) error {
	fs := newFlags(findSweep("status"), e, details("sweep-status"))
	tasks := fs.Int("tasks", 0, "number of tasks the sweep is split into (default: as in the task files)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("sweep status: want the plan's folder, got %d arguments", len(pos))
	}
	return report.SweepStatus(e.stdout, pos[0], *tasks)
}
