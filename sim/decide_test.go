package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// hazardFormula is the departure probability of class k in department r,
// written out from docs/ODD.md 7.4 rather than taken from fillHazards.
func hazardFormula(w *World, r, k int) float64 {
	p := &w.p.Decision
	rs := &w.regions[r]
	cs := &w.countries[rs.country]
	cp := w.p.Country.Of(rs.country)
	H := math.Max(rs.homicide, 0.1)
	x := cp.Intercept + p.Homicide*math.Log(H) + p.Unemployment*rs.unemployment +
		p.Network*rs.network + p.Deterrence*(math.Min(1, cs.perceivedRisk+w.cond.levers.deterShock)-cs.riskRef)
	x += [4]float64{0, p.Poor, p.ExtremePoor, 0}[k&povMask]
	kids := k&classKids != 0
	if kids {
		x += p.Children + p.Pull*(cs.perceivedStay-cs.stayRef)
	}
	x += p.Ties * math.Log(1+[4]float64{0, 1, 2.5, 5}[k>>3&3])
	if k&classReturnee != 0 {
		x += p.Returnee
	}
	h := 1 / (1 + math.Exp(-x))
	if kids {
		u := 1 / (1 + math.Exp(-(math.Log(p.UACShare/(1-p.UACShare)) + cp.UACShift + p.UACViolence*math.Log(H/50))))
		alone := math.Exp(p.UACPull * (cs.perceivedChild - cs.childRef))
		h *= 1 + u*(alone-1)
	}
	return math.Min(1, h)
}

// classOf is household i's hazard class from its state, as docs/ODD.md 7.4
// defines it (not from households.class).
func classOf(w *World, i int) int {
	k := int(w.hh.flags[i] & povMask)
	if w.hh.kids[i] > 0 {
		k |= classKids
	}
	switch t := w.hh.ties[i]; {
	case t >= 4:
		k |= 3 << 3
	case t >= 2:
		k |= 2 << 3
	case t == 1:
		k |= 1 << 3
	}
	if w.hh.flags[i]&fReturnee != 0 {
		k |= classReturnee
	}
	return k
}

// classWorld is the small world with hazards raised into a range a few
// thousand households can measure (non-returnee classes below 0.3, returnee
// classes up to about 0.6), enforcement and chances perceived away from their
// references so that every term of the formula counts, households with 0 to
// 4 relatives abroad, and every fourth household with a returnee (on the
// shard's returnee list).
func classWorld(t *testing.T) (*World, *shard) {
	w, s := smallWorld(t)
	for c := Country(0); c < NumCountries; c++ {
		w.p.Country.Of(c).Intercept = -6.5
		cs := &w.countries[c]
		cs.perceivedRisk = cs.riskRef + 0.05
		cs.perceivedStay = cs.stayRef + 0.1
		cs.perceivedChild = cs.childRef + 0.05
	}
	w.fillHazards()
	for i := s.lo; i < s.hi; i++ {
		for range i % 7 % 5 { // 0 to 4 relatives abroad: every ties bucket
			s.join(w, i, 1, stUndocumented, kindAdult)
		}
		if i%4 == 0 {
			s.comeHome(w, i, 1, 0, kindAdult, false)
		}
	}
	return w, s
}

// Every hazard class of every department departs at its own formula's
// probability, through both passes: the main sweep for households without a
// returnee, the returnee list for the others. The table is checked against
// the formula; then 60 draws of one month's decisions give each class's
// departures, which must lie within 4 binomial sd (+1 for the smallest
// classes) of households × draws × hazard.
func TestDecisionHazardByClass(t *testing.T) {
	w, s := classWorld(t)
	var lo, hi [2]float64 // smallest and largest hazard, without and with a returnee
	lo = [2]float64{1, 1}
	for i, h := range w.cond.hazard {
		r, k := i/numClasses, i%numClasses
		if k&povMask == 3 {
			continue // no household has poverty level 3
		}
		want := hazardFormula(w, r, k)
		if math.Abs(float64(h)-want) > 1e-6*want {
			t.Errorf("department %d, class %06b: hazard %g, formula %g", r, k, h, want)
		}
		ret := k >> 5 & 1
		lo[ret], hi[ret] = min(lo[ret], want), max(hi[ret], want)
	}
	// The thinning factor must matter in both passes: bounds below 1, and
	// hazards spread under them.
	if hi[0] >= 0.3 || hi[1] >= 0.7 || hi[1] <= 2*hi[0] {
		t.Fatalf("hazards %.4g–%.4g without a returnee, %.4g–%.4g with: not the spread the test needs", lo[0], hi[0], lo[1], hi[1])
	}
	t.Logf("hazards %.4g–%.4g without a returnee, %.4g–%.4g with", lo[0], hi[0], lo[1], hi[1])

	const draws = 60
	n := int(s.hi - s.lo)
	class := make([]int, n) // department*numClasses + class, or -1 if not eligible
	households := make([]int, len(w.cond.hazard))
	for j := range n {
		i := int(s.lo) + j
		class[j] = -1
		if w.hh.size[i] > 0 && w.hh.flags[i]&fWaiting == 0 {
			class[j] = int(w.hh.region[i])*numClasses + classOf(w, i)
			households[class[j]]++
		}
	}
	flags := slices.Clone(w.hh.flags[s.lo:s.hi])
	size := slices.Clone(w.hh.size[s.lo:s.hi])
	kids := slices.Clone(w.hh.kids[s.lo:s.hi])
	departed := make([]int, len(w.cond.hazard))
	for range draws {
		s.decide(w)
		for _, g := range s.travel {
			departed[class[g.home-s.lo]]++
		}
		for _, a := range s.cam {
			departed[class[a.home-s.lo]]++
		}
		s.travel, s.cam = s.travel[:0], s.cam[:0]
		copy(w.hh.flags[s.lo:s.hi], flags)
		copy(w.hh.size[s.lo:s.hi], size)
		copy(w.hh.kids[s.lo:s.hi], kids)
	}
	var cells, returneeCells int
	for ck, m := range households {
		if m == 0 {
			continue
		}
		cells++
		if ck%numClasses&classReturnee != 0 {
			returneeCells++
		}
		h := float64(w.cond.hazard[ck])
		mean := float64(m*draws) * h
		sd := math.Sqrt(mean * (1 - h))
		if got := float64(departed[ck]); math.Abs(got-mean) > 4*sd+1 {
			t.Errorf("department %d, class %06b: %g departures in %d household-months, want %.1f ± %.1f (hazard %.4g)",
				ck/numClasses, ck%numClasses, got, m*draws, mean, 4*sd+1, h)
		}
	}
	t.Logf("%d classes with a returnee, %d without", returneeCells, cells-returneeCells)
	if returneeCells < 10 || cells-returneeCells < 10 {
		t.Errorf("only %d classes with a returnee and %d without: the test needs more", returneeCells, cells-returneeCells)
	}
}

