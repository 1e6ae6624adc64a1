package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"time"

	"migrasim/results"
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
	force := fs.Bool("force", false, "replace a result already in the output folder (without it, such a folder is refused)")
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
	warnings := warn(e, p)
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", p.Name)
	}
	if err := results.CheckDir(dir, *force); err != nil {
		return err
	}
	series, wall, err := simulate(ctx, e, p, &o)
	if err != nil {
		return err
	}
	m := newManifest(e, p, o.workers, wall)
	m.Warnings = warnings
	outputs := []results.Output{
		{Name: "series.csv", Write: func(w io.Writer) error { return results.WriteSeries(w, series) }},
		{Name: "summary.csv", Write: func(w io.Writer) error { return results.WriteSummary(w, series) }},
	}
	files := "series.csv, summary.csv, "
	if o.byDepartment {
		outputs = append(outputs,
			results.Output{Name: "series_department.csv", Write: func(w io.Writer) error { return results.WriteDepartmentSeries(w, series) }},
			results.Output{Name: "summary_department.csv", Write: func(w io.Writer) error { return results.WriteDepartmentSummary(w, series) }})
		files += "series_department.csv, summary_department.csv, "
	}
	topics, err := results.TopicPlots(ctx, []string{p.Name}, [][]sim.Series{series})
	if err != nil {
		return err
	}
	outputs = append(outputs, topics...)
	files += fmt.Sprintf("%d plots, ", len(topics))
	if err := writeSet(ctx, dir, outputs, m); err != nil {
		return err
	}
	if err := results.WriteTable(e.stdout, series); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nwrote %s (%smanifest.json)\n", dir, files)
	return nil
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

// simulate runs p, reporting progress, and reports an interruption plainly.
func simulate(ctx context.Context, e *env, p *sim.Params, o *runOptions) ([]sim.Series, time.Duration, error) {
	start := time.Now()
	bar := newProgress(e, "run", p.Name, o.quiet)
	series, err := sim.Run(ctx, p, sim.Options{Workers: o.workers, Progress: bar.update, ByDepartment: o.byDepartment})
	bar.Finish()
	if ctx.Err() != nil {
		return nil, 0, stopped()
	}
	if err != nil {
		return nil, 0, fmt.Errorf("scenario %s: %w", p.Name, err)
	}
	return series, time.Since(start), nil
}

// writeSet writes a result set (results.WriteSet), saying plainly what an
// interruption leaves: nothing new, and the previous result in dir, if any.
func writeSet(ctx context.Context, dir string, outputs []results.Output, m *results.Manifest) error {
	err := results.WriteSet(ctx, dir, outputs, m)
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("%w while writing: nothing new was written (a complete result already in %s is kept)", errInterrupted, dir)
	}
	return fmt.Errorf("%w; nothing new was written (a complete result already in %s is kept)", err, dir)
}

// newManifest records how p was run, and the command line as given.
func newManifest(e *env, p *sim.Params, workers int, wall time.Duration) *results.Manifest {
	resolved := scenarios.Format(p)
	return &results.Manifest{
		Scenario:    p.Name,
		Seed:        p.Seed,
		Replicates:  p.Replicates,
		Engine:      sim.Version,
		Arch:        runtime.GOARCH,
		Go:          runtime.Version(),
		Workers:     workers,
		WallSeconds: wall.Seconds(),
		Command:     e.command(),
		InputHash:   results.Hash([]byte(resolved), scenarios.DataHash()),
		Resolved:    resolved,
	}
}

// warn prints, on stderr, each lever of p that never acts within the run
// (scenarios.Warnings), and returns them for the manifest.
func warn(e *env, p *sim.Params) []string {
	var out []string
	for _, w := range scenarios.Warnings(p) {
		fmt.Fprintf(e.stderr, "warning: %s: %s\n", p.Name, w)
		out = append(out, p.Name+": "+w)
	}
	return out
}
