package results

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"migrasim/sim"
)

// Figure is a row of three panels, one per country.
type Figure struct {
	panels [sim.NumCountries]*plot.Plot
}

const (
	panelWidth  = 4.2 * vg.Inch
	panelHeight = 3.4 * vg.Inch
)

// band is a monthly mean with its 95% interval over replicates.
type band struct {
	x, mean, low, high []float64
}

// monthly computes the band of f(replicate, month) over replicates.
func monthly(start sim.Month, months, replicates int, f func(r, t int) float64) band {
	b := band{x: make([]float64, months), mean: make([]float64, months), low: make([]float64, months), high: make([]float64, months)}
	xs := make([]float64, replicates)
	for t := range months {
		for r := range replicates {
			xs[r] = f(r, t)
		}
		e := EstimateOf(xs)
		m := start.Add(t)
		b.x[t] = float64(m.Year()) + float64(m.Num()-1)/12
		b.mean[t], b.low[t], b.high[t] = e.Mean, e.Low, e.High
		if math.IsNaN(e.Low) {
			b.low[t], b.high[t] = e.Mean, e.Mean
		}
	}
	return b
}

// add draws the band as a translucent polygon and the mean as a line.
func (b band) add(p *plot.Plot, i int, name string, legend bool) error {
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
	c := plotutil.Color(i)
	r, g, bl, _ := c.RGBA()
	area, err := plotter.NewPolygon(poly)
	if err != nil {
		return err
	}
	area.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(bl >> 8), A: 60}
	area.LineStyle.Width = 0
	l, err := plotter.NewLine(line)
	if err != nil {
		return err
	}
	l.Color = c
	l.Width = vg.Points(1.2)
	p.Add(area, l)
	if legend {
		p.Legend.Add(name, l)
	}
	return nil
}

func newPanel(c sim.Country, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = c.Name()
	p.X.Label.Text = "year"
	p.Y.Label.Text = ylabel
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return p
}

// PlotSeries draws measure m per country: for each scenario the monthly mean
// over replicates with its 95% band.
func PlotSeries(names []string, runs [][]sim.Series, m Measure) (*Figure, error) {
	var f Figure
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		f.panels[c] = newPanel(c, m.Name)
		for i, rs := range runs {
			b := monthly(rs[0].Start, rs[0].Months, len(rs), func(r, t int) float64 { return m.At(&rs[r], t, c) })
			if err := b.add(f.panels[c], i, names[i], c == 0); err != nil {
				return nil, err
			}
		}
	}
	return &f, nil
}

// PlotDifference draws, per country, each scenario's monthly paired
// difference to the reference (runs[0]) with its 95% band.
func PlotDifference(names []string, runs [][]sim.Series, m Measure) (*Figure, error) {
	var f Figure
	ref := runs[0]
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		f.panels[c] = newPanel(c, m.Name+" difference to "+names[0])
		zero, err := plotter.NewLine(plotter.XYs{{X: band{}.first(ref[0]), Y: 0}, {X: band{}.last(ref[0]), Y: 0}})
		if err != nil {
			return nil, err
		}
		zero.Color = color.Gray{Y: 90}
		f.panels[c].Add(zero)
		for i := 1; i < len(runs); i++ {
			rs := runs[i]
			b := monthly(rs[0].Start, rs[0].Months, len(rs), func(r, t int) float64 {
				return m.At(&rs[r], t, c) - m.At(&ref[r], t, c)
			})
			if err := b.add(f.panels[c], i, names[i]+" - "+names[0], c == 0); err != nil {
				return nil, err
			}
		}
	}
	return &f, nil
}

func (band) first(s sim.Series) float64 { return float64(s.Start.Year()) + float64(s.Start.Num()-1)/12 }
func (band) last(s sim.Series) float64 {
	m := s.Start.Add(s.Months - 1)
	return float64(m.Year()) + float64(m.Num()-1)/12
}

// Write renders the figure as "png" or "svg".
func (f *Figure) Write(w io.Writer, format string) error {
	width, height := panelWidth*vg.Length(sim.NumCountries), panelHeight
	var (
		canvas vg.CanvasSizer
		out    io.WriterTo
	)
	switch format {
	case "png":
		img := vgimg.New(width, height)
		canvas, out = img, vgimg.PngCanvas{Canvas: img}
	case "svg":
		svg := vgsvg.New(width, height)
		canvas, out = svg, svg
	default:
		return fmt.Errorf("plot: unknown format %q", format)
	}
	dc := draw.New(canvas)
	tiles := draw.Tiles{Cols: int(sim.NumCountries), Rows: 1, PadX: vg.Millimeter * 4, PadLeft: vg.Millimeter * 2,
		PadRight: vg.Millimeter * 2, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2}
	row := []*plot.Plot{f.panels[0], f.panels[1], f.panels[2]}
	canvases := plot.Align([][]*plot.Plot{row}, tiles, dc)
	for j, p := range row {
		p.Draw(canvases[0][j])
	}
	_, err := out.WriteTo(w)
	return err
}

