package sim

import (
	"math"
	"reflect"
)

// FeedbackParams is the effect of returnees on the origin countries (step 2).
// Effective returnees (those reintegration programmes do not absorb) enter
// after a lag and stay active with exponential decay. The observed homicide
// series is violence under the status quo, returns included; so the feedback
// acts on the difference between a scenario's active returnees and those of
// its status-quo twin: the same scenario with the default policies and no
// shocks, run with the same random numbers. The status quo itself follows
// the observed series exactly.
type FeedbackParams struct {
	// Strength is the homicide rate added per gang-tied returnee per 100,000
	// residents per year, sustained. The default is set so that the model
	// reproduces Ambrosius & Leblang (2020): +2 homicides per 100,000 for +10
	// criminal deportees per 100,000 a year, given the model's own share of
	// gang ties among criminal deportees (most criminal removals are of
	// people who re-entered after a removal); 'migrasim calibrate' reports it.
	Strength float64 `toml:"strength" unit:"homicides per 100,000 per (gang returnee per 100,000 per year)" min:"0" max:"10"`
	// LagMonths is the delay before returnees affect violence and jobs:
	// returnees of month t first count in month t+1+LagMonths (0 = the next month).
	LagMonths int `toml:"lag_months" unit:"months" min:"0" max:"60"`
	// DecayMonths is the mean time a returnee stays active (in a gang, or out of work).
	DecayMonths float64 `toml:"decay_months" unit:"months" min:"1" max:"600"`
	// Unemployment is the unemployment added per returnee per 1,000 residents
	// per year, sustained.
	Unemployment float64 `toml:"unemployment" unit:"percentage points per (returnee per 1,000 per year)" min:"0" max:"10"`
	// StatusQuoTwin measures the feedback against the scenario's status-quo
	// twin. False makes the scenario its own reference, for scenarios whose
	// policies are part of the history the observed series records (the
	// historical scenario): then it follows the observed series exactly.
	StatusQuoTwin bool `toml:"status_quo_twin"`
}

// DefaultFeedback returns the feedback defaults.
func DefaultFeedback() FeedbackParams {
	return FeedbackParams{Strength: 2.2, LagMonths: 6, DecayMonths: 36, Unemployment: 0.1, StatusQuoTwin: true}
}

// regionState is one department's state, updated serially each month.
type regionState struct {
	country                Country
	pop                    float64 // real residents (fixed; see docs/ODD.md)
	lo, hi                 int     // simulated households [lo, hi)
	homFactor, jobFactor   float64 // department relative to national level
	aidTarget              bool
	homicide, unemployment float64 // this month, per 100,000 and percent
	network                float64 // people abroad, percent of residents
	gangPipe, jobPipe      []float64
	gangActive, jobActive  float64 // active effective returnees (real persons)
}

// countryState holds one country's perceptions and references.
type countryState struct {
	// known is the expected stay of each kind once through Mexico
	// (expectedStay's second value) as households track it, and knownReach
	// the chance to get through Mexico as they track it, each by adaptive
	// expectations at its own speed.
	known      [3]float64
	knownReach float64
	// perceivedRisk is one minus a single adult's perceived journey (the
	// known reach times the known stay once through, less the share a
	// deterrence shock takes); perceivedFamily and perceivedChild are the
	// perceived journeys of a family unit and of a child sent alone times the
	// belief factor.
	perceivedRisk, perceivedFamily, perceivedChild float64
	riskRef, familyRef, childRef                   float64 // their values at the start of the warm-up
}

// shockPath is one parsed scenario shock for one country.
type shockPath struct {
	country  Country
	variable shockVar
	multiply bool
	points   []Point
}

