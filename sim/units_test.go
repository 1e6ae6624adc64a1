package sim

import (
	"math"
	"testing"
)

func TestWindowLevel(t *testing.T) {
	from, to := MonthOf(2018, 1), MonthOf(2019, 1)
	tests := []struct {
		name string
		w    Window
		m    Month
		want float64
	}{
		{"unset never acts", Window{}, MonthOf(2030, 1), 0},
		{"before from", Window{From: from}, from - 1, 0},
		{"at from, no ramp", Window{From: from}, from, 1},
		{"ramp first month", Window{From: from, RampMonths: 3}, from, 0.25},
		{"ramp done", Window{From: from, RampMonths: 3}, from + 3, 1},
		{"ends at to", Window{From: from, To: to}, to, 0},
		{"fades after to", Window{From: from, To: to, RampMonths: 1}, to, 0.5},
		{"faded", Window{From: from, To: to, RampMonths: 1}, to + 1, 0},
	}
	for _, tt := range tests {
		if got := tt.w.Level(tt.m); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: Level = %g, want %g", tt.name, got, tt.want)
		}
	}
}

func TestInterpolate(t *testing.T) {
	path := []Point{{MonthOf(2012, 7), 40}, {MonthOf(2013, 7), 52}}
	tests := []struct {
		m       Month
		hold    bool
		outside float64
		want    float64
	}{
		{MonthOf(2012, 1), true, 0, 40},
		{MonthOf(2012, 1), false, 1, 1},
		{MonthOf(2012, 7), false, 1, 40},
		{MonthOf(2013, 1), true, 0, 46},
		{MonthOf(2013, 7), false, 0, 52},
		{MonthOf(2020, 1), true, 0, 52},
		{MonthOf(2020, 1), false, -1, -1},
	}
	for _, tt := range tests {
		if got := interpolate(path, tt.m, tt.hold, tt.outside); got != tt.want {
			t.Errorf("interpolate(%s, hold=%v) = %g, want %g", tt.m, tt.hold, got, tt.want)
		}
	}
}

func TestMonth(t *testing.T) {
	for _, s := range []string{"2012-01", "2017-08", "1999-12"} {
		m, err := ParseMonth(s)
		if err != nil || m.String() != s {
			t.Errorf("ParseMonth(%q) = %v, %v", s, m, err)
		}
	}
	for _, s := range []string{"2012", "2012-13", "2012-00", "12-01", "2012-1", "abcd-ef"} {
		if _, err := ParseMonth(s); err == nil {
			t.Errorf("ParseMonth(%q) succeeded", s)
		}
	}
	if fy := MonthOf(2014, 10).FiscalYear(); fy != 2015 {
		t.Errorf("October 2014 is in FY%d, want FY2015", fy)
	}
	if fy := MonthOf(2014, 9).FiscalYear(); fy != 2014 {
		t.Errorf("September 2014 is in FY%d, want FY2014", fy)
	}
}

func TestShockPoints(t *testing.T) {
	s := Shock{Path: map[string]float64{"2015": 2, "2016-06": 1}}
	pts, err := s.Points()
	if err != nil {
		t.Fatal(err)
	}
	want := []Point{{MonthOf(2015, 1), 2}, {MonthOf(2015, 12), 2}, {MonthOf(2016, 6), 1}}
	if len(pts) != len(want) {
		t.Fatalf("got %v", pts)
	}
	for i := range want {
		if pts[i] != want[i] {
			t.Errorf("point %d = %v, want %v", i, pts[i], want[i])
		}
	}
	for _, bad := range []map[string]float64{{"2015-13": 1}, {"15": 1}, {"2015": 1, "2015-01": 2}} {
		if _, err := (&Shock{Path: bad}).Points(); err == nil {
			t.Errorf("Points(%v) succeeded", bad)
		}
	}
}

