package sim

import (
	"fmt"
	"math"
)

// Window is when a policy lever acts. It starts at From, reaches full strength
// after RampMonths, and if To is set fades out over RampMonths from To. An
// unset From means the lever never acts.
type Window struct {
	// From is the first month the lever acts (each of a lever's windows,
	// [[policy.mexico]] and so on, has its own).
	From Month `toml:"from" unit:"YYYY-MM"`
	// To is the month the lever starts to fade; unset means it never ends.
	To Month `toml:"to" unit:"YYYY-MM"`
	// RampMonths is how long the lever takes to reach (and to leave) full strength.
	RampMonths int `toml:"ramp_months" unit:"months" min:"0" max:"120"`
}

// Level is the lever's strength at month m, from 0 (off) to 1 (full).
func (w Window) Level(m Month) float64 {
	if !w.From.IsSet() || m < w.From {
		return 0
	}
	r := float64(w.RampMonths + 1)
	level := math.Min(1, float64(m-w.From+1)/r)
	if w.To.IsSet() && m >= w.To {
		level = math.Min(level, math.Max(0, 1-float64(m-w.To+1)/r))
	}
	return level
}

func (w Window) validate(key string) []error {
	if w.To.IsSet() && w.From.IsSet() && w.To <= w.From {
		return []error{&FieldError{Key: key + ".to", Msg: fmt.Sprintf("%s is not after from (%s)", w.To, w.From)}}
	}
	if w.To.IsSet() && !w.From.IsSet() {
		return []error{&FieldError{Key: key + ".from", Msg: "missing: to is set, so from must be too"}}
	}
	return nil
}

// PolicyParams is the timeline of policy levers. Every lever is off unless its
// window (or date) is set.
type PolicyParams struct {
	// InteriorRemovals raises the removal rate of the stock abroad (mass deportation).
	InteriorRemovals InteriorRemovals `toml:"interior_removals"`
	// CAM is the Central American Minors program.
	CAM CAMPolicy `toml:"cam"`
	// DACA is the rescission of Deferred Action for Childhood Arrivals.
	DACA DACAPolicy `toml:"daca"`
	// TPS is the termination of Temporary Protected Status.
	TPS TPSPolicy `toml:"tps"`
	// Aid is the aid initiative in the origin countries.
	Aid AidPolicy `toml:"aid"`
	// AidEffect is what a dollar of aid does, per channel; it acts only
	// through the dollars of policy.aid.
	AidEffect AidEffect `toml:"aid_effect"`
	// Mexico is enforcement in Mexico.
	Mexico MexicoPolicy `toml:"mexico"`
	// Border is U.S. border enforcement and deterrence.
	Border BorderPolicy `toml:"border"`
	// FamilyDetention changes the share of apprehended families released.
	FamilyDetention FamilyDetentionPolicy `toml:"family_detention"`
	// Reintegration changes the origin countries' reintegration capacity.
	Reintegration ReintegrationPolicy `toml:"reintegration"`
}

// InteriorRemovals is mass deportation: a multiplier on interior removal rates.
type InteriorRemovals struct {
	Window
	// RateMultiplier multiplies the removal rate of removable people (1 = no change).
	RateMultiplier float64 `toml:"rate_multiplier" unit:"factor" min:"0" max:"50"`
	// GangTargeting is the share of the additional removals aimed at people
	// with gang ties (0 = the extra removals fall like the usual ones).
	GangTargeting float64 `toml:"gang_targeting" unit:"fraction" min:"0" max:"1"`
	// More are the lever's further windows ([[policy.interior_removals]] after the first),
	// each with its own dates, ramp and size; see leversAt for how they
	// add up. Their own More is empty.
	More []InteriorRemovals `toml:"-"`
}

// CAMPolicy is the Central American Minors refugee/parole program: while open,
// a share of would-be child migrants with a parent lawfully in the U.S. apply
// instead of travelling, and arrive legally after processing.
type CAMPolicy struct {
	// Open is the month the program opens (December 2014 historically); unset = never.
	Open Month `toml:"open" unit:"YYYY-MM"`
	// Close is the month the program closes; unset = never. Closing cancels pending cases.
	Close Month `toml:"close" unit:"YYYY-MM"`
	// ApplyShare is the share of eligible would-be child migrants who apply instead of travelling.
	ApplyShare float64 `toml:"apply_share" unit:"fraction" min:"0" max:"1"`
	// ApprovalRate is the share of applications approved.
	ApprovalRate float64 `toml:"approval_rate" unit:"fraction" min:"0" max:"1"`
	// ProcessingMonths is the time from application to arrival.
	ProcessingMonths int `toml:"processing_months" unit:"months" min:"1" max:"60"`
	// DivertShare is the share of denied or cancelled applicants who then travel irregularly.
	DivertShare float64 `toml:"divert_share" unit:"fraction" min:"0" max:"1"`
}

// DACAPolicy is the rescission of DACA.
type DACAPolicy struct {
	// Rescind is the month DACA is rescinded; unset = never.
	Rescind Month `toml:"rescind" unit:"YYYY-MM"`
	// WindDownMonths is the mean time for which permits still run after rescission.
	WindDownMonths int `toml:"wind_down_months" unit:"months" min:"1" max:"120"`
}

