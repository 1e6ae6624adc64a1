package results

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"migrasim/sim"
)

// A posterior comparison answers "what does policy B do, compared with A?"
// over what the calibration data allow: every draw runs A and B paired at
// one posterior particle, and the answer pools the draws. Question says what
// is measured, Draw holds one draw's paired differences, and Answer
// summarises them, so the statistics can be checked on differences made up
// by hand, without simulating.

// Question is what a posterior comparison measures: the paired difference
// B − A of each measure, per country, over each horizon.
type Question struct {
	ScenarioA, ScenarioB string
	// Start is the runs' first month; Horizons count their months from it.
	Start    sim.Month
	Measures []Measure
	Horizons []Period
}

// Draw is one posterior draw's paired differences B − A: Draw[i][r] is
// cell i's difference in replicate r (Question.Cell numbers the cells).
type Draw [][]float64

// Cells is the number of cells: countries × measures × horizons.
func (q *Question) Cells() int { return int(sim.NumCountries) * len(q.Measures) * len(q.Horizons) }

// Cell numbers the cell of country c, measure m and horizon h (indices into
// Measures and Horizons).
func (q *Question) Cell(c sim.Country, m, h int) int {
	return (int(c)*len(q.Measures)+m)*len(q.Horizons) + h
}

// Differences measures one draw: each measure of b's replicate r less a's,
// per country and horizon. a and b are the paired runs of A and B (same
// start, months and replicates, and common random numbers).
func (q *Question) Differences(a, b []sim.Series) (Draw, error) {
	if len(a) == 0 || len(a) != len(b) {
		return nil, fmt.Errorf("answer: %d replicates of %s and %d of %s: want the same number, at least 1", len(a), q.ScenarioA, len(b), q.ScenarioB)
	}
	for r := range a {
		if a[r].Start != q.Start || b[r].Start != q.Start || a[r].Months != b[r].Months {
			return nil, fmt.Errorf("answer: replicate %d of %s and %s do not share the start %s and months", r, q.ScenarioA, q.ScenarioB, q.Start)
		}
	}
	for _, h := range q.Horizons {
		if h.From < 0 || h.To > a[0].Months || h.From >= h.To {
			return nil, fmt.Errorf("answer: horizon %s is not inside the run's %d months", h.Label, a[0].Months)
		}
	}
	d := make(Draw, q.Cells())
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		for m, ms := range q.Measures {
			for h, hz := range q.Horizons {
				xs := make([]float64, len(a))
				for r := range a {
					xs[r] = ms.Aggregate(&b[r], c, hz) - ms.Aggregate(&a[r], c, hz)
				}
				d[q.Cell(c, m, h)] = xs
			}
		}
	}
	return d, nil
}

// Effect is the answer for one country, measure and horizon: the effect of
// B against A over the posterior.
type Effect struct {
	ScenarioA, ScenarioB string
	Country              sim.Country
	Measure              Measure
	Horizon              Period
	// End is the horizon's last month.
	End sim.Month
	// Mean is the posterior mean effect: the mean over every draw and
	// replicate (each draw has the same replicates, so each counts equally).
	Mean float64
	// Lo90 and Hi90 bound the 90% credible interval, which covers parameter
	// and Monte Carlo uncertainty together: the 5% and 95% quantiles of the
	// pooled draw × replicate differences. The q quantile of n values is the
	// ⌈q·n⌉-th smallest (the inverse of their empirical distribution).
	Lo90, Hi90 float64
	// PIncrease is P(effect > 0): the share of draws whose mean difference
	// over replicates is above 0.
	PIncrease float64
	// Draws is the number of posterior draws.
	Draws int
}

