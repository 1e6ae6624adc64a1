package sim

import "math"

// RemigrationParams is the re-migration submodel: a returned migrant's own
// monthly hazard of going north again, for Months months after coming home.
// The returnee's hazard is that of an adult of the department (its
// intercept, violence, jobs, network, deterrence, poverty and ties terms)
// shifted by how they came back, by relatives still in the U.S. and by the
// years they spent there. A returnee who goes again goes alone, as a single
// adult: no evidence says that a returnee makes the household send a child
// alone or a family, so the household's own hazard is unchanged.
type RemigrationParams struct {
	// Months is how long after coming home a returnee keeps this hazard.
	Months int `toml:"months" unit:"months" min:"1" max:"255"`
	// Mexico is the log-odds shift for someone deported by Mexico before
	// reaching the U.S.: the same journey, interrupted.
	Mexico float64 `toml:"mexico" unit:"log-odds" min:"-10" max:"10"`
	// Border is the shift for someone removed at the U.S. border.
	Border float64 `toml:"border" unit:"log-odds" min:"-10" max:"10"`
	// Interior is the shift for someone removed from the interior of the U.S.
	Interior float64 `toml:"interior" unit:"log-odds" min:"-10" max:"10"`
	// Voluntary is the shift for someone who came home of their own accord.
	Voluntary float64 `toml:"voluntary" unit:"log-odds" min:"-10" max:"10"`
	// Family is the extra shift when relatives of the household are still
	// in the U.S. (Amuedo-Dorantes, Puttitanun & Martinez-Donate 2013;
	// Amuedo-Dorantes & Pozo 2014: deportees who leave family behind are more
	// likely to intend to return).
	Family float64 `toml:"family" unit:"log-odds" min:"-5" max:"5"`
	// Years is the shift per year spent in the U.S. before a removal from the
	// interior or a voluntary return, counted up to 10 years.
	Years float64 `toml:"years" unit:"log-odds per year in the U.S." min:"-1" max:"1"`
}

// DefaultRemigration returns the re-migration defaults (docs/ODD.md 7.4 says
// which are fitted and which are assumptions).
func DefaultRemigration() RemigrationParams {
	return RemigrationParams{Months: 24, Mexico: 4.15, Border: 4.72, Interior: 4.19, Voluntary: 0, Family: 0.5, Years: 0}
}

// How a returnee came back.
const (
	retMexico    = iota // deported by Mexico from transit
	retBorder           // removed at the U.S. border
	retInterior         // removed from the interior of the U.S.
	retVoluntary        // came home of their own accord
	numReturns
)

// Years in the U.S. are bucketed for the hazard table: under 1, 1–4, 5–9 and
// 10 or more, standing for 0, 2.5, 7 and 10 years.
const numYearBuckets = 4

var yearBucketValue = [numYearBuckets]float64{0, 2.5, 7, 10}

func yearBucket(y uint8) int {
	switch {
	case y < 1:
		return 0
	case y < 5:
		return 1
	case y < 10:
		return 2
	}
	return 3
}

// numReturnClasses is the number of rows of a department's re-migration table:
// how the returnee came back × years bucket.
const numReturnClasses = numReturns * numYearBuckets

// returnClass is an entry's row in the re-migration table.
func returnClass(e listed) int { return int(e.how)*numYearBuckets + yearBucket(e.years) }

// fillRemigration computes department r's re-migration table: for each return
// class and household class, the returnee's monthly probability of going
// again. base is the department's log-odds before the class terms, pov the
// poverty shifts.
func (w *World) fillRemigration(r int, base float64, pov *[4]float64) {
	p := &w.p.Remigration
	shift := [numReturns]float64{p.Mexico, p.Border, p.Interior, p.Voluntary}
	var ties [4]float64 // the ties term by bucket, as fillHazards computes it
	if w.p.Mechanisms.Networks {
		for tb := 1; tb < 4; tb++ {
			ties[tb] = float64(w.p.Decision.Ties * log(1+tieBucketValue[tb]))
		}
	}
	row := w.cond.remigration[r*numReturnClasses*numClasses : (r+1)*numReturnClasses*numClasses]
	for rc := range numReturnClasses {
		how, yb := rc/numYearBuckets, rc%numYearBuckets
		if yb > 0 && (how == retMexico || how == retBorder) {
			continue // returns from transit and the border carry no years in the U.S.: these rows stay 0 and are never read
		}
		x0 := base + shift[how] + float64(p.Years*yearBucketValue[yb])
		for k := range numClasses {
			if k&classKids != 0 {
				// Children at home do not change the returnee's own hazard:
				// the same value as the class without them.
				row[rc*numClasses+k] = row[rc*numClasses+k&^classKids]
				continue
			}
			x := x0 + pov[k&povMask]
			if tb := k >> 3 & 3; tb > 0 {
				x += p.Family
				if w.p.Mechanisms.Networks {
					x += ties[tb]
				}
			}
			row[rc*numClasses+k] = float32(logistic(x))
		}
	}
}