// TPSPolicy is the termination of Temporary Protected Status. Guatemala never
// had TPS in the period, so it has no key.
type TPSPolicy struct {
	// EndSV is the month El Salvador's TPS ends (holders become removable); unset = never.
	EndSV Month `toml:"end_SV" unit:"YYYY-MM"`
	// EndHN is the month Honduras's TPS ends; unset = never.
	EndHN Month `toml:"end_HN" unit:"YYYY-MM"`
}

// End returns the month TPS ends for country c (unset for none).
func (t TPSPolicy) End(c Country) Month {
	switch c {
	case SV:
		return t.EndSV
	case HN:
		return t.EndHN
	}
	return 0
}

// AidPolicy is an aid initiative: per-country packages that lower homicide or
// unemployment after a delay, with a window that a funding cut can end. A
// package is given in dollars per channel (turned into effects by
// PolicyParams.AidEffect), as fractional effects, or both; the two add.
type AidPolicy struct {
	Window
	// DelayMonths is the lag from spending to effect.
	DelayMonths int `toml:"delay_months" unit:"months" min:"0" max:"120"`
	// SV, HN and GT are the packages per country.
	SV AidPackage `toml:"SV"`
	HN AidPackage `toml:"HN"`
	GT AidPackage `toml:"GT"`
	// More are the lever's further windows ([[policy.aid]] after the first),
	// each with its own dates, ramp, delay and effects; see leversAt for how
	// they add up. The departments are the lever's, named in the first
	// window: those of More, and their own More, are empty.
	More []AidPolicy `toml:"-"`
}

// Of returns country c's package.
func (a *AidPolicy) Of(c Country) *AidPackage {
	switch c {
	case SV:
		return &a.SV
	case HN:
		return &a.HN
	}
	return &a.GT
}

// AidPackage is one country's share of an aid initiative.
type AidPackage struct {
	// ViolenceUSD is the spending on violence prevention (community-based
	// crime prevention, police and forensic training) at full strength; it
	// lowers homicide in the targeted departments.
	ViolenceUSD float64 `toml:"violence_usd_millions_per_year" unit:"USD millions per year" min:"0" max:"10000"`
	// JobsUSD is the spending on jobs and training (youth job training,
	// trade facilitation) at full strength; it lowers unemployment.
	JobsUSD float64 `toml:"jobs_usd_millions_per_year" unit:"USD millions per year" min:"0" max:"10000"`
	// GovernanceUSD is the spending on governance and tax collection at full
	// strength; it lowers homicide (impunity).
	GovernanceUSD float64 `toml:"governance_usd_millions_per_year" unit:"USD millions per year" min:"0" max:"10000"`
	// HomicideEffect is the fractional fall in the homicide rate at full effect
	// (police and forensic training, impunity), on top of what the dollars do.
	HomicideEffect float64 `toml:"homicide_effect" unit:"fraction" min:"0" max:"0.9"`
	// UnemploymentEffect is the fractional fall in unemployment at full effect
	// (trade facilitation, youth jobs), on top of what the dollars do.
	UnemploymentEffect float64 `toml:"unemployment_effect" unit:"fraction" min:"0" max:"0.9"`
	// Departments limits the package to these departments; empty = the whole country.
	Departments []string `toml:"departments" unit:"department names"`
}

// MexicoPolicy is enforcement in Mexico.
type MexicoPolicy struct {
	Window
	// ApprehensionMultiplier multiplies Mexico's monthly apprehension probability
	// (0.3 ≈ Mexico stops cooperating; 2 = doubled enforcement).
	ApprehensionMultiplier float64 `toml:"apprehension_multiplier" unit:"factor" min:"0" max:"10"`
	// AdaptMonths is how fast smugglers adapt to the change (new routes,
	// fewer checkpoints crossed): from full strength, the change in the
	// apprehension probability decays with this e-folding time; 0 = never.
	AdaptMonths float64 `toml:"adapt_months" unit:"months" min:"0" max:"240"`
	// AsylumCapacity caps asylum claims Mexico accepts a month (real-world
	// persons, all three countries); 0 = no cap.
	AsylumCapacity float64 `toml:"asylum_capacity" unit:"persons per month" min:"0" max:"1000000"`
	// More are the lever's further windows ([[policy.mexico]] after the first),
	// each with its own dates, ramp and size; see leversAt for how they
	// add up. Their own More is empty.
	More []MexicoPolicy `toml:"-"`
}

// adapted is the share of Mexico's change in enforcement left at month m
// after smugglers adapt: 1 until the lever reaches full strength, then
// decaying with e-folding time AdaptMonths.
func (p *MexicoPolicy) adapted(m Month) float64 {
	full := p.From.Add(p.RampMonths)
	if p.AdaptMonths <= 0 || !p.From.IsSet() || m <= full {
		return 1
	}
	return exp(-float64(m-full) / p.AdaptMonths)
}

