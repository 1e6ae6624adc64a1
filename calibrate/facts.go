package calibrate

import (
	"context"
	"math"

	"migrasim/scenarios"
	"migrasim/sim"
)

// Fact is a stylised fact: what the literature or the data say, and what
// the model gives.
type Fact struct {
	Name, Unit      string
	Observed, Model float64
	Source          string
}

// StylisedFacts measures the model's own elasticities at p (a historical
// scenario) next to the literature's, with paired runs:
//   - the 2014 surge: unaccompanied children apprehended in FY2014 over FY2012
//     (the three countries together; CBP data);
//   - violence and child migration: extra child apprehensions FY2012–2016 per
//     extra homicide when every department's homicide rate is 5 per 100,000
//     higher from 2011, a dose large enough to rise above the noise
//     (Clemens 2017: 3.7 children per 6 homicides);
//   - deportations and violence: extra homicides per 100,000 per extra
//     criminal deportee per 100,000 a year, when interior removals double
//     from 2013, over 2014–2016 (Ambrosius & Leblang 2020: +2 per +10).
func StylisedFacts(ctx context.Context, p *sim.Params, workers int) ([]Fact, error) {
	run := func(overrides map[string]any, shocks []sim.Shock) ([]sim.Series, error) {
		q := *p
		// Every run measures the feedback against the same status-quo twin,
		// so paired differences are the runs' own.
		q.Feedback.StatusQuoTwin = true
		q.Shocks = append(append([]sim.Shock(nil), p.Shocks...), shocks...)
		if err := scenarios.Apply(&q, overrides); err != nil {
			return nil, err
		}
		return sim.Run(ctx, &q, sim.Options{Workers: workers})
	}
	base, err := run(nil, nil)
	if err != nil {
		return nil, err
	}
	var facts []Fact

	// The surge.
	// fy sums a metric over a fiscal year and the three countries, averaged
	// over replicates and scaled up to twelve months when the run covers
	// part of the year (FY2012 starts in October 2011).
	fy := func(s []sim.Series, year int, m sim.Metric) float64 {
		var v float64
		months := 0
		for t := range s[0].Months {
			if s[0].Start.Add(t).FiscalYear() != year {
				continue
			}
			months++
			for i := range s {
				for c := sim.Country(0); c < sim.NumCountries; c++ {
					v += s[i].At(t, c, m)
				}
			}
		}
		if months == 0 {
			return math.NaN()
		}
		return v / float64(len(s)) * 12 / float64(months)
	}
	facts = append(facts, Fact{Name: "2014 surge: child apprehensions FY2014 / FY2012", Unit: "ratio",
		Observed: 51705.0 / 10146, Model: fy(base, 2014, sim.USApprehensionsUAC) / fy(base, 2012, sim.USApprehensionsUAC),
		Source: "CBP, data/apprehensions_usbp_southwest_border.csv"})

	// Repeat crossers: the share of FY2016's apprehensions that were of
	// people removed at the border earlier in the same fiscal year. The
	// published rate (Border Patrol's within-year recidivism) covers all
	// nationalities and Mexicans, who recidivate more, dominate it: it is an
	// upper bound for the three countries.
	all := fy(base, 2016, sim.USApprehensionsUAC) + fy(base, 2016, sim.USApprehensionsFamily) + fy(base, 2016, sim.USApprehensionsAdult)
	facts = append(facts, Fact{Name: "repeat apprehensions within the fiscal year, FY2016 (at most)", Unit: "share of apprehensions",
		Observed: 0.12, Model: fy(base, 2016, sim.USApprehensionsRepeat) / all,
		Source: "DHS OIS (2017), all nationalities; GAO-17-66: 14% in FY2015"})

	// Violence and child migration.
	var shocks []sim.Shock
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		shocks = append(shocks, sim.Shock{Country: c.Code(), Variable: "homicide", Mode: "add",
			Path: map[string]float64{"2011": 5, "2012": 5, "2013": 5, "2014": 5, "2015": 5, "2016": 5}})
	}
	violent, err := run(nil, shocks)
	if err != nil {
		return nil, err
	}
	// The extra homicides are those the runs show (the shock, and the
	// feedback of the returns the extra departures bring), over the same
	// months as the extra children.
	var extraUAC, extraHomicides float64
	from, to := int(sim.MonthOf(2011, 10)-p.Start), int(sim.MonthOf(2016, 10)-p.Start)
	from, to = max(from, 0), min(to, p.Months)
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		for i := range base {
			extraUAC += (violent[i].Total(c, sim.USApprehensionsUAC, from, to) - base[i].Total(c, sim.USApprehensionsUAC, from, to)) / float64(len(base))
			extraHomicides += p.Country.Of(c).Population / 1e5 / 12 *
				(violent[i].Total(c, sim.HomicideRate, from, to) - base[i].Total(c, sim.HomicideRate, from, to)) / float64(len(base))
		}
	}
	facts = append(facts, Fact{Name: "child apprehensions per extra homicide (sustained)", Unit: "children per homicide",
		Observed: 3.7 / 6, Model: extraUAC / extraHomicides, Source: "Clemens (2017), data/effect_sizes.csv"})

	// Deportations and violence.
	deport, err := run(map[string]any{"policy.interior_removals.from": "2013-01", "policy.interior_removals.rate_multiplier": 2.0,
		"policy.interior_removals.ramp_months": int64(0)}, nil)
	if err != nil {
		return nil, err
	}
	from, to = int(sim.MonthOf(2014, 1)-p.Start), int(sim.MonthOf(2017, 1)-p.Start)
	var dCrim, dHom, pop float64
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		cp := p.Country.Of(c).Population
		pop += cp
		for i := range base {
			dCrim += (deport[i].Total(c, sim.USRemovalsCriminal, from, to) - base[i].Total(c, sim.USRemovalsCriminal, from, to)) / float64(len(base))
			dHom += cp * (deport[i].Total(c, sim.HomicideRate, from, to) - base[i].Total(c, sim.HomicideRate, from, to)) / float64(to-from) / float64(len(base))
		}
	}
	perYear := dCrim / pop * 1e5 / (float64(to-from) / 12)
	facts = append(facts, Fact{Name: "homicides per extra criminal deportee (per 100,000 a year)", Unit: "per 100,000 per deportee per 100,000",
		Observed: 0.2, Model: dHom / pop / perYear, Source: "Ambrosius & Leblang (2020), data/effect_sizes.csv"})
	return facts, nil
}
