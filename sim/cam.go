package sim

// camStep processes one shard's pending Central American Minors applications
// at the start of step 3: due applications are approved (the child arrives
// legally) or denied; when the program closes, pending cases are cancelled.
// Denied and cancelled children travel irregularly with Policy.CAM.DivertShare.
func (s *shard) camStep(w *World) {
	if len(s.cam) == 0 {
		return
	}
	hh := &w.hh
	pol := &w.p.Policy.CAM
	closing := w.cond.levers.camClosing
	keep := s.cam[:0]
	for _, app := range s.cam {
		if !closing && app.due > w.month {
			keep = append(keep, app)
			continue
		}
		i := int(app.home)
		hh.flags[i] &^= fCAM
		if hh.kids[i] == 0 {
			continue
		}
		if !closing && uniform(&s.rng) <= pol.ApprovalRate {
			hh.kids[i]--
			hh.size[i]--
			s.flow[w.regions[hh.region[i]].country][CAMArrivals]++
			s.join(w, app.home, 1, stProtected, kindUAC, int16(w.t))
			continue
		}
		if uniform(&s.rng) <= pol.DivertShare {
			s.leave(w, i, kindUAC)
		}
	}
	s.cam = keep
}
