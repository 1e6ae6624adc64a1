package sim

// TransitParams is the journey through Mexico (step 4).
type TransitParams struct {
	// Months is how long the journey takes to reach the U.S. border.
	Months int `toml:"months" unit:"months" min:"1" max:"12"`
	// Apprehension is Mexico's monthly probability of apprehending a group in transit.
	Apprehension float64 `toml:"apprehension" unit:"probability per month" min:"0" max:"1"`
	// DetainedAsylum is the share of those apprehended by Mexico who claim
	// asylum there instead of being deported.
	DetainedAsylum float64 `toml:"detained_asylum" unit:"fraction" min:"0" max:"1"`
	// Asylum is the monthly probability that a group in transit claims asylum in
	// Mexico and stays there.
	Asylum float64 `toml:"asylum" unit:"probability per month" min:"0" max:"1"`
}

// DefaultTransit returns the transit defaults.
func DefaultTransit() TransitParams {
	return TransitParams{Months: 1, Apprehension: 0.266, DetainedAsylum: 0.03, Asylum: 0.004} // apprehension: fitted
}

// transitProbs are this month's transit probabilities after policy levers.
type transitProbs struct {
	apprehend                    [NumCountries]float64 // by the migrants' country
	detainedAsylum, asylum       float64               // after Mexico's asylum capacity
	detainedDemand, asylumDemand float64               // before it: the claims people try to make
}

func (w *World) transitProbs() transitProbs {
	p := &w.p.Transit
	mech := &w.p.Mechanisms
	var t transitProbs
	if mech.MexicoEnforcement {
		for c := Country(0); c < NumCountries; c++ {
			t.apprehend[c] = w.cond.shocks.probability(shockMexico, c, p.Apprehension*w.cond.levers.mxApprehend)
		}
	}
	if mech.MexicoAsylum {
		capf := 1.0
		if cp := w.cond.levers.mxAsylumCap; cp > 0 && w.mxAsylumDemand > cp {
			capf = cp / w.mxAsylumDemand
		}
		t.detainedDemand, t.asylumDemand = p.DetainedAsylum, p.Asylum
		t.detainedAsylum = p.DetainedAsylum * capf
		t.asylum = p.Asylum * capf
	}
	return t
}

// transit is step 4 for one shard: each group in transit is apprehended by
// Mexico (then deported home, or claims asylum there), claims asylum in Mexico
// of its own accord, or moves on and reaches the U.S. border (step 5) after
// Transit.Months months.
func (s *shard) transit(w *World) {
	t := &w.cond.transit
	keep := s.travel[:0]
	for _, g := range s.travel {
		g.months++
		c := w.regions[w.hh.region[g.home]].country
		n := int64(g.size)
		u := uniform(&s.rng)
		if u <= t.apprehend[c] {
			s.flow[c][MXApprehensions] += n
			v := uniform(&s.rng)
			if v <= t.detainedDemand {
				s.asylumDemand += n
			}
			if v <= t.detainedAsylum {
				s.flow[c][MXAsylumClaims] += n
				s.stayInMexico(w, g)
			} else {
				s.flow[c][MXDeportations] += n
				s.comeHome(w, g.home, g.size, g.kids, g.flags, true, retMexico, 0)
			}
			continue
		}
		if u <= t.apprehend[c]+t.asylumDemand {
			s.asylumDemand += n
			if u <= t.apprehend[c]+t.asylum {
				s.flow[c][MXAsylumClaims] += n
				s.stayInMexico(w, g)
				continue
			}
		}
		if int(g.months) >= w.p.Transit.Months {
			s.border(w, g, c)
			continue
		}
		keep = append(keep, g)
	}
	s.travel = keep
}

// stayInMexico settles a group in Mexico: it leaves the model, and its
// household stops waiting.
func (s *shard) stayInMexico(w *World, g traveller) {
	w.hh.flags[g.home] &^= fTransit
}
