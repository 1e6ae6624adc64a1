package sim

// Metric names one monthly observation per country. Flows are people per month,
// stocks are people at month end, all in real-world units (simulated counts
// divided by the scale).
type Metric uint8

// The observed metrics, in the order series.csv lists them. Names never change.
const (
	DeparturesUAC Metric = iota
	DeparturesFamily
	DeparturesAdult
	CAMArrivals
	MXApprehensions
	MXDeportations
	MXAsylumClaims
	USApprehensionsUAC
	USApprehensionsFamily
	USApprehensionsAdult
	USEvasions
	USAsylumClaims
	USRemovalsBorder
	USRemovalsInterior
	USRemovalsCriminal
	StockUndocumented
	StockPending
	StockTPS
	StockDACA
	StockProtected
	Returnees
	ReturneesGang
	HomicideRate
	UnemploymentRate
	DeparturesRemigrant
	USApprehensionsRepeat
	CAMApplications
	NumMetrics
)

var metricNames = [NumMetrics]string{
	"departures_uac", "departures_family", "departures_adult", "cam_arrivals",
	"mx_apprehensions", "mx_deportations", "mx_asylum_claims",
	"us_apprehensions_uac", "us_apprehensions_family", "us_apprehensions_adult",
	"us_evasions", "us_asylum_claims",
	"us_removals_border", "us_removals_interior", "us_removals_criminal",
	"stock_us_undocumented", "stock_us_pending", "stock_us_tps", "stock_us_daca", "stock_us_protected",
	"returnees", "returnees_gang", "homicide_rate", "unemployment_rate",
	"departures_remigrant", "us_apprehensions_repeat", "cam_applications",
}

// Kind says how a metric aggregates over time.
type Kind uint8

// Metric kinds.
const (
	Flow  Kind = iota // people per month: periods sum
	Stock             // people at month end: a period reports its last month
	Rate              // a rate: a period reports its mean
)

// Name is the metric's column value in series.csv.
func (m Metric) Name() string { return metricNames[m] }

// String returns the name.
func (m Metric) String() string { return m.Name() }

// Kind says whether the metric is a flow, a stock or a rate.
func (m Metric) Kind() Kind {
	switch {
	case m >= StockUndocumented && m <= StockProtected:
		return Stock
	case m == HomicideRate || m == UnemploymentRate:
		return Rate
	}
	return Flow
}

// String names the kind as summary.csv writes it.
func (k Kind) String() string {
	return [...]string{"flow", "stock", "rate"}[k]
}

// ParseMetric returns the metric with the given name.
func ParseMetric(name string) (Metric, bool) {
	for i, s := range metricNames {
		if s == name {
			return Metric(i), true
		}
	}
	return 0, false
}
