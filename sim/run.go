package sim

import (
	"context"
	"fmt"
	"runtime"
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

// Steps is the number of months Run simulates for p, warm-up included, over
// all replicates: the total its Progress callback counts to.
func (p *Params) Steps() int {
	if p.ReferenceParams != nil {
		n, err := PairedSteps([]*Params{p})
		if err == nil {
			return n
		}
	}
	return p.Replicates * (p.Months + warmup)
}

// Run simulates every replicate of p and returns their series in replicate
// order. Shards of all replicates share one Pool of Workers goroutines, and a
// second Pool keeps up to Workers replicates in flight at once. It stops early, returning ctx.Err(), when
// ctx is cancelled.
func Run(ctx context.Context, p *Params, opt Options) ([]Series, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.ReferenceParams != nil {
		// A branch runs with its reference: history, then the branch.
		runs, err := RunPaired(ctx, []*Params{p}, opt)
		if err != nil {
			return nil, err
		}
		return runs[0], nil
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	pl := NewPool(workers)
	defer pl.Close()

	tick := counter(p.Steps(), opt.Progress)

	out := make([]Series, p.Replicates)
	errs := make([]error, p.Replicates)
	replicates := NewPool(min(workers, p.Replicates))
	defer replicates.Close()
	replicates.Run(p.Replicates, func(r int) {
		if ctx.Err() == nil {
			out[r], errs[r] = runReplicate(ctx, p, r, pl.Run, tick, opt.ByDepartment)
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

func runReplicate(ctx context.Context, p *Params, r int, ex Executor, tick func(), byDepartment bool) (Series, error) {
	w, err := New(p, r, ex)
	if err != nil {
		return Series{}, err
	}
	if byDepartment {
		w.observeDepartments()
	}
	for range warmup {
		tick()
	}
	for !w.Done() {
		if err := ctx.Err(); err != nil {
			return Series{}, err
		}
		w.Step(ex)
		tick()
	}
	return w.series, nil
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
