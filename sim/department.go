package sim

import "slices"

// Observation by department. With Options.ByDepartment the engine also
// records, each month, the metrics it can attribute to a department: flows of
// the people who leave it and come back to it, its people abroad, and its
// origin conditions. The shards count them in per-department counters that
// exist only when asked for, so a run without them does no extra work beyond
// a nil check per departure and per return; reduce sums the counters in shard
// order (integer sums, so the result does not depend on the worker count).

// DepartmentMetric names one monthly observation per department.
type DepartmentMetric uint8

// The metrics recorded per department, in the order series_department.csv
// lists them. Names never change.
const (
	DeptDeparturesUAC       DepartmentMetric = iota // flow: children alone who leave the department
	DeptDeparturesFamily                            // flow: people leaving in family units
	DeptDeparturesAdult                             // flow: single adults leaving (re-migrants included)
	DeptDeparturesRemigrant                         // flow: returned adults who leave again
	DeptMXDeportations                              // flow: people deported home by Mexico
	DeptUSRemovalsBorder                            // flow: people removed home at the U.S. border
	DeptUSRemovalsInterior                          // flow: people removed home from the U.S. interior
	DeptReturnees                                   // flow: everyone coming home, voluntary returns included
	DeptReturneesGang                               // flow: returnees with gang ties
	DeptStockUS                                     // stock: the department's people in the U.S., every status
	DeptNetwork                                     // rate: people abroad, percent of residents, as households sensed it this month
	DeptHomicideRate                                // rate: per 100,000 per year
	DeptUnemploymentRate                            // rate: percent
	NumDepartmentMetrics
)

var departmentMetricNames = [NumDepartmentMetrics]string{
	"departures_uac", "departures_family", "departures_adult", "departures_remigrant",
	"mx_deportations", "us_removals_border", "us_removals_interior",
	"returnees", "returnees_gang", "stock_us_total", "network", "homicide_rate", "unemployment_rate",
}

// departmentNational lists, for each department metric, the national metrics
// whose sum over a country's departments it adds up to; nil for rates.
var departmentNational = [NumDepartmentMetrics][]Metric{
	{DeparturesUAC}, {DeparturesFamily}, {DeparturesAdult}, {DeparturesRemigrant},
	{MXDeportations}, {USRemovalsBorder}, {USRemovalsInterior},
	{Returnees}, {ReturneesGang},
	{StockUndocumented, StockPending, StockTPS, StockDACA, StockProtected},
	nil, {HomicideRate}, {UnemploymentRate},
}

// Name is the metric's column value in series_department.csv. A metric that
// also exists nationally has the national metric's name.
func (m DepartmentMetric) Name() string { return departmentMetricNames[m] }

// String returns the name.
func (m DepartmentMetric) String() string { return m.Name() }

// Kind says whether the metric is a flow, a stock or a rate.
func (m DepartmentMetric) Kind() Kind {
	switch m {
	case DeptStockUS:
		return Stock
	case DeptNetwork, DeptHomicideRate, DeptUnemploymentRate:
		return Rate
	}
	return Flow
}

// National returns the national metrics this one refines. For a flow or a
// stock, the department values of a country sum to the sum of these; for
// homicide and unemployment, their population-weighted mean is the national
// rate. It is nil for the network, which has no national metric.
func (m DepartmentMetric) National() []Metric { return departmentNational[m] }

// ParseDepartmentMetric returns the department metric with the given name.
func ParseDepartmentMetric(name string) (DepartmentMetric, bool) {
	for i, s := range departmentMetricNames {
		if s == name {
			return DepartmentMetric(i), true
		}
	}
	return 0, false
}

// DepartmentSeries is one replicate's monthly observations per department,
// in the months of the Series that holds it. Its zero value (Values nil)
// means the run did not record them.
type DepartmentSeries struct {
	Names      []string  // as the data spell them, in Geography order
	Countries  []Country // of each department
	Population []float64 // residents (real persons), fixed for the run
	Values     []float64 // index ((t*len(Names))+r)*NumDepartmentMetrics + m
}

// Len is the number of departments.
func (d *DepartmentSeries) Len() int { return len(d.Names) }

// At returns the value of metric m for department r in month t (0 = Start).
func (d *DepartmentSeries) At(t, r int, m DepartmentMetric) float64 {
	return d.Values[(t*len(d.Names)+r)*int(NumDepartmentMetrics)+int(m)]
}

