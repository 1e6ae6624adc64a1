package scenarios

import (
	"math"
	"strings"
	"testing"

	"migrasim/sim"
)

// The cut is 30% of the dollars of the scenario it cuts: aid-cut spends
// what aid-alliance spends until 2018, and 70% of it, country by country,
// once the cut has ramped in (2019 on).
func TestAidCutIsThirtyPercent(t *testing.T) {
	alliance, err := Load("aid-alliance")
	if err != nil {
		t.Fatal(err)
	}
	cut, err := Load("aid-cut")
	if err != nil {
		t.Fatal(err)
	}
	spend := func(p *sim.Params, from sim.Month, months int) [sim.NumCountries]float64 {
		q := *p
		q.Start, q.Months = from, months
		return q.AidDollars()
	}
	before, after := sim.MonthOf(2016, 1), sim.MonthOf(2019, 1)
	a0, c0 := spend(alliance, before, 24), spend(cut, before, 24)
	a1, c1 := spend(alliance, after, 24), spend(cut, after, 24)
	for c := range a0 {
		if a0[c] == 0 || math.Abs(c0[c]-a0[c]) > 1e-9 {
			t.Errorf("%s 2016-2017: aid-cut $%vM, aid-alliance $%vM: want equal and positive", sim.Country(c), c0[c], a0[c])
		}
		if math.Abs(c1[c]-0.7*a1[c]) > 1e-6 {
			t.Errorf("%s 2019-2020: aid-cut $%vM, want 70%% of aid-alliance's $%vM", sim.Country(c), c1[c], a1[c])
		}
	}
	for _, w := range []*sim.AidPolicy{&cut.Policy.Aid, &cut.Policy.Aid.More[0]} {
		if w.DelayMonths != alliance.Policy.Aid.DelayMonths || w.RampMonths != alliance.Policy.Aid.RampMonths {
			t.Errorf("aid-cut window from %s: delay %d, ramp %d; want aid-alliance's", w.From, w.DelayMonths, w.RampMonths)
		}
	}
}

// A bad dollar amount or effect rate is refused with file:line: key.
func TestAidParseErrors(t *testing.T) {
	for _, tt := range []struct{ name, text, want string }{
		{"negative dollars", "[policy.aid]\nfrom = \"2016-01\"\n[policy.aid.SV]\nviolence_usd_millions_per_year = -1.0\n",
			"aid.toml:4: policy.aid.SV.violence_usd_millions_per_year"},
		{"effect out of range", "[policy.aid_effect]\njobs = 0.5\n", "aid.toml:2: policy.aid_effect.jobs"},
		{"unknown channel", "[policy.aid.GT]\ntax_usd_millions_per_year = 1.0\n", "aid.toml:2: policy.aid.GT.tax_usd_millions_per_year"},
		{"dollars as text", "[[policy.aid]]\nfrom = \"2016-01\"\n[[policy.aid]]\nfrom = \"2017-01\"\n[policy.aid.HN]\njobs_usd_millions_per_year = \"ten\"\n",
			"aid.toml:6: policy.aid[1].HN.jobs_usd_millions_per_year"},
	} {
		_, err := Parse("aid.toml", []byte(tt.text))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one naming %q", tt.name, err, tt.want)
		}
	}
}

// The effect per dollar needs no dates: setting it warns of nothing.
func TestAidEffectNoWarning(t *testing.T) {
	p, err := Parse("aid.toml", []byte("[policy.aid_effect]\nviolence = 0.01\n"))
	if err != nil {
		t.Fatal(err)
	}
	if w := Warnings(p); len(w) != 0 {
		t.Errorf("warnings %v, want none", w)
	}
}
