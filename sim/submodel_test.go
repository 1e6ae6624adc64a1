package sim

import (
	"math"
	"testing"
)

// A hand-built small world: the test world with its shard 0 emptied of
// travellers and stock, and its counters cleared, ready for one submodel.
func smallWorld(t *testing.T) (*World, *shard) {
	t.Helper()
	p := testParams(t)
	w := newTestWorld(t, p)
	w.cond.levers = p.leversAt(w.month)
	s := &w.shards[0]
	s.travel = s.travel[:0]
	for _, a := range []*stock{&s.abroad, &s.pending} {
		for a.len() > 0 {
			s.leaveStock(w, a, 0, retVoluntary)
			a.remove(0)
		}
	}
	for i := range w.hh.flags {
		w.hh.flags[i] &^= fWaiting | fReturnee | fGang
	}
	// Emptying the stock made returns; with the returnee bits cleared their
	// entries would come back to life if a test made one of those households
	// a returnee again this month.
	s.returnees, s.returneeHead = s.returnees[:0], 0
	s.flow = [NumCountries][NumMetrics]int64{}
	clear(s.regionReturnees)
	clear(s.regionGang)
	return w, s
}

// all is the same value for every country.
func all(v float64) [NumCountries]float64 { return [NumCountries]float64{v, v, v} }

// sent puts n groups of the given kind from the shard's first households into transit.
func sent(w *World, s *shard, n int, kind uint8) {
	for i := range n {
		h := int(s.lo) + i
		w.hh.size[h], w.hh.kids[h] = 6, 3
		s.leave(w, h, kind)
	}
	s.flow = [NumCountries][NumMetrics]int64{}
}

func flows(s *shard) map[Metric]int64 {
	out := map[Metric]int64{}
	for c := range s.flow {
		for m, v := range s.flow[c] {
			if v != 0 {
				out[Metric(m)] += v
			}
		}
	}
	return out
}

func sameFlows(t *testing.T, name string, got, want map[Metric]int64) {
	t.Helper()
	for m, v := range want {
		if got[m] != v {
			t.Errorf("%s: %s = %d, want %d", name, m, got[m], v)
		}
	}
	for m, v := range got {
		if _, ok := want[m]; !ok {
			t.Errorf("%s: unexpected %s = %d", name, m, v)
		}
	}
}

func TestTransit(t *testing.T) {
	const n = 50
	tests := []struct {
		name      string
		probs     transitProbs
		months    int
		apprehend float64
		want      map[Metric]int64
		travel    int // groups still in transit
	}{
		{"Mexico deports all", transitProbs{apprehend: all(1)}, 1, 0,
			map[Metric]int64{MXApprehensions: n, MXDeportations: n, Returnees: n}, 0},
		{"detained claim asylum", transitProbs{apprehend: all(1), detainedAsylum: 1, detainedDemand: 1}, 1, 0,
			map[Metric]int64{MXApprehensions: n, MXAsylumClaims: n}, 0},
		{"asylum on the way", transitProbs{asylum: 1, asylumDemand: 1}, 1, 0,
			map[Metric]int64{MXAsylumClaims: n}, 0},
		{"capacity turns claimants back to the road", transitProbs{asylumDemand: 1}, 3, 0, map[Metric]int64{}, n},
		{"still travelling", transitProbs{}, 3, 0, map[Metric]int64{}, n},
		{"reach the border and evade", transitProbs{}, 1, 0, map[Metric]int64{USEvasions: n}, 0},
	}
	for _, tt := range tests {
		w, s := smallWorld(t)
		sent(w, s, n, kindAdult)
		w.cond.transit = tt.probs
		w.p.Transit.Months = tt.months
		for c := range w.cond.apprehend {
			w.cond.apprehend[c] = [3]float64{tt.apprehend, tt.apprehend, tt.apprehend}
		}
		s.transit(w)
		sameFlows(t, tt.name, flows(s), tt.want)
		if len(s.travel) != tt.travel {
			t.Errorf("%s: %d groups in transit, want %d", tt.name, len(s.travel), tt.travel)
		}
		waiting := 0
		for i := s.lo; i < s.lo+n; i++ {
			if w.hh.flags[i]&fTransit != 0 {
				waiting++
			}
		}
		if waiting != tt.travel {
			t.Errorf("%s: %d households wait on a traveller, want %d", tt.name, waiting, tt.travel)
		}
	}
}

