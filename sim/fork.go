package sim

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"sync"
)

// Forking. Scenarios run with the same seed, scale, start and run length use
// the same random streams (common random numbers), so two scenarios whose
// policies and shocks have not yet differed are in exactly the same state: a
// comparison need not simulate those months twice. RunPaired simulates them
// once and forks the world where the scenarios part.

// fork returns a deep copy of w that continues as scenario p. p must share
// w's core (sameCore): only the inputs that a scenario's policies and shocks
// set are rebuilt from p. The copy has no twin; the caller sets it.
func (w *World) fork(p *Params) (*World, error) {
	shocks, err := shockPaths(p)
	if err != nil {
		return nil, err
	}
	c := *w
	c.p = p
	c.twin, c.twinShared = nil, false
	c.shocks = shocks
	c.hh = households{
		region: slices.Clone(w.hh.region),
		size:   slices.Clone(w.hh.size),
		kids:   slices.Clone(w.hh.kids),
		ties:   slices.Clone(w.hh.ties),
		flags:  slices.Clone(w.hh.flags),
		back:   slices.Clone(w.hh.back),
	}
	c.regions = slices.Clone(w.regions)
	for r := range c.regions {
		rs := &c.regions[r]
		rs.gangPipe = slices.Clone(rs.gangPipe)
		rs.jobPipe = slices.Clone(rs.jobPipe)
		rs.aidTarget = aidTarget(p, p.Geography.Regions[r])
	}
	c.shards = slices.Clone(w.shards)
	for k := range c.shards {
		s := &c.shards[k]
		s.returnees = slices.Clone(s.returnees)
		s.travel = slices.Clone(s.travel)
		s.cam = slices.Clone(s.cam)
		s.abroad = s.abroad.clone()
		s.pending = s.pending.clone()
		s.gone = slices.Clone(s.gone)
		s.regionAbroad = slices.Clone(s.regionAbroad)
		s.regionReturnees = slices.Clone(s.regionReturnees)
		s.regionGang = slices.Clone(s.regionGang)
		s.regionLeft = slices.Clone(s.regionLeft)
		s.dept = slices.Clone(s.dept)
	}
	c.cond.hazard = slices.Clone(w.cond.hazard)
	c.cond.remigration = slices.Clone(w.cond.remigration)
	c.cond.uacShare = slices.Clone(w.cond.uacShare)
	c.cond.famShare = slices.Clone(w.cond.famShare)
	c.regionAbroad = slices.Clone(w.regionAbroad)
	c.left = slices.Clone(w.left)
	c.scratch = [2][]float64{slices.Clone(w.scratch[0]), slices.Clone(w.scratch[1])}
	c.series.Scenario = p.Name
	c.series.Values = slices.Clone(w.series.Values)
	c.series.Departments = w.series.Departments.clone()
	c.dept = slices.Clone(w.dept)
	return &c, nil
}

// clone returns a copy of the stock that shares no memory with it.
func (p stock) clone() stock {
	return stock{
		home:   slices.Clone(p.home),
		region: slices.Clone(p.region),
		size:   slices.Clone(p.size),
		status: slices.Clone(p.status),
		flags:  slices.Clone(p.flags),
		since:  slices.Clone(p.since),
	}
}

// sameCore reports whether a and b differ at most in their names, policies,
// shocks and whether they measure the feedback against a status-quo twin:
// then, with the same random streams, they are in the same state until the
// first month their policies or shocks differ (partAt).
func sameCore(a, b *Params) bool {
	x, y := *a, *b
	for _, q := range []*Params{&x, &y} {
		q.Name, q.Description = "", ""
		q.Policy, q.Shocks = PolicyParams{}, nil
		q.Feedback.StatusQuoTwin = false
	}
	return equalValues(reflect.ValueOf(x), reflect.ValueOf(y))
}

// inputs is what a scenario's policies and shocks make of one month: the
// only inputs by which scenarios with the same core can differ.
type inputs struct {
	levers levers
	shocks shockLevels
	cam    CAMPolicy // once CAM has opened: its terms act on the cases
	aid    [NumCountries][]string
}