// PlotVaried draws, per country, each scenario's paired difference to the
// reference over a window against the value of the varied key, with 95%
// error bars: where the line crosses zero the answer changes sign.
func PlotVaried(sets []VariedDifferences, m Measure, window string) (*Figure, error) {
	var f Figure
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		p := newPanel(c, m.Name+" difference, "+window)
		p.X.Label.Text = sets[0].Key
		bands := map[string]*band{}
		var order []string
		for _, set := range sets {
			x, err := strconv.ParseFloat(set.Value, 64)
			if err != nil {
				return nil, fmt.Errorf("plot: %s = %q is not a number", set.Key, set.Value)
			}
			for _, d := range set.Diffs {
				if d.Country != c || d.Measure.Name != m.Name || d.Period.Label != window {
					continue
				}
				b := bands[d.Scenario]
				if b == nil {
					b = &band{}
					bands[d.Scenario] = b
					order = append(order, d.Scenario)
				}
				lo, hi := d.Diff.Low, d.Diff.High
				if math.IsNaN(lo) {
					lo, hi = d.Diff.Mean, d.Diff.Mean
				}
				b.x, b.mean, b.low, b.high = append(b.x, x), append(b.mean, d.Diff.Mean), append(b.low, lo), append(b.high, hi)
			}
		}
		for i, s := range order {
			if err := bands[s].add(p, i+1, s+" - "+sets[0].Diffs[0].Reference, c == 0); err != nil {
				return nil, err
			}
		}
		if len(order) > 0 && len(bands[order[0]].x) > 0 {
			b := bands[order[0]]
			zero, err := plotter.NewLine(plotter.XYs{{X: b.x[0], Y: 0}, {X: b.x[len(b.x)-1], Y: 0}})
			if err != nil {
				return nil, err
			}
			zero.Color = color.Gray{Y: 90}
			p.Add(zero)
		}
		f.panels[c] = p
	}
	return &f, nil
}

// PlotMeasures are the measures ComparisonPlots draws.
var PlotMeasures = []string{"departures_total", "homicide_rate", "us_removals_total", "returnees", "stock_us_undocumented"}

// ComparisonPlots draws the series and paired differences of the plotted
// measures, and with --vary the window's difference against the varied value.
// It stops, with ctx's error, when ctx is done.
func ComparisonPlots(ctx context.Context, names []string, runs [][]sim.Series, sets []VariedDifferences, window string) ([]Output, error) {
	var outs []Output
	add := func(name string, f *Figure) {
		for _, format := range []string{"png", "svg"} {
			outs = append(outs, Output{Name: name + "." + format, Write: func(w io.Writer) error { return f.Write(w, format) }})
		}
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
			add("series_"+mname, f)
			f, err = PlotDifference(names, runs, m)
			if err != nil {
				return nil, err
			}
			add("difference_"+mname, f)
			continue
		}
		f, err := PlotVaried(sets, m, window)
		if err != nil {
			return nil, err
		}
		add("varied_"+mname, f)
	}
	return outs, nil
}

func measureNamed(name string) Measure {
	for _, m := range CompareMeasures {
		if m.Name == name {
			return m
		}
	}
	panic("results: no compare measure " + name)
}

// Chart is a single-panel plot.
type Chart struct {
	p *plot.Plot
}

// Write renders the chart as "png" or "svg".
func (c *Chart) Write(w io.Writer, format string) error {
	if format != "png" && format != "svg" {
		return fmt.Errorf("plot: unknown format %q", format)
	}
	wt, err := c.p.WriterTo(1.5*panelWidth, 1.2*panelHeight, format)
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// PlotIncrease draws P(increase) of the named measure against the horizon,
// one line per country: the share of posterior draws in which B raises the
// measure over A, from the policy window's start to the end of each year
// (the "all" horizon, the whole window, is left out: it ends where the last
// year's does).
func PlotIncrease(effects []Effect, measure string) (*Chart, error) {
	p := plot.New()
	p.X.Label.Text = "horizon: from the policy window's start to the end of year"
	p.Y.Label.Text = "P(" + measure + " rises)"
	p.Y.Min, p.Y.Max = 0, 1
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	var title string
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		var xy plotter.XYs
		for _, e := range effects {
			if e.Country != c || e.Measure.Name != measure || e.Horizon.Label == "all" {
				continue
			}
			// December ends at the whole year; a window ending earlier falls between.
			xy = append(xy, plotter.XY{X: float64(e.End.Year()) + float64(e.End.Num()-12)/12, Y: e.PIncrease})
			title = fmt.Sprintf("%s - %s: P(%s rises), %d posterior draws", e.ScenarioB, e.ScenarioA, measure, e.Draws)
		}
		if len(xy) == 0 {
			return nil, fmt.Errorf("plot: no horizons of %s for %s", measure, c.Code())
		}
		l, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		l.Color, pts.Color = plotutil.Color(int(c)), plotutil.Color(int(c))
		l.Width = vg.Points(1.5)
		pts.Shape = plotutil.Shape(int(c))
		p.Add(l, pts)
		p.Legend.Add(c.Name(), l, pts)
	}
	even, err := plotter.NewLine(plotter.XYs{{X: p.X.Min, Y: 0.5}, {X: p.X.Max, Y: 0.5}})
	if err != nil {
		return nil, err
	}
	even.Color = color.Gray{Y: 90}
	even.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(even)
	p.Title.Text = title
	return &Chart{p: p}, nil
}