func TestBorder(t *testing.T) {
	const n = 40
	tests := []struct {
		name          string
		kind          uint8
		release       float64 // families released
		removal       float64 // adults removed
		flags         uint8   // added to the travellers' flags
		size          int64
		want          map[Metric]int64
		stock, status int // stock entries and their status
	}{
		{"children go to sponsors", kindUAC, 0, 1, 0, 1,
			map[Metric]int64{USApprehensionsUAC: n, USAsylumClaims: n}, n, stPending},
		{"families released", kindFamily, 1, 1, 0, 3,
			map[Metric]int64{USApprehensionsFamily: 3 * n, USAsylumClaims: 3 * n}, n, stPending},
		{"families removed", kindFamily, 0, 1, 0, 3,
			map[Metric]int64{USApprehensionsFamily: 3 * n, USRemovalsBorder: 3 * n, Returnees: 3 * n}, 0, 0},
		{"adults removed", kindAdult, 0, 1, 0, 1,
			map[Metric]int64{USApprehensionsAdult: n, USRemovalsBorder: n, Returnees: n}, 0, 0},
		{"re-entrants removed as criminal", kindAdult, 0, 1, gCriminal, 1,
			map[Metric]int64{USApprehensionsAdult: n, USRemovalsBorder: n, USRemovalsCriminal: n, Returnees: n}, 0, 0},
		{"repeat crossers counted", kindAdult, 0, 1, gCriminal | gRepeat, 1,
			map[Metric]int64{USApprehensionsAdult: n, USApprehensionsRepeat: n, USRemovalsBorder: n, USRemovalsCriminal: n, Returnees: n}, 0, 0},
		{"gang-tied adults never released", kindAdult, 0, 0, gCriminal | gGang, 1,
			map[Metric]int64{USApprehensionsAdult: n, USRemovalsBorder: n, USRemovalsCriminal: n, Returnees: n, ReturneesGang: n}, 0, 0},
		{"adults pass screening", kindAdult, 0, 0, 0, 1,
			map[Metric]int64{USApprehensionsAdult: n, USAsylumClaims: n}, n, stPending},
	}
	for _, tt := range tests {
		w, s := smallWorld(t)
		w.p.Decision.FamilySize = 3
		sent(w, s, n, tt.kind)
		for j := range s.travel {
			s.travel[j].flags |= tt.flags
		}
		w.p.Border.AdultRemoval = tt.removal
		w.p.Abroad.CriminalShare = 0
		for c := range w.cond.apprehend {
			w.cond.apprehend[c] = [3]float64{1, 1, 1}
			w.cond.release[c] = tt.release
		}
		w.cond.transit = transitProbs{}
		w.p.Transit.Months = 1
		s.transit(w)
		sameFlows(t, tt.name, flows(s), tt.want)
		a := s.poolFor(uint8(tt.status))
		if n := s.abroad.len() + s.pending.len(); n != tt.stock || a.len() != tt.stock {
			t.Errorf("%s: %d stock entries (%d in the status's pool), want %d", tt.name, n, a.len(), tt.stock)
		}
		for i := range a.len() {
			if int(a.status[i]) != tt.status {
				t.Errorf("%s: status %d, want %d", tt.name, a.status[i], tt.status)
				break
			}
		}
	}
}

// stocked adds n single people of a status and flags to shard s's stock.
func stocked(w *World, s *shard, n int, status, flags uint8) {
	for i := range n {
		s.join(w, s.lo+int32(i), 1, status, flags, 0)
	}
}

