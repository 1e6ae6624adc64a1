package calibrate

import (
	"bufio"
	"io"
	"maps"
	"math"
	"migrasim/results"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/stat"
)

// Distance is the calibration's objective: the weighted mean over
// observables of their averaged relative difference (ARD, see Score), the
// measure the fit is judged by. Within an observable, large counts count for
// more than small ones; an observable's weight is the mean weight of its
// targets, and a target's weight also scales its own error.
func Distance(rows []FitRow) float64 {
	type key struct {
		name string
		year int
	}
	abs, obs := map[key]float64{}, map[key]float64{}
	weight, count := map[string]float64{}, map[string]float64{}
	for _, r := range rows {
		if !r.Fitted || r.Target.Weight == 0 {
			continue
		}
		k := key{r.Target.Name, r.Target.Year}
		abs[k] += r.Target.Weight * math.Abs(r.Mean-r.Target.Observed)
		obs[k] += r.Target.Weight * r.Target.Observed
		weight[r.Target.Name] += r.Target.Weight
		count[r.Target.Name]++
	}
	sum, n := map[string]float64{}, map[string]int{}
	for k, a := range abs {
		if obs[k] > 0 {
			sum[k.name] += a / obs[k]
			n[k.name]++
		}
	}
	var d, w float64
	for _, name := range slices.Sorted(maps.Keys(sum)) { // a fixed order: float sums must not depend on map order
		wn := weight[name] / count[name]
		d += wn * sum[name] / float64(n[name])
		w += wn
	}
	if w == 0 {
		return math.Inf(1)
	}
	return d / w
}

// Score is the fit of one observable: the averaged relative difference (ARD:
// per year, the sum over countries of |simulated - observed| over the
// observed total, averaged over years), the rescaled ARD (the same after
// scaling each year's simulation to the observed total, which isolates the
// distribution over countries from the volume), and the mean absolute scaled
// error (MASE: mean absolute error over the mean absolute error of the naive
// forecast "same as last year", per country, averaged; NaN with fewer than
// two years).
type Score struct {
	Observable    string
	YearType      string // FY, CY, or FY+CY when the observable's years mix both
	From, To      int    // years
	ARD, Rescaled float64
	MASE          float64
}

// Scores computes a Score per observable over the fitted years in [from, to].
func Scores(rows []FitRow, from, to int) []Score {
	type key struct {
		name string
		year int
	}
	byYear := map[key][]FitRow{}
	names := map[string]bool{}
	for _, r := range rows {
		if !r.Fitted || r.Target.Year < from || r.Target.Year > to {
			continue
		}
		k := key{r.Target.Name, r.Target.Year}
		byYear[k] = append(byYear[k], r)
		names[r.Target.Name] = true
	}
	var out []Score
	for _, name := range slices.Sorted(maps.Keys(names)) {
		s := Score{Observable: name, From: to, To: from}
		var ard, res []float64
		series := map[string][][2]float64{} // per country: (observed, simulated) by year
		for y := from; y <= to; y++ {
			rs := byYear[key{name, y}]
			if len(rs) == 0 {
				continue
			}
			s.From, s.To = min(s.From, y), max(s.To, y)
			var obs, sim_, abs float64
			for _, r := range rs {
				switch s.YearType {
				case "", r.Target.YearType:
					s.YearType = r.Target.YearType
				default:
					s.YearType = "FY+CY"
				}
				obs += r.Target.Observed
				sim_ += r.Mean
				abs += math.Abs(r.Mean - r.Target.Observed)
				series[r.Target.Code()] = append(series[r.Target.Code()], [2]float64{r.Target.Observed, r.Mean})
			}
			ard = append(ard, abs/obs)
			k := obs / sim_
			var absR float64
			for _, r := range rs {
				absR += math.Abs(r.Mean*k - r.Target.Observed)
			}
			res = append(res, absR/obs)
		}
		s.ARD, s.Rescaled = stat.Mean(ard, nil), stat.Mean(res, nil)
		s.MASE = mase(series)
		out = append(out, s)
	}
	return out
}

func mase(series map[string][][2]float64) float64 {
	var ms []float64
	for _, k := range slices.Sorted(maps.Keys(series)) { // a fixed order: float sums must not depend on map order
		s := series[k]
		if len(s) < 2 {
			continue
		}
		var e, naive float64
		for i, p := range s {
			e += math.Abs(p[1] - p[0])
			if i > 0 {
				naive += math.Abs(p[0] - s[i-1][0])
			}
		}
		e /= float64(len(s))
		naive /= float64(len(s) - 1)
		if naive > 0 {
			ms = append(ms, e/naive)
		}
	}
	if len(ms) == 0 {
		return math.NaN()
	}
	return stat.Mean(ms, nil)
}

// FitHeader is the column order of fit.csv.
var FitHeader = []string{"target", "country", "year_type", "year", "observed", "simulated_mean", "simulated_q05", "simulated_q95", "weight", "source"}

// WriteFit writes every target with its simulated mean and 90% interval.
func WriteFit(w io.Writer, rows []FitRow) error {
	bw := bufio.NewWriter(w)
	results.WriteRow(bw, FitHeader)
	for _, r := range rows {
		t := r.Target
		var buf []byte
		for _, f := range []string{t.Name, t.Code(), t.YearType, strconv.Itoa(t.Year)} {
			buf = results.AppendField(buf, f)
			buf = append(buf, ',')
		}
		for _, v := range []float64{t.Observed, r.Mean, r.Low, r.High, t.Weight} {
			buf = results.AppendValue(buf, v)
			buf = append(buf, ',')
		}
		buf = results.AppendField(buf, t.Source)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}
