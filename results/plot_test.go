package results

import (
	"bytes"
	"image/color"
	"image/png"
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"migrasim/sim"
)

func TestPlotTickLabel(t *testing.T) {
	for _, c := range []struct {
		v, step float64
		want    string
	}{
		{825000, 25000, "825k"},
		{1.2e6, 1e5, "1.2M"},
		{1e6, 2.5e5, "1M"},
		{1.25e6, 2.5e5, "1.25M"},
		{900000, 300000, "900k"},
		{-80000, 20000, "\u221280k"},
		{0, 1000, "0"},
		{1e-12, 1000, "0"}, // float noise at zero
		{2500, 500, "2.5k"},
		{56.5, 0.5, "56.5"},
		{60, 10, "60"},
		{0.25, 0.05, "0.25"},
		{0.5, 0.25, "0.5"},
		{999, 1, "999"},
	} {
		if got := tickLabel(c.v, c.step); got != c.want {
			t.Errorf("tickLabel(%g, %g) = %q, want %q", c.v, c.step, got, c.want)
		}
	}
}

// Every panel labels its ticks the same way: round values, 0 labelled when
// inside, no long decimals, each label distinct.
func TestPlotNumberTicks(t *testing.T) {
	for _, r := range [][2]float64{{3800, 13500}, {7900, 18200}, {-2100, 6800}, {-105000, 1000}, {21.3, 105}, {0, 1}} {
		seen := map[string]bool{}
		zero := false
		for _, tk := range (numberTicks{}).Ticks(r[0], r[1]) {
			if tk.Value < r[0]-1e-9 || tk.Value > r[1]+1e-9 {
				t.Errorf("%v: tick %g outside the range", r, tk.Value)
			}
			if tk.Label == "" {
				continue
			}
			if seen[tk.Label] || utf8.RuneCountInString(tk.Label) > 5 {
				t.Errorf("%v: label %q repeated or too long", r, tk.Label)
			}
			seen[tk.Label] = true
			zero = zero || tk.Label == "0"
		}
		if n := len(seen); n < 3 || n > 8 {
			t.Errorf("%v: %d labels, want 3 to 8", r, n)
		}
		if r[0] <= 0 && r[1] >= 0 && !zero {
			t.Errorf("%v: 0 is inside but not labelled", r)
		}
	}
}

func TestPlotYearTicks(t *testing.T) {
	for _, c := range []struct {
		min, max float64
		want     []string // the labels, in order
	}{
		{2016, 2021 + 11.0/12, []string{"2016", "2017", "2018", "2019", "2020", "2021"}},
		{2012, 2021 + 11.0/12, []string{"2012", "2014", "2016", "2018", "2020"}},
		{2012, 2027 + 11.0/12, []string{"2012", "2014", "2016", "2018", "2020", "2022", "2024", "2026"}},
		{2015 + 10.0/12, 2017 + 1.0/12, []string{"2016", "2017"}},
		{2012 + 1.0/12, 2012 + 11.0/12, []string{"2012-04", "2012-07", "2012-10"}},
	} {
		var got []string
		for _, tk := range (yearTicks{}).Ticks(c.min, c.max) {
			if tk.Value < c.min-1e-9 || tk.Value > c.max+1e-9 {
				t.Errorf("[%g, %g]: tick %g outside the range", c.min, c.max, tk.Value)
			}
			if tk.Label == "" {
				continue
			}
			if strings.Contains(tk.Label, ".") {
				t.Errorf("[%g, %g]: label %q has a decimal", c.min, c.max, tk.Label)
			}
			if y, err := strconv.Atoi(tk.Label); err == nil && float64(y) != tk.Value {
				t.Errorf("[%g, %g]: label %q at %g", c.min, c.max, tk.Label, tk.Value)
			}
			got = append(got, tk.Label)
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("[%g, %g]: labels %q, want %q", c.min, c.max, got, c.want)
		}
	}
}

// hueClass puts a colour among the reds (and oranges and magentas), the
// greens, or neither: a red next to a green is the pair that the commonest
// colour vision deficiencies confuse.
func hueClass(c color.NRGBA) string {
	r, g, b := float64(c.R)/255, float64(c.G)/255, float64(c.B)/255
	hi, lo := math.Max(r, math.Max(g, b)), math.Min(r, math.Min(g, b))
	if hi-lo < 0.2 {
		return "grey"
	}
	var h float64
	switch hi {
	case r:
		h = math.Mod((g-b)/(hi-lo), 6)
	case g:
		h = (b-r)/(hi-lo) + 2
	default:
		h = (r-g)/(hi-lo) + 4
	}
	h = math.Mod(h*60+360, 360)
	switch {
	case h < 50 || h >= 300:
		return "red"
	case h >= 70 && h < 170:
		return "green"
	}
	return "other"
}