func TestAbroad(t *testing.T) {
	const n = 30
	type setup func(ev *abroadEvents, l *levers)
	all := func(f func(st uint8, k int, c Country)) {
		for c := Country(0); c < NumCountries; c++ {
			for st := range numStatus {
				for k := range 3 {
					f(uint8(st), k, c)
				}
			}
		}
	}
	tests := []struct {
		name   string
		status uint8
		flags  uint8
		set    setup
		want   map[Metric]int64
		left   int
		after  uint8
	}{
		{"interior removal", stUndocumented, kindAdult, func(ev *abroadEvents, l *levers) {
			all(func(st uint8, k int, c Country) { ev.remove[c][st][k] = 1 })
		}, map[Metric]int64{USRemovalsInterior: n, Returnees: n}, 0, 0},
		{"criminal removal", stUndocumented, kindAdult | gCriminal | gGang, func(ev *abroadEvents, l *levers) {
			all(func(st uint8, k int, c Country) { ev.remove[c][st][k] = 1 })
		}, map[Metric]int64{USRemovalsInterior: n, USRemovalsCriminal: n, Returnees: n, ReturneesGang: n}, 0, 0},
		{"voluntary return", stProtected, kindAdult, func(ev *abroadEvents, l *levers) {
			all(func(st uint8, k int, c Country) { ev.ret[c][st][k] = 1 })
		}, map[Metric]int64{Returnees: n}, 0, 0},
		{"affirmative claim", stUndocumented, kindAdult, func(ev *abroadEvents, l *levers) {
			all(func(st uint8, k int, c Country) { ev.change[c][st][k] = 1 })
		}, map[Metric]int64{USAsylumClaims: n}, n, stPending},
		{"DACA lapses", stDACA, kindAdult, func(ev *abroadEvents, l *levers) {
			all(func(st uint8, k int, c Country) { ev.change[c][st][k] = 1 })
		}, map[Metric]int64{}, n, stUndocumented},
		{"TPS ends", stTPS, kindAdult, func(ev *abroadEvents, l *levers) {
			l.tpsEnded = [NumCountries]bool{true, true, true}
		}, map[Metric]int64{}, n, stUndocumented},
	}
	for _, tt := range tests {
		w, s := smallWorld(t)
		stocked(w, s, n, tt.status, tt.flags)
		ev := &w.cond.abroad
		*ev = abroadEvents{}
		tt.set(ev, &w.cond.levers)
		all(func(st uint8, k int, c Country) {
			ev.total[c][st][k] = ev.remove[c][st][k] + ev.ret[c][st][k] + ev.change[c][st][k]
			ev.maxSettled = math.Max(ev.maxSettled, ev.total[c][st][k])
			ev.maxPending = math.Max(ev.maxPending, ev.total[c][st][k])
		})
		s.abroadStep(w)
		sameFlows(t, tt.name, flows(s), tt.want)
		if n := s.abroad.len() + s.pending.len(); n != tt.left {
			t.Errorf("%s: %d left in the stock, want %d", tt.name, n, tt.left)
		}
		for _, a := range []*stock{&s.abroad, &s.pending} {
			for i := range a.len() {
				if a.status[i] != tt.after {
					t.Errorf("%s: status %d, want %d", tt.name, a.status[i], tt.after)
					break
				}
			}
		}
		var people int64
		for c := range s.persons {
			for st := range s.persons[c] {
				people += s.persons[c][st]
			}
		}
		if people != int64(tt.left) {
			t.Errorf("%s: stock counters say %d people, want %d", tt.name, people, tt.left)
		}
	}
}

// Returns undo departures: a removed person comes back to the household
// size, and the tie abroad goes.
func TestReturnRestoresHousehold(t *testing.T) {
	w, s := smallWorld(t)
	h := s.lo
	w.hh.size[h], w.hh.kids[h], w.hh.ties[h] = 4, 2, 0
	s.leave(w, int(h), kindAdult)
	if w.hh.size[h] != 3 || w.hh.flags[h]&fTransit == 0 {
		t.Fatalf("after leaving: size %d, flags %b", w.hh.size[h], w.hh.flags[h])
	}
	s.arrive(w, s.travel[0], stUndocumented)
	if w.hh.ties[h] != 1 || w.hh.flags[h]&fTransit != 0 {
		t.Fatalf("after arriving: ties %d, flags %b", w.hh.ties[h], w.hh.flags[h])
	}
	s.leaveStock(w, &s.abroad, s.abroad.len()-1, retInterior)
	if w.hh.size[h] != 4 || w.hh.ties[h] != 0 || w.hh.flags[h]&fReturnee == 0 {
		t.Errorf("after return: size %d ties %d flags %b", w.hh.size[h], w.hh.ties[h], w.hh.flags[h])
	}
}