// updateOrigin is step 2: each department's homicide rate and unemployment
// for this month, the community networks, and the perceptions of enforcement.
func (w *World) updateOrigin() {
	p := w.p
	fb := &p.Feedback
	l := &w.cond.levers
	sh := &w.cond.shocks
	var exo [NumCountries]float64
	for c := Country(0); c < NumCountries; c++ {
		exo[c] = interpolate(p.Geography.Homicide[c], w.month, true, 0)
	}
	keep := 1 - 1/fb.DecayMonths
	slot := w.t % (fb.LagMonths + 1)
	for r := range w.regions {
		rs := &w.regions[r]
		c := rs.country
		rs.gangActive = float64(rs.gangActive*keep) + rs.gangPipe[slot]
		rs.jobActive = float64(rs.jobActive*keep) + rs.jobPipe[slot]
		aidH, aidJ := 1.0, 1.0
		if rs.aidTarget {
			aidH, aidJ = l.aidHomicide[c], l.aidJobs[c]
		}
		hom := sh.apply(shockHomicide, c, exo[c]*rs.homFactor*aidH)
		jobs := sh.apply(shockUnemployment, c, p.Country.Of(c).Unemployment*rs.jobFactor*aidJ)
		if w.twin != nil {
			tw := &w.twin.regions[r]
			if p.Mechanisms.DeporteeFeedback {
				hom += float64(fb.Strength * 12 / fb.DecayMonths * (rs.gangActive - tw.gangActive) / rs.pop * 1e5)
			}
			if p.Mechanisms.ReturneeUnemployment {
				jobs += float64(fb.Unemployment * 12 / fb.DecayMonths * (rs.jobActive - tw.jobActive) / rs.pop * 1e3)
			}
		}
		rs.homicide = math.Max(hom, 0)
		rs.unemployment = math.Min(math.Max(jobs, 0), 100)
		rs.network = w.regionAbroad[r] / w.p.Scale / rs.pop * 100
	}
	w.updatePerceptions()
}

// updatePerceptions moves each country's perceived expected stays a step
// toward this month's (adaptive expectations), and applies the belief
// factors, the same for every country.
func (w *World) updatePerceptions() {
	d := &w.p.Decision
	k, kr := 1/d.PerceptionMonths, 1/d.ReachMonths
	belief, familyBelief := w.belief(d.BeliefMonths, 0), w.belief(d.FamilyBeliefMonths, d.FamilyImitation)
	shock := math.Max(0, 1-w.cond.levers.deterShock)
	for c := Country(0); c < NumCountries; c++ {
		reach, v := w.expectedStay(c)
		cs := &w.countries[c]
		if w.t == 0 {
			cs.known, cs.knownReach = v, reach
		} else {
			for j := range v {
				cs.known[j] += float64(k * (v[j] - cs.known[j]))
			}
			cs.knownReach += float64(kr * (reach - cs.knownReach))
		}
		// perceive is what households perceive when they believe a share
		// 1 − s of every kind's stay lost: the deterrence shock of an
		// announced border policy (s = 1 without one, and for the references).
		perceive := func(s float64) (risk, family, child float64) {
			through := float64(s * cs.knownReach)
			return 1 - float64(through*cs.known[kindAdult]), float64(through*cs.known[kindFamily]) * familyBelief,
				float64(through*cs.known[kindUAC]) * belief
		}
		if w.t == 0 {
			cs.riskRef, cs.familyRef, cs.childRef = perceive(1)
		}
		cs.perceivedRisk, cs.perceivedFamily, cs.perceivedChild = perceive(shock)
	}
}

// belief is this month's belief factor for a kind that households learn
// about at external rate 1/months and word-of-mouth rate imitation: they
// underestimated the chance of being let in at BeliefFrom (a share B0 =
// StayBelief of it) and unlearn the underestimate whatever the policy does
// meanwhile (children sent alone: BeliefMonths and no imitation; families:
// FamilyBeliefMonths and FamilyImitation). B solves the Bass (1969) equation
// dB/dt = (p + q·B)(1 − B), B(0) = B0, with p = 1/months and q = imitation:
// B(t) = (1 − a·e^(−(p+q)t)) / (1 + (q/p)·a·e^(−(p+q)t)),
// a = (1 − B0)/(1 + B0·q/p); with q = 0 it is 1 − (1 − B0)·e^(−t/months).
func (w *World) belief(months, imitation float64) float64 {
	d := &w.p.Decision
	elapsed := math.Max(0, float64(w.month-d.BeliefFrom))
	p := 1 / months
	a := (1 - d.StayBelief) / (1 + float64(d.StayBelief*imitation/p))
	e := float64(a * exp(-float64(elapsed*(p+imitation))))
	return (1 - e) / (1 + float64(imitation/p*e))
}

