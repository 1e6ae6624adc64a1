package results

import (
	"fmt"
	"io"
	"math"

	"migrasim/sim"
)

// PerMillion is a scenario's effect on departures against its reference
// per million dollars of aid it spends more (or, when Dollars < 0, less)
// within the run, in one country: the effect and its interval divided by
// the dollars, which the scenarios fix.
type PerMillion struct {
	Scenario, Reference string
	Country             sim.Country
	Period              string
	Dollars             float64 // USD millions, scenario less reference
	Mean, Lo, Hi        float64 // departures per USD million
	Interval            string  // what Lo and Hi are
}

// ExtraDollars returns, per country, the aid dollars (USD millions) b
// spends within the run beyond a's.
func ExtraDollars(a, b *sim.Params) [sim.NumCountries]float64 {
	da, db := a.AidDollars(), b.AidDollars()
	var out [sim.NumCountries]float64
	for c := range out {
		out[c] = db[c] - da[c]
	}
	return out
}

func perMillion(s, ref string, c sim.Country, period string, dollars, mean, lo, hi float64, interval string) PerMillion {
	lo, hi = lo/dollars, hi/dollars
	if dollars < 0 {
		lo, hi = hi, lo
	}
	return PerMillion{Scenario: s, Reference: ref, Country: c, Period: period, Dollars: dollars,
		Mean: mean / dollars, Lo: lo, Hi: hi, Interval: interval}
}

// PerMillionOfDifferences is the effect on departures_total over period
// per million dollars, for each scenario that spends a different amount of
// aid from its reference (extra by scenario name), with the paired 95%
// interval (Monte Carlo noise at fixed parameters).
func PerMillionOfDifferences(diffs []Difference, period string, extra map[string][sim.NumCountries]float64) []PerMillion {
	var out []PerMillion
	for _, d := range diffs {
		dollars := extra[d.Scenario][d.Country]
		if d.Measure.Name != "departures_total" || d.Period.Label != period || dollars == 0 {
			continue
		}
		out = append(out, perMillion(d.Scenario, d.Reference, d.Country, period, dollars, d.Diff.Mean, d.Diff.Low, d.Diff.High, "95% paired interval, Monte Carlo only"))
	}
	return out
}

// PerMillionOfEffects is the same over a posterior (answer.csv's effects):
// the interval is the 90% credible interval, which covers the calibrated
// parameters, the priors drawn (such as aid's effect per dollar) and Monte
// Carlo noise.
func PerMillionOfEffects(effects []Effect, horizon string, extra [sim.NumCountries]float64) []PerMillion {
	var out []PerMillion
	for _, e := range effects {
		if e.Measure.Name != "departures_total" || e.Horizon.Label != horizon || extra[e.Country] == 0 {
			continue
		}
		out = append(out, perMillion(e.ScenarioB, e.ScenarioA, e.Country, horizon, extra[e.Country], e.Mean, e.Lo90, e.Hi90, "90% credible interval"))
	}
	return out
}

// WritePerMillionTable prints the rows, one per scenario and country.
func WritePerMillionTable(w io.Writer, rows []PerMillion) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := fmt.Fprintf(w, "\naid: change in departures_total per USD 1 million of aid, %s, %s\n", rows[0].Period, rows[0].Interval); err != nil {
		return err
	}
	for _, r := range rows {
		verb := "more"
		if r.Dollars < 0 {
			verb = "less"
		}
		if _, err := fmt.Fprintf(w, "  %s vs %s, %s: %s [%s, %s] per $1M (%s $%.1fM %s aid)\n", r.Scenario, r.Reference, r.Country.Code(),
			Human(r.Mean), Human(r.Lo), Human(r.Hi), r.Scenario, math.Abs(r.Dollars), verb); err != nil {
			return err
		}
	}
	return nil
}
