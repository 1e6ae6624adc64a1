package results

import (
	"fmt"
	"image/color"
	"image/png"
	"io"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	plottext "gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"migrasim/sim"
)

// Figure is a grid of panels (a row of three, one per country, or rows of
// them, or a single panel) under a title and a subtitle, with one legend
// below the panels, outside the data.
type Figure struct {
	title, subtitle string // the subtitle may hold several lines
	rows            [][]*plot.Plot
	heads           [][]string // a title over each panel, "" for none
	legend          []legendEntry
}

// legendEntry is one name in a figure's legend and what it looks like.
type legendEntry struct {
	name   string
	thumbs []plot.Thumbnailer
}

// The size of a rendered figure: figureWidth wide at figureDPI (1920 pixels
// in a PNG), a row of panels rowHeight (a lone panel singleHeight) high,
// plus the title and the legend.
const (
	figureWidth  = 12.8 * vg.Inch
	figureDPI    = 150
	rowHeight    = 3.4 * vg.Inch
	singleHeight = 5.2 * vg.Inch
	margin       = 0.15 * vg.Inch
	legendHeight = 0.45 * vg.Inch
	titleSize    = vg.Length(16)
	subtitleSize = vg.Length(10)
	headSize     = vg.Length(12)
)

// sans is the typeface of every figure: plain sans-serif reads better at the
// size a figure has in a report than gonum's default serif.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

func textStyle(size vg.Length, c color.Color) plottext.Style {
	return plottext.Style{Color: c, Font: font.From(sans, size), Handler: plot.DefaultTextHandler}
}

// newPanel is an empty panel whose y axis is labelled ylabel; with dates the
// x axis is decimal years with a tick at each year. Its title, if any, is the
// figure's to draw (Figure.heads), so that titles line up across a row.
func newPanel(ylabel string, dates bool) *plot.Plot {
	p := plot.New()
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 10)
		a.Tick.Label.Font = font.From(sans, 9)
		a.Tick.Marker = numberTicks{}
	}
	p.Y.Label.Text = ylabel
	if dates {
		p.X.Tick.Marker = yearTicks{}
	}
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{Y: 225}
	grid.Horizontal.Color = color.Gray{Y: 225}
	grid.Vertical.Dashes, grid.Horizontal.Dashes = nil, nil
	p.Add(grid)
	return p
}

// countryRow is a row of one panel per country, headed by the country names.
func (f *Figure) countryRow(ylabel string, dates bool) []*plot.Plot {
	row := make([]*plot.Plot, sim.NumCountries)
	heads := make([]string, sim.NumCountries)
	for c := range sim.NumCountries {
		row[c], heads[c] = newPanel(ylabel, dates), c.Name()
	}
	f.rows, f.heads = append(f.rows, row), append(f.heads, heads)
	return row
}

// zeroLine adds a grey line at y = 0 from x0 to x1.
func zeroLine(p *plot.Plot, x0, x1 float64) error {
	zero, err := plotter.NewLine(plotter.XYs{{X: x0, Y: 0}, {X: x1, Y: 0}})
	if err != nil {
		return err
	}
	zero.Color = color.Gray{Y: 90}
	p.Add(zero)
	return nil
}

// head is the title over panel j of row i.
func (f *Figure) head(i, j int) string {
	if i < len(f.heads) && j < len(f.heads[i]) {
		return f.heads[i][j]
	}
	return ""
}

// size is the figure's width and height.
func (f *Figure) size() (vg.Length, vg.Length) {
	h := rowHeight * vg.Length(len(f.rows))
	if len(f.rows) == 1 && len(f.rows[0]) == 1 {
		h = singleHeight
	}
	return figureWidth, f.headerHeight() + h + legendHeight
}

func (f *Figure) subtitleLines() []string {
	if f.subtitle == "" {
		return nil
	}
	return strings.Split(f.subtitle, "\n")
}

