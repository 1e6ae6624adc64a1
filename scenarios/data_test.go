package scenarios

import (
	"testing"

	"migrasim/sim"
)

// The national homicide series the engine receives are the rates of
// data/homicide_rates_national.csv that data/homicide_series.csv chooses,
// each country its own, at the middle month of the year. The countries'
// levels differ enough (El Salvador above 100 in 2015, Honduras above 85 in
// 2012, Guatemala near 30 in 2015) that a series given to the wrong country,
// or the wrong source chosen, shows.
func TestHomicideSeries(t *testing.T) {
	p, err := Defaults()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		country sim.Country
		year    int
		want    float64 // per 100,000; source in homicide_series.csv
	}{
		{sim.SV, 2009, 71.2}, // homicide_rate_official
		{sim.SV, 2012, 41.2}, // homicide_rate_official (gang truce)
		{sim.SV, 2014, 68.6}, // homicide_rate_iml
		{sim.SV, 2015, 105},  // homicide_rate_official
		{sim.HN, 2009, 70.7}, // homicide_rate_unodc
		{sim.HN, 2012, 85.5}, // homicide_rate_ov_unah
		{sim.HN, 2015, 60},   // homicide_rate_ov_unah
		{sim.HN, 2017, 43.4}, // homicide_rate_reported
		{sim.GT, 2009, 46.3}, // homicide_rate_unodc
		{sim.GT, 2012, 39.9}, // homicide_rate_unodc
		{sim.GT, 2015, 29.5}, // homicide_rate_pnc
		{sim.GT, 2017, 26.1}, // homicide_rate_pnc
	}
	for _, tt := range tests {
		m := sim.MonthOf(tt.year, 7)
		found := false
		for _, pt := range p.Geography.Homicide[tt.country] {
			if pt.Month == m {
				found = true
				if pt.Value != tt.want {
					t.Errorf("%s %d: homicide rate %g, want %g", tt.country, tt.year, pt.Value, tt.want)
				}
			}
		}
		if !found {
			t.Errorf("%s: no homicide rate for %s", tt.country, m)
		}
	}
	// Guatemala's 2013 has no value in any series: no anchor, interpolated.
	for _, pt := range p.Geography.Homicide[sim.GT] {
		if pt.Month.Year() == 2013 {
			t.Errorf("GT: an anchor at %s, where the data has none", pt.Month)
		}
	}
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		s := p.Geography.Homicide[c]
		for i := 1; i < len(s); i++ {
			if s[i].Month <= s[i-1].Month {
				t.Errorf("%s: anchors out of order at %s", c, s[i].Month)
			}
		}
	}
}
