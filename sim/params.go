package sim

import (
	"errors"
	"fmt"
	"math"
)

// Params is a fully resolved scenario: every number the engine uses. The
// struct tags give each field its scenario key (toml), its unit and its valid
// range (min, max, inclusive); the scenarios package checks them, and docs are
// generated from them. Geography is not a scenario key: the scenarios package
// builds it from the public data in scenarios/data.
type Params struct {
	// Name identifies the scenario in every output row.
	Name string `toml:"name"`
	// Description says what the scenario asks, in a sentence.
	Description string `toml:"description"`
	// Start is the first simulated month.
	Start Month `toml:"start" unit:"YYYY-MM"`
	// Months is the number of simulated months.
	Months int `toml:"months" unit:"months" min:"1" max:"600"`
	// Scale is the fraction of real households simulated; 1 simulates every
	// household. Reported counts are always in real-world units.
	Scale float64 `toml:"scale" unit:"fraction of households" min:"0.0001" max:"1"`
	// Replicates is the number of independent runs with derived seeds.
	Replicates int `toml:"replicates" unit:"runs" min:"1" max:"100000"`
	// Seed is the root of every random stream; replicate r of any scenario with
	// the same seed uses the same streams (common random numbers).
	Seed uint64 `toml:"seed" unit:"integer"`
	// Reference is the scenario this one branches from (a library name or a
	// file): its keys are the base of this scenario's, and its world runs
	// until the branch month. Empty: the scenario starts from the defaults.
	Reference string `toml:"reference" unit:"scenario name or file"`
	// Branch is the month from which the scenario's own keys apply; before
	// it, the world is the reference's.
	Branch Month `toml:"branch" unit:"YYYY-MM"`
	// ReferenceParams is the resolved reference (not a scenario key).
	ReferenceParams *Params `toml:"-" json:"-"`

	// Country holds the per-country initial state and country-specific parameters.
	Country CountrySet `toml:"country"`
	// Origin sets how regions differ where department data is missing.
	Origin OriginParams `toml:"origin"`
	// Decision is the household decision submodel.
	Decision DecisionParams `toml:"decision"`
	// Transit is the journey through Mexico.
	Transit TransitParams `toml:"transit"`
	// Border is the U.S. southwest border.
	Border BorderParams `toml:"border"`
	// Abroad is life in the United States by legal status.
	Abroad AbroadParams `toml:"abroad"`
	// Feedback is the effect of returnees on origin violence and jobs.
	Feedback FeedbackParams `toml:"feedback"`
	// Remigration is returned migrants' own hazard of going north again.
	Remigration RemigrationParams `toml:"remigration"`
	// Remittances is what relatives in the U.S. send home and how it eases the push to leave.
	Remittances RemittanceParams `toml:"remittances"`
	// Mechanisms switches each mechanism on or off, so its effect can be isolated.
	Mechanisms Mechanisms `toml:"mechanisms"`
	// Policy is the timeline of policy levers.
	Policy PolicyParams `toml:"policy"`
	// Shocks are exogenous paths for violence and jobs per country.
	Shocks []Shock `toml:"shock"`

	// Geography is the regions and the exogenous homicide series (not a scenario key).
	Geography Geography `toml:"-" json:"-"`
}

// CountrySet holds one CountryParams per origin country.
type CountrySet struct {
	SV CountryParams `toml:"SV"`
	HN CountryParams `toml:"HN"`
	GT CountryParams `toml:"GT"`
}

// Of returns the parameters of country c.
func (s *CountrySet) Of(c Country) *CountryParams {
	switch c {
	case SV:
		return &s.SV
	case HN:
		return &s.HN
	}
	return &s.GT
}

