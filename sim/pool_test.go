package sim

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestPoolRunsEveryIndexOnce(t *testing.T) {
	for _, workers := range []int{1, 3} {
		p := NewPool(workers)
		for _, n := range []int{0, 1, 7, 100} {
			var seen [100]atomic.Int32
			p.Run(n, func(i int) { seen[i].Add(1) })
			for i := range n {
				if got := seen[i].Load(); got != 1 {
					t.Errorf("workers=%d n=%d: fn(%d) ran %d times", workers, n, i, got)
				}
			}
		}
		p.Close()
	}
}

// A panic in shard work surfaces on the caller's goroutine with its value and
// the stack of the goroutine that panicked, and the pool works on afterwards.
func TestPoolPanicReachesCaller(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name  string
		value any
	}{{"string", "boom"}, {"error", errBoom}}
	for _, tt := range tests {
		for _, workers := range []int{1, 2} {
			p := NewPool(workers)
			var got any
			func() {
				defer func() { got = recover() }()
				p.Run(4, func(i int) {
					if i == 2 {
						panicInShard(tt.value)
					}
				})
			}()
			e, ok := got.(*PanicError)
			if !ok {
				t.Fatalf("%s, workers=%d: recovered %T %v, want a *PanicError", tt.name, workers, got, got)
			}
			if e.Value != tt.value {
				t.Errorf("%s, workers=%d: value %v, want %v", tt.name, workers, e.Value, tt.value)
			}
			// The stack is the one that panicked, not Run's caller's.
			if !strings.Contains(e.Error(), "sim.panicInShard(") || !strings.Contains(e.Error(), "boom") {
				t.Errorf("%s, workers=%d: the message lacks the value or the panicking function:\n%s", tt.name, workers, e.Error())
			}
			if err, isErr := tt.value.(error); isErr && !errors.Is(e, err) {
				t.Errorf("%s, workers=%d: errors.Is does not see the panic's error", tt.name, workers)
			}
			var n atomic.Int32
			p.Run(5, func(int) { n.Add(1) })
			if n.Load() != 5 {
				t.Errorf("%s, workers=%d: after a panic the pool ran %d of 5 jobs", tt.name, workers, n.Load())
			}
			p.Close()
		}
	}
}

// A panic in a pool run inside a pool's work (shards inside replicates)
// keeps the innermost stack.
func TestPoolNestedPanicKeepsStack(t *testing.T) {
	outer, inner := NewPool(2), NewPool(2)
	defer outer.Close()
	defer inner.Close()
	var got any
	func() {
		defer func() { got = recover() }()
		outer.Run(2, func(int) { inner.Run(3, func(int) { panicInShard("deep") }) })
	}()
	e, ok := got.(*PanicError)
	if !ok {
		t.Fatalf("recovered %T %v, want a *PanicError", got, got)
	}
	if e.Value != "deep" || !strings.Contains(string(e.Stack), "sim.panicInShard(") {
		t.Errorf("recovered %v with stack\n%s\nwant \"deep\" with panicInShard's stack", e.Value, e.Stack)
	}
}

//go:noinline
func panicInShard(v any) { panic(v) }

// A new pool's goroutines help the first Run at once: two tasks that can
// only finish together (each waits for the other to start) finish. Before,
// an offer of help reached only a goroutine already waiting, so a long Run
// right after NewPool (a calibration's candidates, a sweep's runs, a run's
// replicates) ran on the caller alone.
func TestPoolNewGoroutinesHelp(t *testing.T) {
	for range 20 {
		p := NewPool(2)
		var started atomic.Int32
		both := make(chan struct{})
		var alone atomic.Bool
		p.Run(2, func(int) {
			if started.Add(1) == 2 {
				close(both)
			}
			select {
			case <-both:
			case <-time.After(20 * time.Second):
				alone.Store(true)
			}
		})
		p.Close()
		if alone.Load() {
			t.Fatal("the two tasks did not run at the same time")
		}
	}
}

// A caller whose offer nobody takes (the pool's goroutine is busy with a
// long task of another caller) does not wait for it.
func TestPoolDoesNotWaitForBusyGoroutines(t *testing.T) {
	p := NewPool(2)
	defer p.Close()
	release := make(chan struct{})
	busy := make(chan struct{})
	go p.Run(2, func(i int) {
		if i == 1 {
			close(busy)
		}
		<-release
	})
	<-busy // the pool's goroutine or the first caller holds a task until release
	done := make(chan struct{})
	go func() {
		p.Run(3, func(int) {})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Error("Run waited for a goroutine busy with another caller's work")
	}
	close(release)
}