func (f *Figure) headerHeight() vg.Length {
	return 2*margin + titleSize*1.3 + vg.Length(len(f.subtitleLines()))*subtitleSize*1.4
}

// Write renders the figure as "png" (at figureDPI) or "svg".
func (f *Figure) Write(w io.Writer, format string) error {
	width, height := f.size()
	var (
		canvas vg.CanvasSizer
		out    io.WriterTo
	)
	switch format {
	case "png":
		img := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(figureDPI))
		canvas, out = img, fastPNG{img}
	case "svg":
		svg := vgsvg.New(width, height)
		canvas, out = svg, svg
	default:
		return fmt.Errorf("plot: unknown format %q", format)
	}
	f.draw(draw.New(canvas))
	_, err := out.WriteTo(w)
	return err
}

func (f *Figure) draw(dc draw.Canvas) {
	r := dc.Rectangle
	dc.FillPolygon(color.White, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})

	title := textStyle(titleSize, color.Black)
	title.YAlign = plottext.YTop
	y := r.Max.Y - margin
	dc.FillText(title, vg.Point{X: r.Min.X + margin, Y: y}, f.title)
	y -= titleSize * 1.3
	sub := textStyle(subtitleSize, color.Gray{Y: 70})
	sub.YAlign = plottext.YTop
	for _, line := range f.subtitleLines() {
		dc.FillText(sub, vg.Point{X: r.Min.X + margin, Y: y}, line)
		y -= subtitleSize * 1.4
	}

	panels := draw.Crop(dc, 0, 0, legendHeight, -f.headerHeight())
	tiles := draw.Tiles{Rows: len(f.rows), Cols: len(f.rows[0]), PadX: vg.Millimeter * 6, PadY: vg.Millimeter * 5,
		PadLeft: margin, PadRight: margin, PadTop: vg.Millimeter * 1, PadBottom: vg.Millimeter * 1}
	head := textStyle(headSize, color.Black)
	head.XAlign, head.YAlign = draw.XCenter, draw.YTop
	for i, row := range f.rows {
		for j := range row {
			if t := f.head(i, j); t != "" {
				cell := tiles.At(panels, j, i)
				dc.FillText(head, vg.Point{X: cell.Center().X, Y: cell.Max.Y}, t)
			}
		}
	}
	canvases := plot.Align(f.rows, tiles, panels)
	for i, row := range f.rows {
		for j, p := range row {
			c := canvases[i][j]
			if f.head(i, j) != "" {
				c = draw.Crop(c, 0, 0, 0, -headSize*1.8)
			}
			p.Draw(c)
		}
	}
	f.drawLegend(draw.Crop(dc, margin, -margin, 0, legendHeight-r.Size().Y))
}

// drawLegend draws the entries side by side, centred in c.
func (f *Figure) drawLegend(c draw.Canvas) {
	const thumbW, thumbH, gap, sep = vg.Length(28), vg.Length(10), vg.Length(6), vg.Length(22)
	sty := textStyle(11, color.Black)
	sty.YAlign = plottext.YCenter
	total := vg.Length(0)
	for i, e := range f.legend {
		if i > 0 {
			total += sep
		}
		total += thumbW + gap + sty.Width(e.name)
	}
	x := c.Center().X - total/2
	y := c.Center().Y
	for _, e := range f.legend {
		icon := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: y - thumbH/2}, Max: vg.Point{X: x + thumbW, Y: y + thumbH/2}}}
		for _, t := range e.thumbs {
			t.Thumbnail(&icon)
		}
		x += thumbW + gap
		c.FillText(sty, vg.Point{X: x, Y: y}, e.name)
		x += sty.Width(e.name) + sep
	}
}

// fastPNG encodes a canvas as PNG with the fastest compression: the files
// are a little larger, and a run's figures take a fraction of the time.
type fastPNG struct{ c *vgimg.Canvas }

func (f fastPNG) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	err := enc.Encode(cw, f.c.Image())
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
