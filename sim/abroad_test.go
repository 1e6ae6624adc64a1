package sim

import (
	"fmt"
	"math"
	"testing"
)

// group is n stock entries of one status and flags.
type group struct {
	status, flags uint8
	n             int
}

// stockMany adds the groups to shard s, one person an entry, spreading the
// entries over the shard's households (several to a household).
func stockMany(w *World, s *shard, groups []group) {
	h := int32(0)
	for _, g := range groups {
		for range g.n {
			s.join(w, s.lo+h, 1, g.status, g.flags, 0)
			h = (h + 1) % (s.hi - s.lo)
		}
	}
}

// tally is a count of events and its binomial expectation: the sum over
// entries of the event's probability, and the variance of that sum.
type tally struct {
	name     string
	got      int64
	mean, vr float64
}

func (c *tally) add(n int, p float64) {
	c.mean += float64(n) * p
	c.vr += float64(n) * p * (1 - p)
}

// check reports a count further than 4 standard deviations from its mean.
func (c *tally) check(t *testing.T, prefix string) {
	t.Helper()
	if c.mean == 0 && c.got == 0 {
		return
	}
	if sd := math.Sqrt(c.vr); math.Abs(float64(c.got)-c.mean) > 4*sd {
		t.Errorf("%s: %d %s, want %.1f ± %.1f (4 sd)", prefix, c.got, c.name, c.mean, 4*sd)
	} else {
		t.Logf("%s: %d %s, want %.1f ± %.1f", prefix, c.got, c.name, c.mean, 4*sd)
	}
}

// The stock pass samples each entry's events with the entry's own
// probabilities when they lie well below the pool's bound b: candidates come
// at rate b and are accepted with probability p/b. The counts of removals
// (by criminal class), voluntary returns, claims and asylum decisions match
// the sum of the entries' probabilities within 4 binomial standard
// deviations, at a fixed seed. Each case is one month of one shard.
func TestStockPassRates(t *testing.T) {
	base := AbroadParams{RemovalRate: 0.01, CriminalMultiplier: 6, DecisionMonths: 25,
		GrantUAC: 0.6, GrantFamily: 0.3, GrantAdult: 0.1, AffirmativeClaims: 0.004,
		VoluntaryReturn: 0.005, VoluntaryReturnLawful: 0.003}
	tests := []struct {
		name   string
		stock  []group
		settle bool // the settled pool has events (else only pending cases do)
	}{
		{"settled pool", []group{
			{stUndocumented, kindAdult, 24000},
			{stUndocumented, kindAdult | gCriminal, 5000},
			{stUndocumented, kindAdult | gCriminal | gGang, 5000},
			{stProtected, kindAdult, 12000},
			{stTPS, kindAdult, 6000},
		}, true},
		{"pending pool at its own bound", []group{
			{stPending, kindAdult, 12000},
			{stPending, kindFamily, 6000},
			{stPending, kindUAC, 6000},
		}, false},
	}
	for _, tt := range tests {
		w, s := smallWorld(t)
		w.p.Abroad = base
		w.p.Abroad.CriminalShare = 0
		for c := Country(0); c < NumCountries; c++ {
			w.p.Country.Of(c).RemovalShift = 0 // one rate for every country here
		}
		w.cond.levers.removalMult, w.cond.levers.gangTargeting = 1, 0
		w.cond.levers.dacaExpiry, w.cond.levers.tpsEnded = 0, [NumCountries]bool{}
		w.fillAbroad()
		ev := &w.cond.abroad
		bound := boundFor(ev.maxSettled)
		if !tt.settle {
			bound = boundFor(ev.maxPending)
		}
		// The rates lie well below the bound (the largest total between
		// b/√2 and b, the others far less), so accepting candidates with p
		// instead of p/b would give about b times too few events.
		if bound >= 1 || base.RemovalRate > bound/4 {
			t.Fatalf("%s: bound %g: the test needs a bound below 1 and well above the rates", tt.name, bound)
		}
		stockMany(w, s, tt.stock)
		s.flow = [NumCountries][NumMetrics]int64{}
		pendingBefore := s.pending.len()

		removals := tally{name: "interior removals"}
		criminal := tally{name: "criminal removals"}
		returns := tally{name: "voluntary returns"}
		claims := tally{name: "affirmative claims"}
		decided := tally{name: "asylum decisions"}
		granted := tally{name: "grants"}
		for _, g := range tt.stock {
			k := crimClass(g.flags)
			// Every department's country has the same rates here.
			q, v, x := ev.remove[SV][g.status][k], ev.ret[SV][g.status][k], ev.change[SV][g.status][k]
			for c := Country(1); c < NumCountries; c++ {
				if ev.remove[c][g.status][k] != q || ev.ret[c][g.status][k] != v || ev.change[c][g.status][k] != x {
					t.Fatalf("%s: rates differ between countries", tt.name)
				}
			}
			removals.add(g.n, q)
			if k > 0 {
				criminal.add(g.n, q)
			}
			returns.add(g.n, v)
			switch g.status {
			case stUndocumented:
				claims.add(g.n, x)
			case stPending:
				decided.add(g.n, x)
				grant := map[uint8]float64{kindAdult: base.GrantAdult, kindFamily: base.GrantFamily, kindUAC: base.GrantUAC}[g.flags&gKindMask]
				granted.add(g.n, x*grant)
			}
		}

		s.abroadStep(w)

		f := flows(s)
		removals.got = f[USRemovalsInterior]
		criminal.got = f[USRemovalsCriminal]
		returns.got = f[Returnees] - f[USRemovalsInterior]
		claims.got = f[USAsylumClaims]
		if !tt.settle { // every settled entry was a pending case at the start of the month
			decided.got = int64(s.abroad.len())
			for i := range s.abroad.len() {
				if s.abroad.status[i] == stProtected {
					granted.got++
				}
			}
		}
		for _, c := range []*tally{&removals, &criminal, &returns, &claims, &decided, &granted} {
			c.check(t, fmt.Sprintf("%s (bound %.4f)", tt.name, bound))
		}
		if tt.settle && s.pending.len() != pendingBefore+int(claims.got) {
			t.Errorf("%s: %d pending cases after %d claims, want %d", tt.name, s.pending.len(), claims.got, pendingBefore+int(claims.got))
		}
	}
}

