package sim

import "math"

// DecisionParams is the household decision submodel (step 3): a monthly
// logistic hazard of sending someone north, and the choice of who goes.
type DecisionParams struct {
	// Homicide is the hazard's coefficient on the log homicide rate of the department.
	Homicide float64 `toml:"homicide" unit:"log-odds per log(homicides per 100,000)" min:"-5" max:"5"`
	// Unemployment is the coefficient on the department's unemployment rate.
	Unemployment float64 `toml:"unemployment" unit:"log-odds per percentage point" min:"-2" max:"2"`
	// Poor is the log-odds shift for poor households (relative to not poor).
	Poor float64 `toml:"poor" unit:"log-odds" min:"-5" max:"5"`
	// ExtremePoor is the log-odds shift for extremely poor households (cost barrier when negative).
	ExtremePoor float64 `toml:"extreme_poor" unit:"log-odds" min:"-5" max:"5"`
	// Ties is the coefficient on log(1 + relatives in the U.S.).
	Ties float64 `toml:"ties" unit:"log-odds per log(1 + relatives)" min:"-5" max:"5"`
	// Network is the coefficient on the department's community network: the
	// people abroad as a percentage of the department's population.
	Network float64 `toml:"network" unit:"log-odds per percentage point" min:"-1" max:"1"`
	// Children is the log-odds shift for households with children under 18.
	Children float64 `toml:"children" unit:"log-odds" min:"-5" max:"5"`
	// Deterrence is the coefficient on the change in the perceived risk of a
	// single adult's journey, from its level at the start of the warm-up:
	// one minus the expected share of the next HorizonMonths months spent in
	// the U.S. (the chance to get through Mexico, to evade or be released at
	// the border, the asylum backlog and the hazard of interior removal over
	// the stay; docs/ODD.md 7.3). The intercepts carry the level, so changing
	// this coefficient changes the response to enforcement, not the number
	// of departures under the status quo.
	Deterrence float64 `toml:"deterrence" unit:"log-odds per unit probability" min:"-50" max:"0"`
	// Pull is the coefficient, for households with children, on the change in
	// the perceived expected stay of a family unit (the share of the next
	// HorizonMonths months it spends in the U.S.), from its level at the
	// start of the warm-up.
	Pull float64 `toml:"pull" unit:"log-odds per unit probability" min:"0" max:"50"`
	// HorizonMonths is how far ahead households weigh a stay in the U.S.:
	// the expected outcome of a journey is the expected share of these
	// months spent there.
	HorizonMonths int `toml:"horizon_months" unit:"months" min:"1" max:"240"`
	// StayBelief is the perceived chance of being let in at BeliefFrom, as a
	// share of the actual chance: below 1, households learn over the
	// following months that families and children are let in, and departures
	// with children rise (the "permisos" of 2013–2014). Calibrated.
	StayBelief float64 `toml:"stay_belief" unit:"fraction of the actual chance" min:"0" max:"1"`
	// BeliefFrom is the calendar month the learning starts from (before it,
	// the belief is StayBelief), so runs that start later find it under way.
	BeliefFrom Month `toml:"belief_from" unit:"YYYY-MM"`
	// BeliefMonths is the e-folding time of that learning for children sent
	// alone.
	BeliefMonths float64 `toml:"belief_months" unit:"months" min:"1" max:"240"`
	// FamilyBeliefMonths is the e-folding time of the same learning for
	// family units: households learnt later, and more slowly, that families
	// were let in than that children were (family members per child alone
	// apprehended rose every year from FY2013 to FY2017). Calibrated.
	FamilyBeliefMonths float64 `toml:"family_belief_months" unit:"months" min:"1" max:"240"`
	// FamilyImitation is the word-of-mouth rate of that learning for family
	// units, per month (Bass 1969): households also learn from those who
	// already know, so the family belief B follows
	// dB/dt = (1/FamilyBeliefMonths + FamilyImitation·B)(1 − B), an S-curve
	// rather than the children's exponential approach (FY2013's family units
	// were few, and the FY2014 surge multiplied them by 4.6 against 2.5 for
	// children alone). 0 gives the exponential. Calibrated.
	FamilyImitation float64 `toml:"family_imitation" unit:"per month" min:"0" max:"1"`
	// PerceptionMonths is how long households take to learn a changed stay
	// once in the U.S.: the chance to be apprehended at the border, released,
	// and not removed over the horizon (time constant of adaptive
	// expectations).
	PerceptionMonths float64 `toml:"perception_months" unit:"months" min:"1" max:"120"`
	// ReachMonths is how long households take to learn a changed chance to
	// get through Mexico (time constant of adaptive expectations). People
	// Mexico deports are home within days, and smugglers reprice at once,
	// so it can be shorter than PerceptionMonths. Calibrated.
	ReachMonths float64 `toml:"reach_months" unit:"months" min:"1" max:"120"`
	// UACShare is the share of departures from households with children that are
	// unaccompanied children, at a homicide rate of 50 per 100,000.
	UACShare float64 `toml:"uac_share" unit:"fraction" min:"0.001" max:"0.999"`
	// UACViolence is how much violence shifts departures toward children.
	UACViolence float64 `toml:"uac_violence" unit:"log-odds per log(homicides/50)" min:"-5" max:"5"`
	// UACPull is how much the change in the perceived expected stay of a
	// child sent alone (apprehended children go to sponsors in the U.S. with
	// pending cases), from its level at the start of the warm-up, multiplies
	// the children sent alone: exp(UACPull × change). It adds children to
	// the household's other departures rather than taking their place.
	UACPull float64 `toml:"uac_pull" unit:"log of the multiplier per unit probability" min:"0" max:"50"`
	// FamilyShare is the share of the other departures from households with
	// children that go as family units, at the perceived stay chance of the
	// start of the warm-up.
	FamilyShare float64 `toml:"family_share" unit:"fraction" min:"0.001" max:"0.999"`
	// FamilyPull is how much a change in the perceived expected stay of a
	// family unit shifts departures toward families.
	FamilyPull float64 `toml:"family_pull" unit:"log-odds per unit probability" min:"0" max:"20"`
	// FamilySize is the mean number of people in a family unit (one parent and children).
	FamilySize float64 `toml:"family_size" unit:"persons" min:"2" max:"6"`
}

