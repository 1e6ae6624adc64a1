package sweep

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

// Comparison runs scenarios paired with common random numbers: every
// scenario with the settings of the first (start, months, scale,
// replicates, seed), so that replicate r of each uses the same random
// streams, and reports their paired differences to the first. With a Grid
// it is a small sweep: the whole comparison again at each point of the grid,
// in the grid's order (the first key slowest).
type Comparison struct {
	Scenarios []*sim.Params  // two or more, paired (see Pair)
	Grid      scenarios.Grid // keys to vary and their values; empty for none
	Measures  []results.Measure
	Periods   []results.Period
	Workers   int // goroutines, at least 1; never changes results
	// ByDepartment also records the department metrics in the series
	// (sim.Options.ByDepartment).
	ByDepartment bool
	// Progress, if set, is called after each simulated month with the months
	// done and the total over every run.
	Progress func(done, total int)
}

// Pair gives every scenario the run settings of the first and checks it;
// it returns the names of the scenarios whose settings it changed.
func Pair(params []*sim.Params) ([]string, error) {
	ref := params[0]
	seen := map[string]bool{}
	var changed []string
	for _, p := range params {
		if seen[p.Name] {
			return nil, fmt.Errorf("compare: scenario %s given twice", p.Name)
		}
		seen[p.Name] = true
		if p == ref {
			continue
		}
		if p.Start != ref.Start || p.Months != ref.Months || p.Scale != ref.Scale || p.Replicates != ref.Replicates || p.Seed != ref.Seed {
			changed = append(changed, p.Name)
		}
		p.Start, p.Months, p.Scale, p.Replicates, p.Seed = ref.Start, ref.Months, ref.Scale, ref.Replicates, ref.Seed
		if err := scenarios.Check(p); err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
	}
	return changed, nil
}

// variants returns the scenarios with the grid's keys set to point i (or as
// they are, without a grid).
func (c *Comparison) variants(i int) ([]*sim.Params, error) {
	point := c.Grid.Point(i)
	set := make(map[string]any, len(point))
	for k, v := range point {
		set[c.Grid[k].Key] = v
	}
	out := make([]*sim.Params, len(c.Scenarios))
	for j, base := range c.Scenarios {
		p := *base
		if len(set) > 0 {
			if err := scenarios.Apply(&p, set); err != nil {
				return nil, fmt.Errorf("--vary %s: %s: %w", c.pointLabel(point), base.Name, err)
			}
		}
		out[j] = &p
	}
	return out, nil
}

// pointLabel is a grid point as "k1=v1, k2=v2".
func (c *Comparison) pointLabel(point []any) string {
	parts := make([]string, len(point))
	for k, v := range point {
		parts[k] = fmt.Sprintf("%s=%v", c.Grid[k].Key, v)
	}
	return strings.Join(parts, ", ")
}

// Check checks the grid (scenarios.Grid.Check) and sets its keys to every
// point on every scenario before anything runs, listing every problem.
func (c *Comparison) Check() error {
	if len(c.Scenarios) < 2 {
		return fmt.Errorf("compare: want two or more scenarios, got %d", len(c.Scenarios))
	}
	if c.Workers < 1 || c.Workers > scenarios.MaxWorkers() {
		return fmt.Errorf("compare: %d workers: want 1 to %d", c.Workers, scenarios.MaxWorkers())
	}
	var errs []error
	if err := c.Grid.Check(); err != nil {
		errs = append(errs, err)
	}
	// A value given twice still lets every point be tried, so that the
	// error lists the bad values too; a grid too large or without values
	// does not.
	if n := c.Grid.Len(); n <= scenarios.MaxVaryPoints {
		for i := range n {
			if _, err := c.variants(i); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// Run runs every scenario at every point of the grid and returns one set of
// paired differences per point, in the grid's order (one set without a
// grid), and the series of the first point's runs, for plots.
func (c *Comparison) Run(ctx context.Context) ([]results.VariedDifferences, [][]sim.Series, error) {
	if err := c.Check(); err != nil {
		return nil, nil, err
	}
	points := make([][]*sim.Params, c.Grid.Len())
	steps := make([]int, len(points))
	total := 0
	for i := range points {
		var err error
		if points[i], err = c.variants(i); err != nil {
			return nil, nil, err
		}
		if steps[i], err = sim.PairedSteps(points[i]); err != nil {
			return nil, nil, err
		}
		total += steps[i]
	}
	names := make([]string, len(c.Scenarios))
	for i, p := range c.Scenarios {
		names[i] = p.Name
	}
	done := 0
	var sets []results.VariedDifferences
	var first [][]sim.Series
	for i, params := range points {
		offset := done
		opt := sim.Options{Workers: c.Workers, ByDepartment: c.ByDepartment}
		if c.Progress != nil {
			opt.Progress = func(d, _ int) { c.Progress(offset+d, total) }
		}
		runs, err := sim.RunPaired(ctx, params, opt)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			return nil, nil, err
		}
		done += steps[i]
		diffs, err := results.Compare(names, runs, c.Measures, c.Periods)
		if err != nil {
			return nil, nil, err
		}
		set := results.VariedDifferences{Keys: c.Grid.Keys(), Diffs: diffs}
		for _, v := range c.Grid.Point(i) {
			set.Values = append(set.Values, fmt.Sprint(v))
		}
		sets = append(sets, set)
		if first == nil {
			first = runs
		}
	}
	return sets, first, nil
}
