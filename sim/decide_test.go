package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// baseFormula is the log-odds of department r before the class terms,
// written out from docs/ODD.md 7.4 rather than taken from fillHazards.
func baseFormula(w *World, r int) float64 {
	p := &w.p.Decision
	rs := &w.regions[r]
	cs := &w.countries[rs.country]
	return w.p.Country.Of(rs.country).Intercept + p.Homicide*math.Log(math.Max(rs.homicide, 0.1)) +
		p.Unemployment*rs.unemployment + p.Network*rs.network +
		p.Deterrence*(math.Min(1, cs.perceivedRisk+w.cond.levers.deterShock)-cs.riskRef)
}

// hazardFormula is the departure probability of household class k in
// department r (docs/ODD.md 7.4).
func hazardFormula(w *World, r, k int) float64 {
	p := &w.p.Decision
	rs := &w.regions[r]
	cs := &w.countries[rs.country]
	cp := w.p.Country.Of(rs.country)
	H := math.Max(rs.homicide, 0.1)
	x := baseFormula(w, r) + [4]float64{0, p.Poor, p.ExtremePoor, 0}[k&povMask]
	kids := k&classKids != 0
	if kids {
		x += p.Children + p.Pull*(cs.perceivedFamily-cs.familyRef)
	}
	x += p.Ties * math.Log(1+[4]float64{0, 1, 2.5, 5}[k>>3&3])
	x += remittanceFormula(w, r, k)
	h := 1 / (1 + math.Exp(-x))
	if kids {
		u := 1 / (1 + math.Exp(-(math.Log(p.UACShare/(1-p.UACShare)) + cp.UACShift + p.UACViolence*math.Log(H/50))))
		alone := math.Exp(p.UACPull * (cs.perceivedChild - cs.childRef))
		h *= 1 + u*(alone-1)
	}
	return math.Min(1, h)
}

// remigrationFormula is the monthly probability that a returnee who came back
// how, after years in the U.S., goes again from a household of class k in
// department r (docs/ODD.md 7.4).
func remigrationFormula(w *World, r int, how uint8, years float64, k int) float64 {
	p, d := &w.p.Remigration, &w.p.Decision
	x := baseFormula(w, r) + [4]float64{0, d.Poor, d.ExtremePoor, 0}[k&povMask] +
		[numReturns]float64{p.Mexico, p.Border, p.Interior, p.Voluntary}[how] + p.Years*years
	if t := [4]float64{0, 1, 2.5, 5}[k>>3&3]; t > 0 {
		x += p.Family + d.Ties*math.Log(1+t)
	}
	return 1 / (1 + math.Exp(-x))
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
	return k
}

// classWorld is the small world with hazards raised into a range a few
// thousand households can measure, enforcement and expected stays perceived
// away from their references so that every term of the formula counts,
// households with 0 to 4 relatives abroad, and every fourth household with a
// returnee on the shard's returnee list, who came back each of the four ways
// after 0 to 12 years in the U.S.
func classWorld(t *testing.T) (*World, *shard) {
	w, s := smallWorld(t)
	w.p.Remigration = RemigrationParams{Months: 24, Mexico: 1.5, Border: 1.2, Interior: 0.6, Voluntary: -0.5, Family: 0.4, Years: 0.05}
	for c := Country(0); c < NumCountries; c++ {
		w.p.Country.Of(c).Intercept = -6.5
		cs := &w.countries[c]
		cs.perceivedRisk = cs.riskRef + 0.05
		cs.perceivedFamily = cs.familyRef + 0.1
		cs.perceivedChild = cs.childRef + 0.05
	}
	w.fillHazards()
	for i := s.lo; i < s.hi; i++ {
		for range i % 7 % 5 { // 0 to 4 relatives abroad: every ties bucket
			s.join(w, i, 1, stUndocumented, kindAdult, 0)
		}
		if i%4 == 0 {
			how := uint8(i / 4 % numReturns)
			years := uint8(0)
			if how >= retInterior {
				years = uint8(i / 16 % 13)
			}
			s.comeHome(w, i, 1, 0, kindAdult, false, how, years)
		}
	}
	return w, s
}

