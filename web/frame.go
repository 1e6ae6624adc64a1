package web

import (
	"encoding/json"
	"math"

	"migrasim/sim"
)

// chart is one of the page's line charts: per country, the sum of some metrics.
type chart struct {
	ID      string       `json:"id"`
	Title   string       `json:"title"`
	Unit    string       `json:"unit"`
	Metrics []sim.Metric `json:"-"`
	Names   []string     `json:"metrics"`
}

// charts are the page's line charts, in order.
var charts = []chart{
	{ID: "departures", Title: "Departures", Unit: "people per month",
		Metrics: []sim.Metric{sim.DeparturesUAC, sim.DeparturesFamily, sim.DeparturesAdult}},
	{ID: "apprehensions", Title: "Apprehensions at the U.S. border", Unit: "people per month",
		Metrics: []sim.Metric{sim.USApprehensionsUAC, sim.USApprehensionsFamily, sim.USApprehensionsAdult}},
	{ID: "removals", Title: "Removals from the U.S.", Unit: "people per month",
		Metrics: []sim.Metric{sim.USRemovalsBorder, sim.USRemovalsInterior}},
	{ID: "homicide", Title: "Homicide rate", Unit: "per 100,000 per year",
		Metrics: []sim.Metric{sim.HomicideRate}},
}

func init() {
	for i := range charts {
		for _, m := range charts[i].Metrics {
			charts[i].Names = append(charts[i].Names, m.Name())
		}
	}
}

// setupEvent starts a run's event stream, and starts it again after Setup or
// Reset: the page clears its charts and map when it arrives.
type setupEvent struct {
	Gen       int        `json:"gen"`
	Start     string     `json:"start"`
	Months    int        `json:"months"`
	Sides     []sideInfo `json:"sides"`
	Charts    []chart    `json:"charts"`
	Countries []country  `json:"countries"`
	Map       mapLayout  `json:"map"`
	Speed     float64    `json:"speed"`
	Scale     float64    `json:"scale"`
	Seed      uint64     `json:"seed,string"`
}

type sideInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type country struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// monthEvent is one simulated month of every side.
type monthEvent struct {
	T     int    `json:"t"` // months since the start, from 0
	Month string `json:"month"`
	// V is [side][chart][country]: each chart's value this month.
	V [][][]float64 `json:"v"`
	// Map is [side][department]: emigrants per 1,000 residents over the last
	// 12 months (annualised while fewer months have passed).
	Map [][]float64 `json:"map"`
}

// stateEvent says whether the run is going, and how far it has got.
type stateEvent struct {
	// Seq orders states: the answer to a request can reach the page after
	// a later state event, and must not undo it.
	Seq     int     `json:"seq"`
	Done    int     `json:"done"` // months simulated
	Months  int     `json:"months"`
	Running bool    `json:"running"`
	Over    bool    `json:"over"` // every month simulated
	Speed   float64 `json:"speed"`
	Failure string  `json:"failure,omitempty"`
}

// emigration keeps each department's departures over the last 12 months.
type emigration struct {
	ring [12][]float64
	n    int // months recorded
	pop  []float64
}

func newEmigration(regions []sim.RegionView) *emigration {
	e := &emigration{pop: make([]float64, len(regions))}
	for i := range e.ring {
		e.ring[i] = make([]float64, len(regions))
	}
	for r, v := range regions {
		e.pop[r] = v.Population
	}
	return e
}

// add records a month's departures and returns the rate per department.
func (e *emigration) add(regions []sim.RegionView) []float64 {
	slot := e.ring[e.n%12]
	for r, v := range regions {
		slot[r] = v.Departures
	}
	e.n++
	months := min(e.n, 12)
	out := make([]float64, len(regions))
	for r := range out {
		var sum float64
		for k := range months {
			sum += e.ring[k][r]
		}
		if e.pop[r] > 0 {
			out[r] = round(sum / e.pop[r] * 1000 * 12 / float64(months))
		}
	}
	return out
}

// values returns each chart's value per country at month t of s.
func chartValues(s *sim.Series, t int) [][]float64 {
	out := make([][]float64, len(charts))
	for i, ch := range charts {
		row := make([]float64, sim.NumCountries)
		for c := sim.Country(0); c < sim.NumCountries; c++ {
			var v float64
			for _, m := range ch.Metrics {
				v += s.At(t, c, m)
			}
			row[c] = round(v)
		}
		out[i] = row
	}
	return out
}

// round keeps two decimals: enough for a chart, and short on the wire.
func round(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return math.Round(v*100) / 100
}

// sse encodes one server-sent event.
func sse(name string, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("web: encoding " + name + " event: " + err.Error())
	}
	out := make([]byte, 0, len(b)+len(name)+16)
	out = append(out, "event: "...)
	out = append(out, name...)
	out = append(out, "\ndata: "...)
	out = append(out, b...)
	return append(out, "\n\n"...)
}
