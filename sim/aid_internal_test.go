package sim

import (
	"context"
	"math"
	"testing"
)

// The dollars-to-effect arithmetic against values computed by hand:
// $10M a year for violence, $4M for governance and $20M for jobs over
// 2,000,000 residents are $5, $2 and $10 per resident-year, so
// homicide falls by 1 − exp(−(0.034·5 + 0.0085·2)) = 1 − exp(−0.187)
// = 0.1705562… and unemployment by 1 − exp(−0.00062·10) = 0.0061808….
func TestAidEffectsArithmetic(t *testing.T) {
	e := DefaultAidEffect()
	tests := []struct {
		name   string
		pk     AidPackage
		pop    float64
		hw, uw float64
	}{
		{"all channels", AidPackage{ViolenceUSD: 10, GovernanceUSD: 4, JobsUSD: 20}, 2e6, 0.17055626361459608, 0.006180819659841532},
		{"violence only", AidPackage{ViolenceUSD: 1}, 1e6, 0.03342849536249335, 0},
		{"jobs only, a small place", AidPackage{JobsUSD: 1}, 1e5, 0, 0.006180819659841532},
		{"zero dollars", AidPackage{HomicideEffect: 0.3}, 1e6, 0, 0},
		{"no residents", AidPackage{ViolenceUSD: 5}, 0, 0, 0},
	}
	for _, tt := range tests {
		h, u := aidEffects(&e, &tt.pk, tt.pop)
		if math.Abs(h-tt.hw) > 1e-12 || math.Abs(u-tt.uw) > 1e-12 {
			t.Errorf("%s: effects (%.15g, %.15g), want (%.15g, %.15g)", tt.name, h, u, tt.hw, tt.uw)
		}
	}
}

// Zero dollars are no effect: a window that spends nothing leaves the
// multipliers at exactly 1, and the fraction keys exactly as they were.
func TestAidZeroDollars(t *testing.T) {
	p := testParams(t)
	p.Policy.Aid.Window = Window{From: MonthOf(2016, 1)}
	p.Policy.Aid.DelayMonths = 0
	l := p.leversAt(MonthOf(2017, 1))
	for c := Country(0); c < NumCountries; c++ {
		if l.aidHomicide[c] != 1 || l.aidJobs[c] != 1 {
			t.Errorf("%s: multipliers (%v, %v) without dollars, want exactly 1", c, l.aidHomicide[c], l.aidJobs[c])
		}
	}
	p.Policy.Aid.HN.HomicideEffect = 0.3
	if l := p.leversAt(MonthOf(2017, 1)); l.aidHomicide[HN] != 1-0.3 {
		t.Errorf("HN homicide multiplier %v with homicide_effect 0.3 and no dollars, want exactly 0.7", l.aidHomicide[HN])
	}
	p.Policy.Aid.HN.ViolenceUSD = 10
	if l := p.leversAt(MonthOf(2017, 1)); l.aidHomicide[HN] >= 0.7 {
		t.Errorf("HN homicide multiplier %v with $10M a year on top, want below 0.7", l.aidHomicide[HN])
	}
}

// The dollars are spread over the targeted departments only: the same
// dollars in fewer residents do more per resident.
func TestAidPopulation(t *testing.T) {
	p := testParams(t)
	all := p.aidPopulation(HN)
	if math.Abs(all-p.Country.Of(HN).Population) > 1e-6*all {
		t.Errorf("untargeted population %v, want the country's %v", all, p.Country.Of(HN).Population)
	}
	p.Policy.Aid.HN.Departments = []string{"HN-a"}
	var want float64
	for _, reg := range p.Geography.Regions {
		if reg.Country == HN && reg.Name == "HN-a" {
			want = reg.Weight * p.Country.Of(HN).Population
		}
	}
	if got := p.aidPopulation(HN); want == 0 || got != want {
		t.Errorf("HN-a's population %v, want %v", got, want)
	}
}

// AidDollars integrates the window's level: a six-month window with a
// three-month ramp spends six months' worth (¼+½+¾+1+1+1+¾+½+¼).
func TestAidDollars(t *testing.T) {
	p := testParams(t)
	p.Start, p.Months = MonthOf(2017, 1), 36
	p.Policy.Aid.Window = Window{From: MonthOf(2018, 1), To: MonthOf(2018, 7), RampMonths: 3}
	p.Policy.Aid.SV.JobsUSD = 2
	p.Policy.Aid.GT.GovernanceUSD = 1
	p.Policy.Aid.GT.JobsUSD = 1
	p.Policy.Aid.HN.HomicideEffect = 0.5 // fractions cost nothing
	got := p.AidDollars()
	want := [NumCountries]float64{SV: 1, HN: 0, GT: 1}
	for c := range got {
		if math.Abs(got[c]-want[c]) > 1e-12 {
			t.Errorf("%s: $%vM, want $%vM", Country(c), got[c], want[c])
		}
	}
	if tot := p.AidDollarsTotal(); math.Abs(tot-2) > 1e-12 {
		t.Errorf("total $%vM, want $2M", tot)
	}
}

// Dollars aimed at one department change the homicide rate there and
// nowhere else (the returnee feedback is off, so nothing carries the change
// to other departments), from the month the aid acts.
func TestAidTargetsNamedDepartments(t *testing.T) {
	run := func(dollars float64) []Series {
		p := testParams(t)
		p.Mechanisms.DeporteeFeedback, p.Mechanisms.ReturneeUnemployment = false, false
		p.Policy.Aid.Window = Window{From: MonthOf(2013, 1)}
		p.Policy.Aid.DelayMonths = 0
		p.Policy.Aid.HN.Departments = []string{"HN-a"}
		p.Policy.Aid.HN.ViolenceUSD = dollars
		s, err := Run(context.Background(), p, Options{ByDepartment: true})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	ref, got := run(0), run(20)
	d, dr := &got[0].Departments, &ref[0].Departments
	from := int(MonthOf(2013, 1) - got[0].Start)
	for r := range d.Len() {
		changed := false
		for m := range got[0].Months {
			a, b := d.At(m, r, DeptHomicideRate), dr.At(m, r, DeptHomicideRate)
			if m < from && a != b {
				t.Errorf("%s: homicide differs in month %d, before the aid", d.Names[r], m)
			}
			changed = changed || a != b
			if d.Names[r] == "HN-a" && m >= from && !(a < b) {
				t.Errorf("HN-a: homicide %v in month %d with aid, want below %v", a, m, b)
			}
		}
		if changed != (d.Names[r] == "HN-a") {
			t.Errorf("%s: homicide changed = %v, want only HN-a changed", d.Names[r], changed)
		}
	}
}