// BorderPolicy is U.S. border enforcement and the deterrence of announcements.
type BorderPolicy struct {
	Window
	// ApprehensionMultiplier multiplies the border apprehension probabilities (capped at 1).
	ApprehensionMultiplier float64 `toml:"apprehension_multiplier" unit:"factor" min:"0" max:"10"`
	// DeterrenceShock is the share of every kind's perceived stay that
	// households believe lost when the policy starts (the dip after a change
	// of administration), then fades.
	DeterrenceShock float64 `toml:"deterrence_shock" unit:"fraction of the perceived stay" min:"0" max:"1"`
	// ShockDecayMonths is the e-folding time of the deterrence shock (the creep back).
	ShockDecayMonths float64 `toml:"shock_decay_months" unit:"months" min:"0.1" max:"120"`
	// More are the lever's further windows ([[policy.border]] after the first),
	// each with its own dates, ramp and size; see leversAt for how they
	// add up. Their own More is empty.
	More []BorderPolicy `toml:"-"`
}

// FamilyDetentionPolicy scales the share of apprehended families released
// with a pending case: below 1 while detention expands (as from mid-2014),
// back to 1 when it ends (as after the Flores ruling of 2015).
type FamilyDetentionPolicy struct {
	Window
	// ReleaseMultiplier multiplies border.family_release at full strength.
	ReleaseMultiplier float64 `toml:"release_multiplier" unit:"factor" min:"0" max:"1"`
	// More are the lever's further windows ([[policy.family_detention]] after the first),
	// each with its own dates, ramp and size; see leversAt for how they
	// add up. Their own More is empty.
	More []FamilyDetentionPolicy `toml:"-"`
}

// ReintegrationPolicy scales the reintegration capacity of all three countries.
type ReintegrationPolicy struct {
	Window
	// CapacityMultiplier multiplies each country's reintegration capacity at full strength.
	CapacityMultiplier float64 `toml:"capacity_multiplier" unit:"factor" min:"0" max:"100"`
	// More are the lever's further windows ([[policy.reintegration]] after the first),
	// each with its own dates, ramp and size; see leversAt for how they
	// add up. Their own More is empty.
	More []ReintegrationPolicy `toml:"-"`
}

// DefaultPolicy is the status quo from 2012: CAM opens in December 2014 and
// stays open; nothing else changes.
func DefaultPolicy() PolicyParams {
	return PolicyParams{
		InteriorRemovals: InteriorRemovals{RateMultiplier: 1},
		CAM: CAMPolicy{Open: MonthOf(2014, 12), ApplyShare: 0.35, ApprovalRate: 0.85,
			ProcessingMonths: 12, DivertShare: 0.6},
		DACA:            DACAPolicy{WindDownMonths: 24},
		Aid:             AidPolicy{DelayMonths: 6},
		AidEffect:       DefaultAidEffect(),
		Mexico:          MexicoPolicy{ApprehensionMultiplier: 1},
		Border:          BorderPolicy{ApprehensionMultiplier: 1, ShockDecayMonths: 6},
		FamilyDetention: FamilyDetentionPolicy{ReleaseMultiplier: 1},
		Reintegration:   ReintegrationPolicy{CapacityMultiplier: 1},
	}
}

func (p *PolicyParams) validate() []error {
	var errs []error
	errs = append(errs, validateLever("policy.interior_removals", &p.InteriorRemovals, p.InteriorRemovals.More, func(w *InteriorRemovals) (Window, int) { return w.Window, len(w.More) })...)
	errs = append(errs, validateLever("policy.aid", &p.Aid, p.Aid.More, func(w *AidPolicy) (Window, int) { return w.Window, len(w.More) })...)
	errs = append(errs, validateLever("policy.mexico", &p.Mexico, p.Mexico.More, func(w *MexicoPolicy) (Window, int) { return w.Window, len(w.More) })...)
	errs = append(errs, validateLever("policy.border", &p.Border, p.Border.More, func(w *BorderPolicy) (Window, int) { return w.Window, len(w.More) })...)
	errs = append(errs, validateLever("policy.family_detention", &p.FamilyDetention, p.FamilyDetention.More, func(w *FamilyDetentionPolicy) (Window, int) { return w.Window, len(w.More) })...)
	errs = append(errs, validateLever("policy.reintegration", &p.Reintegration, p.Reintegration.More, func(w *ReintegrationPolicy) (Window, int) { return w.Window, len(w.More) })...)
	for i := range p.Aid.More {
		for c := Country(0); c < NumCountries; c++ {
			if len(p.Aid.More[i].Of(c).Departments) > 0 {
				errs = append(errs, &FieldError{Key: fmt.Sprintf("%s.%s.departments", WindowKey("policy.aid", i+1, len(p.Aid.More)+1), c),
					Msg: "departments belong to the lever, not to a window: name them in the first [[policy.aid]] only"})
			}
		}
	}
	if p.CAM.Close.IsSet() && p.CAM.Open.IsSet() && p.CAM.Close <= p.CAM.Open {
		errs = append(errs, &FieldError{Key: "policy.cam.close", Msg: fmt.Sprintf("%s is not after open (%s)", p.CAM.Close, p.CAM.Open)})
	}
	return errs
}
