package sim

import (
	"math"
	"testing"
)

// A returnee who goes again goes alone, as a single adult, carrying a record
// of unlawful re-entry only if the U.S. removed them, the household's gang
// ties if it had them, and the repeat-crossing mark only after a border
// removal in the same fiscal year; the household's other members stay.
func TestRemigrate(t *testing.T) {
	tests := []struct {
		name      string
		how       uint8
		gang      bool
		monthsAgo int
		flags     uint8
	}{
		{"deported by Mexico", retMexico, false, 1, kindAdult},
		{"removed at the border", retBorder, false, 1, kindAdult | gCriminal | gRepeat},
		{"removed at the border last fiscal year", retBorder, false, 13, kindAdult | gCriminal},
		{"removed from the interior", retInterior, false, 1, kindAdult | gCriminal},
		{"came home of their own accord", retVoluntary, false, 1, kindAdult},
		{"with gang ties", retVoluntary, true, 1, kindAdult | gCriminal | gGang},
	}
	for _, tt := range tests {
		w, s := smallWorld(t)
		w.t, w.month = 40, MonthOf(2015, 6) // June: a month ago is the same fiscal year, 13 months ago the one before
		h := s.lo
		w.hh.size[h], w.hh.kids[h] = 2, 1
		w.t -= tt.monthsAgo
		s.comeHome(w, h, 1, 0, kindAdult, false, tt.how, 0)
		w.t += tt.monthsAgo
		if tt.gang {
			w.hh.flags[h] |= fGang
		}
		e := s.returnees[len(s.returnees)-1]
		if e.how != tt.how || w.hh.flags[h]&fReturnee == 0 {
			t.Fatalf("%s: listed as %d, flags %b", tt.name, e.how, w.hh.flags[h])
		}
		s.remigrate(w, int(h), e)
		g := s.travel[len(s.travel)-1]
		if g.size != 1 || g.kids != 0 || g.flags != tt.flags {
			t.Errorf("%s: group of %d (%d children), flags %05b, want one adult with flags %05b", tt.name, g.size, g.kids, g.flags, tt.flags)
		}
		if w.hh.size[h] != 2 || w.hh.kids[h] != 1 || w.hh.flags[h]&(fReturnee|fGang) != 0 || w.hh.flags[h]&fTransit == 0 {
			t.Errorf("%s: household left with %d people, %d children, flags %b", tt.name, w.hh.size[h], w.hh.kids[h], w.hh.flags[h])
		}
		if got := flows(s)[DeparturesRemigrant]; got != 1 {
			t.Errorf("%s: departures_remigrant %d, want 1", tt.name, got)
		}
	}
}

// Children sent alone who come home are not listed, nor are returns with
// the mechanism off; an adult's return lists the years spent abroad.
func TestListReturn(t *testing.T) {
	w, s := smallWorld(t)
	w.t = 100
	s.returnees = s.returnees[:0]
	s.join(w, s.lo, 1, stUndocumented, kindAdult, 100-12*7-5)
	s.leaveStock(w, &s.abroad, s.abroad.len()-1, retInterior)
	s.comeHome(w, s.lo+1, 1, 1, kindUAC, true, retMexico, 0)
	w.p.Mechanisms.Remigration = false
	s.comeHome(w, s.lo+2, 1, 0, kindAdult, true, retMexico, 0)
	if len(s.returnees) != 1 || s.returnees[0].home != s.lo || s.returnees[0].years != 7 || s.returnees[0].how != retInterior {
		t.Errorf("returnee list %+v, want the one adult removed from the interior after 7 years", s.returnees)
	}
	if w.hh.flags[s.lo+1]&fReturnee != 0 || w.hh.flags[s.lo+2]&fReturnee != 0 {
		t.Error("a child alone, or a return with re-migration off, marks the household")
	}
}

