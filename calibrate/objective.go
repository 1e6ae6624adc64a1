package calibrate

import (
	"fmt"
	"maps"
	"math"
	"slices"
)

// Objectives are the ways a spec can score a candidate (its objective key).
var Objectives = map[string]func([]FitRow) float64{
	"lognormal": LogError,
	"ard":       Distance,
}

// DefaultObjective is the objective of a spec that names none.
const DefaultObjective = "lognormal"

// LogError is the calibration's default objective, a likelihood on counts.
// Each target's count is taken to be lognormal around the simulated mean,
// with a common scale: minus its log likelihood is then, up to constants,
// the squared log ratio (log((simulated+1)/(observed+1)))², which weighs a
// factor of two the same for a small count as for a large one, unlike a
// difference. The objective is a composite likelihood: per observable, the
// weighted mean of its targets' squared log ratios (a target's weight says
// how much the record behind it is trusted: 2 for direct data, 1 for a
// bridge); then the mean over observables, each weighted by its targets'
// mean weight, so that an observable with many targets (children, every
// year) does not drown one with few (single adults).
func LogError(rows []FitRow) float64 {
	sum, weight, count := map[string]float64{}, map[string]float64{}, map[string]float64{}
	for _, r := range rows {
		if !r.Fitted || r.Target.Weight == 0 {
			continue
		}
		e := math.Log((r.Mean + 1) / (r.Target.Observed + 1))
		sum[r.Target.Name] += r.Target.Weight * e * e
		weight[r.Target.Name] += r.Target.Weight
		count[r.Target.Name]++
	}
	var d, w float64
	for _, name := range slices.Sorted(maps.Keys(sum)) { // a fixed order: float sums must not depend on map order
		wn := weight[name] / count[name]
		d += wn * sum[name] / weight[name]
		w += wn
	}
	if w == 0 || math.IsNaN(d) {
		return math.Inf(1)
	}
	return d / w
}

// objective returns the scoring function a spec names.
func objective(name string) (func([]FitRow) float64, error) {
	if name == "" {
		name = DefaultObjective
	}
	f, ok := Objectives[name]
	if !ok {
		return nil, fmt.Errorf("objective %q: want lognormal or ard", name)
	}
	return f, nil
}
