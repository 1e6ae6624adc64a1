package sim

import (
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

// A panic in shard work surfaces on the caller's goroutine, and the pool
// works on afterwards.
func TestPoolPanicReachesCaller(t *testing.T) {
	p := NewPool(2)
	defer p.Close()
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want boom", r)
			}
		}()
		p.Run(4, func(i int) {
			if i == 2 {
				panic("boom")
			}
		})
	}()
	var n atomic.Int32
	p.Run(5, func(int) { n.Add(1) })
	if n.Load() != 5 {
		t.Errorf("after a panic the pool ran %d of 5 jobs", n.Load())
	}
}