// Gang targeting moves removals toward gang members without changing how many
// removals the multiplier adds.
func TestGangTargeting(t *testing.T) {
	w, _ := smallWorld(t)
	w.groups = [NumCountries][numStatus][3]int64{}
	groups := [3]float64{9000, 800, 200}
	for c := Country(0); c < NumCountries; c++ {
		for k := range 3 {
			w.groups[c][stUndocumented][k] = int64(groups[k])
		}
	}
	expected := func() (all, gang float64) {
		w.fillAbroad()
		for k := range 3 {
			r := w.cond.abroad.remove[SV][stUndocumented][k] * groups[k]
			all += r
			if k == 2 {
				gang = r
			}
		}
		return all, gang
	}
	w.cond.levers.removalMult, w.cond.levers.gangTargeting = 1, 0
	base, baseGang := expected()
	w.cond.levers.removalMult, w.cond.levers.gangTargeting = 3, 0
	tripled, tripledGang := expected()
	w.cond.levers.gangTargeting = 0.5
	targeted, targetedGang := expected()
	if math.Abs(tripled-3*base) > 1e-9 || math.Abs(targeted-3*base) > 1e-9 {
		t.Errorf("removals: base %g, tripled %g, targeted %g; want 3× base in both", base, tripled, targeted)
	}
	if math.Abs(tripledGang-3*baseGang) > 1e-9 {
		t.Errorf("untargeted: gang removals %g, want %g", tripledGang, 3*baseGang)
	}
	w.cond.levers.removalMult, w.cond.levers.gangTargeting = 0.5, 1
	if fewer, fewerGang := expected(); math.Abs(fewer-0.5*base) > 1e-9 || math.Abs(fewerGang-0.5*baseGang) > 1e-9 {
		t.Errorf("fewer removals: %g (gang %g), want half of %g (%g): targeting only moves extra removals", fewer, fewerGang, base, baseGang)
	}
	w.groups[SV][stUndocumented][2] = 0
	w.cond.levers.removalMult, w.cond.levers.gangTargeting = 3, 1
	if all, _ := expected(); math.Abs(all-3*base) > 1e-9 {
		t.Errorf("no gang members to target: rates give %g removals, want the untargeted %g", all, 3*base)
	}
	if want := 3*baseGang + 0.5*2*base*(1-baseGang/base); math.Abs(targetedGang-want) > 1e-6 {
		// Half the extra removals (2× base) go to gangs; the other half falls
		// like the usual removals, of which gangs get their usual share.
		t.Errorf("targeted: gang removals %g, want %g", targetedGang, want)
	}
}

// Thinning draws each eligible household with exactly its hazard.
func TestDecisionHazard(t *testing.T) {
	for _, h := range []float32{0.003, 0.05, 0.3, 1} {
		w, s := smallWorld(t)
		for i := range w.cond.hazard {
			w.cond.hazard[i] = h
		}
		eligible := 0
		for i := s.lo; i < s.hi; i++ {
			if w.hh.size[i] > 0 {
				eligible++
			}
		}
		s.decide(w)
		got := float64(len(s.travel) + len(s.cam))
		mean := float64(eligible) * float64(h)
		sd := math.Sqrt(mean * (1 - float64(h)))
		if math.Abs(got-mean) > 4*sd+1e-9 {
			t.Errorf("hazard %g: %g departures from %d households, want %g ± %.1f", h, got, eligible, mean, 4*sd)
		}
	}
}

// Households waiting on a traveller or a CAM case do not decide.
func TestWaitingHouseholdsDoNotDecide(t *testing.T) {
	w, s := smallWorld(t)
	for i := range w.cond.hazard {
		w.cond.hazard[i] = 1
	}
	for i := s.lo; i < s.hi; i++ {
		w.hh.flags[i] |= fTransit
	}
	s.decide(w)
	if len(s.travel) != 0 {
		t.Errorf("%d waiting households sent someone", len(s.travel))
	}
}