// Answer summarises the draws per cell (see Effect). Every draw must have
// every cell and the same number of replicates.
func (q *Question) Answer(draws []Draw) ([]Effect, error) {
	if len(draws) == 0 {
		return nil, fmt.Errorf("answer: no draws")
	}
	reps := 0
	for i, d := range draws {
		if len(d) != q.Cells() {
			return nil, fmt.Errorf("answer: draw %d has %d cells, want %d", i, len(d), q.Cells())
		}
		for _, xs := range d {
			if reps == 0 {
				reps = len(xs)
			}
			if len(xs) != reps || reps == 0 {
				return nil, fmt.Errorf("answer: draw %d has %d replicates in a cell, want %d in every cell of every draw", i, len(xs), reps)
			}
		}
	}
	var out []Effect
	pooled := make([]float64, 0, len(draws)*reps)
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		for m, ms := range q.Measures {
			for h, hz := range q.Horizons {
				cell := q.Cell(c, m, h)
				pooled = pooled[:0]
				increases := 0
				for _, d := range draws {
					sum := 0.0
					for _, x := range d[cell] {
						sum += x
					}
					if sum/float64(reps) > 0 {
						increases++
					}
					pooled = append(pooled, d[cell]...)
				}
				sum := 0.0
				for _, x := range pooled {
					sum += x
				}
				slices.Sort(pooled)
				out = append(out, Effect{ScenarioA: q.ScenarioA, ScenarioB: q.ScenarioB, Country: c, Measure: ms,
					Horizon: hz, End: q.Start.Add(hz.To - 1), Mean: sum / float64(len(pooled)),
					Lo90: twentieth(pooled, 1), Hi90: twentieth(pooled, 19),
					PIncrease: float64(increases) / float64(len(draws)), Draws: len(draws)})
			}
		}
	}
	return out, nil
}

// twentieth is the k/20 quantile of sorted values: the ⌈k·n/20⌉-th
// smallest, in whole numbers so that no rounding moves it.
func twentieth(sorted []float64, k int) float64 {
	n := len(sorted)
	return sorted[max((k*n+19)/20, 1)-1]
}

// Horizons are the periods of a policy window in a run that starts at start
// and lasts months. The window runs from month from to month to
// (inclusive). For each calendar year the window reaches there is one
// horizon, cumulative from the window's start to that year's end (or to to),
// labelled "FROM..END"; then the whole window, labelled "all".
func Horizons(start sim.Month, months int, from, to sim.Month) ([]Period, error) {
	last := start.Add(months - 1)
	if from < start || to > last || to < from {
		return nil, fmt.Errorf("policy window %s to %s: want a window inside the run, %s to %s", from, to, start, last)
	}
	var out []Period
	for y := from.Year(); y <= to.Year(); y++ {
		end := min(sim.MonthOf(y, 12), to)
		out = append(out, Period{Label: from.String() + ".." + end.String(), From: int(from - start), To: int(end-start) + 1})
	}
	return append(out, Period{Label: "all", From: int(from - start), To: int(to-start) + 1}), nil
}

// AnswerHeader is the column order of answer.csv.
var AnswerHeader = []string{"scenario_a", "scenario_b", "country", "metric", "horizon", "mean", "lo90", "hi90", "p_increase", "draws"}

// WriteAnswer writes answer.csv: one row per effect, in tidy long format.
func WriteAnswer(w io.Writer, effects []Effect) error {
	bw := bufio.NewWriter(w)
	WriteRow(bw, AnswerHeader)
	var buf []byte
	for _, e := range effects {
		buf = buf[:0]
		for _, f := range []string{e.ScenarioA, e.ScenarioB, e.Country.Code(), e.Measure.Name, e.Horizon.Label} {
			buf = AppendField(buf, f)
			buf = append(buf, ',')
		}
		for _, v := range []float64{e.Mean, e.Lo90, e.Hi90, e.PIncrease} {
			buf = AppendValue(buf, v)
			buf = append(buf, ',')
		}
		buf = strconv.AppendInt(buf, int64(e.Draws), 10)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}

// WriteAnswerTable prints, per country, the effects of the named measure by
// horizon: the posterior mean with its 90% credible interval, and
// P(increase).
func WriteAnswerTable(w io.Writer, effects []Effect, measure string) error {
	var rows []Effect
	for _, e := range effects {
		if e.Measure.Name == measure {
			rows = append(rows, e)
		}
	}
	if len(rows) == 0 {
		return fmt.Errorf("answer: no measure %q", measure)
	}
	fmt.Fprintf(w, "%s, %s - %s: posterior mean [90%% credible interval] and P(increase), over %d draws\n",
		measure, rows[0].ScenarioB, rows[0].ScenarioA, rows[0].Draws)
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		fmt.Fprintf(w, "\n%s (%s):\n", c.Name(), c.Code())
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, strings.Join([]string{"horizon", "aggregate", "mean [90% CrI]", "P(increase)"}, "\t")+"\t")
		for _, e := range rows {
			if e.Country != c {
				continue
			}
			row := []string{e.Horizon.Label, aggregateName[e.Measure.Kind()],
				signed(Estimate{Mean: e.Mean, Low: e.Lo90, High: e.Hi90}), fmt.Sprintf("%.0f%%", 100*e.PIncrease)}
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}
