package sim

import (
	"math"
	"testing"
)

// Households learn a changed chance to get through Mexico on its own clock
// (decision.reach_months) and a changed stay once through on another
// (decision.perception_months): a month after Mexico's apprehensions rise,
// the known reach has moved 1/reach_months of the way and the known stays
// not at all; a month after the border's rise, the reverse, at
// 1/perception_months. The perceived stays are the product of the two.
func TestReachLearnedOnItsOwnClock(t *testing.T) {
	w, _ := smallWorld(t)
	d := &w.p.Decision
	d.ReachMonths, d.PerceptionMonths = 3, 24
	w.cond.levers.deterShock = 0
	w.t = 0
	w.updatePerceptions()
	w.t = 1
	before := w.countries
	reach0, stay0 := w.expectedStay(SV)

	for c := range w.cond.transit.apprehend {
		w.cond.transit.apprehend[c] = 1 - (1-w.cond.transit.apprehend[c])*0.5
	}
	reach1, _ := w.expectedStay(SV)
	w.updatePerceptions()
	cs := &w.countries[SV]
	if want := reach0 + (reach1-reach0)/3; math.Abs(cs.knownReach-want) > 1e-12 {
		t.Errorf("known reach %g after one month, want %g (a third of the way: reach_months 3)", cs.knownReach, want)
	}
	if cs.known != before[SV].known {
		t.Errorf("Mexico's change moved the known stays once through: %v, was %v", cs.known, before[SV].known)
	}
	if got, want := cs.perceivedChild/before[SV].perceivedChild, cs.knownReach/reach0; math.Abs(got-want) > 1e-12 {
		t.Errorf("perceived child stay scaled by %g, want the known reach's %g", got, want)
	}
	if !(cs.perceivedRisk > before[SV].perceivedRisk) {
		t.Errorf("perceived risk %g after Mexico's rise, was %g", cs.perceivedRisk, before[SV].perceivedRisk)
	}

	// The border's apprehensions of single adults: the known adult stay moves
	// 1/24 of the way, the known reach keeps its course.
	reachKnown, adultKnown := cs.knownReach, cs.known[kindAdult]
	for c := range w.cond.apprehend {
		w.cond.apprehend[c][kindAdult] = math.Min(1, 1.5*w.cond.apprehend[c][kindAdult])
	}
	reach2, stay2 := w.expectedStay(SV)
	w.updatePerceptions()
	if want := adultKnown + (stay2[kindAdult]-adultKnown)/24; math.Abs(cs.known[kindAdult]-want) > 1e-12 {
		t.Errorf("known adult stay %g, want %g (1/24 of the way: perception_months 24)", cs.known[kindAdult], want)
	}
	if want := reachKnown + (reach2-reachKnown)/3; math.Abs(cs.knownReach-want) > 1e-12 {
		t.Errorf("known reach %g after the border's change, want %g", cs.knownReach, want)
	}
	if !(stay2[kindAdult] < stay0[kindAdult]) {
		t.Errorf("the border's rise leaves the adult's stay once through at %g (was %g)", stay2[kindAdult], stay0[kindAdult])
	}
}

// An announced border policy's deterrence shock D is a share of every kind's
// perceived stay that households believe lost: the perceived stays of a
// child and a family are (1 − D) times what they know, and the perceived
// risk of a single adult is 1 − (1 − D) times the known stay. The
// references are not moved.
func TestDeterrenceShockLowersEveryStay(t *testing.T) {
	w, _ := smallWorld(t)
	w.cond.levers.deterShock = 0
	w.t = 0
	w.updatePerceptions()
	w.t = 1
	w.updatePerceptions()
	calm := w.countries
	w.cond.levers.deterShock = 0.3
	w.countries = calm
	w.updatePerceptions()
	for c := range w.countries {
		cs, was := &w.countries[c], &calm[c]
		if got := cs.perceivedChild / was.perceivedChild; math.Abs(got-0.7) > 1e-12 {
			t.Errorf("country %d: the shock scales the perceived child stay by %g, want 0.7", c, got)
		}
		if got := cs.perceivedFamily / was.perceivedFamily; math.Abs(got-0.7) > 1e-12 {
			t.Errorf("country %d: the shock scales the perceived family stay by %g, want 0.7", c, got)
		}
		if got, want := cs.perceivedRisk, 1-0.7*(1-was.perceivedRisk); math.Abs(got-want) > 1e-12 {
			t.Errorf("country %d: perceived risk %g under the shock, want %g", c, got, want)
		}
		if cs.riskRef != was.riskRef || cs.childRef != was.childRef || cs.familyRef != was.familyRef {
			t.Errorf("country %d: the shock moved the references", c)
		}
	}
}
