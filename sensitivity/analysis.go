package sensitivity

import (
	"fmt"
	"io"
	"math/rand/v2"
	"migrasim/results"
	"migrasim/sim"
	"migrasim/sweep"
	"slices"
	"sort"
)

// Analysis is the first-order indices and PRIM boxes of a sweep's outcomes,
// ready to write.
type Analysis struct {
	Sobol  []SobolRow
	PRIM   []PRIMRow
	Charts map[string]*Chart // by file name
	Notes  []string          // outcomes skipped or thinned, for the manifest
}

// Analyse computes, for each measure in each country, the given-data
// first-order indices of the design points' mean outcome (bootstrap from
// seed, a fresh stream per outcome and country) and the PRIM box where the
// outcome is above its median over the points, or above zero with effect.
func Analyse(rs *Runs, measures []results.Measure, effect bool, seed uint64) (*Analysis, error) {
	return analyse(rs, 0, measures, effect, seed)
}

// AnalyseSaltelli is Analyse for a sweep planned as a Saltelli sample of n
// base points (sweep.PlanHeader.Design "saltelli", SaltelliN n): the
// first-order and total indices come from Sobol on the points in Saltelli
// row order (SaltelliFromRuns), with the same bootstrap streams.
func AnalyseSaltelli(rs *Runs, n int, measures []results.Measure, effect bool, seed uint64) (*Analysis, error) {
	if n < 2 {
		return nil, fmt.Errorf("sensitivity: a Saltelli sample of %d base points, want at least 2", n)
	}
	return analyse(rs, n, measures, effect, seed)
}

// analyse is Analyse, or AnalyseSaltelli when saltelliN > 0.
func analyse(rs *Runs, saltelliN int, measures []results.Measure, effect bool, seed uint64) (*Analysis, error) {
	a := &Analysis{Charts: map[string]*Chart{}}
	for _, m := range measures {
		for c := sim.Country(0); c < sim.NumCountries; c++ {
			y, err := measureColumn(rs, c, m)
			if err != nil {
				return nil, err
			}
			X, means, dropped, err := rs.PointMeans(y)
			if err != nil {
				return nil, fmt.Errorf("%w", err)
			}
			name := m.Name
			what := m.Name + " in " + c.Code()
			if rs.Effect {
				name = sweep.EffectPrefix + m.Name
				what = "effect on " + what
			}
			if dropped > 0 {
				a.Notes = append(a.Notes, fmt.Sprintf("%s: %d design points left out (NA)", what, dropped))
			}
			// A fresh stream per outcome and country, so that each one's
			// intervals do not depend on which others were asked for.
			src := rand.New(rand.NewPCG(seed, 0))
			var ix []Indices
			if saltelliN > 0 {
				var fA, fB []float64
				var fAB [][]float64
				if fA, fB, fAB, err = SaltelliFromRuns(rs, saltelliN, y); err == nil {
					ix, err = Sobol(fA, fB, fAB, Bootstrap{Src: src})
				}
			} else {
				ix, err = GivenData(X, means, 0, Bootstrap{Src: src})
			}
			if err != nil {
				a.Notes = append(a.Notes, fmt.Sprintf("%s: no indices: %v", what, err))
				continue
			}
			for i, key := range rs.Keys {
				a.Sobol = append(a.Sobol, SobolRow{Outcome: name, Country: c.Code(), Key: key, Indices: ix[i]})
			}
			base := name + "_" + c.Code()
			if a.Charts["sobol_"+base+".png"], err = PlotSobol(what, rs.Keys, ix); err != nil {
				return nil, fmt.Errorf("plotting %s: %w", what, err)
			}
			t, err := FindBox(X, holds(means, effect), PRIM{})
			if err != nil {
				a.Notes = append(a.Notes, fmt.Sprintf("%s: no PRIM box: %v", what, err))
				continue
			}
			a.PRIM = append(a.PRIM, PRIMRow{Outcome: name, Country: c.Code(), Keys: rs.Keys, Trajectory: t})
			if a.Charts["prim_"+base+".png"], err = PlotTrajectory(what, t); err != nil {
				return nil, fmt.Errorf("plotting %s: %w", what, err)
			}
		}
	}
	return a, nil
}

// measureColumn returns the measure in country c over the runs: the sum of
// its metrics' columns.
func measureColumn(rs *Runs, c sim.Country, m results.Measure) ([]float64, error) {
	var sum []float64
	for _, x := range m.Metrics {
		col := c.Code() + "_" + x.Name()
		if rs.Effect {
			col = sweep.EffectPrefix + col
		}
		y, err := rs.Outcome(col)
		if err != nil {
			return nil, fmt.Errorf("%w", err)
		}
		if sum == nil {
			sum = y
			continue
		}
		for k := range sum {
			sum[k] += y[k]
		}
	}
	return sum, nil
}

// holds says where the outcome is above its median over the points, or
// above zero with effect.
func holds(y []float64, effect bool) []bool {
	var cut float64
	if !effect {
		s := slices.Sorted(slices.Values(y))
		n := len(s)
		cut = (s[(n-1)/2] + s[n/2]) / 2
	}
	out := make([]bool, len(y))
	for k, v := range y {
		out[k] = v > cut
	}
	return out
}

// Outputs are the files of the analysis: sobol.csv, prim.csv and the charts.
func (a *Analysis) Outputs() []results.Output {
	outputs := []results.Output{
		{Name: "sobol.csv", Write: func(w io.Writer) error { return WriteSobol(w, a.Sobol) }},
		{Name: "prim.csv", Write: func(w io.Writer) error { return WritePRIM(w, a.PRIM) }},
	}
	names := make([]string, 0, len(a.Charts))
	for name := range a.Charts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c := a.Charts[name]
		outputs = append(outputs, results.Output{Name: name, Write: func(w io.Writer) error { return c.Write(w, "png") }})
	}
	return outputs
}
