package sim

import (
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Pool is a fixed set of goroutines that run the per-shard work of any
// number of worlds; its Run method is an Executor. A month's shards are taken
// from a shared counter by the calling goroutine and the pool's idle
// goroutines, so a month costs a few hand-offs rather than one per shard.
// Which goroutine runs a shard never changes results.
type Pool struct {
	workers int
	jobs    chan *job
	done    sync.WaitGroup
}

// job is an offer of help to one Run call: a pool goroutine that takes it
// joins the call's loop, unless the call has already finished without it.
type job struct {
	state atomic.Int32 // jobQueued, then jobTaken by a goroutine or jobDropped by the caller
	run   func()
	wg    *sync.WaitGroup
}

const (
	jobQueued = iota
	jobTaken
	jobDropped
)

// NewPool starts a pool for workers goroutines in all: the callers of Run
// count as one, so it starts workers-1.
func NewPool(workers int) *Pool {
	p := &Pool{workers: max(workers, 1)}
	p.jobs = make(chan *job, 4*p.workers)
	p.done.Add(p.workers - 1)
	for range p.workers - 1 {
		go func() {
			defer p.done.Done()
			for j := range p.jobs {
				if j.state.CompareAndSwap(jobQueued, jobTaken) {
					j.run()
					j.wg.Done()
				}
			}
		}()
	}
	return p
}

// Run runs fn(0), …, fn(n-1) and returns when all have finished. A panic in
// fn is raised again on the caller's goroutine, once the others are done, as
// a *PanicError that carries the panicking goroutine's stack.
//
// The caller offers help to the pool's goroutines without waiting for them:
// an offer waits in the pool's queue, and a goroutine that is free (a new
// pool's goroutines too, before they first run) takes it. When the caller
// has run out of indices it withdraws the offers nobody took, so it never
// waits for a goroutine busy with another world's work.
func (p *Pool) Run(n int, fn func(i int)) {
	var next atomic.Int64
	var failure atomic.Pointer[PanicError]
	loop := func() {
		defer func() {
			if v := recover(); v != nil {
				failure.CompareAndSwap(nil, newPanicError(v))
			}
		}()
		for {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			fn(i)
		}
	}
	helpers := max(0, min(p.workers-1, n-1))
	var wg sync.WaitGroup
	offers := make([]*job, 0, helpers)
	for range helpers {
		j := &job{run: loop, wg: &wg}
		wg.Add(1)
		select {
		case p.jobs <- j:
			offers = append(offers, j)
		default: // the queue is full of offers to other calls: go on without this one
			wg.Done()
		}
	}
	loop()
	for _, j := range offers {
		if j.state.CompareAndSwap(jobQueued, jobDropped) {
			wg.Done() // nobody took it: it is a no-op when a goroutine reaches it
		}
	}
	wg.Wait()
	if e := failure.Load(); e != nil {
		panic(e)
	}
}

// Close stops the pool's goroutines once the work in flight has finished;
// Run must not be called afterwards.
func (p *Pool) Close() {
	close(p.jobs)
	p.done.Wait()
}

// PanicError is a panic in work run by a Pool, raised again on the goroutine
// that called Run. By then the stack that panicked has unwound, so the error
// carries it: a crash report or a log shows where the panic began, not only
// where it was raised again.
type PanicError struct {
	// Value is the value the work panicked with.
	Value any
	// Stack is the panicking goroutine's stack (runtime/debug.Stack) when
	// the panic was recovered.
	Stack []byte
}

// newPanicError wraps a recovered value with the current goroutine's stack.
// A panic that already is a *PanicError (a Pool run inside a Pool's work)
// keeps its own, deeper stack.
func newPanicError(v any) *PanicError {
	if e, ok := v.(*PanicError); ok {
		return e
	}
	return &PanicError{Value: v, Stack: debug.Stack()}
}

// Error returns the value and the original stack.
func (e *PanicError) Error() string {
	return fmt.Sprintf("%v\n\noriginal stack:\n%s", e.Value, e.Stack)
}

// Unwrap returns the value if it is an error, so errors.Is and errors.As see
// through a panic with an error, and nil otherwise.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}