// expectedStay is the expected outcome of a journey that sets out this month
// from country c: reach, the chance to get through Mexico, and for a child
// alone, a family unit and a single adult once through, the expected share
// of the next Decision.HorizonMonths months spent in the U.S. (the journey's
// outcome is their product; households learn the two at their own speeds).
// Each enforcement lever enters once, through the quantity it changes:
// Mexico's apprehensions through the chance to reach the border, the border's
// through the chance to be apprehended, family detention through the share
// of families released, the asylum backlog through the months a released
// case stays before its decision, and interior removals through the hazard
// of removal over the stay (docs/ODD.md 7.3).
func (w *World) expectedStay(c Country) (reach float64, v [3]float64) {
	cond := &w.cond
	d, a := &w.p.Decision, &w.p.Abroad
	horizon := float64(d.HorizonMonths)
	reach = powInt(1-cond.transit.apprehend[c], w.p.Transit.Months)
	q := cond.abroad.remove[c][stUndocumented][0]
	undoc := stayShare(q, horizon)
	pending := func(grant float64) float64 {
		if !w.p.Mechanisms.AsylumDecisions {
			return 1
		}
		wait := math.Min(a.DecisionMonths, horizon)
		after := float64((horizon - wait) * (grant + float64((1-grant)*stayShare(q, horizon-wait))))
		return (wait + after) / horizon
	}
	ap := &cond.apprehend[c]
	v[kindUAC] = float64((1-ap[kindUAC])*undoc) + float64(ap[kindUAC]*pending(a.GrantUAC))
	v[kindFamily] = float64((1-ap[kindFamily])*undoc) + float64(float64(ap[kindFamily]*cond.release[c])*pending(a.GrantFamily))
	v[kindAdult] = float64((1-ap[kindAdult])*undoc) + float64(float64(ap[kindAdult]*(1-w.p.Border.AdultRemoval))*pending(a.GrantAdult))
	return reach, v
}

// stayShare is the expected share of n months that someone removable with
// monthly probability q stays: (1 − (1−q)^n) / (q n), and 1 when q or n is 0.
func stayShare(q, n float64) float64 {
	if q <= 0 || n <= 0 {
		return 1
	}
	return (1 - exp(float64(n*log(1-q)))) / (q * n)
}

// recordReturns closes the month for the feedback: this month's returnees,
// less what reintegration absorbs, enter the pipelines.
func (w *World) recordReturns(returnees, gang []float64) {
	p := w.p
	var total [NumCountries]float64
	for r := range w.regions {
		total[w.regions[r].country] += returnees[r]
	}
	var absorbed [NumCountries]float64
	if p.Mechanisms.Reintegration {
		for c := Country(0); c < NumCountries; c++ {
			capacity := p.Country.Of(c).ReintegrationCapacity * w.cond.levers.reintegration
			if total[c] > 0 {
				absorbed[c] = math.Min(1, capacity/total[c])
			}
		}
	}
	slot := w.t % (p.Feedback.LagMonths + 1)
	for r := range w.regions {
		rs := &w.regions[r]
		keep := 1 - absorbed[rs.country]
		rs.gangPipe[slot] = gang[r] * keep
		rs.jobPipe[slot] = returnees[r] * keep
	}
}

// StatusQuo returns p with the default policies and no shocks: the twin
// whose returns the feedback is measured against.
func (p *Params) StatusQuo() Params {
	q := *p
	q.Name += " (status quo)"
	q.Policy = DefaultPolicy()
	q.Shocks = nil
	return q
}

// needsTwin reports whether p differs from its status quo in a way the
// feedback can see.
func (p *Params) needsTwin() bool {
	if !p.Feedback.StatusQuoTwin || !p.Mechanisms.DeporteeFeedback && !p.Mechanisms.ReturneeUnemployment {
		return false
	}
	return len(p.Shocks) > 0 || !equalValues(reflect.ValueOf(p.Policy), reflect.ValueOf(DefaultPolicy()))
}

// equalValues is reflect.DeepEqual for plain data, except that a nil and an
// empty slice or map are equal: a policy written "departments = []" is the
// default policy, and must not cost a status-quo twin.
func equalValues(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Slice, reflect.Map:
		if a.Len() == 0 && b.Len() == 0 {
			return true
		}
		if a.Kind() == reflect.Map {
			return reflect.DeepEqual(a.Interface(), b.Interface())
		}
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equalValues(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range a.NumField() {
			if !equalValues(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Array:
		for i := range a.Len() {
			if !equalValues(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equalValues(a.Elem(), b.Elem())
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}