// The returnee pass draws each household with a current return exactly once
// a month, from its latest entry, and never an entry its household has
// superseded (by coming home again) or ended (by sending someone north
// again, who may be on the way or arrived). Draws
// are counted through the shard's drawn hook over 40 months of random
// returns and departures, long enough for the list to be compacted. A
// department class no household has (poverty level 3) gets hazard 1, so the
// bound is 1 and every entry is proposed; every real class has hazard 0, so
// nobody leaves by the decision and the test alone moves households.
func TestReturneeDrawsOnce(t *testing.T) {
	t.Run("one return a month", func(t *testing.T) { returneeDraws(t, false) })
	t.Run("two returns in one month", func(t *testing.T) {
		returneeDraws(t, true)
	})
}

// returneeDraws runs TestReturneeDrawsOnce; with twice, some households come
// home twice in a month.
func returneeDraws(t *testing.T, twice bool) {
	w, s := smallWorld(t)
	const window = 6
	w.p.Decision.RemigrationMonths = window
	clear(w.cond.hazard)
	for r := range w.regions {
		w.cond.hazard[r*numClasses+(3|classReturnee)] = 1
	}
	const households = 3000 // of the shard's, with size > 1 so they can send someone
	var homes []int32
	for i := s.lo; i < s.hi && len(homes) < households; i++ {
		if w.hh.size[i] > 1 {
			homes = append(homes, i)
		}
	}
	if len(homes) < households {
		t.Fatalf("only %d households of %d with two people", len(homes), s.hi-s.lo)
	}
	latest := map[int32]int32{} // expiry of each household's latest return
	away := map[int32]bool{}
	rng := rand.New(rand.NewPCG(3, 4))
	counts := map[int32]int{}
	var drawn []listed
	s.drawn = func(e listed) {
		counts[e.home]++
		drawn = append(drawn, e)
	}
	compacted := false
	for month := range 40 {
		// This month's draws: the households at home whose latest return
		// is under window months old, once each, from their latest entry.
		clear(counts)
		drawn = drawn[:0]
		head := s.returneeHead
		s.decide(w)
		compacted = compacted || s.returneeHead < head
		want := 0
		for _, h := range homes {
			if !away[h] && latest[h] > int32(w.t) {
				want++
				if counts[h] != 1 {
					t.Errorf("month %d: household %d (latest return expires %d) drawn %d times, want once", month, h, latest[h], counts[h])
				}
			} else if counts[h] != 0 {
				t.Errorf("month %d: household %d drawn %d times, want none (away %v, latest return expires %d)", month, h, counts[h], away[h], latest[h])
			}
		}
		for _, e := range drawn {
			if e.expires != latest[e.home] {
				t.Errorf("month %d: household %d drawn from an entry expiring %d; its latest expires %d", month, e.home, e.expires, latest[e.home])
			}
		}
		if len(drawn) != want {
			t.Errorf("month %d: %d draws, want %d", month, len(drawn), want)
		}
		if t.Failed() {
			return
		}
		// The rest of the month: some households send someone north (which
		// ends their returnee's raised hazard), whose journeys end in a
		// deportation home or in the U.S.; some people come home from the
		// U.S., some twice within the window.
		for _, h := range homes {
			switch u := rng.Float64(); {
			case away[h] && u < 0.3:
				s.comeHome(w, h, 1, 0, kindAdult, true)
				away[h] = false
				latest[h] = int32(w.t + window + 1)
			case away[h] && u < 0.6:
				s.arrive(w, traveller{home: h, size: 1, flags: kindAdult}, stUndocumented)
				away[h] = false
			case !away[h] && u < 0.05:
				s.leave(w, int(h), kindAdult)
				away[h] = true
				latest[h] = 0
			case !away[h] && u < 0.25:
				s.comeHome(w, h, 1, 0, kindAdult, false)
				if twice && u < 0.1 {
					s.comeHome(w, h, 1, 0, kindAdult, false)
				}
				latest[h] = int32(w.t + window + 1)
			}
		}
		s.travel = s.travel[:0]
		w.t++
	}
	if !compacted {
		t.Errorf("the returnee list was never compacted (%d entries, head %d): the test misses that path", len(s.returnees), s.returneeHead)
	}
}
