package sim

import "math"

// AbroadParams is life in the United States by legal status (step 6).
type AbroadParams struct {
	// RemovalRate is the monthly probability that an undocumented person
	// without a criminal record is removed from the interior.
	RemovalRate float64 `toml:"removal_rate" unit:"probability per month" min:"0" max:"1"`
	// CriminalMultiplier is the removal priority of people with criminal records.
	CriminalMultiplier float64 `toml:"criminal_multiplier" unit:"factor" min:"1" max:"1000"`
	// CriminalShare is the share of adults in the stock (and of adult arrivals)
	// with a criminal record.
	CriminalShare float64 `toml:"criminal_share" unit:"fraction" min:"0" max:"1"`
	// GangShare is the share of people with a criminal record who have gang ties.
	GangShare float64 `toml:"gang_share" unit:"fraction" min:"0" max:"1"`
	// DecisionMonths is the mean time a pending case waits for a decision.
	DecisionMonths float64 `toml:"decision_months" unit:"months" min:"1" max:"240"`
	// GrantUAC, GrantFamily and GrantAdult are the shares of decided cases
	// granted protection, by kind; denied people become undocumented.
	GrantUAC    float64 `toml:"grant_uac" unit:"fraction" min:"0" max:"1"`
	GrantFamily float64 `toml:"grant_family" unit:"fraction" min:"0" max:"1"`
	GrantAdult  float64 `toml:"grant_adult" unit:"fraction" min:"0" max:"1"`
	// AffirmativeClaims is the monthly probability that an undocumented person
	// files an asylum claim from inside the U.S.
	AffirmativeClaims float64 `toml:"affirmative_claims" unit:"probability per month" min:"0" max:"1"`
	// VoluntaryReturn is the monthly probability that an undocumented or pending person goes home.
	VoluntaryReturn float64 `toml:"voluntary_return" unit:"probability per month" min:"0" max:"1"`
	// VoluntaryReturnLawful is the same for people with TPS, DACA or protection.
	VoluntaryReturnLawful float64 `toml:"voluntary_return_lawful" unit:"probability per month" min:"0" max:"1"`
}

// DefaultAbroad returns the defaults for life abroad.
func DefaultAbroad() AbroadParams {
	// RemovalRate, CriminalMultiplier and GangShare: fitted by 'migrasim calibrate'.
	return AbroadParams{RemovalRate: 0.000908, CriminalMultiplier: 28.7, CriminalShare: 0.05, GangShare: 0.311,
		DecisionMonths: 30, GrantUAC: 0.4, GrantFamily: 0.2, GrantAdult: 0.15, AffirmativeClaims: 0.0005,
		VoluntaryReturn: 0.0012, VoluntaryReturnLawful: 0.0004}
}

// abroadEvents are the monthly event probabilities of a stock entry by
// country, status and criminal class (none, record, gang).
type abroadEvents struct {
	remove [NumCountries][numStatus][3]float64
	ret    [NumCountries][numStatus][3]float64
	change [NumCountries][numStatus][3]float64 // claim, decision or DACA expiry
	total  [NumCountries][numStatus][3]float64
	// maxSettled and maxPending are the largest totals outside and inside
	// the pending status: each pool is thinned at its own bound, so the
	// frequent asylum decisions do not make the whole stock candidates.
	maxSettled, maxPending float64
}

