package scenarios

import (
	"reflect"
	"slices"

	"migrasim/sim"
)

// LeverMetrics are, for each policy lever (its table under policy), the
// metrics it acts on directly: what a comparison of scenarios that differ in
// the lever should report besides the headline measures.
var LeverMetrics = map[string][]sim.Metric{
	"interior_removals": {sim.USRemovalsInterior, sim.USRemovalsCriminal, sim.Returnees, sim.ReturneesGang, sim.StockUndocumented},
	"cam":               {sim.CAMApplications, sim.CAMArrivals, sim.DeparturesUAC},
	"daca":              {sim.StockDACA, sim.StockUndocumented},
	"tps":               {sim.StockTPS, sim.StockUndocumented},
	"aid":               {sim.HomicideRate, sim.UnemploymentRate},
	"aid_effect":        {sim.HomicideRate, sim.UnemploymentRate},
	"mexico":            {sim.MXApprehensions, sim.MXDeportations, sim.MXAsylumClaims},
	"border":            {sim.USApprehensionsUAC, sim.USApprehensionsFamily, sim.USApprehensionsAdult, sim.USEvasions, sim.USRemovalsBorder, sim.USApprehensionsRepeat},
	"family_detention":  {sim.USApprehensionsFamily, sim.StockPending},
	"reintegration":     {sim.Returnees, sim.HomicideRate, sim.UnemploymentRate},
}

// Touched returns, in metric order, the metrics of LeverMetrics for every
// policy lever in which one of others differs from ref.
func Touched(ref *sim.Params, others ...*sim.Params) []sim.Metric {
	var out []sim.Metric
	a := reflect.ValueOf(&ref.Policy).Elem()
	for _, f := range fieldsOf(policyType) {
		for _, o := range others {
			b := reflect.ValueOf(&o.Policy).Elem()
			if reflect.DeepEqual(a.FieldByIndex(f.idx).Interface(), b.FieldByIndex(f.idx).Interface()) {
				continue
			}
			for _, m := range LeverMetrics[f.name] {
				if !slices.Contains(out, m) {
					out = append(out, m)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}
