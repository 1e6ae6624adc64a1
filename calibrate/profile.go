package calibrate

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"

	"migrasim/scenarios"
)

// ProfilePoint is the objective with one key held at Value and the other
// fitted keys refitted.
type ProfilePoint struct {
	Key       string
	Value     float64
	Objective float64
	Runs      int       // model runs spent refitting
	Best      []float64 // the refitted values of the other keys, in their Priors order
}

// Profile is the profile of the objective along one fitted key: for each
// value, the key is held there and the other priors are refitted by
// Nelder–Mead from start (a full vector in the spec's Priors order, such as
// a calibration's best point) for budget runs. A flat profile says the data
// do not identify the key; a sharp minimum says they do. Runs are counted
// by cfg.Progress like a calibration's.
func Profile(ctx context.Context, cfg Config, key string, values []float64, start []float64, budget int) ([]ProfilePoint, error) {
	return profile(ctx, cfg, nil, key, values, start, budget)
}

// profile is Profile with the runs kept in (and, on a resume, taken from)
// a calibration's journal.
func profile(ctx context.Context, cfg Config, jn *journal, key string, values []float64, start []float64, budget int) ([]ProfilePoint, error) {
	spec := cfg.Spec
	j := slices.IndexFunc(spec.Priors, func(p Prior) bool { return p.Key == key })
	if j < 0 {
		return nil, fmt.Errorf("profile %s: not a fitted key of the spec (its priors: %v)", key, spec.Priors)
	}
	if budget < 10 {
		return nil, fmt.Errorf("profile budget %d: want at least 10 runs a point", budget)
	}
	f := &fitter{targets: cfg.Targets, workers: cfg.Workers, progress: cfg.Progress, total: budget * len(values), journal: jn}
	var out []ProfilePoint
	for _, v := range values {
		p := spec.Priors[j]
		if v < p.Low || v > p.High {
			return nil, fmt.Errorf("profile %s = %g: outside its prior [%g, %g]", key, v, p.Low, p.High)
		}
		held := *spec
		held.Priors = slices.Delete(slices.Clone(spec.Priors), j, j+1)
		base := *spec.Base
		if err := scenarios.Apply(&base, map[string]any{key: v}); err != nil {
			return nil, err
		}
		held.Base = &base
		f.spec = &held
		f.label = "profile " + key + "=" + strconv.FormatFloat(v, 'g', -1, 64)
		x0 := slices.Delete(slices.Clone(start), j, j+1)
		res, err := f.nelderMead(ctx, x0, budget)
		if err != nil {
			return nil, err
		}
		out = append(out, ProfilePoint{Key: key, Value: v, Objective: res.BestDistance, Runs: len(res.Samples), Best: res.Best})
	}
	return out, nil
}

// WriteProfile writes profile.csv: key, value, objective and runs, one row
// per point.
func WriteProfile(w io.Writer, points []ProfilePoint) error {
	if _, err := fmt.Fprintln(w, "key,value,objective,runs"); err != nil {
		return err
	}
	for _, p := range points {
		buf := append([]byte(p.Key), ',')
		buf = AppendValue6(buf, p.Value)
		buf = append(buf, ',')
		buf = AppendValue6(buf, p.Objective)
		buf = append(buf, fmt.Sprintf(",%d\n", p.Runs)...)
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}