// Who goes: the kind shares, and CAM instead of a journey while it is open.
func TestKindChoiceAndCAM(t *testing.T) {
	tests := []struct {
		name           string
		uac, fam       float32
		cam, lawful    bool
		kind           uint8
		camApplication bool
	}{
		{"children alone", 1, 0, false, false, kindUAC, false},
		{"families", 0, 1, false, false, kindFamily, false},
		{"adults", 0, 0, false, false, kindAdult, false},
		{"CAM open, parent lawful", 1, 0, true, true, 0, true},
		{"CAM open, no lawful parent", 1, 0, true, false, kindUAC, false},
	}
	for _, tt := range tests {
		w, s := smallWorld(t)
		for r := range w.cond.uacShare {
			w.cond.uacShare[r], w.cond.famShare[r] = tt.uac, tt.fam
		}
		w.cond.levers.camOpen = tt.cam
		w.p.Policy.CAM.ApplyShare = 1
		h := int(s.lo)
		w.hh.size[h], w.hh.kids[h] = 4, 2
		if tt.lawful {
			w.hh.flags[h] |= fLawful
		}
		s.depart(w, h, 0.5)
		if tt.camApplication {
			if len(s.cam) != 1 || len(s.travel) != 0 || w.hh.flags[h]&fCAM == 0 {
				t.Errorf("%s: %d CAM cases, %d travellers", tt.name, len(s.cam), len(s.travel))
			}
			continue
		}
		if len(s.travel) != 1 || s.travel[0].flags&gKindMask != tt.kind {
			t.Errorf("%s: travellers %+v, want one of kind %d", tt.name, s.travel, tt.kind)
		}
	}
}

func TestCAMProcessing(t *testing.T) {
	tests := []struct {
		name              string
		approve, divert   float64
		closing           bool
		arrivals, leaving int
	}{
		{"approved", 1, 0, false, 1, 0},
		{"denied, stays", 0, 0, false, 0, 0},
		{"denied, goes irregularly", 0, 1, false, 0, 1},
		{"cancelled at closing", 1, 1, true, 0, 1},
	}
	for _, tt := range tests {
		w, s := smallWorld(t)
		h := s.lo
		w.hh.size[h], w.hh.kids[h] = 4, 2
		w.hh.flags[h] |= fCAM
		s.cam = append(s.cam[:0], camApp{home: h, due: w.month})
		w.p.Policy.CAM.ApprovalRate, w.p.Policy.CAM.DivertShare = tt.approve, tt.divert
		w.cond.levers.camClosing = tt.closing
		s.camStep(w)
		if got := flows(s)[CAMArrivals]; got != int64(tt.arrivals) {
			t.Errorf("%s: %d CAM arrivals, want %d", tt.name, got, tt.arrivals)
		}
		if len(s.travel) != tt.leaving {
			t.Errorf("%s: %d travelling, want %d", tt.name, len(s.travel), tt.leaving)
		}
		if len(s.cam) != 0 || w.hh.flags[h]&fCAM != 0 {
			t.Errorf("%s: case still pending", tt.name)
		}
		if tt.arrivals == 1 && (w.hh.kids[h] != 1 || w.hh.ties[h] == 0) {
			t.Errorf("%s: household kids %d ties %d after arrival", tt.name, w.hh.kids[h], w.hh.ties[h])
		}
	}
}

