package sim

import "math"

// AidEffect is what a dollar of aid does, per channel, as a rate per U.S.
// dollar spent per resident of the targeted departments and year (s below).
// A package's fractional fall in the homicide rate at full effect is
// 1 − exp(−(Violence·s_violence + Governance·s_governance)), and in
// unemployment 1 − exp(−Jobs·s_jobs): about the rate times s for small
// amounts, with each further dollar working on what the earlier ones left.
// The defaults are the central values of docs/ODD.md 7.1 ("Aid in
// dollars") and the key ranges their low and high ends, so a sweep can
// sample them. The effect per dollar belongs to the world, not to a window:
// every window and country uses these rates.
type AidEffect struct {
	// Violence is the rate at which violence-prevention dollars lower homicide
	// (USAID's community-based crime and violence prevention, LAPOP 2014).
	Violence float64 `toml:"violence" unit:"per USD per resident-year" min:"0.006" max:"0.17"`
	// Jobs is the rate at which jobs-and-training dollars lower unemployment
	// (youth job training: A Ganar 2018 and McKenzie 2017).
	Jobs float64 `toml:"jobs" unit:"per USD per resident-year" min:"0" max:"0.0022"`
	// Governance is the rate at which governance and tax dollars lower
	// homicide (impunity); no evaluation gives it, so its range is wide.
	Governance float64 `toml:"governance" unit:"per USD per resident-year" min:"0" max:"0.034"`
}

// DefaultAidEffect is the central effect per dollar of each channel.
func DefaultAidEffect() AidEffect {
	return AidEffect{Violence: 0.034, Jobs: 0.00062, Governance: 0.0085}
}

// hasDollars reports whether the package spends anything.
func (pk *AidPackage) hasDollars() bool {
	return pk.ViolenceUSD > 0 || pk.JobsUSD > 0 || pk.GovernanceUSD > 0
}

// USDMillionsPerYear is the package's spending at full strength, all
// channels together.
func (pk *AidPackage) USDMillionsPerYear() float64 {
	return pk.ViolenceUSD + pk.JobsUSD + pk.GovernanceUSD
}

// aidEffects is country c's fractional falls in homicide and unemployment
// at full effect from the dollars of package pk, spread over pop residents
// of the targeted departments. Zero dollars give exactly 0.
func aidEffects(e *AidEffect, pk *AidPackage, pop float64) (homicide, jobs float64) {
	if !pk.hasDollars() || pop <= 0 {
		return 0, 0
	}
	perResident := 1e6 / pop // USD per resident-year per million dollars a year
	h := float64(e.Violence*pk.ViolenceUSD*perResident) + float64(e.Governance*pk.GovernanceUSD*perResident)
	u := float64(e.Jobs * pk.JobsUSD * perResident)
	return -math.Expm1(-h), -math.Expm1(-u)
}

// aidPopulation is the number of residents (real persons) of the
// departments of country c that p's aid reaches: the whole country unless
// the lever names departments.
func (p *Params) aidPopulation(c Country) float64 {
	var pop float64
	total := p.Country.Of(c).Population
	for _, reg := range p.Geography.Regions {
		if reg.Country == c && aidTarget(p, reg) {
			pop += float64(reg.Weight * total)
		}
	}
	return pop
}

// AidDollars is the aid p spends within the run, in millions of U.S.
// dollars, per country: each window's annual amounts at full strength,
// times the window's level in each month of the run (its ramp and fade
// included), over 12. The fraction keys homicide_effect and
// unemployment_effect have no dollars and count nothing.
func (p *Params) AidDollars() [NumCountries]float64 {
	var out [NumCountries]float64
	a := &p.Policy.Aid
	for _, w := range windowsOf(a, a.More) {
		for c := Country(0); c < NumCountries; c++ {
			perYear := w.Of(c).USDMillionsPerYear()
			if perYear == 0 {
				continue
			}
			var months float64
			for k := range p.Months {
				months += w.Level(p.Start.Add(k))
			}
			out[c] += perYear * months / 12
		}
	}
	return out
}

// AidDollarsTotal is AidDollars summed over the countries.
func (p *Params) AidDollarsTotal() float64 {
	var t float64
	for _, x := range p.AidDollars() {
		t += x
	}
	return t
}
