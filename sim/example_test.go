package sim_test

import (
	"context"
	"fmt"

	"migrasim/sim"
)

// A run needs the engine's defaults plus what the scenarios package adds
// from its data: populations, departments and homicide series. Here they are
// made up: one department per country and a homicide rate falling from 60 to
// 40 per 100,000. The output is fixed by the seed, and changes only with
// sim.Version.
func ExampleRun() {
	p := sim.DefaultParams()
	p.Name = "example"
	p.Months, p.Scale, p.Replicates, p.Seed = 12, 0.005, 2, 42
	for c, pop := range [sim.NumCountries]float64{6_300_000, 8_900_000, 16_000_000} {
		country := sim.Country(c)
		p.Country.Of(country).Population = pop
		p.Geography.Regions = append(p.Geography.Regions, sim.Region{Name: country.Code(), Country: country, Weight: 1})
		p.Geography.Homicide[c] = []sim.Point{{Month: sim.MonthOf(2011, 7), Value: 60}, {Month: sim.MonthOf(2013, 7), Value: 40}}
	}
	series, err := sim.Run(context.Background(), &p, sim.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s to %s, mean of %d replicates at scale %g:\n", p.Start, p.End().Add(-1), len(series), p.Scale)
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		var left, caught, home float64
		for _, s := range series {
			for _, m := range []sim.Metric{sim.DeparturesUAC, sim.DeparturesFamily, sim.DeparturesAdult} {
				left += s.Total(c, m, 0, s.Months)
			}
			for _, m := range []sim.Metric{sim.USApprehensionsUAC, sim.USApprehensionsFamily, sim.USApprehensionsAdult} {
				caught += s.Total(c, m, 0, s.Months)
			}
			home += s.Total(c, sim.Returnees, 0, s.Months)
		}
		n := float64(len(series))
		fmt.Printf("%s: %6.0f left, %6.0f apprehended at the U.S. border, %6.0f came home\n", c, left/n, caught/n, home/n)
	}
	// Output:
	// 2012-01 to 2012-12, mean of 2 replicates at scale 0.005:
	// SV:  45000 left,  22800 apprehended at the U.S. border,  46300 came home
	// HN:  60000 left,  28100 apprehended at the U.S. border,  55200 came home
	// GT: 100200 left,  47200 apprehended at the U.S. border,  77800 came home
}
