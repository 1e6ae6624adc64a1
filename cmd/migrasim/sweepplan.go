package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"migrasim/report"
	"migrasim/results"
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
	n := s.Runs()
	if n > *maxRuns {
		return fmt.Errorf("sweep %s has %d runs (%d design points x %d replicates), more than --max-runs %d; pass --max-runs %d to plan it anyway",
			s.Name, n, s.Points(), s.Replicates, *maxRuns, n)
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", s.Name)
	}
	if err := results.CheckDir(dir, true); err != nil {
		return err
	}
	if err := s.Check(ctx); err != nil {
		return planError(ctx, err)
	}
	h, runs, err := s.Plan(ctx, pos[0], e.command())
	if err != nil {
		return planError(ctx, err)
	}
	if ctx.Err() != nil {
		return report.Stopped()
	}
	b, err := s.BText()
	if err != nil {
		return err
	}
	var extra [][]byte
	files := []string{sweep.PlanHeaderFile, sweep.PlanBaseFile, sweep.PlanRunsFile}
	if b != nil {
		extra = append(extra, b)
		files = append(files, sweep.PlanBFile)
	}
	err = sweep.WritePlan(dir, h, []byte(scenarios.Format(s.Base)), runs, extra...)
	switch {
	case errors.Is(err, sweep.ErrSamePlan):
		fmt.Fprintf(e.stdout, "%s: %s already holds this plan; nothing changed\n", s.Name, dir)
	case err != nil:
		return err
	case s.Kind == sweep.KindCompare:
		fmt.Fprintf(e.stdout, "%s: %d design points, each a paired run of %s and %s over %d replicates: %d runs; B - A over %s to %s\n",
			s.Name, s.Points(), h.Compare[0], h.Compare[1], s.Replicates, n, h.From, h.To)
		fmt.Fprintf(e.stdout, "wrote %s (%s)\n", dir, strings.Join(files, ", "))
	case s.Kind == sweep.KindPosterior:
		fmt.Fprintf(e.stdout, "%s: %d posterior draws of %s (sha256 %.12s...), each a paired run of %s and %s over %d replicates: %d runs; policy window %s to %s\n",
			s.Name, s.Draws, h.Posterior, h.PosteriorHash, h.Compare[0], h.Compare[1], s.Replicates, n, h.From, h.To)
		fmt.Fprintf(e.stdout, "wrote %s (%s)\n", dir, strings.Join(files, ", "))
	default:
		fmt.Fprintf(e.stdout, "%s: %d design points x %d replicates = %d runs\n", s.Name, s.Points(), s.Replicates, n)
		fmt.Fprintf(e.stdout, "wrote %s (%s)\n", dir, strings.Join(files, ", "))
	}
	fmt.Fprintf(e.stdout, "next: 'migrasim sweep run %s' here, or 'migrasim sweep slurm %s' for a Slurm job array\n", dir, dir)
	return nil
}

// planError says plainly that planning was interrupted.
func planError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return report.Stopped()
	}
	return err
}
