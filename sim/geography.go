package sim

import "sort"

// Region is one department of an origin country.
type Region struct {
	// Name is the department's name as the data spells it.
	Name string
	// Country is the department's country.
	Country Country
	// Weight is the department's share of the national population.
	Weight float64
	// HomicideFactor is the department's homicide rate relative to the national
	// rate where data gives it; 0 means no data, and the factor is derived from
	// ZHomicide and Origin.RegionSpread.
	HomicideFactor float64
	// ZHomicide and ZJobs are fixed standard-normal scores that place the
	// department within its country when data is missing.
	ZHomicide, ZJobs float64
}

// Point is one anchor of a path: a value at a month.
type Point struct {
	Month Month
	Value float64
}

// Geography is the data-derived part of a scenario: departments and the
// exogenous national homicide series.
type Geography struct {
	// Regions lists the departments, grouped by country in country order.
	Regions []Region
	// Homicide is each country's national homicide rate (per 100,000) at
	// anchor months, sorted; between anchors it is interpolated linearly and
	// beyond them held constant.
	Homicide [NumCountries][]Point
}

// interpolate returns the path's value at m: linear between anchors, and
// outside them the nearest anchor's value if hold, else outside.
func interpolate(path []Point, m Month, hold bool, outside float64) float64 {
	n := len(path)
	if n == 0 {
		return outside
	}
	if m <= path[0].Month {
		if m == path[0].Month || hold {
			return path[0].Value
		}
		return outside
	}
	if m >= path[n-1].Month {
		if m == path[n-1].Month || hold {
			return path[n-1].Value
		}
		return outside
	}
	i := sort.Search(n, func(i int) bool { return path[i].Month > m })
	a, b := path[i-1], path[i]
	f := float64(m-a.Month) / float64(b.Month-a.Month)
	return a.Value + float64(f*(b.Value-a.Value))
}
