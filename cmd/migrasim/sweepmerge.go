package main

import (
	"context"
	"fmt"
	"path/filepath"

	"migrasim/results"
	"migrasim/sweep"
)

func init() {
	registerSweep(command{name: "sweep merge", usage: "DIR [--out DIR/merged] [--force]",
		summary: "combine the results of a sweep's tasks into series.csv, summary.csv and runs.csv",
		run:     runSweepMerge})
}

const sweepMergeDetails = `
Reads every task's results in DIR/tasks/ and writes to DIR/merged/:

  series.csv   every run, in the columns of 'migrasim run' (scenario,
               replicate, month, country, metric, value); the scenario column
               names the design point (<sweep>-pNN), so (scenario, replicate)
               identifies the run
  summary.csv  per design point, the mean, sd and 95% CI over its replicates,
               in the columns of 'migrasim run'
  runs.csv     one row per run for sensitivity analysis: run, point, scenario,
               replicate, seed, the swept keys, then COUNTRY_metric outcomes
               over the whole run (flows summed, stocks at the end, rates
               averaged)
  manifest.json

A comparison sweep ([sweep] compare) writes runs.csv alone, one row per
design point and replicate, whose outcome columns effect_COUNTRY_metric
are B - A over the policy window (flows summed, stocks at its end, rates
averaged); a posterior sweep ([sweep] posterior) writes answer.csv, the
same bytes as 'migrasim compare A B --posterior FILE --draws N', and
p_increase_departures_total.png and .svg. A posterior sweep's merge reads
the posterior and refuses it if it changed since the plan.

For each design point, its rows of series.csv and summary.csv are the bytes
'migrasim run' writes for that point's scenario, and the files do not depend
on how the runs were split into tasks. Every record is checked first, as
'migrasim sweep status' checks it (its plan, its SHA-256, that it is the
planned run). If any run is missing, failed or damaged, or a task file is
another plan's, nothing is written: the error names the runs and files and
what to do, and the exit status is 1. A complete merge already in the
folder stays until the new one is complete.`

func runSweepMerge(ctx context.Context, e *env, args []string) error {
	fs := newFlags(findSweep("merge"), e, sweepMergeDetails)
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
		return fmt.Errorf("%w: nothing new was written (a complete merge already in %s is kept)", errInterrupted, *out)
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