func inputsAt(p *Params, shocks []shockPath, m Month) inputs {
	in := inputs{levers: p.leversAt(m), shocks: shockLevelsOf(shocks, p.Mechanisms.Shocks, m)}
	if cam := &p.Policy.CAM; p.Mechanisms.CAM && cam.Open.IsSet() && m >= cam.Open {
		in.cam = *cam
	}
	for c := Country(0); c < NumCountries; c++ {
		if in.levers.aidHomicide[c] != 1 || in.levers.aidJobs[c] != 1 {
			in.aid[c] = p.Policy.Aid.Of(c).Departments
		}
	}
	return in
}

func (a *inputs) equal(b *inputs) bool {
	if a.levers != b.levers || a.shocks != b.shocks || a.cam != b.cam {
		return false
	}
	for c := range a.aid {
		if !slices.Equal(a.aid[c], b.aid[c]) {
			return false
		}
	}
	return true
}

// partAt returns the first engine step (warm-up included, from 0) at which
// the inputs of a and b differ, or steps if they never do within the run.
func partAt(a, b *Params, sa, sb []shockPath) int {
	steps := warmup + a.Months
	m := a.Start.Add(-warmup)
	for t := range steps {
		ia, ib := inputsAt(a, sa, m.Add(t)), inputsAt(b, sb, m.Add(t))
		if !ia.equal(&ib) {
			return t
		}
	}
	return steps
}

// PartMonth returns the first month (warm-up included) in which scenarios a
// and b can differ, and false if they are in the same state throughout the
// run or cannot share their months (they differ in more than policies and
// shocks, or in their run settings).
func PartMonth(a, b *Params) (Month, bool) {
	if a.Start != b.Start || a.Months != b.Months || a.Scale != b.Scale || a.Seed != b.Seed || !sameCore(a, b) {
		return a.Start.Add(-warmup), true
	}
	sa, err := shockPaths(a)
	if err != nil {
		return a.Start.Add(-warmup), true
	}
	sb, err := shockPaths(b)
	if err != nil {
		return a.Start.Add(-warmup), true
	}
	t := partAt(a, b, sa, sb)
	if t == warmup+a.Months {
		return 0, false
	}
	return a.Start.Add(t - warmup), true
}

// node is one world of a paired run: the shared status quo (the root) or a
// scenario, forked from parent at step at.
type node struct {
	p      *Params
	shocks []shockPath
	parent int // index of the node it forks from; -1 for a world built on its own
	at     int // the step before which it forks
	w      *World
}

// plan lays out the worlds of one replicate of a paired run. Node 0 is the
// status quo of ps[0]; node i+1 is ps[i]. Each scenario forks from the
// earlier node it stays equal to longest; one that shares no core with
// ps[0] is built on its own.
func planPaired(ps []*Params) ([]node, error) {
	sq := ps[0].StatusQuo()
	nodes := []node{{p: &sq, parent: -1}}
	for _, p := range ps {
		sh, err := shockPaths(p)
		if err != nil {
			return nil, err
		}
		n := node{p: p, shocks: sh, parent: -1}
		if sameCore(p, &sq) {
			for j := range nodes {
				if nodes[j].parent == -1 && j > 0 {
					continue // built on its own: another core
				}
				if at := partAt(p, nodes[j].p, sh, nodes[j].shocks); at > n.at || n.parent == -1 {
					n.parent, n.at = j, at
				}
			}
		}
		nodes = append(nodes, n)
	}
	return nodes, nil
}