func TestBoundFor(t *testing.T) {
	for _, tt := range []struct{ h, want float64 }{{0, 1.0 / 64}, {0.01, 1.0 / 64}, {0.02, math.Sqrt2 / 64}, {0.03, 1.0 / 32}, {0.3, math.Sqrt2 / 4}, {0.9, 1}, {1, 1}} {
		if got := boundFor(tt.h); got != tt.want {
			t.Errorf("boundFor(%g) = %g, want %g", tt.h, got, tt.want)
		}
	}
}

// The guide-table skipper gives the same gaps as the closed form
// floor(log(u)/log(1-b)), and gaps with the geometric mean.
func TestSkipperMatchesClosedForm(t *testing.T) {
	for _, b := range bounds[:len(bounds)-1] {
		sk := newSkipper(b)
		rng := newStream(1, 0, 0, streamEvents)
		ref := rng
		var sum float64
		const n = 200000
		for range n {
			g := sk.gap(&rng)
			u := uniform(&ref)
			if want := int(math.Log(u) / math.Log1p(-b)); g != want && math.Abs(math.Log(u)/math.Log1p(-b)-float64(want+1)) > 1e-9 {
				t.Fatalf("b=%g u=%g: gap %d, closed form %d", b, u, g, want)
			}
			sum += float64(g)
		}
		if mean, want := sum/n, (1-b)/b; math.Abs(mean-want) > 5*math.Sqrt((1-b)/(b*b)/n) {
			t.Errorf("b=%g: mean gap %g, want %g", b, mean, want)
		}
	}
}

// Smugglers adapt: Mexico's extra enforcement decays from full strength with
// e-folding time AdaptMonths, and not at all when AdaptMonths is 0.
func TestMexicoAdaptation(t *testing.T) {
	from := MonthOf(2014, 7)
	tests := []struct {
		name  string
		adapt float64
		m     Month
		want  float64
	}{
		{"before", 12, from - 1, 1},
		{"ramping", 12, from + 2, 1 + 2*0.5},
		{"full strength", 12, from + 5, 3},
		{"one e-folding later", 12, from + 17, 1 + 2/math.E},
		{"never adapts", 0, from + 60, 3},
	}
	for _, tt := range tests {
		p := DefaultParams()
		p.Policy.Mexico = MexicoPolicy{Window: Window{From: from, RampMonths: 5}, ApprehensionMultiplier: 3, AdaptMonths: tt.adapt}
		if got := p.leversAt(tt.m).mxApprehend; math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: multiplier %g, want %g", tt.name, got, tt.want)
		}
	}
}

// Enforcement shocks: "all" hits the three countries, one country only
// itself; additions to probabilities stay within [0, 1]; outside the path
// the shock is neutral.
func TestEnforcementShocks(t *testing.T) {
	p := testParams(t)
	in, out := MonthOf(2016, 6), MonthOf(2018, 6)
	p.Shocks = []Shock{
		{Country: "all", Variable: "mexico_apprehension", Mode: "add", Path: map[string]float64{"2016": 0.9}},
		{Country: "HN", Variable: "border_apprehension", Mode: "multiply", Path: map[string]float64{"2016": 0.5}},
		{Country: "GT", Variable: "family_release", Mode: "multiply", Path: map[string]float64{"2016": 0.25}},
	}
	w := newTestWorld(t, p)
	for _, m := range []Month{in, out} {
		w.cond.levers = p.leversAt(m)
		w.cond.shocks = w.shockLevelsAt(m)
		tr := w.transitProbs()
		ap, rel := w.borderProbs()
		for c := Country(0); c < NumCountries; c++ {
			mx, bd, fr := p.Transit.Apprehension, p.Border.ApprehensionAdult, p.Border.FamilyRelease
			if m == in {
				mx = 1 // 0.25 + 0.9, capped
				if c == HN {
					bd *= 0.5
				}
				if c == GT {
					fr *= 0.25
				}
			}
			if tr.apprehend[c] != mx || ap[c][kindAdult] != bd || rel[c] != fr {
				t.Errorf("%s in %s: Mexico %g, border %g, release %g; want %g, %g, %g", c, m, tr.apprehend[c], ap[c][kindAdult], rel[c], mx, bd, fr)
			}
		}
	}
}
