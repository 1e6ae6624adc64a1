package sim

import (
	"slices"
	"testing"
)

// TestForkCopiesDepartments: a fork of a world that records its departments
// shares none of the department state, and both go on counting alike.
func TestForkCopiesDepartments(t *testing.T) {
	a, _, _ := policyVariants(t)
	w := newTestWorld(t, a)
	w.observeDepartments()
	for range 3 {
		w.Step(Serial)
	}
	c, err := w.fork(a)
	if err != nil {
		t.Fatal(err)
	}
	c.twin, c.twinShared = w.twin, true // w steps it first
	d, cd := &w.series.Departments, &c.series.Departments
	for _, pair := range [][2][]int64{{w.dept, c.dept}, {w.shards[0].dept, c.shards[0].dept}} {
		if &pair[0][0] == &pair[1][0] {
			t.Error("the fork shares department counters with the world")
		}
	}
	if &d.Values[0] == &cd.Values[0] || &d.Names[0] == &cd.Names[0] || &d.Population[0] == &cd.Population[0] || &d.Countries[0] == &cd.Countries[0] {
		t.Error("the fork shares its department series with the world")
	}
	for !w.Done() {
		w.Step(Serial)
		c.Step(Serial)
	}
	if !slices.Equal(d.Values, cd.Values) {
		t.Error("the fork's department series differ from the world's")
	}
}