// Every hazard class of every department departs at its own formula's
// probability, and every returnee goes again at theirs: the tables are
// checked against the formulas; then 60 draws of one month's decisions give
// each household class's departures in the main sweep, and in the returnee
// pass each (return class, household class) cell's returnees going again
// (probability h) and other departures of their households (probability
// (1−h)g), which must lie within 4 binomial sd (+1 for the smallest cells)
// of their expectations.
func TestDecisionHazardByClass(t *testing.T) {
	w, s := classWorld(t)
	lo, hi := 1.0, 0.0
	for i, h := range w.cond.hazard {
		r, k := i/numClasses, i%numClasses
		if k&povMask == 3 {
			continue // no household has poverty level 3
		}
		want := hazardFormula(w, r, k)
		if math.Abs(float64(h)-want) > 1e-6*want {
			t.Errorf("department %d, class %05b: hazard %g, formula %g", r, k, h, want)
		}
		lo, hi = min(lo, want), max(hi, want)
	}
	for i, h := range w.cond.remigration {
		r, rc, k := i/(numReturnClasses*numClasses), i/numClasses%numReturnClasses, i%numClasses
		how, yb := uint8(rc/numYearBuckets), rc%numYearBuckets
		if yb > 0 && (how == retMexico || how == retBorder) {
			if h != 0 {
				t.Errorf("department %d, return class %d: a row no return reaches holds %g", r, rc, h)
			}
			continue // no return from transit or the border carries years in the U.S.
		}
		want := remigrationFormula(w, r, how, yearBucketValue[yb], k)
		if math.Abs(float64(h)-want) > 1e-6*want {
			t.Errorf("department %d, return class %d, class %05b: re-migration %g, formula %g", r, rc, k, h, want)
		}
	}
	// The thinning factor must matter: bounds below 1, hazards spread under them.
	if hi >= 0.3 || lo > hi/4 {
		t.Fatalf("hazards %.4g–%.4g: not the spread the test needs", lo, hi)
	}

	const draws = 60
	n := int(s.hi - s.lo)
	cell := make([]int, n) // main sweep: department*numClasses + class; returnee pass: offset by len(hazard)
	offset := len(w.cond.hazard)
	households := make([]int, offset+len(w.cond.remigration))
	for j := range n {
		i := int(s.lo) + j
		cell[j] = -1
		if w.hh.size[i] == 0 || w.hh.flags[i]&fWaiting != 0 {
			continue
		}
		r, k := int(w.hh.region[i]), classOf(w, i)
		cell[j] = r*numClasses + k
		households[cell[j]]++
	}
	// The returnee households' cells, from their list entries.
	for _, e := range s.returnees[s.returneeHead:] {
		j := int(e.home - s.lo)
		if cell[j] < 0 {
			continue
		}
		households[cell[j]]--
		r, k := int(w.hh.region[e.home]), classOf(w, int(e.home))
		cell[j] = offset + (r*numReturnClasses+returnClass(e))*numClasses + k
		households[cell[j]]++
	}
	flags := slices.Clone(w.hh.flags[s.lo:s.hi])
	size := slices.Clone(w.hh.size[s.lo:s.hi])
	kids := slices.Clone(w.hh.kids[s.lo:s.hi])
	departed := make([]int, len(households)) // main sweep, and returnees' households' other departures
	again := make([]int, len(households))    // returnees who went again
	for range draws {
		s.decide(w)
		for _, g := range s.travel {
			j := int(g.home - s.lo)
			if flags[j]&fReturnee != 0 && w.hh.flags[g.home]&fReturnee == 0 {
				again[cell[j]]++
			} else {
				departed[cell[j]]++
			}
		}
		for _, a := range s.cam {
			departed[cell[a.home-s.lo]]++
		}
		s.travel, s.cam = s.travel[:0], s.cam[:0]
		copy(w.hh.flags[s.lo:s.hi], flags)
		copy(w.hh.size[s.lo:s.hi], size)
		copy(w.hh.kids[s.lo:s.hi], kids)
	}
	// Each cell within 5 sd (+2 for the smallest cells: with some 2,000
	// cells, a tighter band fails by chance); each return type's and the
	// households' totals within 4 sd, which a wrong shift or a dropped term
	// cannot meet.
	type sum struct{ got, mean, vari float64 }
	totals := map[string]*sum{}
	check := func(what string, ck, m, got int, p float64) {
		mean := float64(m*draws) * p
		sd := math.Sqrt(mean * (1 - p))
		if math.Abs(float64(got)-mean) > 5*sd+2 {
			t.Errorf("%s cell %d: %d in %d household-months, want %.1f ± %.1f (probability %.4g)", what, ck, got, m*draws, mean, 5*sd+2, p)
		}
		if totals[what] == nil {
			totals[what] = &sum{}
		}
		tt := totals[what]
		tt.got, tt.mean, tt.vari = tt.got+float64(got), tt.mean+mean, tt.vari+mean*(1-p)
	}
	var cells, returneeCells int
	for ck, m := range households {
		if m == 0 {
			continue
		}
		if ck < offset {
			cells++
			check("household", ck, m, departed[ck], float64(w.cond.hazard[ck]))
			continue
		}
		returneeCells++
		i := ck - offset
		h := float64(w.cond.remigration[i])
		r, rc, k := i/(numReturnClasses*numClasses), i/numClasses%numReturnClasses, i%numClasses
		g := float64(w.cond.hazard[r*numClasses+k])
		check(fmt.Sprintf("returnee (return %d)", rc/numYearBuckets), ck, m, again[ck], h)
		check("returnee household", ck, m, departed[ck], (1-h)*g)
	}
	for what, tt := range totals {
		if sd := math.Sqrt(tt.vari); math.Abs(tt.got-tt.mean) > 4*sd {
			t.Errorf("%s: %g in all, want %.1f ± %.1f", what, tt.got, tt.mean, 4*sd)
		}
	}
	t.Logf("%d household cells, %d returnee cells", cells, returneeCells)
	if returneeCells < 40 || cells < 10 {
		t.Errorf("only %d returnee cells and %d household cells: the test needs more", returneeCells, cells)
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
	w.p.Remigration.Months = window
	clear(w.cond.hazard)
	clear(w.cond.remigration)
	for r := range w.regions {
		for rc := range numReturnClasses {
			w.cond.remigration[(r*numReturnClasses+rc)*numClasses+3] = 1
		}
	}
	const households = 3000 // of the shard's, with two adults so one can go again
	var homes []int32
	for i := s.lo; i < s.hi && len(homes) < households; i++ {
		if w.hh.size[i]-w.hh.kids[i] > 1 {
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
		// The rest of the month: some returnees go north again (which ends
		// their household's entry), whose journeys end in a
		// deportation home or in the U.S.; some people come home from the
		// U.S., some twice within the window.
		for _, h := range homes {
			switch u := rng.Float64(); {
			case away[h] && u < 0.3:
				s.comeHome(w, h, 1, 0, kindAdult, true, retMexico, 0)
				away[h] = false
				latest[h] = int32(w.t + window + 1)
			case away[h] && u < 0.6:
				s.arrive(w, traveller{home: h, size: 1, flags: kindAdult}, stUndocumented)
				away[h] = false
			case !away[h] && u < 0.05 && w.hh.size[h] > w.hh.kids[h]:
				s.remigrate(w, int(h), listed{home: h, how: retBorder})
				away[h] = true
				latest[h] = 0
			case !away[h] && u < 0.25:
				s.comeHome(w, h, 1, 0, kindAdult, false, retInterior, 3)
				if twice && u < 0.1 {
					s.comeHome(w, h, 1, 0, kindAdult, false, retVoluntary, 5)
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