// DefaultDecision returns the decision defaults (see docs/ODD.md for
// sources). Deterrence, Pull, StayBelief, BeliefMonths, FamilyBeliefMonths,
// FamilyImitation, PerceptionMonths, UACShare, UACViolence, UACPull,
// FamilyShare and FamilyPull were fitted by 'migrasim calibrate' (the
// default spec, to FY2012–2017, docs/ODD.md 7.12); Homicide is held where
// the refitted model's children per homicide come nearest Clemens (2017)
// that the counts allow; the others are set by hand.
func DefaultDecision() DecisionParams {
	return DecisionParams{
		Homicide: 0.44, Unemployment: 0.05, Poor: 0.25, ExtremePoor: -0.2, Ties: 0.7,
		Network: 0.02, HorizonMonths: 60, Children: 0.9, Deterrence: -2.59, Pull: 4.32,
		StayBelief: 0.0746, BeliefFrom: MonthOf(2011, 1), BeliefMonths: 21.9, FamilyBeliefMonths: 213, FamilyImitation: 0.0294,
		PerceptionMonths: 24.3, ReachMonths: 3, UACShare: 0.0214, UACViolence: 0.166, UACPull: 6.33, FamilyShare: 0.0476,
		FamilyPull: 14.0, FamilySize: 2.6,
	}
}

func logistic(x float64) float64 { return 1 / (1 + exp(-x)) }
func logit(p float64) float64    { return log(p / (1 - p)) }

// fillHazards computes this month's hazard table and choice shares per
// department from the origin conditions and perceptions.
func (w *World) fillHazards() {
	p := &w.p.Decision
	mech := &w.p.Mechanisms
	cond := &w.cond
	pov := [4]float64{0, p.Poor, p.ExtremePoor, 0}
	keeps := w.p.remittanceKeeps()
	for r := range w.regions {
		rs := &w.regions[r]
		cs := &w.countries[rs.country]
		cp := w.p.Country.Of(rs.country)
		unemp := float64(p.Unemployment * rs.unemployment)
		base := cp.Intercept +
			float64(p.Homicide*log(math.Max(rs.homicide, 0.1))) + unemp
		if mech.Networks {
			base += float64(p.Network * rs.network)
		}
		if mech.Deterrence {
			base += float64(p.Deterrence * (cs.perceivedRisk - cs.riskRef))
		}
		w.fillRemigration(r, base, &pov)
		kids := p.Children
		// Children sent alone: a share uac of the departures of households
		// with children, times alone, the learned pull on children, which
		// adds departures: the hazard of those households is scaled by
		// 1 + uac×(alone−1) and the share of children alone becomes
		// uac×alone / (1 + uac×(alone−1)).
		uac := logistic(logit(p.UACShare) + cp.UACShift +
			float64(p.UACViolence*log(math.Max(rs.homicide, 0.1)/50)))
		alone := 1.0
		if mech.Pull {
			kids += float64(p.Pull * (cs.perceivedFamily - cs.familyRef))
			alone = exp(p.UACPull * (cs.perceivedChild - cs.childRef))
		}
		scale := 1 + float64(uac*(alone-1))
		keep := &keeps[rs.country]
		row := cond.hazard[r*numClasses : (r+1)*numClasses]
		for k := range row {
			x := base + pov[k&povMask]
			h := 1.0
			if k&classKids != 0 {
				x += kids
				h = scale
			}
			if mech.Networks {
				x += float64(p.Ties * log(1+tieBucketValue[k>>3&3]))
			}
			if kb := keep[k>>3&3]; kb != 1 {
				x -= float64((1 - kb) * push(unemp, pov[k&povMask]))
			}
			row[k] = float32(math.Min(1, h*logistic(x)))
		}
		cond.uacShare[r] = float32(uac * alone / scale)
		fam := logit(p.FamilyShare) + cp.FamilyShift
		if mech.Pull {
			fam += float64(p.FamilyPull * (cs.perceivedFamily - cs.familyRef))
		}
		cond.famShare[r] = float32(logistic(fam))
	}
}

