package sim

import (
	"context"
	"sync"
)

// Executor runs fn(0), …, fn(n-1), possibly in parallel, and returns when all
// have finished. The engine hands it the per-shard work of a month.
type Executor func(n int, fn func(i int))

// Serial runs the calls one after another on the calling goroutine.
func Serial(n int, fn func(i int)) {
	for i := range n {
		fn(i)
	}
}

// Step simulates one month: the eight steps of the tick, in order. Steps 1–2
// and the preparation of the tables run serially; steps 3–7 run per shard
// through ex; step 8 reduces the shards in shard order.
func (w *World) Step(ex Executor) {
	if w.Done() {
		return
	}
	if w.twin != nil && !w.twinShared {
		w.twin.Step(ex) // the status quo's month first: the feedback compares with it
	}
	w.cond.levers = w.p.leversAt(w.month) // 1. policy timeline
	w.cond.shocks = w.shockLevelsAt(w.month)
	w.cond.transit = w.transitProbs()
	w.cond.apprehend, w.cond.release = w.borderProbs()
	w.fillAbroad()
	w.updateOrigin() // 2. origin conditions, networks, perceptions
	w.fillHazards()
	ex(len(w.shards), w.stepShard) // 3–7
	w.reduce()                     // 8. observation
	w.t++
	w.month++
}

// stepShard runs steps 3–7 for shard k.
func (w *World) stepShard(k int) {
	s := &w.shards[k]
	s.camStep(w)    // 3. CAM cases due this month
	s.decide(w)     // 3. household decisions
	s.transit(w)    // 4–5. transit through Mexico, the U.S. border
	s.abroadStep(w) // 6–7. life abroad; returns rejoin households as they happen
}

// Options controls how Run uses the machine and what it records. No field
// changes the national results.
type Options struct {
	// Workers is the number of goroutines running shards and replicates; 0 means GOMAXPROCS.
	Workers int
	// Progress, if set, is called after each simulated month (warm-up
	// included) with the months done and the total over all replicates. Calls
	// are serialised.
	Progress func(done, total int)
	// ByDepartment also records the department metrics (DepartmentMetric)
	// in each Series' Departments. Off, the engine keeps no department
	// counters.
	ByDepartment bool
}

// Steps is the number of months one world of p simulates, warm-up
// included, over all replicates: a measure of a run's size. Run's Progress
// counts to PairedSteps, which adds the worlds a run shares or builds
// beside it (a status-quo twin, a branch's reference).
func (p *Params) Steps() int { return p.Replicates * (p.Months + warmup) }

// Run simulates every replicate of p and returns their series in replicate
// order. It is RunPaired of p alone: shards of all replicates share one Pool
// of Workers goroutines, a second Pool keeps up to Workers replicates in
// flight at once, a status-quo twin forks from p's own world where their
// policies part, and a branch runs with its reference. It stops early,
// returning ctx.Err(), when ctx is cancelled.
func Run(ctx context.Context, p *Params, opt Options) ([]Series, error) {
	runs, err := RunPaired(ctx, []*Params{p}, opt)
	if err != nil {
		return nil, err
	}
	return runs[0], nil
}

// counter returns a function that counts one simulated month towards total
// and reports it to progress (if set), serialising the calls.
func counter(total int, progress func(done, total int)) func() {
	var mu sync.Mutex
	done := 0
	return func() {
		if progress == nil {
			return
		}
		mu.Lock()
		done++
		progress(done, total)
		mu.Unlock()
	}
}
