package sim

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"
)

// remittanceFormula is the change in the log-odds of household class k in
// department r that remittances make, written out from docs/ODD.md 7.4a:
// −(1 − (1−cut)^(s/ref)) × (max(β_u·u, 0) + max(β_pov, 0)), with s the
// class's relatives times what one relative sends, a share of mean
// household income: percent of GDP/100 × households / people abroad.
func remittanceFormula(w *World, r, k int) float64 {
	if !w.p.Mechanisms.Remittances {
		return 0
	}
	rp, d := &w.p.Remittances, &w.p.Decision
	c := w.regions[r].country
	cp := w.p.Country.Of(c)
	perRelative := map[Country]float64{SV: rp.SV, HN: rp.HN, GT: rp.GT}[c] / 100 * (cp.Population / cp.HouseholdSize) / cp.Abroad
	s := [4]float64{0, 1, 2.5, 5}[k>>3&3] * perRelative
	keep := math.Pow(1-rp.PushCut, s/rp.ReferenceShare)
	unemp := d.Unemployment * w.regions[r].unemployment
	pov := [4]float64{0, d.Poor, d.ExtremePoor, 0}[k&povMask]
	return -(1 - keep) * (math.Max(unemp, 0) + math.Max(pov, 0))
}

// A relative removed from the interior stops sending: the household's
// remittance income falls by the removed relatives' share, and its hazard
// class moves to the one of its remaining relatives.
func TestRemittancesStopOnRemoval(t *testing.T) {
	w, s := smallWorld(t)
	i := int32(s.lo)
	for w.hh.size[i] == 0 {
		i++
	}
	// Two undocumented relatives, who can be removed, and one protected, who cannot.
	s.join(w, i, 1, stUndocumented, kindAdult, 0)
	s.join(w, i, 1, stUndocumented, kindAdult, 0)
	s.join(w, i, 1, stProtected, kindAdult, 0)
	c := w.regions[w.hh.region[i]].country
	per := w.p.remittancePerRelative(c)
	if per <= 0 {
		t.Fatalf("%s: one relative sends %g", c, per)
	}
	before := w.remittanceIncome(int(i))
	if before != 3*per {
		t.Fatalf("income with 3 relatives %g, want 3 × %g", before, per)
	}
	// Every undocumented person is removed this month, nothing else happens.
	w.p.Abroad.RemovalRate = 1
	w.p.Abroad.VoluntaryReturn, w.p.Abroad.VoluntaryReturnLawful, w.p.Abroad.AffirmativeClaims = 0, 0, 0
	w.fillAbroad()
	s.abroadStep(w)
	if got := s.flow[c][USRemovalsInterior]; got != 2 {
		t.Fatalf("%d removals, want 2", got)
	}
	after := w.remittanceIncome(int(i))
	if want := before * 1 / 3; math.Abs(after-want) > 1e-15 {
		t.Errorf("income after removing 2 of 3 relatives %g, want %g (%g less)", after, want, before-want)
	}
	if got, want := w.hh.class(int(i))>>3&3, 1; got != want {
		t.Errorf("ties bucket after the removals %d, want %d", got, want)
	}
}

// A household with no relatives abroad receives nothing and its hazard is
// untouched: the weight on its push is 1.
func TestNoRelativesNoRemittances(t *testing.T) {
	w, s := smallWorld(t)
	var checked int
	for i := s.lo; i < s.hi; i++ {
		if w.hh.ties[i] != 0 {
			continue
		}
		checked++
		if got := w.remittanceIncome(int(i)); got != 0 {
			t.Fatalf("household %d has no relatives abroad and receives %g", i, got)
		}
	}
	if checked == 0 {
		t.Fatal("no household without relatives abroad")
	}
	if got := w.p.Remittances.remittanceWeight(0); got != 1 {
		t.Errorf("weight with no remittances %g, want 1", got)
	}
	w.fillHazards()
	on := append([]float32(nil), w.cond.hazard...)
	w.p.Mechanisms.Remittances = false
	w.fillHazards()
	for r := range w.regions {
		for k := range numClasses >> 2 { // ties bucket 0: classes 0–7
			if on, off := on[r*numClasses+k], w.cond.hazard[r*numClasses+k]; on != off {
				t.Errorf("department %d, class %05b, no relatives: hazard %g with remittances, %g without", r, k, on, off)
			}
		}
	}
}

