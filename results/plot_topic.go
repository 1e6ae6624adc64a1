package results

import (
	"context"
	"fmt"

	"gonum.org/v1/plot"

	"migrasim/sim"
)

// A Topic is one question a report asks of a run, drawn as one figure with
// the three countries in it.
type Topic struct {
	Name    string // file name stem: question_<Name>.png
	Measure string // a compare measure, as CompareMeasures names it
}

// Topics are the figures TopicPlots draws: will departures rise, how
// many people are removed, does violence at home rise, how many people stay
// abroad.
var Topics = []Topic{
	{"departures", "departures_total"},
	{"removals", "us_removals_total"},
	{"homicide", "homicide_rate"},
	{"stock_abroad", "stock_us_undocumented"},
}

// PlotTopic draws one question for all three countries. For one scenario
// it is a single panel with a line and band per country, so the countries
// compare at a glance; for two or more it is two rows of country panels, the
// scenarios' series above and their paired differences to the first below.
func PlotTopic(names []string, runs [][]sim.Series, q Topic) (*Figure, error) {
	m := measureNamed(q.Measure)
	if len(runs) > 1 {
		series, err := PlotSeries(names, runs, m)
		if err != nil {
			return nil, err
		}
		diff, err := PlotDifference(names, runs, m)
		if err != nil {
			return nil, err
		}
		// The difference row needs no legend of its own: its lines have
		// the colours of the scenarios above, and the subtitle says what
		// they are.
		series.rows = append(series.rows, diff.rows[0])
		series.subtitle = fmt.Sprintf("%s; top: each scenario; bottom: paired difference to %s (same random numbers in both)\nlines: mean over replicates; %s",
			periodText(runs[0][0].Start, runs[0][0].Months), names[0], bandText(len(runs[0]), "mean"))
		return series, nil
	}
	rs := runs[0]
	first := rs[0]
	p := newPanel(measureUnit(m), true)
	f := &Figure{
		title: fmt.Sprintf("%s in El Salvador, Honduras and Guatemala: %s", measureTitle(m), names[0]),
		subtitle: fmt.Sprintf("%s; lines: monthly mean over replicates\n%s",
			periodText(first.Start, first.Months), bandText(len(rs), "mean")),
		rows: [][]*plot.Plot{{p}},
	}
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		b := monthly(first.Start, first.Months, len(rs), func(r, t int) float64 { return m.At(&rs[r], t, c) })
		thumbs, err := b.add(p, paletteColor(int(c)), lineDashes(int(c)))
		if err != nil {
			return nil, err
		}
		f.legend = append(f.legend, legendEntry{c.Name(), thumbs})
	}
	return f, nil
}

// TopicPlots draws every one of Topics as question_<name>.png and .svg,
// for one scenario (run) or a comparison (runs[0] the reference). It stops,
// with ctx's error, when ctx is done.
func TopicPlots(ctx context.Context, names []string, runs [][]sim.Series) ([]Output, error) {
	var outs []Output
	for _, q := range Topics {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f, err := PlotTopic(names, runs, q)
		if err != nil {
			return nil, err
		}
		outs = append(outs, f.Outputs("question_"+q.Name)...)
	}
	return outs, nil
}
