package sim_test

import (
	"context"
	"math"
	"reflect"
	"slices"
	"testing"

	"migrasim/scenarios"
	"migrasim/sim"
)

// departmentParams is the baseline, with its 54 departments, at scale 0.02
// (about 134,000 households: several shards) for 18 months from 2014 with
// two replicates, tripled interior removals from 2014-07 (the status-quo
// twin runs too) and CAM open from 2014-12.
func departmentParams(t testing.TB) *sim.Params {
	t.Helper()
	p, err := scenarios.Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	p.Start, p.Months, p.Scale, p.Replicates = sim.MonthOf(2014, 1), 18, 0.02, 2
	p.Policy.InteriorRemovals = sim.InteriorRemovals{Window: sim.Window{From: sim.MonthOf(2014, 7)}, RateMultiplier: 3}
	p.Policy.CAM.Open = sim.MonthOf(2014, 12)
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p
}

func runDepartments(t *testing.T, p *sim.Params, workers int) []sim.Series {
	t.Helper()
	got, err := sim.Run(context.Background(), p, sim.Options{Workers: workers, ByDepartment: true})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestDepartmentSumsEqualNational: each month and country, the departments'
// flows and stocks add up to the national metrics exactly (in simulated
// persons: value × scale), and their population-weighted homicide and
// unemployment rates are the national rates.
func TestDepartmentSumsEqualNational(t *testing.T) {
	p := departmentParams(t)
	series := runDepartments(t, p, 2)
	nonzero := map[sim.DepartmentMetric]bool{}
	for _, s := range series {
		d := &s.Departments
		if d.Len() != len(p.Geography.Regions) || d.Len() != 54 {
			t.Fatalf("%d departments, want the geography's 54", d.Len())
		}
		for t0 := range s.Months {
			for c := sim.Country(0); c < sim.NumCountries; c++ {
				for m := sim.DepartmentMetric(0); m < sim.NumDepartmentMetrics; m++ {
					nat := m.National()
					var sum, pop, want float64
					var count int64
					for r := range d.Len() {
						if d.Countries[r] != c {
							continue
						}
						v := d.At(t0, r, m)
						sum += v * d.Population[r]
						pop += d.Population[r]
						count += int64(math.Round(v * p.Scale))
						if v != 0 {
							nonzero[m] = true
						}
					}
					if nat == nil {
						continue // the network has no national metric
					}
					for _, x := range nat {
						want += s.At(t0, c, x)
					}
					if m.Kind() == sim.Rate {
						if got := sum / pop; math.Abs(got-want) > 1e-9*math.Abs(want) {
							t.Errorf("%s %s %s: weighted mean of departments %g, national %g", s.Start.Add(t0), c.Code(), m, got, want)
						}
						continue
					}
					if w := int64(math.Round(want * p.Scale)); count != w {
						t.Errorf("%s %s %s: departments sum to %d simulated persons, national %d", s.Start.Add(t0), c.Code(), m, count, w)
					}
				}
			}
		}
	}
	for m := sim.DepartmentMetric(0); m < sim.NumDepartmentMetrics; m++ {
		if !nonzero[m] {
			t.Errorf("%s is zero in every department and month: the test does not see it", m)
		}
	}
}

// TestDepartmentDeterministicAcrossWorkers: the department series do not
// depend on the number of workers.
func TestDepartmentDeterministicAcrossWorkers(t *testing.T) {
	p := departmentParams(t)
	one, two := runDepartments(t, p, 1), runDepartments(t, p, 2)
	for r := range one {
		a, b := one[r].Departments, two[r].Departments
		if !slices.EqualFunc(a.Values, b.Values, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }) {
			t.Errorf("replicate %d: department series differ between 1 and 2 workers", r)
		}
	}
}

// TestDepartmentOptIn: without ByDepartment nothing is recorded, and
// recording changes no national value.
func TestDepartmentOptIn(t *testing.T) {
	p := departmentParams(t)
	on := runDepartments(t, p, 2)
	off, err := sim.Run(context.Background(), p, sim.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for r := range off {
		if off[r].Departments.Values != nil {
			t.Errorf("replicate %d: department values recorded without ByDepartment", r)
		}
		if !slices.Equal(on[r].Values, off[r].Values) {
			t.Errorf("replicate %d: recording departments changed the national series", r)
		}
		if on[r].Departments.Names[0] != p.Geography.Regions[0].Name {
			t.Errorf("first department %q, want %q", on[r].Departments.Names[0], p.Geography.Regions[0].Name)
		}
	}
}

// TestDepartmentPaired: a paired run records the same department series as
// each scenario run alone, for scenarios forked from a shared past.
func TestDepartmentPaired(t *testing.T) {
	a := departmentParams(t)
	a.Name = "a"
	a.Policy.InteriorRemovals = sim.InteriorRemovals{}
	b := departmentParams(t)
	b.Name = "b"
	paired, err := sim.RunPaired(context.Background(), []*sim.Params{a, b}, sim.Options{Workers: 2, ByDepartment: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range []*sim.Params{a, b} {
		alone := runDepartments(t, p, 1)
		for r := range alone {
			if !reflect.DeepEqual(paired[i][r].Departments, alone[r].Departments) {
				t.Errorf("%s replicate %d: the paired run's department series differ from the run alone", p.Name, r)
			}
		}
	}
}

// TestDepartmentMetricNames: names are unique, parse back, and a metric
// with a national counterpart of one metric has its name.
func TestDepartmentMetricNames(t *testing.T) {
	seen := map[string]bool{}
	for m := sim.DepartmentMetric(0); m < sim.NumDepartmentMetrics; m++ {
		if seen[m.Name()] || m.Name() == "" {
			t.Errorf("metric %d: name %q empty or repeated", m, m.Name())
		}
		seen[m.Name()] = true
		if x, ok := sim.ParseDepartmentMetric(m.Name()); !ok || x != m {
			t.Errorf("ParseDepartmentMetric(%q) = %v, %v", m.Name(), x, ok)
		}
		if nat := m.National(); len(nat) == 1 && (nat[0].Name() != m.Name() || nat[0].Kind() != m.Kind()) {
			t.Errorf("%s refines %s (%s) but is a %s", m, nat[0], nat[0].Kind(), m.Kind())
		}
	}
}
