package results

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"migrasim/sim"
)

// Period is a span of months [From, To) of a run, named by Label.
type Period struct {
	Label    string
	From, To int // month offsets from the start
}

// Years splits a run of months from start into calendar years, then adds the
// whole run as "all".
func Years(start sim.Month, months int) []Period {
	var out []Period
	for t := 0; t < months; {
		y := start.Add(t).Year()
		end := min(months, int(sim.MonthOf(y+1, 1)-start))
		out = append(out, Period{Label: strconv.Itoa(y), From: t, To: end})
		t = end
	}
	return append(out, Period{Label: "all", From: 0, To: months})
}

// Aggregate reduces metric m of country c over a period of one replicate: a
// flow sums, a stock takes the last month, a rate averages.
func Aggregate(s *sim.Series, c sim.Country, m sim.Metric, p Period) float64 {
	switch m.Kind() {
	case sim.Stock:
		return s.At(p.To-1, c, m)
	case sim.Rate:
		return s.Total(c, m, p.From, p.To) / float64(p.To-p.From)
	}
	return s.Total(c, m, p.From, p.To)
}

// Estimate is a mean over replicates with its spread and 95% confidence interval.
type Estimate struct {
	N              int
	Mean, SD       float64 // SD is NaN for one replicate
	Low, High      float64 // Student-t 95% interval for the mean; NaN for one replicate
	Positive, Zero int     // replicates above and at zero (for sign agreement)
}

// EstimateOf returns the mean, standard deviation and 95% CI of xs.
func EstimateOf(xs []float64) Estimate {
	e := Estimate{N: len(xs), SD: math.NaN(), Low: math.NaN(), High: math.NaN()}
	for _, x := range xs {
		switch {
		case x > 0:
			e.Positive++
		case x == 0:
			e.Zero++
		}
	}
	if e.N == 0 {
		e.Mean = math.NaN()
		return e
	}
	e.Mean = stat.Mean(xs, nil)
	if e.N < 2 {
		return e
	}
	e.SD = stat.StdDev(xs, nil)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(e.N - 1)}.Quantile(0.975)
	half := t * e.SD / math.Sqrt(float64(e.N))
	e.Low, e.High = e.Mean-half, e.Mean+half
	return e
}

// SummaryHeader is the column order of summary.csv.
var SummaryHeader = []string{"scenario", "country", "metric", "period", "aggregate", "replicates", "mean", "sd", "ci_low", "ci_high"}

var aggregateName = map[sim.Kind]string{sim.Flow: "sum", sim.Stock: "end", sim.Rate: "mean"}

// WriteSummary writes, for each country, metric and period (each calendar
// year, then "all"), the mean over replicates, the standard deviation and the
// 95% CI. All series must come from one scenario.
func WriteSummary(w io.Writer, series []sim.Series) error {
	bw := bufio.NewWriter(w)
	WriteRow(bw, SummaryHeader)
	if len(series) == 0 {
		return bw.Flush()
	}
	s0 := &series[0]
	xs := make([]float64, len(series))
	var buf []byte
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		for m := sim.Metric(0); m < sim.NumMetrics; m++ {
			for _, p := range Years(s0.Start, s0.Months) {
				for i := range series {
					xs[i] = Aggregate(&series[i], c, m, p)
				}
				e := EstimateOf(xs)
				buf = buf[:0]
				buf = AppendField(buf, s0.Scenario)
				buf = append(buf, ',')
				buf = append(buf, c.Code()+","+m.Name()+","+p.Label+","+aggregateName[m.Kind()]+","...)
				buf = strconv.AppendInt(buf, int64(e.N), 10)
				for _, v := range []float64{e.Mean, e.SD, e.Low, e.High} {
					buf = append(buf, ',')
					buf = AppendValue(buf, v)
				}
				buf = append(buf, '\n')
				bw.Write(buf)
			}
		}
	}
	return bw.Flush()
}

// Window is the period of a run from the month from to the month to
// (YYYY-MM, inclusive; "" for the run's first or last), labelled
// "YYYY-MM..YYYY-MM", or "all" when neither is given.
func Window(p *sim.Params, from, to string) (Period, error) {
	w := Period{Label: "all", From: 0, To: p.Months}
	if from == "" && to == "" {
		return w, nil
	}
	first, last := p.Start, p.Start.Add(p.Months-1)
	var err error
	if from != "" {
		if first, err = sim.ParseMonth(from); err != nil {
			return w, fmt.Errorf("from: %w", err)
		}
	}
	if to != "" {
		if last, err = sim.ParseMonth(to); err != nil {
			return w, fmt.Errorf("to: %w", err)
		}
	}
	if first < p.Start || last >= p.End() || last < first {
		return w, fmt.Errorf("window %s to %s: want a window inside the run, %s to %s", first, last, p.Start, p.End()-1)
	}
	return Period{Label: first.String() + ".." + last.String(), From: int(first - p.Start), To: int(last-p.Start) + 1}, nil
}
