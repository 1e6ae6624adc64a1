package web

import "sync"

// pool is a fixed set of goroutines that run the shard work of every run on
// the server, so that many runs share the machine's cores instead of each
// starting its own goroutines.
type pool struct {
	jobs chan func()
	done sync.WaitGroup
}

func newPool(workers int) *pool {
	p := &pool{jobs: make(chan func())}
	p.done.Add(workers)
	for range workers {
		go func() {
			defer p.done.Done()
			for job := range p.jobs {
				job()
			}
		}()
	}
	return p
}

// run is the pool's sim.Executor: it runs fn(0), …, fn(n-1) on the pool's
// goroutines and returns when all have finished. A panic in fn is re-raised
// on the caller's goroutine, so the session that stepped can recover from it.
func (p *pool) run(n int, fn func(i int)) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failure any
	wg.Add(n)
	for i := range n {
		p.jobs <- func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					failure = r
					mu.Unlock()
				}
			}()
			fn(i)
		}
	}
	wg.Wait()
	if failure != nil {
		panic(failure)
	}
}

// close stops the goroutines once the jobs in flight have finished. run must
// not be called afterwards.
func (p *pool) close() {
	close(p.jobs)
	p.done.Wait()
}
