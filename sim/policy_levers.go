package sim

import (
	"fmt"
	"iter"
	"math"
)

// MaxWindows is the most windows one policy lever can have: the lever's own
// and those of More together.
const MaxWindows = 16

// WindowKey is the key path of window i (from 0) of a lever at key with n
// windows: the key itself when the lever has one window (as a scenario
// writes [policy.mexico]), key[i] when it has several ([[policy.mexico]]).
func WindowKey(key string, i, n int) string {
	if n <= 1 {
		return key
	}
	return fmt.Sprintf("%s[%d]", key, i)
}

// windowsOf yields the windows of a lever in order, with their index: the
// lever itself (first), then each of its More.
func windowsOf[T any](first *T, more []T) iter.Seq2[int, *T] {
	return func(yield func(int, *T) bool) {
		if !yield(0, first) {
			return
		}
		for i := range more {
			if !yield(i+1, &more[i]) {
				return
			}
		}
	}
}

// validateLever checks the windows of a lever: first and its further
// windows more. win returns a window's dates and the length of its own More.
func validateLever[T any](key string, first *T, more []T, win func(*T) (Window, int)) []error {
	n := 1 + len(more)
	if n > MaxWindows {
		return []error{&FieldError{Key: key, Msg: fmt.Sprintf("%d windows: at most %d", n, MaxWindows)}}
	}
	var errs []error
	for i, w := range windowsOf(first, more) {
		k := WindowKey(key, i, n)
		dates, nested := win(w)
		if i > 0 && nested > 0 {
			errs = append(errs, &FieldError{Key: k, Msg: "a window cannot have windows of its own"})
		}
		errs = append(errs, dates.validate(k)...)
	}
	return errs
}

// levers is the state of every policy lever in one month, in engine units.
type levers struct {
	removalMult   float64 // multiplier on interior removal hazards
	gangTargeting float64 // share of extra removals aimed at gang-tied people
	camOpen       bool
	camClosing    bool // this is the month CAM closes: cancel pending cases
	dacaExpiry    float64
	tpsEnded      [NumCountries]bool
	aidHomicide   [NumCountries]float64 // multiplier on homicide in targeted departments
	aidJobs       [NumCountries]float64 // multiplier on unemployment in targeted departments
	mxApprehend   float64               // multiplier on Mexico's apprehension probability
	mxAsylumCap   float64               // real persons per month; 0 = none
	usApprehend   float64               // multiplier on border apprehension probabilities
	deterShock    float64               // share of every perceived stay believed lost
	familyRelease float64               // multiplier on the share of families released
	reintegration float64               // multiplier on reintegration capacity
}

// leversAt evaluates the timeline at month m (step 1 of the tick).
//
// A lever with several windows is the sum of its windows: each window's
// change adds, so that the excess of a multiplier over 1 is the sum of the
// windows' excesses, 1 + Σ L_i·(multiplier_i − 1), floored at 0, and an
// effect that subtracts (aid's) is the sum of the windows' effects. Every
// product that feeds a sum is rounded by a float64 conversion (fmath.go),
// and the sums start from 0, so a lever with one window gives exactly what
// it gave before windows could be several.
func (p *Params) leversAt(m Month) levers {
	pol := &p.Policy
	mech := &p.Mechanisms
	var l levers
	l.removalMult, l.gangTargeting = pol.InteriorRemovals.at(m)
	l.camOpen = mech.CAM && pol.CAM.Open.IsSet() && m >= pol.CAM.Open && (!pol.CAM.Close.IsSet() || m < pol.CAM.Close)
	l.camClosing = mech.CAM && pol.CAM.Close.IsSet() && m == pol.CAM.Close
	if pol.DACA.Rescind.IsSet() && m >= pol.DACA.Rescind {
		l.dacaExpiry = 1 / float64(pol.DACA.WindDownMonths)
	}
	for c := Country(0); c < NumCountries; c++ {
		end := pol.TPS.End(c)
		l.tpsEnded[c] = end.IsSet() && m >= end
		l.aidHomicide[c], l.aidJobs[c] = 1, 1
		if mech.Aid {
			l.aidHomicide[c], l.aidJobs[c] = pol.Aid.at(c, m, &pol.AidEffect, p.aidPopulation(c))
		}
	}
	l.mxApprehend, l.mxAsylumCap = pol.Mexico.at(m)
	l.usApprehend, l.deterShock = pol.Border.at(m)
	var release, reintegrate float64
	for _, w := range windowsOf(&pol.FamilyDetention, pol.FamilyDetention.More) {
		release += float64(w.Level(m) * (w.ReleaseMultiplier - 1))
	}
	for _, w := range windowsOf(&pol.Reintegration, pol.Reintegration.More) {
		reintegrate += float64(w.Level(m) * (w.CapacityMultiplier - 1))
	}
	l.familyRelease, l.reintegration = math.Max(0, 1+release), math.Max(0, 1+reintegrate)
	return l
}

