package results

import (
	"fmt"
	"math"
	"strconv"

	"migrasim/sim"
)

// MaxVariedPlotKeys is the most varied keys PlotVaried draws: the first on
// the x axis and the second as one line per value. Past it a figure would
// need a panel per combination of the others, so comparison.csv is the
// result (VariedPlotsNote).
const MaxVariedPlotKeys = 2

// PlotVaried draws, per country, each scenario's paired difference to the
// reference over a window against the value of the first varied key, with
// 95% bands: where a line crosses zero the answer changes sign. With a
// second key there is a line per scenario and value of the second key, in
// the grid's order. It refuses sets of no keys or more than
// MaxVariedPlotKeys.
func PlotVaried(sets []VariedDifferences, m Measure, window string) (*Figure, error) {
	keys := len(sets[0].Keys)
	if keys < 1 || keys > MaxVariedPlotKeys {
		return nil, fmt.Errorf("plot: %d varied keys; a varied plot draws 1 to %d", keys, MaxVariedPlotKeys)
	}
	key, ref := sets[0].Keys[0], ""
	replicates := 0
	type line struct{ scenario, value string }
	var f Figure
	row := f.countryRow("difference, "+measureUnit(m)+", "+window, false)
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		p := row[c]
		p.X.Label.Text = key
		bands := map[line]*band{}
		var order []line
		for _, set := range sets {
			x, err := strconv.ParseFloat(set.Values[0], 64)
			if err != nil {
				return nil, fmt.Errorf("plot: %s = %q is not a number", key, set.Values[0])
			}
			for _, d := range set.Diffs {
				if d.Country != c || d.Measure.Name != m.Name || d.Period.Label != window {
					continue
				}
				l := line{scenario: d.Scenario}
				if keys == 2 {
					l.value = set.Values[1]
				}
				b := bands[l]
				if b == nil {
					b = &band{}
					bands[l] = b
					order = append(order, l)
				}
				lo, hi := d.Diff.Low, d.Diff.High
				if math.IsNaN(lo) {
					lo, hi = d.Diff.Mean, d.Diff.Mean
				}
				b.x, b.mean, b.low, b.high = append(b.x, x), append(b.mean, d.Diff.Mean), append(b.low, lo), append(b.high, hi)
				ref, replicates = d.Reference, d.Diff.N
			}
		}
		if len(order) > 0 && len(bands[order[0]].x) > 0 {
			b := bands[order[0]]
			if err := zeroLine(p, b.x[0], b.x[len(b.x)-1]); err != nil {
				return nil, err
			}
		}
		for i, l := range order {
			thumbs, err := bands[l].add(p, paletteColor(i+1), lineDashes(i+1))
			if err != nil {
				return nil, err
			}
			if c == 0 {
				label := l.scenario + " \u2212 " + ref
				if keys == 2 {
					label += ", " + sets[0].Keys[1] + " = " + l.value
				}
				f.legend = append(f.legend, legendEntry{label, thumbs})
			}
		}
	}
	f.title = fmt.Sprintf("Change in %s over %s, against %s", lowerFirst(measureTitle(m)), window, key)
	f.subtitle = "lines: mean over replicates of the paired difference (same random numbers in both) at each value of " + key
	if keys == 2 {
		f.title += ", by " + sets[0].Keys[1]
		f.subtitle += ", one per value of " + sets[0].Keys[1]
	}
	f.subtitle += "\n" + bandText(replicates, "mean difference")
	return &f, nil
}

// VariedPlotsNote says why a comparison over a grid of more than
// MaxVariedPlotKeys keys has no varied plots, and is "" otherwise.
func VariedPlotsNote(sets []VariedDifferences) string {
	if len(sets) < 2 || len(sets[0].Keys) <= MaxVariedPlotKeys {
		return ""
	}
	return fmt.Sprintf("note: %d varied keys: no varied plots (they draw one or two keys); comparison.csv holds every grid point, a vary_key_N and vary_value_N column per key", len(sets[0].Keys))
}
