package sim

import (
	"testing"
)

// testParams returns a small, complete scenario with a synthetic geography of
// two departments per country and flat homicide series, for engine tests.
func testParams(t testing.TB) *Params {
	t.Helper()
	p := DefaultParams()
	p.Name = "test"
	p.Months = 24
	p.Scale = 0.004
	p.Replicates = 1
	p.Seed = 7
	for c := Country(0); c < NumCountries; c++ {
		cp := p.Country.Of(c)
		cp.Population = 3_000_000
		p.Geography.Regions = append(p.Geography.Regions,
			Region{Name: c.Code() + "-a", Country: c, Weight: 0.6, ZHomicide: 0.5, ZJobs: -0.5},
			Region{Name: c.Code() + "-b", Country: c, Weight: 0.4, HomicideFactor: 0.8, ZJobs: 0.7})
		p.Geography.Homicide[c] = []Point{{MonthOf(2011, 7), 50}, {MonthOf(2020, 7), 50}}
		cp.TPS, cp.DACA = 10000, 5000
		cp.Abroad = 400000
		cp.TieShare = 0.2
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return &p
}

// newTestWorld builds replicate 0 of p (warm-up included).
func newTestWorld(t testing.TB, p *Params) *World {
	t.Helper()
	w, err := New(p, 0, Serial)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// total sums metric m over countries and months.
func total(s *Series, m Metric) float64 {
	var sum float64
	for c := Country(0); c < NumCountries; c++ {
		sum += s.Total(c, m, 0, s.Months)
	}
	return sum
}

// journey is the expected outcome of a journey from country c this month for
// a child alone, a family unit and a single adult: the chance to get through
// Mexico times the expected stay once through (expectedStay's two values).
func (w *World) journey(c Country) [3]float64 {
	reach, v := w.expectedStay(c)
	for k := range v {
		v[k] *= reach
	}
	return v
}
