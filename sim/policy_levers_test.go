package sim

import (
	"errors"
	"math"
	"testing"
)

// leverPath is what one windowed lever makes of a month, as the amounts
// that add across windows: the excess of each multiplier over 1, the gang-
// aimed extra removals (targeting times the removals' excess), aid's
// effects (1 minus its multipliers) and the deterrence shock.
type leverPath []float64

func pathOf(l levers) leverPath {
	return leverPath{
		l.removalMult - 1, l.gangTargeting * (l.removalMult - 1),
		1 - l.aidHomicide[SV], 1 - l.aidJobs[SV], 1 - l.aidHomicide[HN], 1 - l.aidJobs[GT],
		l.mxApprehend - 1, l.usApprehend - 1, l.deterShock, l.familyRelease - 1, l.reintegration - 1,
	}
}

// twoWindows is, for each windowed lever, two windows that overlap (with
// ramps, an end, a delay or an adaptation), written as the lever alone
// (a, b) and as one lever with both (both).
func twoWindows() []struct {
	name       string
	a, b, both PolicyParams
} {
	m := MonthOf
	def := DefaultPolicy()
	var out []struct {
		name       string
		a, b, both PolicyParams
	}
	add := func(name string, set func(p *PolicyParams, first bool)) {
		a, b := def, def
		set(&a, true)
		set(&b, false)
		out = append(out, struct {
			name       string
			a, b, both PolicyParams
		}{name, a, b, def})
	}
	add("interior_removals", func(p *PolicyParams, first bool) {
		p.InteriorRemovals = InteriorRemovals{Window: Window{From: m(2015, 3), To: m(2016, 6), RampMonths: 4}, RateMultiplier: 3, GangTargeting: 0.8}
		if !first {
			p.InteriorRemovals = InteriorRemovals{Window: Window{From: m(2015, 9), RampMonths: 2}, RateMultiplier: 1.5, GangTargeting: 0.2}
		}
	})
	add("aid", func(p *PolicyParams, first bool) {
		p.Aid = AidPolicy{Window: Window{From: m(2015, 1), To: m(2016, 1), RampMonths: 3}, DelayMonths: 6,
			SV: AidPackage{HomicideEffect: 0.3, UnemploymentEffect: 0.2}, HN: AidPackage{HomicideEffect: 0.4}}
		if !first {
			p.Aid = AidPolicy{Window: Window{From: m(2015, 6), RampMonths: 5}, DelayMonths: 2,
				SV: AidPackage{HomicideEffect: 0.25}, GT: AidPackage{UnemploymentEffect: 0.5}}
		}
	})
	add("mexico", func(p *PolicyParams, first bool) {
		p.Mexico = MexicoPolicy{Window: Window{From: m(2014, 7), RampMonths: 6}, ApprehensionMultiplier: 1.77, AdaptMonths: 25.2}
		if !first {
			p.Mexico = MexicoPolicy{Window: Window{From: m(2015, 6), RampMonths: 1}, ApprehensionMultiplier: 2}
		}
	})
	add("border", func(p *PolicyParams, first bool) {
		p.Border = BorderPolicy{Window: Window{From: m(2015, 2), RampMonths: 2}, ApprehensionMultiplier: 1.4, DeterrenceShock: 0.15, ShockDecayMonths: 6}
		if !first {
			p.Border = BorderPolicy{Window: Window{From: m(2015, 8), To: m(2016, 3)}, ApprehensionMultiplier: 0.7, DeterrenceShock: 0.1, ShockDecayMonths: 3}
		}
	})
	add("family_detention", func(p *PolicyParams, first bool) {
		p.FamilyDetention = FamilyDetentionPolicy{Window: Window{From: m(2014, 7), To: m(2015, 8), RampMonths: 2}, ReleaseMultiplier: 0.6}
		if !first {
			p.FamilyDetention = FamilyDetentionPolicy{Window: Window{From: m(2015, 2), RampMonths: 10}, ReleaseMultiplier: 0.7}
		}
	})
	add("reintegration", func(p *PolicyParams, first bool) {
		p.Reintegration = ReintegrationPolicy{Window: Window{From: m(2015, 1), RampMonths: 3}, CapacityMultiplier: 4}
		if !first {
			p.Reintegration = ReintegrationPolicy{Window: Window{From: m(2015, 4), To: m(2016, 1)}, CapacityMultiplier: 0.5}
		}
	})
	for i := range out {
		x := &out[i]
		x.both = x.a
		switch x.name {
		case "interior_removals":
			x.both.InteriorRemovals.More = []InteriorRemovals{x.b.InteriorRemovals}
		case "aid":
			x.both.Aid.More = []AidPolicy{x.b.Aid}
		case "mexico":
			x.both.Mexico.More = []MexicoPolicy{x.b.Mexico}
		case "border":
			x.both.Border.More = []BorderPolicy{x.b.Border}
		case "family_detention":
			x.both.FamilyDetention.More = []FamilyDetentionPolicy{x.b.FamilyDetention}
		case "reintegration":
			x.both.Reintegration.More = []ReintegrationPolicy{x.b.Reintegration}
		}
	}
	return out
}

