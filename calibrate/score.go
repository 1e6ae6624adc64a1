package results

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"

	"gonum.org/v1/gonum/stat"

	"migrasim/scenarios"
	"migrasim/sim"
)

// Observables map the names of observed series (the target column of
// calibration targets) to the model metrics whose sum they are. The DHS
// yearbook's apprehensions count Border Patrol and ICE arrests nationwide: the
// bridge to the model adds interior removals, as the interior arrests that
// lead to them, to southwest-border apprehensions.
var Observables = map[string][]sim.Metric{
	"uac_apprehensions":                {sim.USApprehensionsUAC},
	"family_unit_apprehensions":        {sim.USApprehensionsFamily},
	"dhs_apprehensions_all_components": {sim.USApprehensionsUAC, sim.USApprehensionsFamily, sim.USApprehensionsAdult, sim.USRemovalsInterior},
	"removals_total":                   {sim.USRemovalsBorder, sim.USRemovalsInterior},
	"removals_criminal":                {sim.USRemovalsCriminal},
	"mx_deportations":                  {sim.MXDeportations},
}

// yearMonths returns the months of a target's year inside a run, as offsets
// from its start, and the share of the year they cover.
func yearMonths(s *sim.Series, yearType string, year int) (from, to int, cover float64) {
	first := sim.MonthOf(year, 1)
	if yearType == "FY" {
		first = sim.MonthOf(year-1, 10)
	}
	from, to = int(first-s.Start), int(first-s.Start)+12
	from, to = max(from, 0), min(to, s.Months)
	if to <= from {
		return 0, 0, 0
	}
	return from, to, float64(to-from) / 12
}

// Simulated returns a target's simulated value in one replicate: the sum of
// its metrics over its year, scaled up to a whole year when the run covers at
// least half of it; ok is false when it covers less.
func Simulated(s *sim.Series, t scenarios.Target) (float64, bool) {
	ms, known := Observables[t.Name]
	from, to, cover := yearMonths(s, t.YearType, t.Year)
	if !known || cover < 0.5 {
		return 0, false
	}
	var v float64
	for _, m := range ms {
		v += s.Total(t.Country, m, from, to)
	}
	return v / cover, true
}

// CheckTargets reports targets whose observable the model does not know.
func CheckTargets(targets []scenarios.Target) error {
	for _, t := range targets {
		if _, ok := Observables[t.Name]; !ok {
			names := make([]string, 0, len(Observables))
			for n := range Observables {
				names = append(names, n)
			}
			sort.Strings(names)
			return fmt.Errorf("target %q: the model has no such observable (known: %v)", t.Name, names)
		}
	}
	return nil
}

// FitRow is one target with its simulated mean and 90% interval over replicates.
type FitRow struct {
	Target          scenarios.Target
	Mean, Low, High float64
	Fitted          bool // the run covered the target's year
}

// FitRows computes every target's simulated values from a run's replicates.
func FitRows(series []sim.Series, targets []scenarios.Target) []FitRow {
	out := make([]FitRow, 0, len(targets))
	xs := make([]float64, 0, len(series))
	for _, t := range targets {
		xs = xs[:0]
		for i := range series {
			if v, ok := Simulated(&series[i], t); ok {
				xs = append(xs, v)
			}
		}
		r := FitRow{Target: t, Mean: math.NaN(), Low: math.NaN(), High: math.NaN()}
		if len(xs) > 0 {
			sort.Float64s(xs)
			r.Fitted = true
			r.Mean = stat.Mean(xs, nil)
			r.Low = stat.Quantile(0.05, stat.LinInterp, xs, nil)
			r.High = stat.Quantile(0.95, stat.LinInterp, xs, nil)
		}
		out = append(out, r)
	}
	return out
}

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
	for _, name := range sortedNames(sum) { // a fixed order: float sums must not depend on map order
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
	YearType      string // FY or CY
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
	for _, name := range sortedNames(names) {
		s := Score{Observable: name, From: to, To: from}
		var ard, res []float64
		series := map[sim.Country][][2]float64{} // per country: (observed, simulated) by year
		for y := from; y <= to; y++ {
			rs := byYear[key{name, y}]
			if len(rs) == 0 {
				continue
			}
			s.From, s.To = min(s.From, y), max(s.To, y)
			var obs, sim_, abs float64
			s.YearType = rs[0].Target.YearType
			for _, r := range rs {
				obs += r.Target.Observed
				sim_ += r.Mean
				abs += math.Abs(r.Mean - r.Target.Observed)
				series[r.Target.Country] = append(series[r.Target.Country], [2]float64{r.Target.Observed, r.Mean})
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

func mase(series map[sim.Country][][2]float64) float64 {
	var ms []float64
	for _, s := range series {
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

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// FitHeader is the column order of fit.csv.
var FitHeader = []string{"target", "country", "year_type", "year", "observed", "simulated_mean", "simulated_q05", "simulated_q95", "weight", "source"}

// WriteFit writes every target with its simulated mean and 90% interval.
func WriteFit(w io.Writer, rows []FitRow) error {
	bw := bufio.NewWriter(w)
	WriteRow(bw, FitHeader)
	for _, r := range rows {
		t := r.Target
		var buf []byte
		for _, f := range []string{t.Name, t.Country.Code(), t.YearType, strconv.Itoa(t.Year)} {
			buf = AppendField(buf, f)
			buf = append(buf, ',')
		}
		for _, v := range []float64{t.Observed, r.Mean, r.Low, r.High, t.Weight} {
			buf = AppendValue(buf, v)
			buf = append(buf, ',')
		}
		buf = AppendField(buf, t.Source)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}

// PosteriorSummary describes a sample of one parameter.
type PosteriorSummary struct {
	Mean, SD, Q05, Q50, Q95 float64
}

// Posterior summarises accepted draws of one parameter: mean, standard
// deviation and the 5%, 50% and 95% quantiles.
func Posterior(xs []float64) PosteriorSummary {
	if len(xs) == 0 {
		n := math.NaN()
		return PosteriorSummary{n, n, n, n, n}
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	q := func(p float64) float64 { return stat.Quantile(p, stat.LinInterp, s, nil) }
	sd := math.NaN()
	if len(s) > 1 {
		sd = stat.StdDev(s, nil)
	}
	return PosteriorSummary{Mean: stat.Mean(s, nil), SD: sd, Q05: q(0.05), Q50: q(0.5), Q95: q(0.95)}
}

// AppendValue6 formats a parameter value with six significant figures (NA
// for NaN): parameters can be small, so AppendValue's three decimals are
// too few.
func AppendValue6(buf []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(buf, "NA"...)
	}
	return strconv.AppendFloat(buf, v, 'g', 6, 64)
}