// CountryParams is the initial state and country-specific parameters of one
// origin country.
type CountryParams struct {
	// Population is the national population at the start (from data: see scenarios/data).
	Population float64 `toml:"population" unit:"persons" min:"100000" max:"100000000"`
	// HouseholdSize is the mean number of people per household.
	HouseholdSize float64 `toml:"household_size" unit:"persons" min:"1.5" max:"10"`
	// ChildShare is the share of households with children under 18 at home.
	ChildShare float64 `toml:"child_share" unit:"fraction of households" min:"0" max:"1"`
	// PoorShare is the share of households that are poor but not extremely poor.
	PoorShare float64 `toml:"poor_share" unit:"fraction of households" min:"0" max:"1"`
	// ExtremePoorShare is the share of households in extreme poverty.
	ExtremePoorShare float64 `toml:"extreme_poor_share" unit:"fraction of households" min:"0" max:"1"`
	// Unemployment is the exogenous open unemployment rate.
	Unemployment float64 `toml:"unemployment" unit:"percent" min:"0" max:"60"`
	// Abroad is the number of people born in the country living in the U.S. at the start.
	Abroad float64 `toml:"abroad" unit:"persons" min:"0" max:"20000000"`
	// TieShare is the share of households with at least one relative in the U.S.
	TieShare float64 `toml:"tie_share" unit:"fraction of households" min:"0.01" max:"1"`
	// UndocumentedShare is the share of those abroad without legal status at the start.
	UndocumentedShare float64 `toml:"undocumented_share" unit:"fraction of stock" min:"0" max:"1"`
	// PendingShare is the share of those abroad with a pending asylum case at the start.
	PendingShare float64 `toml:"pending_share" unit:"fraction of stock" min:"0" max:"1"`
	// TPS is the number of Temporary Protected Status holders at the start.
	TPS float64 `toml:"tps" unit:"persons" min:"0" max:"5000000"`
	// DACA is the number of DACA recipients at the start.
	DACA float64 `toml:"daca" unit:"persons" min:"0" max:"5000000"`
	// Intercept is the log-odds of a monthly departure for a reference household
	// (not poor, no children, no ties, homicide rate 1, unemployment 0,
	// enforcement as at the start of the warm-up): calibrated.
	Intercept float64 `toml:"intercept" unit:"log-odds per month" min:"-20" max:"0"`
	// UACShift moves the share of children who go alone (decision.uac_share)
	// for this country: Guatemalan children, for one, travel alone more.
	UACShift float64 `toml:"uac_shift" unit:"log-odds" min:"-5" max:"5"`
	// FamilyShift moves the share of family units among the other departures
	// of households with children (decision.family_share) for this country:
	// Guatemalans, for one, travelled less as families. Calibrated.
	FamilyShift float64 `toml:"family_shift" unit:"log-odds" min:"-5" max:"5"`
	// RemovalShift is the log of the factor on the monthly interior removal
	// probability of this country's undocumented people (every criminal
	// class), relative to abroad.removal_rate: ICE removes nationals of the
	// three countries at different rates per resident (where they live, how
	// long they have been settled). Calibrated; El Salvador is the reference.
	RemovalShift float64 `toml:"removal_shift" unit:"log factor" min:"-5" max:"5"`
	// ReintegrationCapacity is how many returnees a month the country's
	// reintegration programmes absorb, so they do not feed violence or unemployment.
	ReintegrationCapacity float64 `toml:"reintegration_capacity" unit:"persons per month" min:"0" max:"1000000"`
}

// OriginParams sets the regional heterogeneity of origin conditions.
type OriginParams struct {
	// RegionSpread is the standard deviation of log homicide and unemployment
	// factors across departments, used where department data is missing.
	RegionSpread float64 `toml:"region_spread" unit:"sd of log factor" min:"0" max:"1.5"`
}

// Mechanisms switches each mechanism on or off. Off removes the mechanism's
// effect entirely, so a modeller can isolate it.
type Mechanisms struct {
	// DeporteeFeedback: gang-tied returnees raise homicide rates.
	DeporteeFeedback bool `toml:"deportee_feedback"`
	// ReturneeUnemployment: returnees raise unemployment.
	ReturneeUnemployment bool `toml:"returnee_unemployment"`
	// Networks: relatives abroad and the community network raise departures.
	Networks bool `toml:"networks"`
	// Deterrence: perceived enforcement lowers departures.
	Deterrence bool `toml:"deterrence"`
	// Pull: perceived chances of staying raise departures of families and children.
	Pull bool `toml:"pull"`
	// CAM: the Central American Minors program diverts child applicants while open.
	CAM bool `toml:"cam"`
	// MexicoEnforcement: Mexico apprehends and deports migrants in transit.
	MexicoEnforcement bool `toml:"mexico_enforcement"`
	// MexicoAsylum: migrants claim asylum in Mexico.
	MexicoAsylum bool `toml:"mexico_asylum"`
	// BorderEnforcement: the U.S. Border Patrol apprehends at the border.
	BorderEnforcement bool `toml:"border_enforcement"`
	// InteriorRemovals: ICE removes people from the stock abroad.
	InteriorRemovals bool `toml:"interior_removals"`
	// AsylumDecisions: pending cases are decided (granted or denied).
	AsylumDecisions bool `toml:"asylum_decisions"`
	// VoluntaryReturn: people abroad return home of their own accord.
	VoluntaryReturn bool `toml:"voluntary_return"`
	// Remigration: returned adults may go north again on their own hazard (remigration.go).
	Remigration bool `toml:"remigration"`
	// Reintegration: reintegration programmes absorb returnees up to capacity.
	Reintegration bool `toml:"reintegration"`
	// Aid: aid programmes change violence and jobs (when a programme is scheduled).
	Aid bool `toml:"aid"`
	// Shocks: the scenario's exogenous violence and jobs paths apply.
	Shocks bool `toml:"shocks"`
	// Remittances: relatives in the U.S. send money home, which eases the
	// poverty and unemployment push; a removal stops it (remittance.go).
	Remittances bool `toml:"remittances"`
}

// AllMechanisms has every mechanism switched on.
func AllMechanisms() Mechanisms {
	return Mechanisms{true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true}
}

