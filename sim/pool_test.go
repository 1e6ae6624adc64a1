package sim

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
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
