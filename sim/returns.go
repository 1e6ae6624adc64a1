package sim

// Returns (step 7) and arrivals: every change of a group's place goes through
// these functions, so household state, stocks and counters stay consistent.

// crimClass is 0 for no record, 1 for a criminal record, 2 for gang ties.
func crimClass(flags uint8) int {
	switch {
	case flags&gGang != 0:
		return 2
	case flags&gCriminal != 0:
		return 1
	}
	return 0
}

// arrive adds a group that crossed into the U.S. to the shard's stock abroad.
// Adults may carry a criminal record or gang ties into the stock.
func (s *shard) arrive(w *World, g traveller, status uint8) {
	flags := g.flags
	if flags&gKindMask == kindAdult && flags&gCriminal == 0 && uniform(&s.rng) <= w.p.Abroad.CriminalShare {
		flags |= gCriminal
		if uniform(&s.rng) <= w.p.Abroad.GangShare {
			flags |= gGang
		}
	}
	w.hh.flags[g.home] &^= fTransit
	s.join(w, g.home, g.size, status, eligible(status, flags&^gRepeat), int16(w.t))
}

// eligible drops the records a status excludes: TPS and DACA are not
// granted to people with a felony or several misdemeanours, and DACA not to
// gang members (USCIS eligibility rules), so their holders carry neither
// flag; a person with gang ties is not released at the border with a pending
// case (a danger to the community and barred from asylum), so pending cases
// carry no gang ties. Undocumented and protected people keep theirs.
func eligible(status, flags uint8) uint8 {
	switch status {
	case stTPS, stDACA:
		return flags &^ (gCriminal | gGang)
	case stPending:
		return flags &^ gGang
	}
	return flags
}

// poolFor returns the pool that holds status st: pending cases apart.
func (s *shard) poolFor(st uint8) *stock {
	if st == stPending {
		return &s.pending
	}
	return &s.abroad
}

// join adds a group from household home to the stock abroad.
func (s *shard) join(w *World, home int32, size, status, flags uint8, since int16) {
	hh := &w.hh
	r := hh.region[home]
	s.poolFor(status).add(home, r, size, status, flags, since)
	hh.ties[home] = addSat(hh.ties[home], size)
	if status == stProtected || status == stTPS || status == stDACA {
		hh.flags[home] |= fLawful
	}
	c := w.regions[r].country
	s.persons[c][status] += int64(size)
	s.groups[c][status][crimClass(flags)]++
	s.regionAbroad[r] += int64(size)
}

// setStatus changes the status of entry i of pool a. When the new status
// belongs to the other pool, the entry is copied there and setStatus reports
// true: the caller deletes entry i from a.
func (s *shard) setStatus(w *World, a *stock, i int, status uint8) bool {
	c := w.regions[a.region[i]].country
	old := a.status[i]
	s.persons[c][old] -= int64(a.size[i])
	s.groups[c][old][crimClass(a.flags[i])]--
	s.persons[c][status] += int64(a.size[i])
	s.groups[c][status][crimClass(a.flags[i])]++
	a.status[i] = status
	if status == stProtected {
		w.hh.flags[a.home[i]] |= fLawful
	}
	if to := s.poolFor(status); to != a {
		to.add(a.home[i], a.region[i], a.size[i], status, a.flags[i], a.since[i])
		return true
	}
	return false
}

// leaveStock takes entry i of pool a home (removed from the interior, or
// returning of its own accord: how). The entry is deleted later, by the
// caller, so indices stay valid.
func (s *shard) leaveStock(w *World, a *stock, i int, how uint8) {
	c := w.regions[a.region[i]].country
	home, size := a.home[i], a.size[i]
	s.persons[c][a.status[i]] -= int64(size)
	s.groups[c][a.status[i]][crimClass(a.flags[i])]--
	s.regionAbroad[a.region[i]] -= int64(size)
	w.hh.ties[home] = subSat(w.hh.ties[home], size)
	kids := uint8(0)
	switch a.flags[i] & gKindMask {
	case kindUAC:
		kids = 1
	case kindFamily:
		kids = size - 1
	}
	s.comeHome(w, home, size, kids, a.flags[i], false, how, yearsAbroad(w.t, a.since[i]))
}

// comeHome is step 7: returned people rejoin their household and region.
// A returned adult joins the re-migration list (how says how they came back,
// years how long they lived in the U.S.). Returnees with gang ties mark the
// household and feed the region's deportee–violence feedback from next month.
func (s *shard) comeHome(w *World, home int32, size, kids, flags uint8, fromTransit bool, how, years uint8) {
	hh := &w.hh
	hh.size[home] = addSat(hh.size[home], size)
	hh.kids[home] = addSat(hh.kids[home], kids)
	if fromTransit {
		hh.flags[home] &^= fTransit
	}
	gang := flags&gGang != 0
	if gang {
		hh.flags[home] |= fGang
	}
	s.listReturn(w, home, flags&gKindMask, how, years)
	r := hh.region[home]
	c := w.regions[r].country
	n := int64(size)
	s.flow[c][Returnees] += n
	s.regionReturnees[r] += n
	if gang {
		s.flow[c][ReturneesGang] += n
		s.regionGang[r] += n
	}
	s.countReturn(r, how, n, gang)
}