// Two windows of one lever give, month by month, the sum of the two
// single-window levers' paths (docs/ODD.md 7.1).
func TestWindowsAdd(t *testing.T) {
	for _, tt := range twoWindows() {
		t.Run(tt.name, func(t *testing.T) {
			pa, pb, pboth := DefaultParams(), DefaultParams(), DefaultParams()
			pa.Policy, pb.Policy, pboth.Policy = tt.a, tt.b, tt.both
			if err := errors.Join(pboth.Policy.validate()...); err != nil {
				t.Fatal(err)
			}
			moved := false
			for m := MonthOf(2014, 1); m < MonthOf(2018, 1); m++ {
				a, b, both := pathOf(pa.leversAt(m)), pathOf(pb.leversAt(m)), pathOf(pboth.leversAt(m))
				for k := range both {
					if want := a[k] + b[k]; math.Abs(both[k]-want) > 1e-12 {
						t.Errorf("%s term %d: %g with both windows, want %g + %g = %g", m, k, both[k], a[k], b[k], want)
					}
					moved = moved || a[k] != 0 && b[k] != 0
				}
			}
			if !moved {
				t.Error("the two windows never act in the same month: the test shows nothing")
			}
		})
	}
}

// A lever's multiplier is floored at 0 where its windows' cuts add up to
// more than everything; the asylum cap is the tightest of the acting
// windows'.
func TestWindowsFloorAndCap(t *testing.T) {
	from := MonthOf(2015, 1)
	p := DefaultParams()
	p.Policy.Mexico = MexicoPolicy{Window: Window{From: from}, ApprehensionMultiplier: 0.2, AsylumCapacity: 500,
		More: []MexicoPolicy{{Window: Window{From: from + 3, To: from + 6}, ApprehensionMultiplier: 0.1, AsylumCapacity: 200}}}
	p.Policy.FamilyDetention = FamilyDetentionPolicy{Window: Window{From: from}, ReleaseMultiplier: 0.3,
		More: []FamilyDetentionPolicy{{Window: Window{From: from}, ReleaseMultiplier: 0.2}}}
	tests := []struct {
		m                 Month
		mexico, capacity  float64
		familyRelease     float64
		familyReleaseNote string
	}{
		{from - 1, 1, 0, 1, "before"},
		{from, 0.2, 500, 0, "0.3 and 0.2 cut 0.7 + 0.8"},
		{from + 3, 0, 200, 0, "Mexico's cuts 0.8 + 0.9"},
		{from + 6, 0.2, 500, 0, "the second window has ended"},
	}
	for _, tt := range tests {
		l := p.leversAt(tt.m)
		if math.Abs(l.mxApprehend-tt.mexico) > 1e-12 || l.mxAsylumCap != tt.capacity || l.familyRelease != tt.familyRelease {
			t.Errorf("%s (%s): Mexico x%g cap %g, families released x%g; want x%g, %g, x%g",
				tt.m, tt.familyReleaseNote, l.mxApprehend, l.mxAsylumCap, l.familyRelease, tt.mexico, tt.capacity, tt.familyRelease)
		}
	}
}

// Validate bounds the windows of a lever and names the window of a bad one.
func TestWindowsValidate(t *testing.T) {
	win := MexicoPolicy{Window: Window{From: MonthOf(2015, 1)}, ApprehensionMultiplier: 2}
	tests := []struct {
		name string
		set  func(p *PolicyParams)
		key  string
	}{
		{"too many", func(p *PolicyParams) { p.Mexico.More = make([]MexicoPolicy, MaxWindows) }, "policy.mexico"},
		{"bad dates", func(p *PolicyParams) {
			p.Mexico = win
			p.Mexico.More = []MexicoPolicy{{Window: Window{From: MonthOf(2016, 1), To: MonthOf(2015, 1)}}}
		}, "policy.mexico[1].to"},
		{"nested", func(p *PolicyParams) {
			p.Border.More = []BorderPolicy{{ShockDecayMonths: 6, More: []BorderPolicy{{}}}}
		}, "policy.border[1]"},
		{"departments in a later window", func(p *PolicyParams) {
			p.Aid.More = []AidPolicy{{HN: AidPackage{Departments: []string{"Cortés"}}}}
		}, "policy.aid[1].HN.departments"},
	}
	for _, tt := range tests {
		p := DefaultPolicy()
		tt.set(&p)
		err := errors.Join(p.validate()...)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Key != tt.key {
			t.Errorf("%s: %v, want an error at %s", tt.name, err, tt.key)
		}
	}
	p := DefaultPolicy()
	p.Mexico = win
	p.Mexico.More = make([]MexicoPolicy, MaxWindows-1)
	if err := errors.Join(p.validate()...); err != nil {
		t.Errorf("%d windows: %v", MaxWindows, err)
	}
}