// decide is step 3 for one shard: every household not waiting on a member
// draws whether to send someone this month. Households with a returnee who
// may go again are drawn from the shard's returnee list (decideReturnees:
// their draw covers both the returnee and the household); the rest are
// visited by thinning:
// candidates are proposed at the bound over their hazard classes, then
// accepted with probability hazard/bound, which is exactly a
// Bernoulli(hazard) draw per household. This loop must not allocate.
func (s *shard) decide(w *World) {
	// Expired returnees first, so they are drawn with the others this month;
	// the returnee list last, when the sweep has brought the shard's
	// households into cache.
	s.expireReturnees(w)
	defer s.decideReturnees(w)
	hh := &w.hh
	cond := &w.cond
	hmax := float32(0)
	for r := s.rlo; r < s.rhi; r++ {
		for _, h := range cond.hazard[r*numClasses : (r+1)*numClasses] {
			hmax = max(hmax, h)
		}
	}
	sk := newSkipper(boundFor(float64(hmax)))
	b := float32(sk.b)
	rng := &s.decideRNG
	for i := int(s.lo) - 1; ; {
		i += 1 + sk.gap(rng)
		if i >= int(s.hi) {
			break
		}
		ua, uk := twoUniforms(rng)
		if hh.flags[i]&(fWaiting|fReturnee) != 0 || hh.size[i] == 0 {
			continue
		}
		if ua*b >= cond.hazard[int(hh.region[i])*numClasses+hh.class(i)] {
			continue
		}
		s.depart(w, i, uk)
	}
}

// depart chooses who goes from household i (uk is the choice draw) and sets
// them on their way, or files a CAM application instead.
func (s *shard) depart(w *World, i int, uk float32) {
	hh := &w.hh
	cond := &w.cond
	r := int(hh.region[i])
	kids, adults := hh.kids[i], hh.size[i]-hh.kids[i]
	kind := uint8(kindAdult)
	switch {
	case kids > 0 && adults == 0:
		kind = kindUAC
	case kids > 0:
		uac := cond.uacShare[r]
		if uk < uac {
			kind = kindUAC
		} else if (uk-uac)/(1-uac) < cond.famShare[r] {
			kind = kindFamily
		}
	}
	if kind == kindUAC && cond.levers.camOpen && hh.flags[i]&fLawful != 0 &&
		uniform(&s.rng) <= w.p.Policy.CAM.ApplyShare {
		hh.flags[i] |= fCAM
		s.cam = append(s.cam, camApp{home: int32(i), due: w.month.Add(w.p.Policy.CAM.ProcessingMonths)})
		s.flow[w.regions[r].country][CAMApplications]++
		return
	}
	s.leave(w, i, kind)
}

// leave sends a group of the given kind from household i into transit: a
// child alone, a family unit (one parent and up to FamilySize−1 of the
// children at home) or a single adult.
func (s *shard) leave(w *World, i int, kind uint8) {
	var size, kids uint8
	switch kind {
	case kindUAC:
		size, kids = 1, 1
	case kindFamily:
		fs := w.p.Decision.FamilySize
		n := int(fs)
		if uniform(&s.rng) <= fs-float64(n) {
			n++
		}
		kids = uint8(min(n-1, int(w.hh.kids[i])))
		size = kids + 1
	default:
		size = 1
	}
	s.send(w, i, kind, size, kids, kind)
}

// send takes a group of size people (kids of them children) with the given
// group flags from household i into transit, and counts the departure.
func (s *shard) send(w *World, i int, kind, size, kids, flags uint8) {
	hh := &w.hh
	hh.size[i] -= size
	hh.kids[i] -= kids
	hh.flags[i] |= fTransit
	s.travel = append(s.travel, traveller{home: int32(i), size: size, kids: kids, flags: flags})
	r := hh.region[i]
	s.flow[w.regions[r].country][DeparturesUAC+Metric(kind)] += int64(size)
	s.regionLeft[r] += int64(size)
	s.countDeparture(r, kind, size)
}