// Total sums metric m for department r over months [from, to).
func (d *DepartmentSeries) Total(r int, m DepartmentMetric, from, to int) float64 {
	var sum float64
	for t := from; t < to; t++ {
		sum += d.At(t, r, m)
	}
	return sum
}

func (d *DepartmentSeries) clone() DepartmentSeries {
	return DepartmentSeries{Names: slices.Clone(d.Names), Countries: slices.Clone(d.Countries),
		Population: slices.Clone(d.Population), Values: slices.Clone(d.Values)}
}

// The per-department counters of a shard, numDeptCounters per department:
// departures by kind, re-migrant departures, returns by how they came
// back (retMexico …), returns with gang ties.
const (
	cDepart         = 0 // + kindUAC, kindFamily, kindAdult
	cRemigrant      = 3
	cReturn         = 4 // + retMexico, retBorder, retInterior, retVoluntary
	cGang           = 8
	numDeptCounters = 9
)

// observeDepartments makes w record its departments from the next month on.
// It is called before the first reported month, so every reported month
// counts from a clean start.
func (w *World) observeDepartments() {
	nr := len(w.regions)
	w.dept = make([]int64, nr*numDeptCounters)
	for k := range w.shards {
		w.shards[k].dept = make([]int64, nr*numDeptCounters)
	}
	d := DepartmentSeries{Names: make([]string, nr), Countries: make([]Country, nr), Population: make([]float64, nr),
		Values: make([]float64, w.p.Months*nr*int(NumDepartmentMetrics))}
	for r, rs := range w.regions {
		d.Names[r] = w.p.Geography.Regions[r].Name
		d.Countries[r] = rs.country
		d.Population[r] = rs.pop
	}
	w.series.Departments = d
}

// countDeparture counts size people of the given kind leaving department r.
func (s *shard) countDeparture(r, kind, size uint8) {
	if s.dept != nil {
		s.dept[int(r)*numDeptCounters+cDepart+int(kind)] += int64(size)
	}
}

// countRemigrant counts a returned adult of department r leaving again.
func (s *shard) countRemigrant(r uint8) {
	if s.dept != nil {
		s.dept[int(r)*numDeptCounters+cRemigrant]++
	}
}

// countReturn counts n people coming home to department r (how says how).
func (s *shard) countReturn(r, how uint8, n int64, gang bool) {
	if s.dept != nil {
		s.dept[int(r)*numDeptCounters+cReturn+int(how)] += n
		if gang {
			s.dept[int(r)*numDeptCounters+cGang] += n
		}
	}
}

// reduceDepartments sums the shards' department counters in shard order,
// clears them, and records the month after the warm-up. It runs after
// collect, whose people abroad per department it reads.
func (w *World) reduceDepartments() {
	if w.dept == nil {
		return
	}
	clear(w.dept)
	for k := range w.shards {
		s := &w.shards[k]
		for i, v := range s.dept {
			w.dept[i] += v
		}
		clear(s.dept)
	}
	if !w.started() {
		return
	}
	d := &w.series.Departments
	nr := len(w.regions)
	scale := w.p.Scale
	t := w.t - warmup
	for r, rs := range w.regions {
		n := w.dept[r*numDeptCounters : (r+1)*numDeptCounters]
		v := d.Values[(t*nr+r)*int(NumDepartmentMetrics) : (t*nr+r+1)*int(NumDepartmentMetrics)]
		v[DeptDeparturesUAC] = float64(n[cDepart+kindUAC]) / scale
		v[DeptDeparturesFamily] = float64(n[cDepart+kindFamily]) / scale
		v[DeptDeparturesAdult] = float64(n[cDepart+kindAdult]) / scale
		v[DeptDeparturesRemigrant] = float64(n[cRemigrant]) / scale
		v[DeptMXDeportations] = float64(n[cReturn+retMexico]) / scale
		v[DeptUSRemovalsBorder] = float64(n[cReturn+retBorder]) / scale
		v[DeptUSRemovalsInterior] = float64(n[cReturn+retInterior]) / scale
		v[DeptReturnees] = float64(n[cReturn+retMexico]+n[cReturn+retBorder]+n[cReturn+retInterior]+n[cReturn+retVoluntary]) / scale
		v[DeptReturneesGang] = float64(n[cGang]) / scale
		v[DeptStockUS] = w.regionAbroad[r] / scale
		v[DeptNetwork] = rs.network
		v[DeptHomicideRate] = rs.homicide
		v[DeptUnemploymentRate] = rs.unemployment
	}
}
