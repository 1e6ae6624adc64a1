package results

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"math"
	"strings"
	"testing"

	"migrasim/sim"
)

// question is a question of one measure (departures_total) over the given
// horizons of a run that starts in January 2018.
func question(horizons ...Period) *Question {
	return &Question{ScenarioA: "a", ScenarioB: "b", Start: sim.MonthOf(2018, 1),
		Measures: []Measure{measureNamed("departures_total")}, Horizons: horizons}
}

// draws makes n draws whose cell of SV and horizon h holds f(draw, h) (a
// difference per replicate); the other countries' cells hold 0.
func draws(q *Question, n int, f func(d, h int) []float64) []Draw {
	out := make([]Draw, n)
	for d := range out {
		out[d] = make(Draw, q.Cells())
		for i := range out[d] {
			out[d][i] = make([]float64, len(f(d, 0)))
		}
		for h := range q.Horizons {
			out[d][q.Cell(sim.SV, 0, h)] = f(d, h)
		}
	}
	return out
}

// A two-point posterior: particle 1 (weight 1/4) makes B lower departures
// by 30 or 10 (replicates 0 and 1), particle 2 (weight 3/4) raises them by
// 10 or 20. Twenty draws pick 5 and 15 of them; answer.csv holds the mixture
// computed by hand.
func TestAnswerTwoPointMixture(t *testing.T) {
	q := question(Period{Label: "2018-01..2018-12", From: 0, To: 12}, Period{Label: "all", From: 0, To: 24})
	ds := draws(q, 20, func(d, h int) []float64 {
		if d%4 == 0 { // draws 0, 4, 8, 12, 16: particle 1
			return []float64{-30 * float64(h+1), -10}
		}
		return []float64{10, 20 * float64(h+1)}
	})
	effects, err := q.Answer(ds)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteAnswer(&buf, effects); err != nil {
		t.Fatal(err)
	}
	// Horizon 1 pools 5×{-30, -10} and 15×{10, 20}: mean (5·-40 + 15·30)/40
	// = 6.25; the 5% quantile is the ⌈2⌉nd smallest (-30), the 95% the
	// ⌈38⌉th (20); 15 of 20 draws have a positive mean. Horizon "all" pools
	// 5×{-60, -10} and 15×{10, 40}: mean (5·-70 + 15·50)/40 = 10; 2nd
	// smallest -60, 38th 40.
	want := "scenario_a,scenario_b,country,metric,horizon,mean,lo90,hi90,p_increase,draws\n" +
		"a,b,SV,departures_total,2018-01..2018-12,6.25,-30,20,0.75,20\n" +
		"a,b,SV,departures_total,all,10,-60,40,0.75,20\n" +
		"a,b,HN,departures_total,2018-01..2018-12,0,0,0,0,20\n" +
		"a,b,HN,departures_total,all,0,0,0,0,20\n" +
		"a,b,GT,departures_total,2018-01..2018-12,0,0,0,0,20\n" +
		"a,b,GT,departures_total,all,0,0,0,0,20\n"
	if buf.String() != want {
		t.Errorf("answer.csv:\n%s\nwant\n%s", buf.String(), want)
	}
}

// The credible interval is the 5% and 95% quantiles of the pooled values:
// of 1..40 (20 draws, 2 replicates), the 2nd and 38th smallest.
func TestAnswerQuantiles(t *testing.T) {
	q := question(Period{Label: "all", From: 0, To: 12})
	ds := draws(q, 20, func(d, _ int) []float64 { return []float64{float64(40 - d), float64(1 + d)} })
	effects, err := q.Answer(ds)
	if err != nil {
		t.Fatal(err)
	}
	e := effects[q.Cell(sim.SV, 0, 0)]
	if e.Mean != 20.5 || e.Lo90 != 2 || e.Hi90 != 38 || e.PIncrease != 1 || e.Draws != 20 {
		t.Errorf("got mean %g [%g, %g], P %g, %d draws; want 20.5 [2, 38], P 1, 20 draws", e.Mean, e.Lo90, e.Hi90, e.PIncrease, e.Draws)
	}
	for n, want := range map[int][2]float64{1: {1, 1}, 19: {1, 19}, 21: {2, 20}, 100: {5, 95}} {
		s := make([]float64, n)
		for i := range s {
			s[i] = float64(i + 1)
		}
		if lo, hi := twentieth(s, 1), twentieth(s, 19); lo != want[0] || hi != want[1] {
			t.Errorf("%d values: [%g, %g], want %v", n, lo, hi, want)
		}
	}
}

