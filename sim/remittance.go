package sim

// RemittanceParams is the remittance submodel (docs/ODD.md 7.4a): every
// relative in the U.S. sends home the same share of the country's
// remittances, and a household's remittance income cuts the push of poverty
// and unemployment in its decision hazard. A relative who leaves the stock
// abroad (a removal from the interior or a return) stops sending at once,
// because the household's count of relatives in the U.S. falls.
type RemittanceParams struct {
	// SV, HN and GT are the remittances each country receives as a
	// percentage of its GDP (scenarios/data/remittances_diaspora.csv, 2015:
	// the IDB/FOMIN figures), held at that level over the run.
	SV float64 `toml:"SV" unit:"percent of GDP" min:"0" max:"100"`
	HN float64 `toml:"HN" unit:"percent of GDP" min:"0" max:"100"`
	GT float64 `toml:"GT" unit:"percent of GDP" min:"0" max:"100"`
	// PushCut is the share by which remittances cut a household's poverty
	// and unemployment push when its remittance income is ReferenceShare of
	// the mean household income: 0.4, the middle of the 30–50% fall in the
	// probability of being poor that receiving remittances brings in Mexico
	// (Esquivel & Huerta-Pineda 2006); 0 switches the effect off.
	PushCut float64 `toml:"push_cut" unit:"fraction of the push" min:"0" max:"1"`
	// ReferenceShare is the remittance income, as a share of the country's
	// mean household income, at which the cut is PushCut: that of the
	// average receiving household (percent of GDP over the share of
	// households with relatives abroad), averaged over the three countries.
	ReferenceShare float64 `toml:"reference_share" unit:"fraction of mean household income" min:"0.01" max:"10"`
}

// DefaultRemittances returns the remittance defaults (docs/ODD.md 7.4a).
func DefaultRemittances() RemittanceParams {
	return RemittanceParams{SV: 17, HN: 18, GT: 10, PushCut: 0.4, ReferenceShare: 0.65}
}

// Of returns country c's remittances as a percentage of its GDP.
func (r *RemittanceParams) Of(c Country) float64 {
	switch c {
	case SV:
		return r.SV
	case HN:
		return r.HN
	}
	return r.GT
}

// remittancePerRelative is what one relative in the U.S. sends to a
// household of country c, as a share of the country's mean household
// income: the country's remittances spread evenly over the people abroad at
// the start, with GDP per household standing for mean household income.
func (p *Params) remittancePerRelative(c Country) float64 {
	cp := p.Country.Of(c)
	if cp.Abroad <= 0 || cp.Population <= 0 || cp.HouseholdSize <= 0 {
		return 0
	}
	households := cp.Population / cp.HouseholdSize
	return p.Remittances.Of(c) / 100 * households / cp.Abroad
}

// remittanceKeeps is, per country and ties bucket, the weight remittances
// leave on the poverty and unemployment push of a household (1 for no
// relatives abroad, and everywhere when the mechanism is off). It depends on
// the parameters only.
func (p *Params) remittanceKeeps() (keeps [NumCountries][4]float64) {
	for c := range keeps {
		rel := p.remittancePerRelative(Country(c))
		for b := range keeps[c] {
			keeps[c][b] = 1
			if b > 0 && p.Mechanisms.Remittances {
				keeps[c][b] = p.Remittances.remittanceWeight(float64(tieBucketValue[b] * rel))
			}
		}
	}
	return keeps
}

// remittanceWeight is the weight left on the poverty and unemployment push
// of a household with remittance income s (a share of mean household
// income): (1 − PushCut) raised to s/ReferenceShare, so 1 with no
// remittances, 1 − PushCut at the reference income, and falling toward 0 as
// remittances grow, never below.
func (r *RemittanceParams) remittanceWeight(s float64) float64 {
	switch {
	case s <= 0 || r.PushCut <= 0:
		return 1
	case r.PushCut >= 1:
		return 0
	}
	return exp(float64(s/r.ReferenceShare) * log(1-r.PushCut))
}

// push is the part of a household's log-odds that remittances weigh down:
// the unemployment term and the poverty shift, each where it pushes
// (positive). A negative poverty shift is a cost barrier, not a push, and
// is left alone.
func push(unemployment, poverty float64) float64 {
	return max(unemployment, 0) + max(poverty, 0)
}
