package main

import (
	"context"
	"fmt"

	"migrasim/report"
)

func init() {
	registerSweep(command{name: "sweep merge", usage: "DIR [--out DIR/merged] [--force]",
		summary: "combine the results of a sweep's tasks into series.csv, summary.csv and runs.csv",
		run:     runSweepMerge})
}

func runSweepMerge(ctx context.Context, e *env, args []string) error {
	fs := newFlags(findSweep("merge"), e, details("sweep-merge"))
	out := fs.String("out", "", "output folder (default DIR/merged)")
	force := fs.Bool("force", false, forceUsage)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("sweep merge: want the plan's folder, got %d arguments", len(pos))
	}
	return report.SweepMerge(ctx, e.console(true), pos[0], *out, *force)
}
