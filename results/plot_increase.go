package results

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"migrasim/sim"
)

// Chart is a single-panel figure.
type Chart struct {
	f *Figure
}

// Write renders the chart as "png" or "svg".
func (c *Chart) Write(w io.Writer, format string) error { return c.f.Write(w, format) }

// PlotIncrease draws P(increase) of the named measure against the horizon,
// one line per country: the share of posterior draws in which B raises the
// measure over A, from the policy window's start to the end of each year
// (the "all" horizon, the whole window, is left out: it ends where the last
// year's does).
func PlotIncrease(effects []Effect, measure string) (*Chart, error) {
	p := newPanel("share of posterior draws in which it rises", true)
	p.X.Label.Text = "horizon: from the policy window's start to the end of the year"
	p.Y.Min, p.Y.Max = 0, 1
	f := &Figure{rows: [][]*plot.Plot{{p}}}
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		var xy plotter.XYs
		for _, e := range effects {
			if e.Country != c || e.Measure.Name != measure || e.Horizon.Label == "all" {
				continue
			}
			// December ends at the whole year; a window ending earlier falls between.
			xy = append(xy, plotter.XY{X: float64(e.End.Year()) + float64(e.End.Num()-12)/12, Y: e.PIncrease})
			m, _ := MeasureNamed(measure)
			f.title = fmt.Sprintf("Probability that %s rise: %s against %s", lowerFirst(measureTitle(m)), e.ScenarioB, e.ScenarioA)
			f.subtitle = fmt.Sprintf("policy window from %s; share of %d posterior draws whose mean difference (%s \u2212 %s) over replicates is above 0; covers parameter and Monte Carlo uncertainty",
				monthText(e.End.Add(1-(e.Horizon.To-e.Horizon.From))), e.Draws, e.ScenarioB, e.ScenarioA)
		}
		if len(xy) == 0 {
			return nil, fmt.Errorf("plot: no horizons of %s for %s", measure, c.Code())
		}
		l, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		l.Color, pts.Color = paletteColor(int(c)), paletteColor(int(c))
		l.Width = vg.Points(1.6)
		l.Dashes = lineDashes(int(c))
		pts.Shape = countryShapes[c]
		pts.Radius = vg.Points(3.5)
		p.Add(l, pts)
		f.legend = append(f.legend, legendEntry{c.Name(), []plot.Thumbnailer{l, pts}})
	}
	even, err := plotter.NewLine(plotter.XYs{{X: p.X.Min, Y: 0.5}, {X: p.X.Max, Y: 0.5}})
	if err != nil {
		return nil, err
	}
	even.Color = color.Gray{Y: 90}
	even.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(even)
	return &Chart{f: f}, nil
}

// countryShapes mark the countries' points, so that they differ without colour.
var countryShapes = [sim.NumCountries]draw.GlyphDrawer{draw.CircleGlyph{}, draw.TriangleGlyph{}, draw.SquareGlyph{}}
