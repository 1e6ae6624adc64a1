package sim

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"slices"
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
	c := *w
	c.twin, c.twinShared = nil, false
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
	c.series.Values = slices.Clone(w.series.Values)
	c.series.Departments = w.series.Departments.clone()
	c.dept = slices.Clone(w.dept)
	if err := c.become(p); err != nil {
		return nil, err
	}
	return &c, nil
}

// become makes w continue as scenario p from its month on: the inputs that
// a scenario's policies, shocks and name set are rebuilt from p. p must
// share what w was built from (sameCore, or a branch's structure: Validate).
func (w *World) become(p *Params) error {
	shocks, err := shockPaths(p)
	if err != nil {
		return err
	}
	w.p = p
	w.shocks = shocks
	for r := range w.regions {
		w.regions[r].aidTarget = aidTarget(p, p.Geography.Regions[r])
	}
	w.series.Scenario = p.Name
	return nil
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
// shocks, references and whether they measure the feedback against a
// status-quo twin: then, with the same random streams, they are in the same
// state until the first month their policies or shocks differ (partAt).
func sameCore(a, b *Params) bool {
	x, y := *a, *b
	for _, q := range []*Params{&x, &y} {
		q.Name, q.Description = "", ""
		q.Policy, q.Shocks = PolicyParams{}, nil
		q.Feedback.StatusQuoTwin = false
		q.Reference, q.Branch, q.ReferenceParams = "", 0, nil
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
		in.cam.Open, in.cam.Close = 0, 0 // they act through the levers
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

// node is one world of a paired run: a scenario, the reference a branched
// scenario runs before its branch and measures its feedback against, or a
// status-quo twin. It is built on its own (parent −1) or forked from an
// earlier node at step at.
type node struct {
	p      *Params // the scenario
	before *Params // what drives it before step branch; nil: p throughout
	branch int
	shocks [2][]shockPath // of before and p
	parent int
	at     int
	twin   int // the node it measures its feedback against; −1 for none
}

func newNode(p *Params) (node, error) {
	n := node{p: p, parent: -1, twin: -1}
	var err error
	if n.shocks[1], err = shockPaths(p); err != nil {
		return n, err
	}
	if p.ReferenceParams != nil {
		n.before = p.referenceRun()
		// A branch before the warm-up is the scenario's own keys
		// throughout; one after the run's end, its reference's.
		n.branch = min(max(warmup+int(p.Branch-p.Start), 0), warmup+p.Months)
		if n.shocks[0], err = shockPaths(n.before); err != nil {
			return n, err
		}
	}
	return n, nil
}

// params returns what drives the node's world at step t, and its shocks.
func (n *node) params(t int) (*Params, []shockPath) {
	if t < n.branch {
		return n.before, n.shocks[0]
	}
	return n.p, n.shocks[1]
}

// twinParams returns the parameters of the world p measures its feedback
// against: its reference if it branches from one, else its status quo; nil
// if it needs none.
func twinParams(p *Params) *Params {
	if p.ReferenceParams != nil {
		if !p.Mechanisms.DeporteeFeedback && !p.Mechanisms.ReturneeUnemployment {
			return nil
		}
		return p.referenceRun()
	}
	if !p.needsTwin() {
		return nil
	}
	sq := p.StatusQuo()
	return &sq
}

// planner lays out the worlds of one replicate of a paired run.
type planner struct {
	nodes []node
	steps int
	same  map[[2]*Params]bool
}

func (pl *planner) sameCore(a, b *Params) bool {
	if a == b {
		return true
	}
	k := [2]*Params{a, b}
	if v, ok := pl.same[k]; ok {
		return v
	}
	v := sameCore(a, b)
	pl.same[k] = v
	return v
}

// partAt returns the first step (warm-up included, from 0) at which the
// worlds of nodes a and b can differ, or steps if they never do; 0 also
// when they differ in their core from the start.
func (pl *planner) partAt(a, b *node) int {
	m := a.p.Start.Add(-warmup)
	for t := range pl.steps {
		pa, sa := a.params(t)
		pb, sb := b.params(t)
		if !pl.sameCore(pa, pb) {
			return t
		}
		ia, ib := inputsAt(pa, sa, m.Add(t)), inputsAt(pb, sb, m.Add(t))
		if !ia.equal(&ib) {
			return t
		}
	}
	return pl.steps
}

// add places n: forked from the earlier node it stays equal to longest, or
// built on its own when it shares no core with any from the start. It
// returns the node's index.
func (pl *planner) add(n node) int {
	for j := range pl.nodes {
		at := pl.partAt(&n, &pl.nodes[j])
		if at == 0 {
			p0, _ := n.params(0)
			q0, _ := pl.nodes[j].params(0)
			if !pl.sameCore(p0, q0) {
				continue // another world from the start: no state to share
			}
		}
		if n.parent == -1 || at > n.at {
			n.parent, n.at = j, at
		}
	}
	pl.nodes = append(pl.nodes, n)
	return len(pl.nodes) - 1
}

// twinOf returns the index of a node equal to the world q throughout,
// adding one if there is none.
func (pl *planner) twinOf(q *Params) (int, error) {
	n, err := newNode(q)
	if err != nil {
		return 0, err
	}
	for j := range pl.nodes {
		if pl.nodes[j].before == nil && pl.partAt(&n, &pl.nodes[j]) == pl.steps {
			return j, nil
		}
	}
	return pl.add(n), nil
}

// planPaired plans the worlds of one replicate of a paired run of ps, and
// returns them and the node of each scenario. A scenario forks from the
// earlier world it stays equal to longest (its reference, for one that
// branches from it, at the latest at the branch); every world that needs a
// status-quo twin or its reference shares one node for it.
func planPaired(ps []*Params) ([]node, []int, error) {
	pl := &planner{steps: warmup + ps[0].Months, same: map[[2]*Params]bool{}}
	scen := make([]int, len(ps))
	for i, p := range ps {
		if p.ReferenceParams != nil {
			// Its history first, so that the scenario forks from it.
			if _, err := pl.twinOf(p.referenceRun()); err != nil {
				return nil, nil, err
			}
		}
		n, err := newNode(p)
		if err != nil {
			return nil, nil, err
		}
		scen[i] = pl.add(n)
	}
	// Twins: the reference or status quo of every node that needs one. A
	// twin needs none itself (Validate: a reference is its own status quo;
	// a status quo has no policies).
	for i := 0; i < len(pl.nodes); i++ {
		q := twinParams(pl.nodes[i].p)
		if q == nil {
			continue
		}
		j, err := pl.twinOf(q)
		if err != nil {
			return nil, nil, err
		}
		pl.nodes[i].twin = j
	}
	return pl.nodes, scen, nil
}

// needs returns, for every node, the steps it must be simulated: a scenario
// and a twin in use to the end, any other node until the last fork from it.
func needs(nodes []node, scen []int) []int {
	steps := warmup + nodes[0].p.Months
	n := make([]int, len(nodes))
	for _, i := range scen {
		n[i] = steps
	}
	for i := range nodes {
		if j := nodes[i].twin; j >= 0 && n[i] > 0 {
			n[j] = steps
		}
	}
	for i := len(nodes) - 1; i >= 0; i-- {
		if j := nodes[i].parent; j >= 0 && n[i] > 0 {
			n[j] = max(n[j], nodes[i].at)
		}
	}
	return n
}

// pairedSteps is the number of world-months one replicate simulates.
func pairedSteps(nodes []node, scen []int) int {
	need := needs(nodes, scen)
	total := 0
	for i, nd := range nodes {
		from := 0
		if nd.parent >= 0 {
			from = nd.at
		}
		total += max(need[i]-from, 0)
	}
	return total
}

// PartMonth returns the first month (warm-up included) in which the worlds
// of scenarios a and b can differ, and false if they are in the same state
// throughout the run.
func PartMonth(a, b *Params) (Month, bool) {
	if a.Start != b.Start || a.Months != b.Months || a.Scale != b.Scale || a.Seed != b.Seed {
		return a.Start.Add(-warmup), true
	}
	na, err := newNode(a)
	if err != nil {
		return a.Start.Add(-warmup), true
	}
	nb, err := newNode(b)
	if err != nil {
		return a.Start.Add(-warmup), true
	}
	pl := &planner{steps: warmup + a.Months, same: map[[2]*Params]bool{}}
	t := pl.partAt(&na, &nb)
	if t == pl.steps {
		return 0, false
	}
	return a.Start.Add(t - warmup), true
}

// RunPaired simulates every replicate of the scenarios ps, which must share
// their run settings (start, months, scale, replicates, seed; see Pair in
// package sweep), and returns the series of each in the order given: the
// same, bit for bit, as each run alone. Months in which worlds cannot yet
// differ are simulated once, and a status quo or reference that measures
// the deportee feedback is shared by every scenario that needs it. Progress
// counts the months actually simulated.
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
	nodes, scen, err := planPaired(ps)
	if err != nil {
		return nil, err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	pl := NewPool(workers)
	defer pl.Close()

	tick := counter(ref.Replicates*pairedSteps(nodes, scen), opt.Progress)
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
		worlds, err := runPairedReplicate(ctx, nodes, scen, r, pl.Run, tick, opt.ByDepartment)
		if err != nil {
			errs[r] = err
			return
		}
		for i, n := range scen {
			out[i][r] = worlds[n].series
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
	nodes, scen, err := planPaired(ps)
	if err != nil {
		return 0, err
	}
	return ps[0].Replicates * pairedSteps(nodes, scen), nil
}

// runPairedReplicate runs replicate r of the planned worlds in lockstep and
// returns them at the end.
func runPairedReplicate(ctx context.Context, nodes []node, scen []int, r int, ex Executor, tick func(), byDepartment bool) ([]*World, error) {
	need := needs(nodes, scen)
	steps := warmup + nodes[0].p.Months
	worlds := make([]*World, len(nodes))
	twin := make([]int, len(nodes))
	stepped := make([]bool, len(nodes))
	for t := 0; t <= steps; t++ {
		// Build or fork, before step t, the worlds that start there (a
		// parent is an earlier node), and switch a branched world to its
		// own scenario at its branch.
		for i := range nodes {
			nd := &nodes[i]
			p, _ := nd.params(t)
			switch {
			case need[i] == 0 || t > need[i]:
			case worlds[i] == nil && nd.parent < 0 && t == 0:
				w, err := newWorld(p, r, ex)
				if err != nil {
					return nil, err
				}
				if byDepartment {
					w.observeDepartments() // forks inherit it
				}
				worlds[i] = w
			case worlds[i] == nil && nd.parent >= 0 && nd.at == t:
				w, err := worlds[nd.parent].fork(p)
				if err != nil {
					return nil, err
				}
				worlds[i] = w
			case worlds[i] != nil && worlds[i].p != p:
				if err := worlds[i].become(p); err != nil {
					return nil, err
				}
			}
		}
		if t == steps {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// Each world's twin this month: its twin node or, until that node
		// forks, the ancestor whose state it still is; none when that is
		// the world itself (the feedback is then exactly 0).
		for i, w := range worlds {
			twin[i], stepped[i] = -1, false
			if w == nil || t >= need[i] {
				stepped[i] = true
				continue
			}
			w.twin, w.twinShared = nil, false
			j := nodes[i].twin
			if j < 0 || t < nodes[i].branch {
				continue
			}
			for worlds[j] == nil {
				j = nodes[j].parent
			}
			if j != i {
				twin[i] = j
				w.twin, w.twinShared = worlds[j], true
			}
		}
		// A twin steps before the worlds that read it.
		for left := true; left; {
			left = false
			progress := false
			for i, w := range worlds {
				if stepped[i] {
					continue
				}
				if j := twin[i]; j >= 0 && !stepped[j] {
					left = true
					continue
				}
				w.Step(ex)
				tick()
				stepped[i], progress = true, true
			}
			if left && !progress {
				return nil, fmt.Errorf("run paired: the worlds' twins form a cycle at step %d", t)
			}
		}
	}
	return worlds, nil
}
