package main

import (
	"context"
	"fmt"

	"migrasim/report"
	"migrasim/scenarios"
	"migrasim/sweep"
)

func init() {
	register(command{
		name:    "compare",
		usage:   "A B [C...] [--replicates N] [--seed N] [--scale F] [--months N] [--from YYYY-MM --to YYYY-MM] [--vary KEY=V1,V2,...]... [--metrics LIST] [--posterior FILE [--draws N] [--prior KEY=LO,HI]...] [--mechanisms] [--by department] [--out DIR [--force]]",
		summary: "compare scenarios with common random numbers: paired differences with 95% intervals, or over a calibrated posterior",
		run:     runCompare,
	})
}

func runCompare(ctx context.Context, e *env, args []string) error {
	var o runOptions
	var req report.CompareRequest
	fs := newFlags(find("compare"), e, details("compare"))
	addRunFlags(fs, &o)
	fs.StringVar(&req.From, "from", "", "first month of the reported window, YYYY-MM (default: the start)")
	fs.StringVar(&req.To, "to", "", "last month of the reported window, YYYY-MM (default: the end)")
	fs.Func("vary", fmt.Sprintf("repeat the comparison for each value of a number key: KEY=V1,V2,...; repeat the flag for every combination of several keys, the first slowest (at most %d)", scenarios.MaxVaryPoints), func(s string) error {
		if s != "" {
			req.Vary = append(req.Vary, s)
		}
		return nil
	})
	fs.StringVar(&req.Dir, "out", "", "output folder (default: out/compare/A-vs-B..., with --posterior A-vs-B-posterior)")
	fs.BoolVar(&req.Force, "force", false, forceUsage)
	fs.StringVar(&req.Posterior, "posterior", "", "compare over this posterior: particles.csv of 'migrasim calibrate'")
	fs.IntVar(&req.Draws, "draws", 200, fmt.Sprintf("with --posterior, the posterior draws, 1 to %d", sweep.MaxDraws))
	fs.Func("prior", "with --posterior, a key the data do not identify, drawn uniformly for each draw: KEY=LO,HI (repeatable)", func(s string) error {
		pr, err := sweep.ParsePrior(s)
		req.Priors = append(req.Priors, pr)
		return err
	})
	fs.BoolVar(&req.Mechanisms, "mechanisms", false, "also decompose B's effect on departures by mechanism into mechanisms.csv (two scenarios)")
	by := fs.String("by", "", "also write department series and comparison_department.csv: --by department (not with --vary or --posterior)")
	fs.StringVar(&req.Metrics, "metrics", "", "what to compare, comma-separated metric or measure names, or all (default: the headline measures and the metrics the scenarios' levers touch)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return fmt.Errorf("compare: want two or more scenarios, got %d (see 'migrasim help compare')", len(pos))
	}
	if o.byDepartment, err = parseBy(*by); err != nil {
		return err
	}
	req.ByDepartment, req.DrawsGiven = o.byDepartment, flagGiven(fs, "draws")
	if err := req.Check(len(pos)); err != nil {
		return err
	}
	for _, name := range pos {
		p, err := loadScenario(name)
		if err != nil {
			return err
		}
		req.Scenarios = append(req.Scenarios, p)
	}
	if err := o.apply(fs, req.Scenarios[0]); err != nil {
		return err
	}
	req.Workers = o.workers
	return report.Compare(ctx, e.console(o.quiet), req)
}
