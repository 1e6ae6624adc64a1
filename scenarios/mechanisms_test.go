package scenarios

import (
	"context"
	"testing"

	"migrasim/sim"
)

// runText runs a scenario given as TOML text and overrides (one replicate).
func runText(t *testing.T, text string, overrides map[string]any) *sim.Series {
	t.Helper()
	p, err := Parse("test.toml", []byte(text))
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	if err := Apply(p, overrides); err != nil {
		t.Fatal(err)
	}
	s, err := sim.Run(context.Background(), p, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return &s[0]
}

// sum adds metrics over countries and months (a stock: its last month).
func sum(s *sim.Series, ms ...sim.Metric) float64 {
	var v float64
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		for _, m := range ms {
			if m.Kind() == sim.Stock {
				v += s.At(s.Months-1, c, m)
			} else {
				v += s.Total(c, m, 0, s.Months)
			}
		}
	}
	return v
}

const mechanismBase = `
start = "2014-01"
months = 36
scale = 0.005
replicates = 1
seed = 11
`

const massDeportation = `
[policy.interior_removals]
from = "2014-01"
rate_multiplier = 5.0
gang_targeting = 0.5
`

// overrides are dotted scenario keys and values for Apply.
type overrides = map[string]any

// measure sums metrics over countries and months.
func measure(ms ...sim.Metric) func(*sim.Series) float64 {
	return func(s *sim.Series) float64 { return sum(s, ms...) }
}

// protectedGrowth is the change in the protected stock over the run.
func protectedGrowth(s *sim.Series) float64 {
	var v float64
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		v += s.At(s.Months-1, c, sim.StockProtected) - s.At(0, c, sim.StockProtected)
	}
	return v
}

// Switching a mechanism off in TOML removes its effect: the metric it drives
// moves the expected way when it is on, and when it is off the run equals a
// run where the mechanism's effect is zeroed by other means (neutral), or the
// metric is 0 (no neutral).
func TestMechanismsSwitchOff(t *testing.T) {
	allCapacity := func(v float64) overrides {
		return overrides{"country.SV.reintegration_capacity": v, "country.HN.reintegration_capacity": v, "country.GT.reintegration_capacity": v}
	}
	tests := []struct {
		key     string
		setup   string    // TOML giving the mechanism something to do
		on      overrides // overrides on top of setup, for both runs
		neutral overrides // overrides that zero the mechanism's effect another way
		measure func(*sim.Series) float64
		more    bool // the measure is larger with the mechanism on
	}{
		{"deportee_feedback", massDeportation, nil, overrides{"feedback.strength": 0.0}, measure(sim.HomicideRate), true},
		{"returnee_unemployment", massDeportation, nil, overrides{"feedback.unemployment": 0.0}, measure(sim.UnemploymentRate), true},
		{"networks", "", nil, overrides{"decision.ties": 0.0, "decision.network": 0.0}, measure(sim.DeparturesAdult), true},
		// At four times the others' scale: the effect of deterrence at the
		// fitted βd (about 8% fewer adults by the third year) is within one
		// small replicate's noise.
		{"deterrence", "[policy.border]\nfrom = \"2014-01\"\napprehension_multiplier = 1.5\n", overrides{"scale": 0.02},
			overrides{"decision.deterrence": 0.0}, measure(sim.DeparturesAdult), false},
		{"pull", "[policy.border]\nfrom = \"2014-01\"\napprehension_multiplier = 0.5\n", nil,
			overrides{"decision.pull": 0.0, "decision.family_pull": 0.0, "decision.uac_pull": 0.0}, measure(sim.DeparturesFamily), true},
		{"cam", "", nil, nil, measure(sim.CAMArrivals), true},
		{"mexico_enforcement", "", nil, nil, measure(sim.MXApprehensions), true},
		{"mexico_asylum", "", nil, nil, measure(sim.MXAsylumClaims), true},
		{"border_enforcement", "", nil, nil, measure(sim.USApprehensionsUAC, sim.USApprehensionsFamily, sim.USApprehensionsAdult), true},
		{"interior_removals", "", nil, nil, measure(sim.USRemovalsInterior), true},
		{"asylum_decisions", "[mechanisms]\ncam = false\nvoluntary_return = false\n", nil, nil, protectedGrowth, true},
		{"voluntary_return", "", nil, overrides{"abroad.voluntary_return": 0.0, "abroad.voluntary_return_lawful": 0.0}, measure(sim.Returnees), true},
		{"remigration", "", nil, nil, measure(sim.DeparturesRemigrant), true},
		{"remittances", "", nil, overrides{"remittances.push_cut": 0.0}, measure(sim.DeparturesAdult), false},
		{"reintegration", massDeportation, allCapacity(1e6), allCapacity(0), measure(sim.HomicideRate), false},
		{"aid", "[policy.aid]\nfrom = \"2014-01\"\ndelay_months = 0\n[policy.aid.SV]\nhomicide_effect = 0.5\n[policy.aid.HN]\nhomicide_effect = 0.5\n[policy.aid.GT]\nhomicide_effect = 0.5\n",
			nil, overrides{"policy.aid.SV.homicide_effect": 0.0, "policy.aid.HN.homicide_effect": 0.0, "policy.aid.GT.homicide_effect": 0.0}, measure(sim.HomicideRate), false},
		{"shocks", "[[shock]]\ncountry = \"HN\"\nvariable = \"homicide\"\nmode = \"multiply\"\npath = { \"2014\" = 2.0, \"2015\" = 2.0 }\n",
			nil, nil, measure(sim.HomicideRate), true},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[tt.key] = true
		vOn := tt.measure(runText(t, mechanismBase+tt.setup, tt.on))
		off := overrides{"mechanisms." + tt.key: false}
		for k, v := range tt.on {
			off[k] = v
		}
		vOff := tt.measure(runText(t, mechanismBase+tt.setup, off))
		if tt.more && !(vOn > vOff) || !tt.more && !(vOn < vOff) {
			t.Errorf("%s: on %g, off %g: want on %s off", tt.key, vOn, vOff, map[bool]string{true: ">", false: "<"}[tt.more])
		}
		switch {
		case tt.key == "shocks": // neutral: the scenario without the shock
			if v := tt.measure(runText(t, mechanismBase, nil)); v != vOff {
				t.Errorf("%s: off gives %g, without the shock %g", tt.key, vOff, v)
			}
		case tt.neutral == nil:
			if vOff != 0 {
				t.Errorf("%s: off still gives %g", tt.key, vOff)
			}
		default:
			neutral := overrides{}
			for k, v := range tt.on {
				neutral[k] = v
			}
			for k, v := range tt.neutral {
				neutral[k] = v
			}
			if v := tt.measure(runText(t, mechanismBase+tt.setup, neutral)); v != vOff {
				t.Errorf("%s: off gives %g, zeroed by %v gives %g", tt.key, vOff, tt.neutral, v)
			}
		}
	}
	// Every switch in [mechanisms] has a test here.
	for _, k := range fieldsOf(paramsType.Field(mechanismsField()).Type) {
		if !seen[k.name] {
			t.Errorf("mechanism %q has no switch-off test", k.name)
		}
	}
}

func mechanismsField() int {
	f, _ := paramsType.FieldByName("Mechanisms")
	return f.Index[0]
}
