package calibrate

import (
	"fmt"
	"math"
	"migrasim/sim"
	"sort"

	"gonum.org/v1/gonum/stat"
)

// Observables map the names of observed series (the target column of
// calibration targets) to the model metrics whose sum they are.
//
// Border Patrol's southwest-border counts map one to one: children
// travelling alone (uac_apprehensions), individuals in family units
// (family_unit_apprehensions) and single adults
// (single_adult_apprehensions: the total less children and families).
//
// The DHS yearbook's apprehensions count Border Patrol and ICE arrests
// nationwide: the bridge to the model adds interior removals, standing for
// the interior arrests that lead to them, to southwest-border
// apprehensions (dhs_apprehensions_all_components), or to those of single
// adults when children and families have been taken out of the DHS count
// (single_adult_apprehensions_dhs). scenarios/data/SOURCES.md gives the
// bridges behind each observed value.
var Observables = map[string][]sim.Metric{
	"uac_apprehensions":         {sim.USApprehensionsUAC},
	"family_unit_apprehensions": {sim.USApprehensionsFamily},
	// single_adult_apprehensions is Border Patrol's southwest-border
	// apprehensions of people neither unaccompanied children nor in family
	// units: total − UAC − family units.
	"single_adult_apprehensions": {sim.USApprehensionsAdult},
	// single_adult_apprehensions_dhs is DHS's all-component apprehensions
	// less UAC and family units: single adults at the border plus ICE's
	// interior arrests, for which interior removals stand.
	"single_adult_apprehensions_dhs":   {sim.USApprehensionsAdult, sim.USRemovalsInterior},
	"dhs_apprehensions_all_components": {sim.USApprehensionsUAC, sim.USApprehensionsFamily, sim.USApprehensionsAdult, sim.USRemovalsInterior},
	"removals_total":                   {sim.USRemovalsBorder, sim.USRemovalsInterior},
	"removals_criminal":                {sim.USRemovalsCriminal},
	// CAM applications received (the three countries together: the record
	// gives no split).
	"cam_applications": {sim.CAMApplications},
	"mx_deportations":  {sim.MXDeportations},
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
func Simulated(s *sim.Series, t Target) (float64, bool) {
	ms, known := Observables[t.Name]
	from, to, cover := yearMonths(s, t.YearType, t.Year)
	if !known || cover < 0.5 {
		return 0, false
	}
	countries := []sim.Country{t.Country}
	if t.All {
		countries = []sim.Country{sim.SV, sim.HN, sim.GT}
	}
	var v float64
	for _, c := range countries {
		for _, m := range ms {
			v += s.Total(c, m, from, to)
		}
	}
	return v / cover, true
}

// CheckTargets reports targets whose observable the model does not know.
func CheckTargets(targets []Target) error {
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
	Target          Target
	Mean, Low, High float64
	Fitted          bool // the run covered the target's year
}

// FitRows computes every target's simulated values from a run's replicates.
func FitRows(series []sim.Series, targets []Target) []FitRow {
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
