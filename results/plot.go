package results

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"migrasim/sim"
)

// band is a monthly mean with its 95% interval over replicates.
type band struct {
	x, mean, low, high []float64
}

// decimalYear is month m's position on a date axis: January of year y at y.
func decimalYear(m sim.Month) float64 { return float64(m.Year()) + float64(m.Num()-1)/12 }

// monthly computes the band of f(replicate, month) over replicates.
func monthly(start sim.Month, months, replicates int, f func(r, t int) float64) band {
	b := band{x: make([]float64, months), mean: make([]float64, months), low: make([]float64, months), high: make([]float64, months)}
	xs := make([]float64, replicates)
	for t := range months {
		for r := range replicates {
			xs[r] = f(r, t)
		}
		e := EstimateOf(xs)
		b.x[t] = decimalYear(start.Add(t))
		b.mean[t], b.low[t], b.high[t] = e.Mean, e.Low, e.High
		if math.IsNaN(e.Low) {
			b.low[t], b.high[t] = e.Mean, e.Mean
		}
	}
	return b
}

// add draws the band as a translucent polygon and the mean as a line in
// colour c with the given dashes, and returns what the legend shows of it.
func (b band) add(p *plot.Plot, c color.NRGBA, dashes []vg.Length) ([]plot.Thumbnailer, error) {
	n := len(b.x)
	poly := make(plotter.XYs, 0, 2*n)
	line := make(plotter.XYs, n)
	for t := range n {
		poly = append(poly, plotter.XY{X: b.x[t], Y: b.high[t]})
		line[t] = plotter.XY{X: b.x[t], Y: b.mean[t]}
	}
	for t := n - 1; t >= 0; t-- {
		poly = append(poly, plotter.XY{X: b.x[t], Y: b.low[t]})
	}
	area, err := plotter.NewPolygon(poly)
	if err != nil {
		return nil, err
	}
	area.Color = translucent(c)
	area.LineStyle.Width = 0
	l, err := plotter.NewLine(line)
	if err != nil {
		return nil, err
	}
	l.Color = c
	l.Width = vg.Points(1.6)
	l.Dashes = dashes
	p.Add(area, l)
	return []plot.Thumbnailer{area, l}, nil
}

// PlotSeries draws measure m per country: for each scenario the monthly mean
// over replicates with its 95% band. The title names the measure and the
// scenarios, the subtitle the months, the replicates and what the band is.
func PlotSeries(names []string, runs [][]sim.Series, m Measure) (*Figure, error) {
	first := runs[0][0]
	f := Figure{
		title:    fmt.Sprintf("%s: %s", measureTitle(m), joinNames(names)),
		subtitle: fmt.Sprintf("%s; lines: monthly mean over replicates\n%s", periodText(first.Start, first.Months), bandText(len(runs[0]), "mean")),
	}
	row := f.countryRow(measureUnit(m), true)
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		p := row[c]
		for i, rs := range runs {
			b := monthly(rs[0].Start, rs[0].Months, len(rs), func(r, t int) float64 { return m.At(&rs[r], t, c) })
			thumbs, err := b.add(p, paletteColor(i), lineDashes(i))
			if err != nil {
				return nil, err
			}
			if c == 0 {
				f.legend = append(f.legend, legendEntry{names[i], thumbs})
			}
		}
	}
	return &f, nil
}

// PlotDifference draws, per country, each scenario's monthly paired
// difference to the reference (runs[0]) with its 95% band.
func PlotDifference(names []string, runs [][]sim.Series, m Measure) (*Figure, error) {
	ref := runs[0]
	first := ref[0]
	f := Figure{
		title: fmt.Sprintf("Change in %s: %s minus %s", lowerFirst(measureTitle(m)), joinNames(names[1:]), names[0]),
		subtitle: fmt.Sprintf("%s; lines: mean over replicates of the paired difference (same random numbers in both)\n%s",
			periodText(first.Start, first.Months), bandText(len(ref), "mean difference")),
	}
	row := f.countryRow("difference, "+measureUnit(m), true)
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		p := row[c]
		if err := zeroLine(p, decimalYear(first.Start), decimalYear(first.Start.Add(first.Months-1))); err != nil {
			return nil, err
		}
		for i := 1; i < len(runs); i++ {
			rs := runs[i]
			b := monthly(rs[0].Start, rs[0].Months, len(rs), func(r, t int) float64 {
				return m.At(&rs[r], t, c) - m.At(&ref[r], t, c)
			})
			thumbs, err := b.add(p, paletteColor(i), lineDashes(i))
			if err != nil {
				return nil, err
			}
			if c == 0 {
				f.legend = append(f.legend, legendEntry{names[i] + " \u2212 " + names[0], thumbs})
			}
		}
	}
	return &f, nil
}

// lowerFirst lower-cases a title's first letter unless the first word is an
// abbreviation such as "U.S.".
func lowerFirst(s string) string {
	if len(s) < 2 || s[0] < 'A' || s[0] > 'Z' || s[1] == '.' || (s[1] >= 'A' && s[1] <= 'Z') {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// PlotMeasures are the measures ComparisonPlots draws.
var PlotMeasures = []string{"departures_total", "homicide_rate", "us_removals_total", "returnees", "stock_us_undocumented"}

// ComparisonPlots draws the series and paired differences of the plotted
// measures, and with --vary the window's difference against the first
// varied key (PlotVaried): none past MaxVariedPlotKeys keys
// (VariedPlotsNote). It stops, with ctx's error, when ctx is done.
func ComparisonPlots(ctx context.Context, names []string, runs [][]sim.Series, sets []VariedDifferences, window string) ([]Output, error) {
	var outs []Output
	if len(sets) > 1 && len(sets[0].Keys) > MaxVariedPlotKeys {
		return nil, ctx.Err()
	}
	for _, mname := range PlotMeasures {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m := measureNamed(mname)
		if len(sets) == 1 {
			f, err := PlotSeries(names, runs, m)
			if err != nil {
				return nil, err
			}
			outs = append(outs, f.Outputs("series_"+mname)...)
			f, err = PlotDifference(names, runs, m)
			if err != nil {
				return nil, err
			}
			outs = append(outs, f.Outputs("difference_"+mname)...)
			continue
		}
		f, err := PlotVaried(sets, m, window)
		if err != nil {
			return nil, err
		}
		outs = append(outs, f.Outputs("varied_"+mname)...)
	}
	return outs, nil
}

// Outputs are the figure as name.png and name.svg.
func (f *Figure) Outputs(name string) []Output {
	var outs []Output
	for _, format := range []string{"png", "svg"} {
		outs = append(outs, Output{Name: name + "." + format, Write: func(w io.Writer) error { return f.Write(w, format) }})
	}
	return outs
}

func measureNamed(name string) Measure {
	for _, m := range CompareMeasures {
		if m.Name == name {
			return m
		}
	}
	panic("results: no compare measure " + name)
}
