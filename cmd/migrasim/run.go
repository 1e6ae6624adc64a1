package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"

	"migrasim/report"
	"migrasim/scenarios"
	"migrasim/sim"
)

func init() {
	register(command{
		name:    "run",
		usage:   "[SCENARIO|FILE] [--replicates N] [--seed N] [--scale F] [--months N] [--workers N] [--by department] [--out DIR [--force]] [--quiet]",
		summary: "run a scenario and write series.csv, summary.csv and manifest.json",
		run:     runRun,
	})
}

// runOptions are the overrides that run, and later commands, share.
type runOptions struct {
	replicates int
	seed       uint64
	scale      float64
	months     int
	workers    int
	quiet      bool
	// byDepartment also records the department metrics (--by department).
	byDepartment bool
}

// addRunFlags declares the shared flags on fs.
func addRunFlags(fs *flag.FlagSet, o *runOptions) {
	fs.IntVar(&o.replicates, "replicates", 0, "number of replicates (default: the scenario's)")
	fs.Uint64Var(&o.seed, "seed", 0, "root random seed (default: the scenario's)")
	fs.Float64Var(&o.scale, "scale", 0, "fraction of real households simulated, up to 1 (default: the scenario's)")
	fs.IntVar(&o.months, "months", 0, "months to simulate (default: the scenario's)")
	fs.IntVar(&o.workers, "workers", 0, "goroutines to use (default: all cores); never changes results")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress on stderr")
}

// apply copies the flags that were given onto p and checks the result.
func (o *runOptions) apply(fs *flag.FlagSet, p *sim.Params) error {
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "replicates":
			p.Replicates = o.replicates
		case "seed":
			p.Seed = o.seed
		case "scale":
			p.Scale = o.scale
		case "months":
			p.Months = o.months
		}
	})
	if err := scenarios.Check(p); err != nil {
		return fmt.Errorf("command line: %w", err)
	}
	if err := scenarios.CheckWorkers("--workers", o.workers); err != nil {
		return fmt.Errorf("command line: %w", err)
	}
	if o.workers == 0 {
		o.workers = runtime.GOMAXPROCS(0)
	}
	return nil
}

func runRun(ctx context.Context, e *env, args []string) error {
	var o runOptions
	fs := newFlags(find("run"), e, details("run"))
	addRunFlags(fs, &o)
	out := fs.String("out", "", "output folder (default: out/<scenario>)")
	by := fs.String("by", "", "also write series and summary by department: --by department (sizes above)")
	force := fs.Bool("force", false, forceUsage)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if o.byDepartment, err = parseBy(*by); err != nil {
		return err
	}
	if len(pos) > 1 {
		return fmt.Errorf("run: one scenario at a time, got %d (%v); to compare scenarios use 'migrasim compare'", len(pos), pos)
	}
	name := "baseline"
	if len(pos) == 1 {
		name = pos[0]
	}
	p, err := loadScenario(name)
	if err != nil {
		return err
	}
	if err := o.apply(fs, p); err != nil {
		return err
	}
	return report.Run(ctx, e.console(o.quiet), report.RunRequest{Scenario: p, Workers: o.workers,
		ByDepartment: o.byDepartment, Dir: *out, Force: *force})
}

// parseBy reads --by: "" (national outputs only) or "department", the only
// breakdown the engine records.
func parseBy(by string) (bool, error) {
	switch by {
	case "":
		return false, nil
	case "department":
		return true, nil
	}
	return false, fmt.Errorf("--by %s: the outputs can be broken down by department only (--by department); the engine records no %s", by, by)
}
