package main

import (
	"context"
	"flag"
	"fmt"

	"migrasim/report"

	"migrasim/scenarios"
	"migrasim/sweep"
)

func init() {
	registerSweep(command{name: "sweep plan",
		usage:   "SPEC [--out DIR] [--max-runs N] [--replicates N] [--seed N] [--scale F] [--months N]",
		summary: "expand a sweep into a plan: one line per run with its parameters and seed",
		run:     runSweepPlan})
}

func runSweepPlan(ctx context.Context, e *env, args []string) error {
	fs := newFlags(findSweep("plan"), e, details("sweep-plan"))
	out := fs.String("out", "", "folder for the plan (default out/<sweep>)")
	maxRuns := fs.Int("max-runs", 10000, fmt.Sprintf("refuse sweeps with more runs than this (at most %d)", sweep.MaxRuns))
	reps := fs.Int("replicates", 0, "replicates of each design point (default: the spec's)")
	seed := fs.Uint64("seed", 0, "root random seed (default: the scenario's)")
	scale := fs.Float64("scale", 0, "fraction of real households simulated (default: the scenario's)")
	months := fs.Int("months", 0, "months to simulate (default: the scenario's)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("sweep plan: want one SPEC (a sweep name or file), got %d arguments", len(pos))
	}
	if *maxRuns < 1 || *maxRuns > sweep.MaxRuns {
		return fmt.Errorf("sweep plan: --max-runs %d: want 1 to %d", *maxRuns, sweep.MaxRuns)
	}
	s, err := sweep.Load(pos[0])
	if err != nil {
		return err
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "replicates":
			s.Replicates = *reps
		case "seed":
			s.Base.Seed = *seed
		case "scale":
			s.Base.Scale = *scale
		case "months":
			s.Base.Months = *months
		}
	})
	s.Base.Replicates = s.Replicates
	if err := scenarios.Check(s.Base); err != nil {
		return fmt.Errorf("command line: %w", err)
	}
	if s.Replicates < 1 {
		return fmt.Errorf("command line: --replicates %d: want 1 or more", s.Replicates)
	}
	return report.SweepPlan(ctx, e.console(true), report.SweepPlanRequest{Spec: s, Source: pos[0], Dir: *out, MaxRuns: *maxRuns})
}