// The expected outcome of a journey, by hand: every enforcement lever
// changes the kinds it should, in the direction it should, through one
// quantity each.
func TestExpectedStay(t *testing.T) {
	w, _ := smallWorld(t)
	d, a := &w.p.Decision, &w.p.Abroad
	d.HorizonMonths, a.DecisionMonths, a.GrantUAC, a.GrantFamily, a.GrantAdult = 60, 30, 0.4, 0.2, 0.1
	w.p.Transit.Months, w.p.Border.AdultRemoval = 2, 0.5
	set := func(mx, border, release, q float64) {
		for c := range w.cond.apprehend {
			w.cond.transit.apprehend[c] = mx
			w.cond.apprehend[c] = [3]float64{border, border, border}
			w.cond.release[c] = release
			w.cond.abroad.remove[c][stUndocumented][0] = q
		}
	}
	set(0.2, 0.6, 0.5, 0.002)
	v := w.journey(SV)
	reach := 0.8 * 0.8
	share := func(q, n float64) float64 { return (1 - math.Pow(1-q, n)) / (q * n) }
	undoc := share(0.002, 60)
	pending := func(g float64) float64 { return (30 + 30*(g+(1-g)*share(0.002, 30))) / 60 }
	want := [3]float64{
		reach * (0.4*undoc + 0.6*pending(0.4)),
		reach * (0.4*undoc + 0.6*0.5*pending(0.2)),
		reach * (0.4*undoc + 0.6*0.5*pending(0.1)),
	}
	for k := range v {
		if math.Abs(v[k]-want[k]) > 1e-12 {
			t.Errorf("kind %d: expected stay %.15g, want %.15g", k, v[k], want[k])
		}
	}
	// Each lever alone: Mexico lowers all three by the same factor; family
	// release moves families only; interior removals lower all three; the
	// border lowers all three.
	set(0.4, 0.6, 0.5, 0.002)
	mx := w.journey(SV)
	set(0.2, 0.6, 0.1, 0.002)
	rel := w.journey(SV)
	set(0.2, 0.6, 0.5, 0.006)
	q := w.journey(SV)
	for k := range v {
		if r := mx[k] / v[k]; math.Abs(r-0.36/0.64) > 1e-12 {
			t.Errorf("kind %d: Mexico x2 scales the stay by %g, want %g", k, r, 0.36/0.64)
		}
		if q[k] >= v[k] {
			t.Errorf("kind %d: tripled interior removals do not lower the expected stay (%g, was %g)", k, q[k], v[k])
		}
	}
	if rel[kindFamily] >= v[kindFamily] || rel[kindUAC] != v[kindUAC] || rel[kindAdult] != v[kindAdult] {
		t.Errorf("family release changes %v, was %v: want families only, lower", rel, v)
	}
}

// TPS and DACA holders carry no criminal record or gang ties, and pending
// cases no gang ties, at the start and when they arrive; so ending TPS sends
// no gang-tied person home.
func TestEligibleStatus(t *testing.T) {
	p := testParams(t)
	p.Abroad.CriminalShare, p.Abroad.GangShare = 0.5, 0.5
	w := newTestWorld(t, p)
	n := [numStatus][2]int{}
	for i := range w.shards {
		for _, a := range []*stock{&w.shards[i].abroad, &w.shards[i].pending} {
			for j := range a.len() {
				if a.flags[j]&gCriminal != 0 {
					n[a.status[j]][0]++
				}
				if a.flags[j]&gGang != 0 {
					n[a.status[j]][1]++
				}
			}
		}
	}
	if n[stTPS] != [2]int{} || n[stDACA] != [2]int{} || n[stPending][1] != 0 {
		t.Errorf("records and gang ties by status: %v", n)
	}
	if n[stUndocumented][1] == 0 || n[stPending][0] == 0 {
		t.Errorf("no records among the undocumented or pending (%v): the test sees nothing", n)
	}
	if eligible(stPending, kindAdult|gCriminal|gGang) != kindAdult|gCriminal || eligible(stUndocumented, gGang) != gGang {
		t.Error("eligible")
	}
}
