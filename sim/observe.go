package sim

// Series is one replicate's monthly observations: for each month from Start,
// each country and each metric, a value in real-world units.
type Series struct {
	Scenario  string
	Replicate int
	Start     Month
	Months    int
	Values    []float64 // index ((t*NumCountries)+c)*NumMetrics + m
	// Departments holds the observations per department when
	// Options.ByDepartment asked for them; its Values are nil otherwise.
	Departments DepartmentSeries
}

// At returns the value of metric m for country c in month t (0 = Start).
func (s *Series) At(t int, c Country, m Metric) float64 {
	return s.Values[(t*int(NumCountries)+int(c))*int(NumMetrics)+int(m)]
}

func (s *Series) set(t int, c Country, m Metric, v float64) {
	s.Values[(t*int(NumCountries)+int(c))*int(NumMetrics)+int(m)] = v
}

// Total sums metric m for country c over months [from, to).
func (s *Series) Total(c Country, m Metric, from, to int) float64 {
	var sum float64
	for t := from; t < to; t++ {
		sum += s.At(t, c, m)
	}
	return sum
}

var stockMetric = [numStatus]Metric{StockUndocumented, StockPending, StockTPS, StockDACA, StockProtected}

// totals are the shard counters summed in shard order.
type totals struct {
	flow    [NumCountries][NumMetrics]int64
	persons [NumCountries][numStatus]int64
}

// collect sums the shards' counters in shard order into tot, the world's
// aggregates and the per-department returns (w.scratch), and clears the
// shards' per-month counters.
func (w *World) collect(tot *totals) {
	flow, persons := &tot.flow, &tot.persons
	w.groups = [NumCountries][numStatus][3]int64{}
	var demand int64
	ret, gang := w.scratch[0], w.scratch[1]
	clear(ret)
	clear(gang)
	clear(w.regionAbroad)
	clear(w.left)
	for k := range w.shards {
		s := &w.shards[k]
		for c := range flow {
			for m := range flow[c] {
				flow[c][m] += s.flow[c][m]
			}
			for st := range persons[c] {
				persons[c][st] += s.persons[c][st]
				for x := range 3 {
					w.groups[c][st][x] += s.groups[c][st][x]
				}
			}
		}
		for r := range w.regions {
			w.regionAbroad[r] += float64(s.regionAbroad[r])
			ret[r] += float64(s.regionReturnees[r])
			gang[r] += float64(s.regionGang[r])
			w.left[r] += float64(s.regionLeft[r]) / w.p.Scale
		}
		demand += s.asylumDemand
		s.flow = [NumCountries][NumMetrics]int64{}
		s.asylumDemand = 0
		clear(s.regionReturnees)
		clear(s.regionGang)
		clear(s.regionLeft)
	}
	w.mxAsylumDemand = float64(demand) / w.p.Scale
}

// reduce is step 8: it collects the shards, feeds the month's returns to the
// origin feedback, and records the observation (after the warm-up).
func (w *World) reduce() {
	var tot totals
	w.collect(&tot)
	flow, persons := &tot.flow, &tot.persons
	scale := w.p.Scale
	ret, gang := w.scratch[0], w.scratch[1]
	for r := range w.regions {
		ret[r] /= scale
		gang[r] /= scale
	}
	w.recordReturns(ret, gang)
	w.reduceDepartments()
	if !w.started() {
		return
	}
	t := w.t - warmup
	var pop, hom, jobs [NumCountries]float64
	for _, rs := range w.regions {
		pop[rs.country] += rs.pop
		hom[rs.country] += float64(rs.homicide * rs.pop)
		jobs[rs.country] += float64(rs.unemployment * rs.pop)
	}
	for c := Country(0); c < NumCountries; c++ {
		for m := Metric(0); m < NumMetrics; m++ {
			if m.Kind() == Flow {
				w.series.set(t, c, m, float64(flow[c][m])/scale)
			}
		}
		for st, m := range stockMetric {
			w.series.set(t, c, m, float64(persons[c][st])/scale)
		}
		w.series.set(t, c, HomicideRate, hom[c]/pop[c])
		w.series.set(t, c, UnemploymentRate, jobs[c]/pop[c])
	}
}

// RegionView is one department's state after the last simulated month.
type RegionView struct {
	Name    string
	Country Country
	// Population is the department's residents (real persons).
	Population float64
	// Homicide is the homicide rate per 100,000; Unemployment is in percent.
	Homicide, Unemployment float64
	// Network is the department's people abroad as a percentage of its residents.
	Network float64
	// Departures is the number of people who left last month (real persons).
	Departures float64
}

// Regions returns every department's state after the last simulated month,
// in Geography order.
func (w *World) Regions() []RegionView {
	out := make([]RegionView, len(w.regions))
	for r, rs := range w.regions {
		out[r] = RegionView{Name: w.p.Geography.Regions[r].Name, Country: rs.country, Population: rs.pop,
			Homicide: rs.homicide, Unemployment: rs.unemployment, Network: rs.network, Departures: w.left[r]}
	}
	return out
}