// The hazard with remittances is the formula by hand for a given household:
// a poor household with children and three relatives abroad.
func TestRemittanceHazardByHand(t *testing.T) {
	w, s := smallWorld(t)
	i := int32(-1)
	for j := s.lo; j < s.hi; j++ {
		if w.hh.size[j] > 0 && w.hh.kids[j] > 0 && w.hh.flags[j]&povMask == 1 && w.hh.ties[j] == 0 {
			i = j
			break
		}
	}
	if i < 0 {
		t.Fatal("no poor household with children and no relatives abroad")
	}
	for range 3 {
		s.join(w, i, 1, stUndocumented, kindAdult, 0)
	}
	w.fillHazards()
	r, k := int(w.hh.region[i]), w.hh.class(int(i))
	if k != 1|classKids|2<<3 {
		t.Fatalf("class %05b, want poor, children, 2–3 relatives", k)
	}
	term := remittanceFormula(w, r, k)
	if term >= 0 {
		t.Fatalf("remittances change the log-odds by %g, want a cut", term)
	}
	// By hand, for this household: poverty shift 0.25 and unemployment
	// β_u·u both push; 2.5 relatives stand for the bucket.
	d, rp := &w.p.Decision, &w.p.Remittances
	c := w.regions[r].country
	cp := w.p.Country.Of(c)
	s0 := 2.5 * rp.Of(c) / 100 * cp.Population / cp.HouseholdSize / cp.Abroad
	byHand := -(1 - math.Pow(1-rp.PushCut, s0/rp.ReferenceShare)) * (d.Poor + d.Unemployment*w.regions[r].unemployment)
	if math.Abs(term-byHand) > 1e-12 {
		t.Fatalf("formula %g, by hand %g", term, byHand)
	}
	want := hazardFormula(w, r, k)
	if got := float64(w.cond.hazard[r*numClasses+k]); math.Abs(got-want) > 1e-6*want {
		t.Errorf("hazard %g, formula with remittances %g", got, want)
	}
	// Without the term the hazard would be higher.
	w.p.Mechanisms.Remittances = false
	if without := hazardFormula(w, r, k); !(without > want*1.01) {
		t.Errorf("hazard without remittances %g, with %g: want the cut to lower it", without, want)
	}
}

// Switching mechanisms.remittances off removes the term and nothing else:
// the reference run with the switch off is the run with no cut on the push
// (push_cut 0), and differs from the run with remittances on. (Under
// sim.Version 0.6.0, with the parameters of 0.5.1, it gave 0.5.1's
// reference run byte for byte; the refit of 0.7.0 changed those.)
func TestRemittancesOffIsNoCut(t *testing.T) {
	run := func(edit func(p *Params)) string {
		p := referenceParams(t)
		edit(p)
		series, err := Run(context.Background(), p, Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		return hashSeries(series)
	}
	off := run(func(p *Params) { p.Mechanisms.Remittances = false })
	noCut := run(func(p *Params) { p.Remittances.PushCut = 0 })
	on := run(func(p *Params) {})
	if off != noCut {
		t.Errorf("remittances off: hash %s; with no cut on the push: %s; want the same run", off, noCut)
	}
	if off == on {
		t.Errorf("remittances on and off give the same run (%s): the term does nothing", on)
	}
}

// The weight on the push: 1 − PushCut at the reference income, 1 with no
// cut, 0 with a full cut, and (1−cut)^(s/ref) between.
func TestRemittanceWeight(t *testing.T) {
	for _, tt := range []struct{ cut, s, want float64 }{
		{0.4, 0.65, 0.6},
		{0.4, 1.3, 0.36},
		{0.4, 0, 1},
		{0, 2, 1},
		{1, 0.1, 0},
		{0.5, 0.325, math.Sqrt(0.5)},
	} {
		r := RemittanceParams{PushCut: tt.cut, ReferenceShare: 0.65}
		if got := r.remittanceWeight(tt.s); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("cut %g, income %g: weight %g, want %g", tt.cut, tt.s, got, tt.want)
		}
	}
}

// The default percentages of GDP are the 2015 rows of
// scenarios/data/remittances_diaspora.csv.
func TestRemittanceDefaultsFromData(t *testing.T) {
	f, err := os.Open("../scenarios/data/remittances_diaspora.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	d := DefaultRemittances()
	found := 0
	for _, row := range rows[1:] {
		if row[1] != "2015" || row[4] != "remittances_pct_gdp" {
			continue
		}
		v, err := strconv.ParseFloat(row[5], 64)
		if err != nil {
			t.Fatal(err)
		}
		c, ok := map[string]Country{"SV": SV, "HN": HN, "GT": GT}[row[0]]
		if !ok {
			continue
		}
		found++
		if got := d.Of(c); got != v {
			t.Errorf("remittances.%s = %g, data 2015 %g", row[0], got, v)
		}
	}
	if found != 3 {
		t.Errorf("%d countries with 2015 remittances in the data, want 3", found)
	}
}

// remittanceIncome is household i's remittance income, as a share of its
// country's mean household income: what its relatives in the U.S. send (0
// when the mechanism is off).
func (w *World) remittanceIncome(i int) float64 {
	if !w.p.Mechanisms.Remittances {
		return 0
	}
	c := w.regions[w.hh.region[i]].country
	return float64(w.hh.ties[i]) * w.p.remittancePerRelative(c)
}
