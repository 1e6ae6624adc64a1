package sim

import (
	"fmt"
	"math"
	"testing"
)

// Every (seed, replicate, shard, purpose) has its own stream: the first
// uniforms of any two differ, and their correlation, at lags 0 to 8 (a
// stream that is another one shifted by a few draws), stays within 5
// standard errors of 0.
func TestStreamsDistinct(t *testing.T) {
	const n = 4096
	type key struct {
		seed             uint64
		replicate, shard int
		purpose          stream
	}
	var keys []key
	for _, seed := range []uint64{1, 7} {
		for _, rep := range []int{0, 1} {
			for _, shard := range []int{0, 1, 2, 255, 256} {
				for _, purpose := range []stream{streamDecide, streamEvents, streamInit, streamReturnees} {
					keys = append(keys, key{seed, rep, shard, purpose})
				}
			}
		}
	}
	draws := make([][]float64, len(keys))
	for i, k := range keys {
		r := newStream(k.seed, k.replicate, k.shard, k.purpose)
		draws[i] = make([]float64, n)
		for j := range draws[i] {
			draws[i][j] = uniform(&r)
		}
	}
	const lags = 8
	limit := 5 / math.Sqrt(n-lags)
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if draws[i][0] == draws[j][0] {
				t.Errorf("%+v and %+v start with the same draw", keys[i], keys[j])
				continue
			}
			for lag := 0; lag <= lags; lag++ {
				for _, pair := range [][2][]float64{{draws[i], draws[j][lag:]}, {draws[j], draws[i][lag:]}} {
					if r := correlation(pair[0][:n-lags], pair[1][:n-lags]); math.Abs(r) > limit {
						t.Errorf("%+v and %+v at lag %d: correlation %.3f, more than %.3f", keys[i], keys[j], lag, r, limit)
					}
				}
			}
		}
	}
}

func correlation(x, y []float64) float64 {
	var sx, sy, sxx, syy, sxy float64
	for i := range x {
		sx += x[i]
		sy += y[i]
		sxx += x[i] * x[i]
		syy += y[i] * y[i]
		sxy += x[i] * y[i]
	}
	n := float64(len(x))
	return (sxy - sx*sy/n) / math.Sqrt((sxx-sx*sx/n)*(syy-sy*sy/n))
}

// The shards of a world draw from their own streams: with the same hazard
// for every household, the households of two shards that depart in a month
// sit at unrelated offsets in their shards (shards sharing one stream would
// send the same offsets), and so do the stock entries each shard removes.
func TestShardsDrawIndependently(t *testing.T) {
	p := testParams(t)
	p.Scale = 0.05 // about 105,000 households: 4 shards
	w, err := newWorld(p, 0, Serial)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.shards) < 3 {
		t.Fatalf("%d shards: the test needs several", len(w.shards))
	}
	w.cond.levers = p.leversAt(w.month)
	const h = 0.05
	for i := range w.cond.hazard {
		w.cond.hazard[i] = h
	}
	offsets := make([]map[int32]bool, len(w.shards))
	for k := range w.shards {
		s := &w.shards[k]
		s.decide(w)
		offsets[k] = map[int32]bool{}
		for _, g := range s.travel {
			offsets[k][g.home-s.lo] = true
		}
	}
	for a := range offsets {
		for b := a + 1; b < len(offsets); b++ {
			common := 0
			for o := range offsets[a] {
				if offsets[b][o] {
					common++
				}
			}
			// Independent shards share about h of their departures' offsets.
			if share := float64(common) / float64(min(len(offsets[a]), len(offsets[b]))); share > 4*h {
				t.Errorf("shards %d and %d: %.0f%% of departures at the same offsets (%d of %d and %d), want about %.0f%%",
					a, b, 100*share, common, len(offsets[a]), len(offsets[b]), 100*h)
			}
		}
	}
	// The events stream: the first entries each shard's stock pass removes,
	// every entry with the same probability.
	ev := &w.cond.abroad
	*ev = abroadEvents{maxSettled: 0.05, maxPending: 0.05}
	for c := range ev.total {
		for st := range ev.total[c] {
			for x := range ev.total[c][st] {
				ev.remove[c][st][x], ev.total[c][st][x] = 0.05, 0.05
			}
		}
	}
	removed := make([]string, len(w.shards))
	for k := range w.shards {
		s := &w.shards[k]
		s.stockPass(w, &s.abroad, ev.maxSettled, s.abroad.len())
		if len(s.gone) < 20 {
			t.Fatalf("shard %d removed %d entries: the test needs more", k, len(s.gone))
		}
		removed[k] = fmt.Sprint(s.gone[:20])
	}
	for a := range removed {
		for b := a + 1; b < len(removed); b++ {
			if removed[a] == removed[b] {
				t.Errorf("shards %d and %d removed the same stock entries", a, b)
			}
		}
	}
}
