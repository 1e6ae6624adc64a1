package main

import (
	"context"
	"fmt"
	"path/filepath"

	"migrasim/report"
	"migrasim/results"
	"migrasim/sweep"
)

func init() {
	registerSweep(command{name: "sweep merge", usage: "DIR [--out DIR/merged] [--force]",
		summary: "combine the results of a sweep's tasks into series.csv, summary.csv and runs.csv",
		run:     runSweepMerge})
}

func runSweepMerge(ctx context.Context, e *env, args []string) error {
	fs := newFlags(findSweep("merge"), e, details("sweep-merge"))
	out := fs.String("out", "", "output folder (default DIR/merged)")
	force := fs.Bool("force", false, "replace a result already in the output folder (without it, such a folder is refused)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("sweep merge: want the plan's folder, got %d arguments", len(pos))
	}
	dir := pos[0]
	if *out == "" {
		*out = filepath.Join(dir, "merged")
	}
	if err := results.CheckDir(*out, *force); err != nil {
		return err
	}
	pl, rep, err := sweep.Merge(ctx, dir, *out, e.command())
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%w: nothing new was written (a complete merge already in %s is kept)", report.ErrInterrupted, *out)
	}
	if err != nil && rep != nil && rep.Complete() {
		return fmt.Errorf("%w; nothing new was written (a complete merge already in %s is kept)", err, *out)
	}
	if err != nil {
		return err
	}
	h := &pl.Header
	switch h.Kind {
	case sweep.KindCompare:
		fmt.Fprintf(e.stdout, "%s: merged %d paired runs of %s and %s (%d design points x %d replicates, B - A over %s to %s) into %s (%s, manifest.json)\n",
			h.Sweep, rep.Succeeded, h.Compare[0], h.Compare[1], h.Points, h.Replicates, h.From, h.To, *out, sweep.MergedRuns)
		return nil
	case sweep.KindPosterior:
		fmt.Fprintf(e.stdout, "%s: merged %d posterior draws of %s and %s (%d replicates each) into %s (%s, plots, manifest.json)\n",
			h.Sweep, rep.Succeeded, h.Compare[0], h.Compare[1], h.Replicates, *out, sweep.MergedAnswer)
		return nil
	}
	fmt.Fprintf(e.stdout, "%s: merged %d runs (%d design points x %d replicates) into %s (%s, %s, %s, manifest.json)\n",
		h.Sweep, rep.Succeeded, h.Points, h.Replicates, *out, sweep.MergedSeries, sweep.MergedSummary, sweep.MergedRuns)
	return nil
}
