package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// ShardSize is the number of households in a shard. It is a constant of the
// engine, never derived from the number of workers, so that the random
// streams, and therefore the results, do not depend on how many workers run.
const ShardSize = 1 << 15

// warmup is the number of months simulated before Start and not reported.
// They let transit, stocks and perceptions settle, and they define the
// reference regime of the deportee feedback (see FeedbackParams).
const warmup = 12

// World is one replicate of a scenario: the households, the migrants, the
// departments, and the month being simulated.
type World struct {
	p         *Params
	replicate int
	t         int   // months simulated, warm-up included
	month     Month // the month the next Step simulates

	hh        households
	regions   []regionState
	countries [NumCountries]countryState
	shards    []shard
	shocks    []shockPath
	cond      conditions

	// Reductions of last month's shard state, in shard order.
	regionAbroad   []float64 // simulated people abroad per department
	groups         [NumCountries][numStatus][3]int64
	mxAsylumDemand float64 // real persons who tried to claim asylum in Mexico

	// twin is the status quo of this scenario and replicate, stepped in
	// lockstep; nil when the scenario is its own status quo. twinShared
	// says that RunPaired steps it, for every world that shares it.
	twin       *World
	twinShared bool

	series  Series
	scratch [2][]float64 // per-department returnees and gang returnees
	left    []float64    // last month's departures per department (real persons)
	dept    []int64      // this month's department counters summed over shards; nil unless observed (department.go)
}

// conditions is what the serial part of a tick computes and the shards read.
type conditions struct {
	levers levers
	hazard []float32 // [department*numClasses + class] monthly departure probability
	// remigration is [(department*numReturnClasses + return class)*numClasses + class]:
	// a returnee's monthly probability of going again.
	remigration []float32
	uacShare    []float32 // per department: P(child goes alone | household with children departs)
	famShare    []float32 // per department: P(family unit | not a child alone)
	shocks      shockLevels
	transit     transitProbs
	apprehend   [NumCountries][3]float64 // border apprehension probability by country and kind
	release     [NumCountries]float64    // share of apprehended families released, by country
	abroad      abroadEvents
}

// shard is a fixed block of households with the migrants that came from them
// and its own random streams. Only the goroutine running the shard touches it.
type shard struct {
	lo, hi      int32    // households [lo, hi)
	rlo, rhi    int      // departments spanned [rlo, rhi)
	decideRNG   rand.PCG // thinning over the households
	returneeRNG rand.PCG // the returnee list
	rng         rand.PCG // everything else
	// returnees queues the returns of the last RemigrationMonths in order of
	// expiry, from returneeHead on: one entry per return.
	returnees    []listed
	returneeHead int
	travel       []traveller
	cam          []camApp
	abroad       stock // the stock abroad, pending cases apart
	pending      stock // pending asylum and immigration cases
	gone         []int32
	tpsSwept     [NumCountries]bool

	flow            [NumCountries][NumMetrics]int64 // this month's flows
	asylumDemand    int64
	persons         [NumCountries][numStatus]int64 // stock abroad (running)
	groups          [NumCountries][numStatus][3]int64
	regionAbroad    []int64 // people abroad per department (running)
	regionReturnees []int64 // this month
	regionGang      []int64 // this month
	regionLeft      []int64 // this month's departures per department
	dept            []int64 // this month's department counters; nil unless observed (department.go)

	// drawn, when set (by tests only), sees each returnee-list entry whose
	// household's decision the returnee pass draws.
	drawn func(listed)
}

// New builds replicate r of scenario p and runs its warm-up. ex runs the
// per-shard work; pass Serial for one goroutine. A scenario whose policies
// or shocks differ from the status quo also builds its status-quo twin (see
// FeedbackParams), which doubles its cost.
func New(p *Params, replicate int, ex Executor) (*World, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.ReferenceParams != nil {
		return nil, fmt.Errorf("%s branches from %s: run it with Run or RunPaired, which run its reference too", p.Name, p.Reference)
	}
	w, err := newWorld(p, replicate, ex)
	if err != nil {
		return nil, err
	}
	if p.needsTwin() {
		sq := p.StatusQuo()
		if w.twin, err = newWorld(&sq, replicate, ex); err != nil {
			return nil, err
		}
	}
	for !w.started() {
		w.Step(ex)
	}
	return w, nil
}

// newWorld builds and initialises a world, without its warm-up.
func newWorld(p *Params, replicate int, ex Executor) (*World, error) {
	w := &World{p: p, replicate: replicate}
	if err := w.build(); err != nil {
		return nil, err
	}
	ex(len(w.shards), w.initShard)
	w.collect(new(totals))
	return w, nil
}

