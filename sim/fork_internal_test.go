package sim

import (
	"context"
	"reflect"
	"slices"
	"testing"
)

// policyVariants returns a scenario with CAM open and aid on, and variants
// that differ from it only in terms the lever values do not show: CAM's
// application share and the departments aid reaches. Each parts from the
// first at the month given.
func policyVariants(t *testing.T) (a *Params, variants []*Params, parts []Month) {
	t.Helper()
	a = testParams(t)
	a.Name = "a"
	a.Start, a.Months, a.Scale = MonthOf(2014, 1), 30, 0.03
	a.Policy.CAM.Open = MonthOf(2014, 12)
	a.Policy.Aid.Window = Window{From: MonthOf(2015, 3)}
	for c := Country(0); c < NumCountries; c++ {
		a.Policy.Aid.Of(c).HomicideEffect = 0.2
	}
	cam := *a
	cam.Name = "cam terms"
	cam.Policy.CAM.ApplyShare = a.Policy.CAM.ApplyShare / 2
	aid := *a
	aid.Name = "aid places"
	aid.Policy.Aid.SV.Departments = []string{"SV-a"}
	removals := *a
	removals.Name = "removals"
	removals.Policy.InteriorRemovals = InteriorRemovals{Window: Window{From: MonthOf(2015, 7)}, RateMultiplier: 3}
	for _, p := range []*Params{a, &cam, &aid, &removals} {
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	aidActs := a.Policy.Aid.From.Add(a.Policy.Aid.DelayMonths)
	return a, []*Params{&cam, &aid, &removals}, []Month{MonthOf(2014, 12), aidActs, MonthOf(2015, 7)}
}

// TestPartMonth: scenarios part at the first month their inputs differ,
// including terms that act without changing a lever's value.
func TestPartMonth(t *testing.T) {
	a, variants, parts := policyVariants(t)
	if m, ok := PartMonth(a, a); ok {
		t.Errorf("a scenario parts from itself at %s", m)
	}
	for i, b := range variants {
		if m, ok := PartMonth(a, b); !ok || m != parts[i] {
			t.Errorf("%s parts at %s (%v), want %s", b.Name, m, ok, parts[i])
		}
	}
	other := *a
	other.Decision.Deterrence--
	if m, ok := PartMonth(a, &other); !ok || m != a.Start.Add(-warmup) {
		t.Errorf("a change of a behavioural key parts at %s (%v), want the first warm-up month", m, ok)
	}
}

// TestRunPairedPolicyTerms: paired runs equal the runs alone for scenarios
// that differ in terms the lever values do not show.
func TestRunPairedPolicyTerms(t *testing.T) {
	a, variants, _ := policyVariants(t)
	ps := append([]*Params{a}, variants...)
	paired, err := RunPaired(context.Background(), ps, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range ps {
		w := newTestWorld(t, p) // one world and its own twin from the start
		for !w.Done() {
			w.Step(Serial)
		}
		if !slices.Equal(paired[i][0].Values, w.series.Values) {
			t.Errorf("%s: the paired run differs from the run alone", p.Name)
		}
	}
}

// TestForkSharesNoMemory walks a world and its fork and requires that no
// slice of the state is shared: a field added to the world and not copied
// by fork fails here.
func TestForkSharesNoMemory(t *testing.T) {
	a, _, _ := policyVariants(t)
	w := newTestWorld(t, a)
	for range 14 {
		w.Step(Serial)
	}
	c, err := w.fork(a)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[uintptr]string{}
	var walk func(v reflect.Value, path string, record bool)
	walk = func(v reflect.Value, path string, record bool) {
		switch v.Kind() {
		case reflect.Struct:
			for i := range v.NumField() {
				f := v.Type().Field(i)
				if v.Type() == reflect.TypeFor[World]() && (f.Name == "p" || f.Name == "twin") {
					continue // the scenario, and the twin the caller sets
				}
				walk(v.Field(i), path+"."+f.Name, record)
			}
		case reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i), path, record)
			}
		case reflect.Slice:
			if v.Cap() == 0 {
				return
			}
			if record {
				seen[v.Pointer()] = path
			} else if at, ok := seen[v.Pointer()]; ok {
				t.Errorf("the fork shares %s with the world (%s)", path, at)
			}
			for i := range v.Len() {
				walk(v.Index(i), path, record)
			}
		case reflect.Map, reflect.Pointer:
			if !v.IsNil() {
				t.Errorf("%s: a map or pointer in the world state; teach fork and this test to copy it", path)
			}
		}
	}
	walk(reflect.ValueOf(*w), "World", true)
	walk(reflect.ValueOf(*c), "World", false)
	if len(seen) < 20 {
		t.Fatalf("the walk found %d slices; the test no longer sees the world", len(seen))
	}
}