// P(effect > 0) counts draws by their mean over replicates, not replicates:
// it is 1 when every draw's mean is positive although some replicates are
// negative, 0 when every draw's mean is negative or 0.
func TestAnswerProbability(t *testing.T) {
	q := question(Period{Label: "all", From: 0, To: 12})
	for _, tt := range []struct {
		name string
		f    func(d, h int) []float64
		want float64
	}{
		{"all draws rise", func(d, _ int) []float64 { return []float64{-5, 6 + float64(d)} }, 1},
		{"all draws fall", func(d, _ int) []float64 { return []float64{5, -6 - float64(d)} }, 0},
		{"no change", func(d, _ int) []float64 { return []float64{-1, 1} }, 0},
		{"one in four", func(d, _ int) []float64 { return []float64{float64(d%4) - 3, 1} }, 0.25},
	} {
		effects, err := q.Answer(draws(q, 8, tt.f))
		if err != nil {
			t.Fatal(err)
		}
		if got := effects[q.Cell(sim.SV, 0, 0)].PIncrease; got != tt.want {
			t.Errorf("%s: P(increase) = %g, want %g", tt.name, got, tt.want)
		}
	}
}

func TestAnswerRefused(t *testing.T) {
	q := question(Period{Label: "all", From: 0, To: 12})
	ok := draws(q, 2, func(int, int) []float64 { return []float64{1, 2} })
	uneven := draws(q, 2, func(d, _ int) []float64 { return make([]float64, d+1) })
	short := []Draw{ok[0][:1]}
	for name, ds := range map[string][]Draw{"no draws": nil, "uneven replicates": uneven, "missing cells": short} {
		if _, err := q.Answer(ds); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// svSeries makes a replicate whose metrics are f(t) for SV and 0 elsewhere.
func svSeries(start sim.Month, months int, f func(t int) float64, metrics ...sim.Metric) sim.Series {
	s := sim.Series{Start: start, Months: months, Values: make([]float64, months*int(sim.NumCountries)*int(sim.NumMetrics))}
	for t := range months {
		for _, m := range metrics {
			s.Values[(t*int(sim.NumCountries)+int(sim.SV))*int(sim.NumMetrics)+int(m)] = f(t)
		}
	}
	return s
}

// Differences aggregates B − A per horizon as the measure says: flows sum
// over the horizon, stocks take its last month, rates average.
func TestAnswerDifferences(t *testing.T) {
	start := sim.MonthOf(2017, 1)
	hs, err := Horizons(start, 36, sim.MonthOf(2018, 1), sim.MonthOf(2019, 12))
	if err != nil {
		t.Fatal(err)
	}
	q := &Question{ScenarioA: "a", ScenarioB: "b", Start: start, Horizons: hs,
		Measures: []Measure{measureNamed("departures_uac"), measureNamed("stock_us_undocumented"), measureNamed("homicide_rate")}}
	var a, b []sim.Series
	for r := range 2 {
		// A's child departures are 0.5 a month; B's three metrics are t+r in month t.
		a = append(a, svSeries(start, 36, func(int) float64 { return 0.5 }, sim.DeparturesUAC))
		b = append(b, svSeries(start, 36, func(t int) float64 { return float64(t + r) }, sim.DeparturesUAC, sim.StockUndocumented, sim.HomicideRate))
	}
	d, err := q.Differences(a, b)
	if err != nil {
		t.Fatal(err)
	}
	// Horizon 0 is 2018-01..2018-12, months 12..23; horizon 1 and "all" are
	// 2018-01..2019-12, months 12..35.
	for _, tt := range []struct {
		m, h int
		want float64 // replicate 0
	}{
		{0, 0, 210 - 6}, {0, 1, 564 - 12}, {0, 2, 564 - 12}, // sums of 12..23 and 12..35, less A's
		{1, 0, 23}, {1, 1, 35}, // the last month
		{2, 0, 17.5}, {2, 2, 23.5}, // the mean month
	} {
		got := d[q.Cell(sim.SV, tt.m, tt.h)]
		if got[0] != tt.want {
			t.Errorf("%s, %s: %g, want %g", q.Measures[tt.m].Name, hs[tt.h].Label, got[0], tt.want)
		}
		if hn := d[q.Cell(sim.HN, tt.m, tt.h)]; hn[0] != 0 || hn[1] != 0 {
			t.Errorf("%s, %s: HN %v, want 0", q.Measures[tt.m].Name, hs[tt.h].Label, hn)
		}
	}
	if _, err := q.Differences(a, b[:1]); err == nil {
		t.Error("unpaired replicates: no error")
	}
}

func TestHorizons(t *testing.T) {
	start := sim.MonthOf(2012, 1)
	for _, tt := range []struct {
		from, to sim.Month
		want     string
	}{
		{sim.MonthOf(2018, 1), sim.MonthOf(2021, 12), "2018-01..2018-12 72-84, 2018-01..2019-12 72-96, 2018-01..2020-12 72-108, 2018-01..2021-12 72-120, all 72-120"},
		{sim.MonthOf(2017, 2), sim.MonthOf(2018, 6), "2017-02..2017-12 61-72, 2017-02..2018-06 61-78, all 61-78"},
		{sim.MonthOf(2012, 1), sim.MonthOf(2012, 1), "2012-01..2012-01 0-1, all 0-1"},
	} {
		hs, err := Horizons(start, 120, tt.from, tt.to)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range hs {
			got = append(got, fmt.Sprintf("%s %d-%d", h.Label, h.From, h.To))
		}
		if strings.Join(got, ", ") != tt.want {
			t.Errorf("%s to %s: %s, want %s", tt.from, tt.to, strings.Join(got, ", "), tt.want)
		}
	}
	for _, bad := range [][2]sim.Month{{sim.MonthOf(2011, 12), sim.MonthOf(2013, 1)}, {sim.MonthOf(2018, 1), sim.MonthOf(2022, 1)}, {sim.MonthOf(2018, 1), sim.MonthOf(2017, 12)}} {
		if _, err := Horizons(start, 120, bad[0], bad[1]); err == nil || !strings.Contains(err.Error(), "want a window inside the run") {
			t.Errorf("%s to %s: got %v", bad[0], bad[1], err)
		}
	}
}

// The table and the plot of P(increase) render.
func TestAnswerTableAndPlot(t *testing.T) {
	hs, _ := Horizons(sim.MonthOf(2016, 1), 48, sim.MonthOf(2018, 1), sim.MonthOf(2019, 12))
	q := question(hs...)
	q.Start = sim.MonthOf(2016, 1)
	effects, err := q.Answer(draws(q, 4, func(d, h int) []float64 { return []float64{float64(d*h) - 1.5} }))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteAnswerTable(&buf, effects, "departures_total"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"departures_total, b - a: posterior mean [90% credible interval] and P(increase), over 4 draws",
		"2018-01..2019-12  sum  0 [-1.5, +1.5]  50%", "all  sum  +1.5 [-1.5, +4.5]  75%", "Guatemala (GT):"} {
		if !strings.Contains(squeeze(buf.String()), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
	if err := WriteAnswerTable(&buf, effects, "homicide_rate"); err == nil {
		t.Error("a measure not in the answer: no error")
	}
	c, err := PlotIncrease(effects, "departures_total")
	if err != nil {
		t.Fatal(err)
	}
	var img, svg bytes.Buffer
	if err := c.Write(&img, "png"); err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(&img); err != nil {
		t.Error(err)
	}
	if err := c.Write(&svg, "svg"); err != nil {
		t.Fatal(err)
	}
	var doc struct{ XMLName xml.Name }
	if err := xml.Unmarshal(svg.Bytes(), &doc); err != nil || doc.XMLName.Local != "svg" {
		t.Errorf("not an SVG document: %v", err)
	}
	if math.IsNaN(effects[0].Mean) {
		t.Error("NaN mean")
	}
}

// squeeze collapses runs of spaces, so that table alignment does not matter.
func squeeze(s string) string {
	for strings.Contains(s, "   ") {
		s = strings.ReplaceAll(s, "   ", "  ")
	}
	return s
}
