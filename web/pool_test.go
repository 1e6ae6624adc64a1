package web

import (
	"sync/atomic"
	"testing"
)

func TestPoolRunsEveryIndex(t *testing.T) {
	p := newPool(3)
	defer p.close()
	for _, n := range []int{0, 1, 7, 100} {
		var seen [100]atomic.Int32
		p.run(n, func(i int) { seen[i].Add(1) })
		for i := range n {
			if got := seen[i].Load(); got != 1 {
				t.Errorf("n=%d: fn(%d) ran %d times", n, i, got)
			}
		}
	}
}

// TestPoolPanicReachesCaller: a panic in shard work surfaces on the
// goroutine that stepped, where the session recovers it, and the pool's
// workers survive it.
func TestPoolPanicReachesCaller(t *testing.T) {
	p := newPool(2)
	defer p.close()
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want boom", r)
			}
		}()
		p.run(4, func(i int) {
			if i == 2 {
				panic("boom")
			}
		})
	}()
	var n atomic.Int32
	p.run(5, func(int) { n.Add(1) })
	if n.Load() != 5 {
		t.Errorf("after a panic the pool ran %d of 5 jobs", n.Load())
	}
}