// DefaultParams returns the engine's defaults: the status-quo baseline from
// January 2012, without the data-derived values (Geography, populations, TPS
// and DACA holders) that the scenarios package adds from scenarios/data.
func DefaultParams() Params {
	p := Params{
		Name:        "default",
		Description: "engine defaults",
		Start:       MonthOf(2012, 1),
		Months:      120,
		Scale:       0.05,
		Replicates:  10,
		Seed:        1,
		Origin:      OriginParams{RegionSpread: 0.35},
		Decision:    DefaultDecision(),
		Transit:     DefaultTransit(),
		Border:      DefaultBorder(),
		Abroad:      DefaultAbroad(),
		Feedback:    DefaultFeedback(),
		Remigration: DefaultRemigration(),
		Remittances: DefaultRemittances(),
		Mechanisms:  AllMechanisms(),
		Policy:      DefaultPolicy(),
	}
	// Household structure, poverty and unemployment: national surveys around
	// 2014 (EHPM El Salvador, EPHPM Honduras, ENCOVI/ENEI Guatemala); stock
	// abroad by country: ACS 2012 orders of magnitude. These are assumptions
	// with ranges in docs/ODD.md; scenarios/data has only the three-country total.
	// The intercepts, uac_shift, family_shift and removal_shift were fitted by 'migrasim
	// calibrate' (the default spec).
	p.Country.SV = CountryParams{HouseholdSize: 3.7, ChildShare: 0.62, PoorShare: 0.24, ExtremePoorShare: 0.08,
		Unemployment: 6.5, Abroad: 1250000, TieShare: 0.36, UndocumentedShare: 0.5, PendingShare: 0.02,
		Intercept: -10.54, ReintegrationCapacity: 500}
	p.Country.HN = CountryParams{HouseholdSize: 4.4, ChildShare: 0.70, PoorShare: 0.23, ExtremePoorShare: 0.40,
		Unemployment: 5.3, Abroad: 600000, TieShare: 0.22, UndocumentedShare: 0.65, PendingShare: 0.02,
		Intercept: -9.93, UACShift: -0.470, FamilyShift: 0.352, RemovalShift: 0.968, ReintegrationCapacity: 500}
	p.Country.GT = CountryParams{HouseholdSize: 4.9, ChildShare: 0.74, PoorShare: 0.36, ExtremePoorShare: 0.23,
		Unemployment: 2.9, Abroad: 900000, TieShare: 0.15, UndocumentedShare: 0.6, PendingShare: 0.02,
		Intercept: -9.71, UACShift: -0.299, FamilyShift: -0.791, RemovalShift: 0.593, ReintegrationCapacity: 500}
	return p
}

// End is the month after the last simulated month.
func (p *Params) End() Month { return p.Start.Add(p.Months) }

// FieldError is a problem with one scenario key.
type FieldError struct {
	Key string // dotted key path as written in the scenario, e.g. "policy.cam.close"
	Msg string
}

func (e *FieldError) Error() string { return e.Key + ": " + e.Msg }

// Validate checks the relations between fields that per-field ranges cannot
// express, and that Geography is present. It returns every problem at once as
// FieldErrors joined with errors.Join.
func (p *Params) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &FieldError{Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	if !p.Start.IsSet() || p.Start.Year() < 1990 || p.Start.Year() > 2100 {
		bad("start", "want a month between 1990-01 and 2100-12, got %q", p.Start.String())
	}
	for c := Country(0); c < NumCountries; c++ {
		cp := p.Country.Of(c)
		key := "country." + c.Code() + "."
		if s := cp.PoorShare + cp.ExtremePoorShare; s > 1 {
			bad(key+"poor_share", "poor_share + extreme_poor_share = %g, more than 1", s)
		}
		if s := cp.UndocumentedShare + cp.PendingShare + (cp.TPS+cp.DACA)/math.Max(cp.Abroad, 1); s > 1+1e-9 {
			bad(key+"undocumented_share", "undocumented_share + pending_share + (tps + daca)/abroad = %.3f, more than 1", s)
		}
		if cp.Population > 0 && cp.HouseholdSize > 0 {
			mean := cp.Abroad / (cp.Population / cp.HouseholdSize)
			if cp.TieShare > mean && cp.Abroad > 0 {
				bad(key+"tie_share", "tie_share %.3f is more than the mean number of relatives abroad per household (%.3f = abroad / households); lower it or raise abroad", cp.TieShare, mean)
			}
		}
		if cp.Population == 0 {
			bad(key+"population", "missing: the scenario loader sets it from data")
		}
	}
	if len(p.Geography.Regions) == 0 {
		bad("geography", "no regions: the scenario loader builds them from scenarios/data")
	}
	for c := Country(0); c < NumCountries; c++ {
		if len(p.Geography.Homicide[c]) == 0 {
			bad("geography", "no homicide series for %s", c)
		}
	}
	errs = append(errs, p.Policy.validate()...)
	errs = append(errs, p.validateBranch()...)
	for i := range p.Shocks {
		errs = append(errs, p.Shocks[i].validate(fmt.Sprintf("shock[%d]", i))...)
	}
	return errors.Join(errs...)
}