// RunPaired simulates every replicate of the scenarios ps, which must share
// their run settings (start, months, scale, replicates, seed; see Pair in
// package sweep), and returns the series of each in the order given: the
// same, bit for bit, as Run would return for each alone. Months in which
// scenarios cannot yet differ are simulated once, and the status quo that
// measures the deportee feedback is shared by every scenario that needs
// it, instead of each building its own twin. Progress counts the months
// actually simulated.
func RunPaired(ctx context.Context, ps []*Params, opt Options) ([][]Series, error) {
	if len(ps) == 0 {
		return nil, nil
	}
	ref := ps[0]
	for _, p := range ps {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		if p.Start != ref.Start || p.Months != ref.Months || p.Scale != ref.Scale || p.Replicates != ref.Replicates || p.Seed != ref.Seed {
			return nil, fmt.Errorf("run paired: %s's run settings differ from %s's", p.Name, ref.Name)
		}
	}
	nodes, err := planPaired(ps)
	if err != nil {
		return nil, err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	pl := NewPool(workers)
	defer pl.Close()

	total := ref.Replicates * pairedSteps(nodes)
	var mu sync.Mutex
	done := 0
	tick := func() {
		if opt.Progress == nil {
			return
		}
		mu.Lock()
		done++
		opt.Progress(done, total)
		mu.Unlock()
	}
	out := make([][]Series, len(ps))
	for i := range out {
		out[i] = make([]Series, ref.Replicates)
	}
	errs := make([]error, ref.Replicates)
	replicates := NewPool(min(workers, ref.Replicates))
	defer replicates.Close()
	replicates.Run(ref.Replicates, func(r int) {
		if ctx.Err() != nil {
			return
		}
		series, err := runPairedReplicate(ctx, nodes, r, pl.Run, tick, opt.ByDepartment)
		if err != nil {
			errs[r] = err
			return
		}
		for i := range ps {
			out[i][r] = series[i]
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for r, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("replicate %d: %w", r, err)
		}
	}
	return out, nil
}

// PairedSteps is the number of world-months RunPaired simulates for ps over
// all replicates: the total its Progress callback counts to.
func PairedSteps(ps []*Params) (int, error) {
	if len(ps) == 0 {
		return 0, nil
	}
	nodes, err := planPaired(ps)
	if err != nil {
		return 0, err
	}
	return ps[0].Replicates * pairedSteps(nodes), nil
}

// needs returns, for every node, the number of steps it must be simulated:
// a scenario to the end, the root as long as a scenario still forks from it
// or measures its feedback against it.
func needs(nodes []node) []int {
	steps := warmup + nodes[0].p.Months
	n := make([]int, len(nodes))
	for i := len(nodes) - 1; i >= 0; i-- {
		if i > 0 {
			n[i] = steps
			if nodes[i].p.needsTwin() && nodes[i].parent != -1 {
				n[0] = steps
			}
		}
		if j := nodes[i].parent; j >= 0 {
			n[j] = max(n[j], nodes[i].at)
		}
	}
	return n
}

// pairedSteps is the number of world-months one replicate of a paired run
// simulates, status-quo twins of worlds built on their own included.
func pairedSteps(nodes []node) int {
	n := needs(nodes)
	total := 0
	for i, nd := range nodes {
		from := 0
		if nd.parent >= 0 {
			from = nd.at
		}
		s := n[i] - from
		if i > 0 && nd.parent == -1 && nd.p.needsTwin() {
			s *= 2
		}
		total += max(s, 0)
	}
	return total
}

func runPairedReplicate(ctx context.Context, nodes []node, r int, ex Executor, tick func(), byDepartment bool) ([]Series, error) {
	need := needs(nodes)
	steps := warmup + nodes[0].p.Months
	worlds := make([]*World, len(nodes))
	for i, nd := range nodes {
		if nd.parent >= 0 {
			continue
		}
		w, err := newWorld(nd.p, r, ex)
		if err != nil {
			return nil, err
		}
		if i > 0 && nd.p.needsTwin() {
			sq := nd.p.StatusQuo()
			if w.twin, err = newWorld(&sq, r, ex); err != nil {
				return nil, err
			}
		}
		if byDepartment {
			w.observeDepartments() // forks inherit it
		}
		worlds[i] = w
	}
	for t := 0; t <= steps; t++ {
		// Fork, before step t, the worlds that part from their parent there,
		// in node order: a parent is always an earlier node.
		for i, nd := range nodes {
			if nd.parent < 0 || nd.at != t {
				continue
			}
			w, err := worlds[nd.parent].fork(nd.p)
			if err != nil {
				return nil, err
			}
			if nd.p.needsTwin() {
				w.twin, w.twinShared = worlds[0], true
			}
			worlds[i] = w
		}
		if t == steps {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// The root first: worlds that share it as their twin read its month.
		for i, w := range worlds {
			if w == nil || t >= need[i] {
				continue
			}
			w.Step(ex)
			tick()
			if w.twin != nil && !w.twinShared {
				tick()
			}
		}
	}
	out := make([]Series, len(nodes)-1)
	for i := range out {
		out[i] = worlds[i+1].series
	}
	return out, nil
}