// decideReturnees is step 3 for the shard's current returnees: one draw per
// returnee household a month, thinned at the bound over the departments'
// combined hazards, from a stream of its own so that the main thinning
// stream stays aligned across scenarios. With h the returnee's hazard and g
// the household's, one uniform u decides: u < h, the returnee goes again
// alone; h ≤ u < h + (1−h)g, the household sends someone as any household
// of its class would; otherwise nobody goes.
func (s *shard) decideReturnees(w *World) {
	hh := &w.hh
	cond := &w.cond
	hmax := float32(0)
	for r := s.rlo; r < s.rhi; r++ {
		hs := cond.hazard[r*numClasses : (r+1)*numClasses]
		row := cond.remigration[r*numReturnClasses*numClasses : (r+1)*numReturnClasses*numClasses]
		for j, h := range row {
			hmax = max(hmax, h+float32((1-h)*hs[j%numClasses]))
		}
	}
	sk := newSkipper(boundFor(float64(hmax)))
	b := float32(sk.b)
	rng := &s.returneeRNG
	list := s.returnees[s.returneeHead:]
	for j := -1; ; {
		j += 1 + sk.gap(rng)
		if j >= len(list) {
			break
		}
		ua, uk := twoUniforms(rng)
		e := list[j]
		if e.home < 0 {
			continue // found stale in an earlier month
		}
		i := int(e.home)
		if hh.flags[i]&fReturnee == 0 || !s.current(w, e) {
			// Stale for good: the returnee left again, or came home again
			// and has a later entry. Marked, so that later months skip it
			// without reading the household (a cache miss each).
			list[j].home = -1
			continue
		}
		if hh.flags[i]&fWaiting != 0 || hh.size[i] == 0 {
			continue // waiting on someone in transit, or empty: this month only
		}
		if s.drawn != nil {
			s.drawn(e)
		}
		r, k := int(hh.region[i]), hh.class(i)
		h := cond.remigration[(r*numReturnClasses+returnClass(e))*numClasses+k]
		if hh.size[i] <= hh.kids[i] {
			h = 0 // no adult at home (the returnee left with a family unit): only the household draws
		}
		u := ua * b
		switch {
		case u < h:
			s.remigrate(w, i, e)
		case u < h+float32((1-h)*cond.hazard[r*numClasses+k]):
			s.depart(w, i, uk)
		}
	}
}

// remigrate sends household i's returnee north again, alone. Someone the
// U.S. removed has a record of unlawful re-entry if caught, and a returnee
// with gang ties takes them along; someone removed at the border in this
// fiscal year who is apprehended again counts as a repeat apprehension.
func (s *shard) remigrate(w *World, i int, e listed) {
	hh := &w.hh
	flags := uint8(kindAdult)
	if e.how == retBorder || e.how == retInterior {
		flags |= gCriminal
	}
	if hh.flags[i]&fGang != 0 {
		flags |= gCriminal | gGang
		hh.flags[i] &^= fGang
	}
	if e.how == retBorder && s.backMonth(w, i).FiscalYear() == w.month.FiscalYear() {
		flags |= gRepeat
	}
	hh.flags[i] &^= fReturnee
	s.flow[w.regions[hh.region[i]].country][DeparturesRemigrant]++
	s.countRemigrant(hh.region[i])
	s.send(w, i, kindAdult, 1, 0, flags)
}

// backMonth is the calendar month of household i's latest return.
func (s *shard) backMonth(w *World, i int) Month {
	return w.month.Add(int(lastReturn(w, int32(i)) - int32(w.t)))
}

// lastReturn is the engine month of household home's latest return,
// reconstructed from its value modulo 256 (at most 255 months ago).
func lastReturn(w *World, home int32) int32 {
	now := int32(w.t)
	return now - int32(uint8(now)-w.hh.back[home])
}

// expireReturnees ends the hazard of returnees who came home
// Remigration.Months months ago. The list is a queue in order of expiry, at
// most one entry per household and month; only a household's latest entry
// counts.
func (s *shard) expireReturnees(w *World) {
	now := int32(w.t)
	for s.returneeHead < len(s.returnees) && s.returnees[s.returneeHead].expires <= now {
		e := s.returnees[s.returneeHead]
		s.returneeHead++
		if e.home >= 0 && s.current(w, e) {
			w.hh.flags[e.home] &^= fReturnee
		}
	}
	if s.returneeHead > len(s.returnees)/2 && s.returneeHead > 1024 {
		n := copy(s.returnees, s.returnees[s.returneeHead:])
		s.returnees = s.returnees[:n]
		s.returneeHead = 0
	}
}

// current reports whether e is its household's latest entry: the one its
// last return made.
func (s *shard) current(w *World, e listed) bool {
	return e.expires == lastReturn(w, e.home)+int32(w.p.Remigration.Months)+1
}

// listReturn puts a returnee of household home on the re-migration list: an
// adult who came back (a single adult, or the parent of a family unit; a
// child sent alone is not listed), at most one entry per household and month.
func (s *shard) listReturn(w *World, home int32, kind, how, years uint8) {
	hh := &w.hh
	if !w.p.Mechanisms.Remigration || kind == kindUAC {
		return
	}
	if hh.flags[home]&fReturnee != 0 && hh.back[home] == uint8(w.t) {
		return // a second return this month: the household already has its draw
	}
	s.returnees = append(s.returnees, listed{home: home, expires: int32(w.t + w.p.Remigration.Months + 1), how: how, years: years})
	hh.flags[home] |= fReturnee
	hh.back[home] = uint8(w.t)
}

// yearsAbroad is the whole years since engine month since, capped at 255.
func yearsAbroad(now int, since int16) uint8 {
	return uint8(math.Min(255, math.Max(0, float64(now-int(since))/12)))
}
