package sensitivity

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Chart is a single-panel figure.
type Chart struct {
	p *plot.Plot
}

const (
	chartWidth  = 6.3 * vg.Inch
	chartHeight = 4 * vg.Inch
)

// Write renders the chart as "png" or "svg".
func (c *Chart) Write(w io.Writer, format string) error {
	if format != "png" && format != "svg" {
		return fmt.Errorf("plot: unknown format %q, want png or svg", format)
	}
	wt, err := c.p.WriterTo(chartWidth, chartHeight, format)
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// intervals are the estimates of one index at x positions, with their
// intervals, as plotter.YErrorBars reads them.
type intervals struct {
	x  []float64
	ix []Index
}

func (v intervals) Len() int                    { return len(v.ix) }
func (v intervals) XY(i int) (float64, float64) { return v.x[i], v.ix[i].Est }
func (v intervals) YError(i int) (lo, hi float64) {
	return v.ix[i].Est - v.ix[i].Lo, v.ix[i].Hi - v.ix[i].Est
}
func (v intervals) Value(i int) float64 { return v.ix[i].Est }
func (v intervals) finite() bool        { return !math.IsNaN(v.ix[0].Est) }
func (v intervals) at(shift float64) intervals {
	return intervals{x: shifted(len(v.ix), shift), ix: v.ix}
}
func shifted(n int, shift float64) (x []float64) {
	for i := range n {
		x = append(x, float64(i)+shift)
	}
	return x
}

// PlotSobol draws the first-order and total indices of each key as bars
// side by side, with their bootstrap intervals as error bars; title names
// the outcome (and country). Indices that are NaN (the ST of a given-data
// estimate) are left out.
func PlotSobol(title string, keys []string, ix []Indices) (*Chart, error) {
	if len(keys) == 0 || len(keys) != len(ix) {
		return nil, fmt.Errorf("plot: %d keys and %d indices, want the same number, at least 1", len(keys), len(ix))
	}
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = "Sobol index, with its bootstrap interval"
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	s1, st := make([]Index, len(ix)), make([]Index, len(ix))
	for i, x := range ix {
		s1[i], st[i] = x.S1, x.ST
	}
	for n, set := range []struct {
		name  string
		v     []Index
		shift float64
	}{{"S1 (first order)", s1, -0.2}, {"ST (total)", st, 0.2}} {
		v := intervals{ix: set.v}.at(set.shift)
		if !v.finite() {
			continue
		}
		bars, err := plotter.NewBarChart(v, vg.Points(math.Max(4, 120/float64(len(keys)))))
		if err != nil {
			return nil, err
		}
		bars.XMin = set.shift
		bars.Color = plotutil.Color(n)
		bars.LineStyle.Width = 0
		errs, err := plotter.NewYErrorBars(v)
		if err != nil {
			return nil, err
		}
		p.Add(bars, errs)
		p.Legend.Add(set.name, bars)
	}
	p.NominalX(keys...)
	// Room at the sides for the outer bars, and above them for the legend.
	p.X.Min, p.X.Max = -0.6, float64(len(keys))-0.4
	top := 0.0
	for _, x := range ix {
		top = math.Max(top, math.Max(x.S1.Hi, x.ST.Hi))
	}
	if !math.IsNaN(top) {
		p.Y.Max = math.Max(p.Y.Max, 1.2*top)
	}
	p.X.Tick.Label.Rotation = math.Pi / 6
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	return &Chart{p: p}, nil
}

// PlotTrajectory draws the peeling trajectory as density against coverage,
// one point a step from the box of all points (coverage 1) inwards, the
// chosen box marked.
func PlotTrajectory(title string, t *Trajectory) (*Chart, error) {
	if t == nil || len(t.Steps) == 0 {
		return nil, fmt.Errorf("plot: an empty peeling trajectory")
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "coverage (share of the outcome's points inside the box)"
	p.Y.Label.Text = "density (share of the box's points with the outcome)"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	xy := make(plotter.XYs, len(t.Steps))
	for i, s := range t.Steps {
		xy[i] = plotter.XY{X: s.Coverage, Y: s.Density}
	}
	l, pts, err := plotter.NewLinePoints(xy)
	if err != nil {
		return nil, err
	}
	l.Color, pts.Color = plotutil.Color(0), plotutil.Color(0)
	pts.Radius = vg.Points(1.5)
	b := t.Box()
	chosen, err := plotter.NewScatter(plotter.XYs{{X: b.Coverage, Y: b.Density}})
	if err != nil {
		return nil, err
	}
	chosen.Shape = draw.RingGlyph{}
	chosen.Radius = vg.Points(5)
	chosen.Color = color.RGBA{R: 200, A: 255}
	p.Add(l, pts, chosen)
	p.Legend.Add("peeling trajectory", l, pts)
	p.Legend.Add(fmt.Sprintf("chosen box (step %d, mass %.3f)", t.Chosen, b.Mass), chosen)
	return &Chart{p: p}, nil
}