func TestPlotPalette(t *testing.T) {
	if hueClass(color.NRGBA{R: 0xD5, G: 0x5E, A: 0xFF}) != "red" || hueClass(color.NRGBA{G: 0x9E, B: 0x73, A: 0xFF}) != "green" {
		t.Fatal("hueClass does not tell vermillion from bluish green")
	}
	okabeIto := map[color.NRGBA]bool{}
	for _, c := range []uint32{0x000000, 0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7} {
		okabeIto[color.NRGBA{R: uint8(c >> 16), G: uint8(c >> 8), B: uint8(c), A: 0xFF}] = true
	}
	seen := map[color.NRGBA]bool{}
	for i, c := range Palette {
		if !okabeIto[c] || seen[c] {
			t.Errorf("Palette[%d] = %v is not a new Okabe–Ito colour", i, c)
		}
		seen[c] = true
		next := Palette[(i+1)%len(Palette)] // the palette cycles
		if a, b := hueClass(c), hueClass(next); a != b && (a == "red" && b == "green" || a == "green" && b == "red") {
			t.Errorf("Palette[%d] %v (%s) is next to %v (%s)", i, c, a, next, b)
		}
	}
}

// testRuns is n scenarios of reps replicates over months from January 2012,
// every metric rising by month, scenario and replicate.
func testRuns(n, reps, months int) [][]sim.Series {
	runs := make([][]sim.Series, n)
	for i := range runs {
		for r := range reps {
			s := sim.Series{Replicate: r, Start: sim.MonthOf(2012, 1), Months: months,
				Values: make([]float64, months*int(sim.NumCountries)*int(sim.NumMetrics))}
			for k := range s.Values {
				s.Values[k] = 1000 * float64(k/(int(sim.NumCountries)*int(sim.NumMetrics))+10*i+r)
			}
			runs[i] = append(runs[i], s)
		}
	}
	return runs
}

// A figure renders to a PNG figureWidth wide at figureDPI: at least 1800
// pixels, whatever the number of panels.
func TestPlotFigureSize(t *testing.T) {
	m := measureNamed("departures_total")
	one, two := testRuns(1, 3, 36), testRuns(2, 3, 36)
	series := func() (*Figure, error) { return PlotSeries([]string{"a", "b"}, two, m) }
	diff := func() (*Figure, error) { return PlotDifference([]string{"a", "b"}, two, m) }
	topic1 := func() (*Figure, error) { return PlotTopic([]string{"a"}, one, Topics[0]) }
	topic2 := func() (*Figure, error) { return PlotTopic([]string{"a", "b"}, two, Topics[0]) }
	for _, c := range []struct {
		name       string
		plot       func() (*Figure, error)
		rows, cols int
	}{{"series", series, 1, 3}, {"difference", diff, 1, 3}, {"topic, one scenario", topic1, 1, 1}, {"topic, two", topic2, 2, 3}} {
		f, err := c.plot()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(f.rows) != c.rows || len(f.rows[0]) != c.cols {
			t.Errorf("%s: %d×%d panels, want %d×%d", c.name, len(f.rows), len(f.rows[0]), c.rows, c.cols)
		}
		var buf bytes.Buffer
		if err := f.Write(&buf, "png"); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		img, err := png.Decode(&buf)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		w, h := f.size()
		wantW, wantH := int(math.Round(w.Dots(figureDPI))), int(math.Round(h.Dots(figureDPI)))
		if b := img.Bounds(); b.Dx() != wantW || math.Abs(float64(b.Dy()-wantH)) > 1 || b.Dx() < 1800 {
			t.Errorf("%s: PNG is %d×%d, want %d×%d (at least 1800 wide)", c.name, b.Dx(), b.Dy(), wantW, wantH)
		}
		if f.title == "" || !strings.Contains(f.subtitle, "95% confidence interval") || !strings.Contains(f.subtitle, "3 replicates") {
			t.Errorf("%s: title %q, subtitle %q do not say what the band is", c.name, f.title, f.subtitle)
		}
		if err := f.Write(&buf, "pdf"); err == nil {
			t.Errorf("%s: an unknown format is no error", c.name)
		}
	}
}

// Titles and axis labels say what is drawn and in what unit.
func TestPlotLabels(t *testing.T) {
	runs := testRuns(2, 2, 24)
	for _, c := range []struct {
		measure, title, unit string
	}{
		{"departures_total", "Irregular departures", "persons per month"},
		{"homicide_rate", "Homicide rate", "homicides per 100,000 residents a year"},
		{"stock_us_undocumented", "Undocumented population", "persons (at month end)"},
	} {
		f, err := PlotSeries([]string{"baseline", "policy"}, runs, measureNamed(c.measure))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(f.title, c.title) || !strings.Contains(f.title, "baseline and policy") {
			t.Errorf("%s: title %q", c.measure, f.title)
		}
		if !strings.HasPrefix(f.subtitle, "January 2012 to December 2013") {
			t.Errorf("%s: subtitle %q does not give the period", c.measure, f.subtitle)
		}
		for j, p := range f.rows[0] {
			if p.Y.Label.Text != c.unit || f.heads[0][j] != sim.Country(j).Name() {
				t.Errorf("%s panel %d: y label %q, head %q", c.measure, j, p.Y.Label.Text, f.heads[0][j])
			}
		}
		if len(f.legend) != 2 || f.legend[1].name != "policy" {
			t.Errorf("%s: legend %v", c.measure, f.legend)
		}
	}
}
