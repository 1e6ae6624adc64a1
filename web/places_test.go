package web

import (
	"testing"

	"migrasim/scenarios"
	"migrasim/sim"
)

// TestEveryDepartmentPlaced: the map knows where every department of the
// data is, and puts it inside the box.
func TestEveryDepartmentPlaced(t *testing.T) {
	p, err := scenarios.Load("status-quo")
	if err != nil {
		t.Fatal(err)
	}
	var views []sim.RegionView
	for _, r := range p.Geography.Regions {
		if _, ok := places[r.Country.Code()+"/"+r.Name]; !ok {
			t.Errorf("no place for %s/%s", r.Country.Code(), r.Name)
		}
		views = append(views, sim.RegionView{Name: r.Name, Country: r.Country, Population: 1})
	}
	l := layout(views)
	if len(l.Regions) != len(views) || len(l.Labels) != int(sim.NumCountries) {
		t.Fatalf("%d regions and %d labels laid out, want %d and %d", len(l.Regions), len(l.Labels), len(views), sim.NumCountries)
	}
	for _, r := range l.Regions {
		if r.X < 0 || r.X > l.Width || r.Y < 0 || r.Y > l.Height {
			t.Errorf("%s at (%g, %g), outside the %gx%g box", r.Name, r.X, r.Y, l.Width, l.Height)
		}
	}
}

func TestUnknownDepartmentStillShown(t *testing.T) {
	l := layout([]sim.RegionView{{Name: "Atlantis", Country: sim.HN, Population: 5}})
	r := l.Regions[0]
	if r.Y <= 0 || r.Y > l.Height {
		t.Errorf("unknown department at y=%g, want inside the box (height %g)", r.Y, l.Height)
	}
}