// build lays out departments, households and shards.
func (w *World) build() error {
	p := w.p
	geo := &p.Geography
	nr := len(geo.Regions)
	if nr > 256 {
		return fmt.Errorf("geography: %d departments, at most 256", nr)
	}
	w.regions = make([]regionState, nr)
	var sigma = p.Origin.RegionSpread
	n := 0
	for r, reg := range geo.Regions {
		cp := p.Country.Of(reg.Country)
		rs := &w.regions[r]
		rs.country = reg.Country
		rs.pop = reg.Weight * cp.Population
		rs.homFactor = reg.HomicideFactor
		if rs.homFactor <= 0 {
			rs.homFactor = exp(float64(sigma*reg.ZHomicide) - float64(sigma*sigma/2))
		}
		rs.jobFactor = exp(float64(sigma*reg.ZJobs) - float64(sigma*sigma/2))
		rs.lo = n
		n += int(math.Round(rs.pop / cp.HouseholdSize * p.Scale))
		rs.hi = n
		rs.gangPipe = make([]float64, p.Feedback.LagMonths+1)
		rs.jobPipe = make([]float64, p.Feedback.LagMonths+1)
		rs.aidTarget = aidTarget(p, reg)
	}
	w.normaliseFactors()
	var err error
	if w.shocks, err = shockPaths(p); err != nil {
		return err
	}
	w.hh = newHouseholds(n)
	for r := range w.regions {
		for i := w.regions[r].lo; i < w.regions[r].hi; i++ {
			w.hh.region[i] = uint8(r)
		}
	}
	ns := (n + ShardSize - 1) / ShardSize
	w.shards = make([]shard, ns)
	for k := range w.shards {
		s := &w.shards[k]
		s.lo, s.hi = int32(k*ShardSize), int32(min((k+1)*ShardSize, n))
		s.rlo, s.rhi = int(w.hh.region[s.lo]), int(w.hh.region[s.hi-1])+1
		s.decideRNG = newStream(p.Seed, w.replicate, k, streamDecide)
		s.returneeRNG = newStream(p.Seed, w.replicate, k, streamReturnees)
		s.rng = newStream(p.Seed, w.replicate, k, streamEvents)
		s.regionAbroad = make([]int64, nr)
		s.regionReturnees = make([]int64, nr)
		s.regionGang = make([]int64, nr)
		s.regionLeft = make([]int64, nr)
	}
	w.cond.hazard = make([]float32, nr*numClasses)
	w.cond.remigration = make([]float32, nr*numReturnClasses*numClasses)
	w.cond.uacShare = make([]float32, nr)
	w.cond.famShare = make([]float32, nr)
	w.regionAbroad = make([]float64, nr)
	w.left = make([]float64, nr)
	w.scratch = [2][]float64{make([]float64, nr), make([]float64, nr)}
	w.series = Series{Scenario: p.Name, Replicate: w.replicate, Start: p.Start, Months: p.Months,
		Values: make([]float64, p.Months*int(NumCountries)*int(NumMetrics))}
	w.month = p.Start.Add(-warmup)
	return nil
}

// aidTarget reports whether p's aid reaches department reg: every
// department of the country unless the package names some.
func aidTarget(p *Params, reg Region) bool {
	pk := p.Policy.Aid.Of(reg.Country)
	return len(pk.Departments) == 0 || slices.Contains(pk.Departments, reg.Name)
}

// shockPaths parses p's shocks, one path per country they reach.
func shockPaths(p *Params) ([]shockPath, error) {
	var paths []shockPath
	for _, s := range p.Shocks {
		pts, err := s.Points()
		if err != nil {
			return nil, err
		}
		cs, err := shockCountries(s.Country)
		if err != nil {
			return nil, err
		}
		v, ok := parseShockVar(s.Variable)
		if !ok {
			return nil, fmt.Errorf("shock variable %q", s.Variable)
		}
		for _, c := range cs {
			paths = append(paths, shockPath{country: c, variable: v, multiply: s.Mode == "multiply", points: pts})
		}
	}
	return paths, nil
}

// normaliseFactors scales department factors so that the population-weighted
// mean of each country is 1: departments redistribute the national rate.
func (w *World) normaliseFactors() {
	var hom, jobs, pop [NumCountries]float64
	for _, rs := range w.regions {
		hom[rs.country] += float64(rs.homFactor * rs.pop)
		jobs[rs.country] += float64(rs.jobFactor * rs.pop)
		pop[rs.country] += rs.pop
	}
	for r := range w.regions {
		rs := &w.regions[r]
		rs.homFactor *= pop[rs.country] / hom[rs.country]
		rs.jobFactor *= pop[rs.country] / jobs[rs.country]
	}
}