// Gang-tied returnees raise the homicide rate by Strength per returnee per
// 100,000 per year, against the status-quo twin, once the pipeline reaches
// steady state.
func TestFeedbackSteadyState(t *testing.T) {
	w, _ := smallWorld(t)
	p := w.p
	p.Mechanisms.Reintegration = false
	p.Feedback = FeedbackParams{Strength: 0.8, LagMonths: 3, DecayMonths: 12, Unemployment: 0.1}
	w.twin = newTestWorld(t, p)
	for _, x := range []*World{w, w.twin} {
		for r := range x.regions {
			rs := &x.regions[r]
			rs.gangPipe, rs.jobPipe = make([]float64, 4), make([]float64, 4)
			rs.gangActive, rs.jobActive = 0, 0
		}
	}
	const perMonth = 100.0 // extra gang returnees a month to department 0
	ret, gang := make([]float64, len(w.regions)), make([]float64, len(w.regions))
	none := make([]float64, len(w.regions))
	gang[0], ret[0] = perMonth, perMonth
	for range 400 {
		w.twin.recordReturns(none, none)
		w.recordReturns(ret, gang)
		for _, x := range []*World{w.twin, w} {
			x.t++
			x.month++
			x.cond.levers = p.leversAt(x.month)
			x.updateOrigin()
		}
	}
	rs := &w.regions[0]
	want := 0.8 * perMonth * 12 / rs.pop * 1e5
	exo := interpolate(p.Geography.Homicide[rs.country], w.month, true, 0) * rs.homFactor
	if got := rs.homicide - exo; math.Abs(got-want) > 1e-6*want {
		t.Errorf("homicide rises by %g, want %g", got, want)
	}
	if w.regions[1].homicide != interpolate(p.Geography.Homicide[w.regions[1].country], w.month, true, 0)*w.regions[1].homFactor {
		t.Error("a department without returnees changed")
	}
	wantJobs := 0.1 * perMonth * 12 / rs.pop * 1e3
	if got := rs.unemployment - p.Country.Of(rs.country).Unemployment*rs.jobFactor; math.Abs(got-wantJobs) > 1e-6*wantJobs {
		t.Errorf("unemployment rises by %g, want %g", got, wantJobs)
	}
}

// The status quo follows the observed homicide series exactly; a policy
// scenario runs a twin and moves away from it.
func TestStatusQuoTwin(t *testing.T) {
	p := testParams(t)
	if p.needsTwin() {
		t.Fatal("the defaults need a twin")
	}
	s := newTestWorld(t, p)
	for !s.Done() {
		s.Step(Serial)
	}
	for m := range s.series.Months {
		for c := Country(0); c < NumCountries; c++ {
			if got, want := s.series.At(m, c, HomicideRate), interpolate(p.Geography.Homicide[c], p.Start.Add(m), true, 0); math.Abs(got-want) > 1e-9 {
				t.Fatalf("%s %s: homicide %g, observed %g", c, p.Start.Add(m), got, want)
			}
		}
	}
	q := *p
	q.Policy.InteriorRemovals = InteriorRemovals{Window: Window{From: p.Start}, RateMultiplier: 5, GangTargeting: 1}
	w := newTestWorld(t, &q)
	if w.twin == nil {
		t.Fatal("no twin for a policy scenario")
	}
	for !w.Done() {
		w.Step(Serial)
	}
	if math.Float64bits(total(&w.twin.series, HomicideRate)) != math.Float64bits(total(&s.series, HomicideRate)) {
		t.Error("the twin differs from the status quo run")
	}
	if total(&w.series, HomicideRate) <= total(&s.series, HomicideRate) {
		t.Error("tripled removals aimed at gangs do not raise homicide")
	}
}

// Department factors redistribute the national rate: the population-weighted
// mean of the departments is the national rate.
func TestFactorsPreserveNationalRate(t *testing.T) {
	w, _ := smallWorld(t)
	w.updateOrigin()
	var pop, hom [NumCountries]float64
	for _, rs := range w.regions {
		pop[rs.country] += rs.pop
		hom[rs.country] += rs.pop * rs.homicide
	}
	for c := Country(0); c < NumCountries; c++ {
		want := interpolate(w.p.Geography.Homicide[c], w.month, true, 0)
		if got := hom[c] / pop[c]; math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: weighted homicide %g, want %g", c, got, want)
		}
	}
}

