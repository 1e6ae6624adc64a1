package sweep

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

// Comparison runs scenarios paired with common random numbers: every
// scenario with the settings of the first (start, months, scale,
// replicates, seed), so that replicate r of each uses the same random
// streams, and reports their paired differences to the first. With a Key it
// is a one-key sweep: the whole comparison again for each of Values.
type Comparison struct {
	Scenarios []*sim.Params // two or more, paired (see Pair)
	Key       string        // scenario key to vary, or "" for none
	Values    []any         // the key's values, in the form scenarios.Apply takes
	Measures  []results.Measure
	Periods   []results.Period
	Workers   int // goroutines, at least 1; never changes results
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

// variants returns the scenarios with the key set to value i (or as they
// are, without a key).
func (c *Comparison) variants(i int) ([]*sim.Params, error) {
	out := make([]*sim.Params, len(c.Scenarios))
	for j, base := range c.Scenarios {
		p := *base
		if c.Key != "" {
			if err := scenarios.Apply(&p, map[string]any{c.Key: c.Values[i]}); err != nil {
				return nil, fmt.Errorf("--vary %s=%v: %s: %w", c.Key, c.Values[i], base.Name, err)
			}
		}
		out[j] = &p
	}
	return out, nil
}

// Check sets the key to every value on every scenario before anything runs.
func (c *Comparison) Check() error {
	if len(c.Scenarios) < 2 {
		return fmt.Errorf("compare: want two or more scenarios, got %d", len(c.Scenarios))
	}
	if c.Key != "" && len(c.Values) == 0 {
		return fmt.Errorf("--vary %s: no values", c.Key)
	}
	if c.Workers < 1 || c.Workers > scenarios.MaxWorkers() {
		return fmt.Errorf("compare: %d workers: want 1 to %d", c.Workers, scenarios.MaxWorkers())
	}
	var errs []error
	for i := range max(1, len(c.Values)) {
		for j := range i {
			if reflect.DeepEqual(c.Values[i], c.Values[j]) {
				errs = append(errs, fmt.Errorf("--vary %s: %v is given twice", c.Key, c.Values[i]))
			}
		}
		if _, err := c.variants(i); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Run runs every scenario (for every value) and returns one set of paired
// differences per value (one set without a key), and the series of the
// first set's runs, for plots.
func (c *Comparison) Run(ctx context.Context) ([]results.VariedDifferences, [][]sim.Series, error) {
	if err := c.Check(); err != nil {
		return nil, nil, err
	}
	values := max(1, len(c.Values))
	total := 0
	for i := range values {
		params, err := c.variants(i)
		if err != nil {
			return nil, nil, err
		}
		n, err := sim.PairedSteps(params)
		if err != nil {
			return nil, nil, err
		}
		total += n
	}
	names := make([]string, len(c.Scenarios))
	for i, p := range c.Scenarios {
		names[i] = p.Name
	}
	done := 0
	var sets []results.VariedDifferences
	var first [][]sim.Series
	for i := range values {
		params, err := c.variants(i)
		if err != nil {
			return nil, nil, err
		}
		offset := done
		opt := sim.Options{Workers: c.Workers}
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
		n, err := sim.PairedSteps(params)
		if err != nil {
			return nil, nil, err
		}
		done += n
		diffs, err := results.Compare(names, runs, c.Measures, c.Periods)
		if err != nil {
			return nil, nil, err
		}
		set := results.VariedDifferences{Key: c.Key, Diffs: diffs}
		if c.Key != "" {
			set.Value = fmt.Sprint(c.Values[i])
		}
		sets = append(sets, set)
		if first == nil {
			first = runs
		}
	}
	return sets, first, nil
}