// fillAbroad computes this month's stock event probabilities. Mass
// deportation multiplies the removal rate; the share of the extra removals
// aimed at gang members is spread over the gang-tied stock of the previous
// month, so targeting moves removals toward gangs without changing their number.
func (w *World) fillAbroad() {
	p := &w.p.Abroad
	mech := &w.p.Mechanisms
	l := &w.cond.levers
	ev := &w.cond.abroad
	*ev = abroadEvents{}
	for c := Country(0); c < NumCountries; c++ {
		if mech.InteriorRemovals {
			rate := p.RemovalRate * math.Exp(w.p.Country.Of(c).RemovalShift)
			base := [3]float64{rate, rate * p.CriminalMultiplier, rate * p.CriminalMultiplier}
			// Only extra removals (a multiplier above 1) can be targeted, and
			// only at gang members there are.
			extra := math.Max(l.removalMult-1, 0)
			target := l.gangTargeting
			gangs := float64(w.groups[c][stUndocumented][2])
			if gangs == 0 {
				target = 0
			}
			var expected float64 // removals of undocumented groups at the base rates
			for k := range 3 {
				expected += float64(base[k] * float64(w.groups[c][stUndocumented][k]))
				ev.remove[c][stUndocumented][k] = base[k] * math.Min(l.removalMult, 1+float64((1-target)*extra))
			}
			if target > 0 {
				ev.remove[c][stUndocumented][2] += target * extra * expected / gangs
			}
		}
		if mech.VoluntaryReturn {
			for k := range 3 {
				ev.ret[c][stUndocumented][k] = p.VoluntaryReturn
				ev.ret[c][stPending][k] = p.VoluntaryReturn
				ev.ret[c][stTPS][k] = p.VoluntaryReturnLawful
				ev.ret[c][stDACA][k] = p.VoluntaryReturnLawful
				ev.ret[c][stProtected][k] = p.VoluntaryReturnLawful
			}
		}
		for k := range 3 {
			if mech.AsylumDecisions {
				if k < 2 { // people with gang ties are barred from asylum and do not file (see eligible)
					ev.change[c][stUndocumented][k] = p.AffirmativeClaims
				}
				ev.change[c][stPending][k] = 1 / p.DecisionMonths
			}
			ev.change[c][stDACA][k] = l.dacaExpiry
		}
		for st := range numStatus {
			for k := range 3 {
				t := ev.remove[c][st][k] + ev.ret[c][st][k] + ev.change[c][st][k]
				if t > 1 { // keep probabilities: scale the competing events down together
					ev.remove[c][st][k] /= t
					ev.ret[c][st][k] /= t
					ev.change[c][st][k] /= t
					t = 1
				}
				ev.total[c][st][k] = t
				if st == stPending {
					ev.maxPending = math.Max(ev.maxPending, t)
				} else {
					ev.maxSettled = math.Max(ev.maxSettled, t)
				}
			}
		}
	}
}

// abroadStep is step 6 for one shard: interior removals, voluntary returns,
// asylum decisions, affirmative claims, DACA expiry and TPS termination. The
// stock is visited by thinning, like the households: first the settled pool,
// then the pending cases (including this month's releases at the border).
func (s *shard) abroadStep(w *World) {
	a := &s.abroad
	for c := Country(0); c < NumCountries; c++ {
		if w.cond.levers.tpsEnded[c] && !s.tpsSwept[c] {
			s.tpsSwept[c] = true
			for i := range a.len() {
				if a.status[i] == stTPS && w.regions[a.region[i]].country == c {
					s.setStatus(w, a, i, stUndocumented)
				}
			}
		}
	}
	pending := s.pending.len()
	s.stockPass(w, a, w.cond.abroad.maxSettled, a.len())
	s.stockPass(w, &s.pending, w.cond.abroad.maxPending, pending)
}

// stockPass draws this month's events for entries [0, n) of pool a.
func (s *shard) stockPass(w *World, a *stock, hmax float64, n int) {
	ev := &w.cond.abroad
	sk := newSkipper(boundFor(hmax))
	s.gone = s.gone[:0]
	for i := -1; ; {
		i += 1 + sk.gap(&s.rng)
		if i >= n {
			break
		}
		c := w.regions[a.region[i]].country
		st, k := a.status[i], crimClass(a.flags[i])
		u := uniform(&s.rng) * sk.b
		if u > ev.total[c][st][k] {
			continue
		}
		size := int64(a.size[i])
		switch {
		case u <= ev.remove[c][st][k]:
			s.flow[c][USRemovalsInterior] += size
			if k > 0 {
				s.flow[c][USRemovalsCriminal] += size
			}
			s.leaveStock(w, a, i, retInterior)
			s.gone = append(s.gone, int32(i))
		case u <= ev.remove[c][st][k]+ev.ret[c][st][k]:
			s.leaveStock(w, a, i, retVoluntary)
			s.gone = append(s.gone, int32(i))
		default:
			if s.change(w, a, i) {
				s.gone = append(s.gone, int32(i))
			}
		}
	}
	for j := len(s.gone) - 1; j >= 0; j-- { // descending, so swaps never move a pending index
		a.remove(int(s.gone[j]))
	}
}

// change applies a status change to entry i of pool a: an undocumented person
// files a claim, a pending case is decided, or a DACA permit lapses. It
// reports whether the entry moved to the other pool.
func (s *shard) change(w *World, a *stock, i int) bool {
	c := w.regions[a.region[i]].country
	switch a.status[i] {
	case stUndocumented:
		s.flow[c][USAsylumClaims] += int64(a.size[i])
		return s.setStatus(w, a, i, stPending)
	case stPending:
		grant := w.p.Abroad.GrantAdult
		switch a.flags[i] & gKindMask {
		case kindUAC:
			grant = w.p.Abroad.GrantUAC
		case kindFamily:
			grant = w.p.Abroad.GrantFamily
		}
		if uniform(&s.rng) <= grant {
			return s.setStatus(w, a, i, stProtected)
		}
		return s.setStatus(w, a, i, stUndocumented)
	case stDACA:
		return s.setStatus(w, a, i, stUndocumented)
	}
	return false
}