// A returnee keeps a hazard of going again for Remigration.Months, then the
// household is drawn with the others again; a second return restarts the clock.
func TestReturneeWindow(t *testing.T) {
	w, s := smallWorld(t)
	w.p.Remigration.Months = 6
	clear(w.cond.remigration)
	for i := range w.cond.hazard {
		w.cond.hazard[i] = 0
	}
	h := s.lo
	s.returnees, s.returneeHead = s.returnees[:0], 0
	s.comeHome(w, h, 1, 0, kindAdult, false, retInterior, 2)
	active := func() bool { return w.hh.flags[h]&fReturnee != 0 }
	for month := 0; month < 12; month++ {
		if month == 8 {
			s.comeHome(w, h, 1, 0, kindAdult, false, retBorder, 0) // comes home again
		}
		s.decide(w)
		want := month <= 6 || month >= 8
		if active() != want {
			t.Errorf("month %d: returnee active %v, want %v", month, active(), want)
		}
		w.t++
	}
	// Two households come home twice, a month apart: each is active for
	// exactly the window after its second return.
	a, b := s.lo+1, s.lo+2
	for _, h := range []int32{a, b} {
		s.comeHome(w, h, 1, 0, kindAdult, false, retMexico, 0)
	}
	s.comeHome(w, s.lo+3, 1, 0, kindAdult, false, retMexico, 0) // a later entry between them in the queue
	w.t++
	for _, h := range []int32{a, b} {
		s.comeHome(w, h, 1, 0, kindAdult, false, retVoluntary, 1)
	}
	second := w.t
	for month := 0; month < 12; month++ {
		s.decide(w)
		want := w.t-second <= 6
		for _, h := range []int32{a, b} {
			if got := w.hh.flags[h]&fReturnee != 0; got != want {
				t.Errorf("%d months after the second return: household %d active %v, want %v", w.t-second, h, got, want)
			}
		}
		w.t++
	}
}

// The learned pull on children sent alone multiplies them by
// exp(UACPull × change in the perceived chance) and leaves the other
// departures of households with children, and all departures of households
// without, as they were.
func TestChildrenAlonePull(t *testing.T) {
	const change, pull = 0.3, 4.0
	hazards := func(uacPull float64) (hazard, uac []float32) {
		w, _ := smallWorld(t)
		w.p.Decision.UACPull = uacPull
		for c := range w.countries {
			cs := &w.countries[c]
			cs.perceivedFamily, cs.familyRef = 0.5, 0.5
			cs.perceivedChild, cs.childRef = 0.2+change, 0.2
		}
		w.fillHazards()
		return append([]float32(nil), w.cond.hazard...), append([]float32(nil), w.cond.uacShare...)
	}
	h0, u0 := hazards(0)
	h1, u1 := hazards(pull)
	alone := math.Exp(pull * change)
	for i := range h0 {
		r, k := i/numClasses, i%numClasses
		if h0[i] > 0.5 {
			continue // capped at 1: not a test of the formula
		}
		if k&classKids == 0 {
			if h1[i] != h0[i] {
				t.Fatalf("class %d (no children), region %d: hazard %g, want %g unchanged", k, r, h1[i], h0[i])
			}
			continue
		}
		other0, other1 := float64(h0[i])*float64(1-u0[r]), float64(h1[i])*float64(1-u1[r])
		alone0, alone1 := float64(h0[i])*float64(u0[r]), float64(h1[i])*float64(u1[r])
		if math.Abs(other1-other0) > 1e-6*other0 {
			t.Fatalf("class %d, region %d: other departures %g, want %g unchanged", k, r, other1, other0)
		}
		if math.Abs(alone1-alone*alone0) > 1e-5*alone1 {
			t.Fatalf("class %d, region %d: children alone %g, want %g × %g", k, r, alone1, alone0, alone)
		}
	}
}

// A policy that equals the default but for an empty list (aid departments
// written "[]") needs no status-quo twin; one department more does.
func TestNoTwinForEmptyLists(t *testing.T) {
	p := testParams(t)
	p.Policy.Aid.Of(SV).Departments = []string{}
	if p.needsTwin() {
		t.Error("an empty department list builds a twin")
	}
	p.Policy.Aid.Of(SV).Departments = []string{"San Salvador"}
	if !p.needsTwin() {
		t.Error("a department list builds no twin")
	}
}

// Households learn that children and families are let in on two clocks:
// the belief factor of a family's perceived stay follows
// family_belief_months, a child's follows belief_months, and each applies
// to its own kind only.
func TestFamilyBeliefClock(t *testing.T) {
	w, _ := smallWorld(t)
	d := &w.p.Decision
	d.StayBelief, d.BeliefMonths, d.FamilyBeliefMonths, d.FamilyImitation = 0.1, 12, 48, 0
	d.BeliefFrom = w.month.Add(-24)
	w.t = 1 // past the first month, so known moves by adaptive expectations
	w.updatePerceptions()
	checkBeliefs(t, w, 1-0.9*math.Exp(-24.0/12), 1-0.9*math.Exp(-24.0/48), "belief_months", "family_belief_months")
}