// initShard draws shard k's households and their relatives abroad.
func (w *World) initShard(k int) {
	p := w.p
	s := &w.shards[k]
	rng := newStream(p.Seed, w.replicate, k, streamInit)
	hh := &w.hh
	var tables [NumCountries]struct {
		size, ties           []float64 // Poisson CDFs
		kidShare             float64
		tps, daca, undoc, pe float64
	}
	for c := Country(0); c < NumCountries; c++ {
		cp := p.Country.Of(c)
		t := &tables[c]
		t.size = poissonCDF(cp.HouseholdSize - 1)
		households := cp.Population / cp.HouseholdSize
		t.ties = poissonCDF(math.Max(cp.Abroad/households/cp.TieShare-1, 0))
		t.kidShare = math.Min(1, cp.ChildShare/(1-t.size[0]))
		ab := math.Max(cp.Abroad, 1)
		t.tps, t.daca, t.undoc, t.pe = cp.TPS/ab, cp.DACA/ab, cp.UndocumentedShare, cp.PendingShare
	}
	expect := 0.0
	for r := s.rlo; r < s.rhi; r++ {
		cp := p.Country.Of(w.regions[r].country)
		expect += float64(cp.Abroad / cp.Population * cp.HouseholdSize)
	}
	s.abroad.grow(int(expect/float64(s.rhi-s.rlo)*float64(s.hi-s.lo)*1.5) + 256)
	for i := int(s.lo); i < int(s.hi); i++ {
		c := w.regions[hh.region[i]].country
		cp := p.Country.Of(c)
		t := &tables[c]
		size := 1 + drawCDF(t.size, uniform(&rng))
		hh.size[i] = uint8(size)
		if size >= 2 && uniform(&rng) <= t.kidShare {
			hh.kids[i] = uint8(1 + int(uniform(&rng)*float64(size-1)*0.999999))
		}
		u := uniform(&rng)
		switch {
		case u <= cp.ExtremePoorShare:
			hh.flags[i] = 2
		case u <= cp.ExtremePoorShare+cp.PoorShare:
			hh.flags[i] = 1
		}
		if uniform(&rng) > cp.TieShare {
			continue
		}
		ties := 1 + drawCDF(t.ties, uniform(&rng))
		for range min(ties, 255) {
			v := uniform(&rng)
			status := uint8(stProtected)
			switch {
			case v <= t.undoc:
				status = stUndocumented
			case v <= t.undoc+t.pe:
				status = stPending
			case v <= t.undoc+t.pe+t.tps:
				status = stTPS
			case v <= t.undoc+t.pe+t.tps+t.daca:
				status = stDACA
			}
			flags := uint8(kindAdult)
			if uniform(&rng) <= p.Abroad.CriminalShare {
				flags |= gCriminal
				if uniform(&rng) <= p.Abroad.GangShare {
					flags |= gGang
				}
			}
			// Arrived up to 20 years before the warm-up (an assumption:
			// the stock of 2012 came mostly in the 1990s and 2000s).
			since := -int16(uniform(&rng) * 240)
			s.join(w, int32(i), 1, status, eligible(status, flags), since)
		}
	}
	s.travel = make([]traveller, 0, (s.hi-s.lo)/64+16)
	s.gone = make([]int32, 0, 256)
}

// poissonCDF tabulates the Poisson(lambda) CDF until it reaches 1 - 1e-12.
func poissonCDF(lambda float64) []float64 {
	d := distuv.Poisson{Lambda: math.Max(lambda, 1e-9)}
	var cdf []float64
	for k := 0; ; k++ {
		v := d.CDF(float64(k))
		cdf = append(cdf, v)
		if v >= 1-1e-12 || k > 200 {
			return cdf
		}
	}
}

// drawCDF returns the smallest k with cdf[k] ≥ u.
func drawCDF(cdf []float64, u float64) int {
	for k, v := range cdf {
		if u <= v {
			return k
		}
	}
	return len(cdf) - 1
}

// started reports whether the warm-up is over.
func (w *World) started() bool { return w.t >= warmup }

// Month is the month the next Step will simulate.
func (w *World) Month() Month { return w.month }

// Done reports whether every month of the scenario has been simulated.
func (w *World) Done() bool { return w.t >= warmup+w.p.Months }

// Households is the number of simulated households.
func (w *World) Households() int { return len(w.hh.size) }

// Series returns the observations so far (months from Start up to the last
// simulated month; later months are zero).
func (w *World) Series() *Series { return &w.series }