// country.*.removal_shift multiplies the interior removal probability of its
// own country's undocumented people, every criminal class, by e^shift, and
// no other country's or status's; the expected stay a household weighs
// (7.3) sees the same probability, so the shift reaches deterrence too.
func TestRemovalShiftByCountry(t *testing.T) {
	w, _ := smallWorld(t)
	w.p.Abroad.RemovalRate, w.p.Abroad.CriminalMultiplier = 0.002, 5
	w.cond.levers.removalMult, w.cond.levers.gangTargeting = 1, 0
	shifts := [NumCountries]float64{SV: 0, HN: math.Log(2), GT: -math.Log(4)}
	for c := Country(0); c < NumCountries; c++ {
		w.p.Country.Of(c).RemovalShift = 0
	}
	w.fillAbroad()
	before := w.cond.abroad
	stays := [NumCountries][3]float64{}
	for c := Country(0); c < NumCountries; c++ {
		stays[c] = w.journey(c)
	}
	for c := Country(0); c < NumCountries; c++ {
		w.p.Country.Of(c).RemovalShift = shifts[c]
	}
	w.fillAbroad()
	after := &w.cond.abroad
	for c := Country(0); c < NumCountries; c++ {
		for st := range numStatus {
			for k := range 3 {
				want := before.remove[c][st][k]
				if st == stUndocumented {
					want *= math.Exp(shifts[c])
				}
				if got := after.remove[c][st][k]; math.Abs(got-want) > 1e-15 {
					t.Errorf("%s status %d class %d: removal probability %g, want %g", c.Code(), st, k, got, want)
				}
			}
		}
		stay := w.journey(c)
		switch {
		case shifts[c] > 0 && !(stay[kindAdult] < stays[c][kindAdult]):
			t.Errorf("%s: a higher removal rate leaves the adult's expected stay at %g (was %g)", c.Code(), stay[kindAdult], stays[c][kindAdult])
		case shifts[c] < 0 && !(stay[kindAdult] > stays[c][kindAdult]):
			t.Errorf("%s: a lower removal rate leaves the adult's expected stay at %g (was %g)", c.Code(), stay[kindAdult], stays[c][kindAdult])
		case shifts[c] == 0 && stay != stays[c]:
			t.Errorf("%s: no shift, but the expected stays moved from %v to %v", c.Code(), stays[c], stay)
		}
	}
}