// checkBeliefs checks that every country's perceived stays carry the
// children's and the families' belief factors over what households know.
func checkBeliefs(t *testing.T, w *World, child, family float64, childKey, familyKey string) {
	t.Helper()
	for c := range w.countries {
		cs := &w.countries[c]
		if got := cs.perceivedChild / (cs.knownReach * cs.known[kindUAC]); math.Abs(got-child) > 1e-12 {
			t.Errorf("country %d: child belief %g, want %g (%s)", c, got, child, childKey)
		}
		if got := cs.perceivedFamily / (cs.knownReach * cs.known[kindFamily]); math.Abs(got-family) > 1e-12 {
			t.Errorf("country %d: family belief %g, want %g (%s)", c, got, family, familyKey)
		}
	}
}

// decision.family_imitation makes the families' learning word of mouth: the
// belief solves the Bass equation dB/dt = (p + q·B)(1 − B), so its monthly
// gain first grows (an S-curve) where the exponential's only shrinks; the
// children's belief ignores the imitation rate.
func TestFamilyImitation(t *testing.T) {
	w, _ := smallWorld(t)
	d := &w.p.Decision
	const months, q = 120.0, 0.1
	d.StayBelief, d.BeliefMonths, d.FamilyBeliefMonths, d.FamilyImitation = 0.05, months, months, q
	start := w.month
	at := func(m int, imitation float64) float64 {
		w.month = start.Add(m)
		return w.belief(months, imitation)
	}
	d.BeliefFrom = start
	if got := at(0, q); math.Abs(got-0.05) > 1e-12 {
		t.Errorf("belief at belief_from %g, want stay_belief 0.05", got)
	}
	for _, m := range []int{6, 24, 36, 60} {
		b := at(m, q)
		slope := (at(m+1, q) - at(m-1, q)) / 2
		want := (1/months + q*b) * (1 - b)
		if math.Abs(slope-want) > 1e-2*want { // central difference over two months
			t.Errorf("month %d: belief %g gains %g a month, want (p + q·B)(1 − B) = %g", m, b, slope, want)
		}
	}
	if g0, g1 := at(1, q)-at(0, q), at(13, q)-at(12, q); !(g1 > g0) {
		t.Errorf("with imitation the monthly gain should grow at first: %g in month 1, %g in month 13", g0, g1)
	}
	if g0, g1 := at(1, 0)-at(0, 0), at(13, 0)-at(12, 0); !(g1 < g0) {
		t.Errorf("without imitation the monthly gain should shrink: %g in month 1, %g in month 13", g0, g1)
	}
	w.month = start.Add(24)
	w.t = 1
	w.updatePerceptions()
	child, family := at(24, 0), at(24, q)
	checkBeliefs(t, w, child, family, "no imitation", "family_imitation")
	if !(family > child) {
		t.Errorf("imitation should speed the families' learning: %g against %g", family, child)
	}
}

// country.*.family_shift moves the family share of its own country's
// departments by its log-odds and leaves the other countries' alone.
func TestFamilyShiftByCountry(t *testing.T) {
	const shift = 0.7
	shares := func(gt float64) []float32 {
		w, _ := smallWorld(t)
		w.p.Country.GT.FamilyShift = gt
		for c := range w.countries {
			cs := &w.countries[c]
			cs.perceivedFamily, cs.familyRef = 0.5, 0.4
			cs.perceivedChild, cs.childRef = 0.2, 0.2
		}
		w.fillHazards()
		return append([]float32(nil), w.cond.famShare...)
	}
	w, _ := smallWorld(t)
	s0, s1 := shares(0), shares(shift)
	moved := 0
	for r := range s0 {
		l0, l1 := logit(float64(s0[r])), logit(float64(s1[r]))
		want := 0.0
		if w.regions[r].country == GT {
			want, moved = shift, moved+1
		}
		if !(math.Abs(l1-l0-want) <= 1e-5) { // NaN fails too
			t.Errorf("department %d (country %d): family share log-odds moved %g, want %g", r, w.regions[r].country, l1-l0, want)
		}
	}
	if moved == 0 {
		t.Fatal("no Guatemalan department in the test world")
	}
}
