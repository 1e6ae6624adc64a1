package sim

import "math"

// BorderParams is the U.S. southwest border (step 5).
type BorderParams struct {
	// ApprehensionUAC is the probability that an unaccompanied child reaching
	// the border is apprehended (most present themselves).
	ApprehensionUAC float64 `toml:"apprehension_uac" unit:"probability" min:"0" max:"1"`
	// ApprehensionFamily is the probability for a family unit.
	ApprehensionFamily float64 `toml:"apprehension_family" unit:"probability" min:"0" max:"1"`
	// ApprehensionAdult is the probability for a single adult.
	ApprehensionAdult float64 `toml:"apprehension_adult" unit:"probability" min:"0" max:"1"`
	// FamilyRelease is the share of apprehended families released with a
	// pending case; the rest are removed.
	FamilyRelease float64 `toml:"family_release" unit:"fraction" min:"0" max:"1"`
	// AdultRemoval is the share of apprehended single adults removed; the rest
	// pass a credible-fear screening and are released with a pending case.
	AdultRemoval float64 `toml:"adult_removal" unit:"fraction" min:"0" max:"1"`
}

// DefaultBorder returns the border defaults.
func DefaultBorder() BorderParams {
	// ApprehensionAdult, FamilyRelease and AdultRemoval: fitted by 'migrasim calibrate'.
	return BorderParams{ApprehensionUAC: 0.92, ApprehensionFamily: 0.9, ApprehensionAdult: 0.608,
		FamilyRelease: 0.625, AdultRemoval: 0.437}
}

// borderProbs are this month's apprehension probabilities by country and
// kind, and the share of apprehended families released by country, after
// levers and shocks.
func (w *World) borderProbs() (pr [NumCountries][3]float64, release [NumCountries]float64) {
	b := &w.p.Border
	sh := &w.cond.shocks
	m := w.cond.levers.usApprehend
	for c := Country(0); c < NumCountries; c++ {
		release[c] = sh.probability(shockRelease, c, b.FamilyRelease*w.cond.levers.familyRelease)
		if !w.p.Mechanisms.BorderEnforcement {
			continue
		}
		pr[c][kindUAC] = sh.probability(shockBorder, c, math.Min(1, b.ApprehensionUAC*m))
		pr[c][kindFamily] = sh.probability(shockBorder, c, math.Min(1, b.ApprehensionFamily*m))
		pr[c][kindAdult] = sh.probability(shockBorder, c, math.Min(1, b.ApprehensionAdult*m))
	}
	return pr, release
}

// border is step 5 for a group reaching the border: apprehended or not.
// Apprehended children go to sponsors with pending cases; families are
// released with pending cases or removed; adults are mostly removed. Groups
// not apprehended join the undocumented stock.
func (s *shard) border(w *World, g traveller, c Country) {
	kind := g.flags & gKindMask
	n := int64(g.size)
	if uniform(&s.rng) > w.cond.apprehend[c][kind] {
		s.flow[c][USEvasions] += n
		s.arrive(w, g, stUndocumented)
		return
	}
	s.flow[c][USApprehensionsUAC+Metric(kind)] += n
	if g.flags&gRepeat != 0 {
		s.flow[c][USApprehensionsRepeat] += n
	}
	removed := false
	switch kind {
	case kindFamily:
		removed = uniform(&s.rng) > w.cond.release[c]
	case kindAdult:
		// A single adult with gang ties is not released (see eligible).
		removed = uniform(&s.rng) <= w.p.Border.AdultRemoval || g.flags&gGang != 0
	}
	if removed {
		s.flow[c][USRemovalsBorder] += n
		if g.flags&gCriminal != 0 {
			s.flow[c][USRemovalsCriminal] += n
		}
		s.comeHome(w, g.home, g.size, g.kids, g.flags, true, retBorder, 0)
		return
	}
	s.flow[c][USAsylumClaims] += n
	s.arrive(w, g, stPending)
}
