package sim

// DecideOnly runs the decision step of every shard for the current month,
// then drops the travellers it created, so a benchmark can repeat it.
func DecideOnly(w *World) {
	for k := range w.shards {
		s := &w.shards[k]
		n := len(s.travel)
		s.decide(w)
		for _, g := range s.travel[n:] {
			w.hh.flags[g.home] &^= fTransit
			w.hh.size[g.home] += g.size
			w.hh.kids[g.home] += g.kids
		}
		s.travel = s.travel[:n]
		s.cam = s.cam[:0]
	}
}

// Build is newWorld for benchmarks: the world without its warm-up.
func Build(p *Params) (*World, error) { return newWorld(p, 0, Serial) }