// at is the removal multiplier and the gang targeting at month m. The
// windows' excesses add; the targeting is the share of the extra removals
// aimed at gang-tied people, so the gang-aimed extra removals add too: each
// window that raises removals contributes its L_i·gang_targeting_i weighted
// by its share of the raise. Without any window that raises removals the
// targeting acts on nothing and is Σ L_i·gang_targeting_i, capped at 1.
func (p *InteriorRemovals) at(m Month) (mult, target float64) {
	var excess, raise, plain float64
	for _, w := range windowsOf(p, p.More) {
		x := float64(w.Level(m) * (w.RateMultiplier - 1))
		excess += x
		if x > 0 {
			raise += x
		}
	}
	for _, w := range windowsOf(p, p.More) {
		lv := w.Level(m)
		plain += float64(lv * w.GangTargeting)
		if x := float64(lv * (w.RateMultiplier - 1)); raise > 0 && x > 0 {
			target += float64(float64(lv*w.GangTargeting) * (x / raise))
		}
	}
	if raise == 0 {
		target = math.Min(1, plain)
	}
	return math.Max(0, 1+excess), math.Min(1, target)
}

// at is country c's multipliers on homicide and on unemployment from aid at
// month m: 1 − Σ L_i(m − delay_i)·effect_i, floored at 0, where a window's
// effect is its fraction key plus what its dollars do (aidEffects, with the
// rates e and the pop residents of the targeted departments). A window
// without dollars adds exactly 0 to its fraction key.
func (p *AidPolicy) at(c Country, m Month, e *AidEffect, pop float64) (homicide, jobs float64) {
	var h, u float64
	for _, w := range windowsOf(p, p.More) {
		a := w.Level(m.Add(-w.DelayMonths))
		pk := w.Of(c)
		dh, du := aidEffects(e, pk, pop)
		h += float64(a * (pk.HomicideEffect + dh))
		u += float64(a * (pk.UnemploymentEffect + du))
	}
	return math.Max(0, 1-h), math.Max(0, 1-u)
}

// at is the multiplier on Mexico's apprehension probability at month m,
// 1 + Σ L_i·α_i·(multiplier_i − 1) floored at 0, with each window's
// smugglers adapting to its own change (α_i, from its own full strength),
// and the asylum cap: the smallest cap of the windows acting at m that set
// one (0 = none).
func (p *MexicoPolicy) at(m Month) (mult, asylumCap float64) {
	var excess float64
	for _, w := range windowsOf(p, p.More) {
		lv := w.Level(m)
		excess += float64(lv * w.adapted(m) * (w.ApprehensionMultiplier - 1))
		if lv > 0 && w.AsylumCapacity > 0 && (asylumCap == 0 || w.AsylumCapacity < asylumCap) {
			asylumCap = w.AsylumCapacity
		}
	}
	return math.Max(0, 1+excess), asylumCap
}

// at is the multiplier on border apprehensions at month m and the
// deterrence shock: each window's shock starts at its own from and fades
// with its own decay, and the shocks add.
func (p *BorderPolicy) at(m Month) (mult, shock float64) {
	var excess float64
	for _, w := range windowsOf(p, p.More) {
		excess += float64(w.Level(m) * (w.ApprehensionMultiplier - 1))
		if w.From.IsSet() && m >= w.From {
			shock += float64(w.DeterrenceShock * exp(-float64(m-w.From)/w.ShockDecayMonths))
		}
	}
	return math.Max(0, 1+excess), shock
}
