package sim

// A migrant group is one person or a family unit travelling or living abroad
// together. It belongs to the shard of its origin household.

// Kinds of migrant group.
const (
	kindUAC    = 0 // unaccompanied child
	kindFamily = 1 // parent with children
	kindAdult  = 2 // single adult
)

// Legal statuses abroad.
const (
	stUndocumented = iota
	stPending      // asylum or immigration case pending
	stTPS
	stDACA
	stProtected // lawful: permanent residents, citizens, asylees, CAM parolees
	numStatus
)

// Group flag bits: the low two bits are the kind.
const (
	gKindMask = 0b11
	gCriminal = 1 << 2 // has a criminal record (removal priority)
	gGang     = 1 << 3 // has gang ties (implies gCriminal)
	gRepeat   = 1 << 4 // removed at the U.S. border earlier in this fiscal year (a repeat crossing)
)

// traveller is a group in transit through Mexico or at the border.
type traveller struct {
	home   int32 // origin household
	size   uint8
	kids   uint8
	flags  uint8
	months uint8 // months spent in transit so far
}

// stock is the stock abroad of one shard, as a struct of arrays.
type stock struct {
	home   []int32
	region []uint8
	size   []uint8
	status []uint8
	flags  []uint8
	since  []int16 // engine month the group arrived (negative for the stock at the start)
}

func (p *stock) len() int { return len(p.home) }

func (p *stock) add(home int32, region, size, status, flags uint8, since int16) {
	p.home = append(p.home, home)
	p.region = append(p.region, region)
	p.size = append(p.size, size)
	p.status = append(p.status, status)
	p.flags = append(p.flags, flags)
	p.since = append(p.since, since)
}

// remove deletes entry i by moving the last entry into its place.
func (p *stock) remove(i int) {
	last := len(p.home) - 1
	p.home[i] = p.home[last]
	p.region[i] = p.region[last]
	p.size[i] = p.size[last]
	p.status[i] = p.status[last]
	p.flags[i] = p.flags[last]
	p.since[i] = p.since[last]
	p.home = p.home[:last]
	p.region = p.region[:last]
	p.size = p.size[:last]
	p.status = p.status[:last]
	p.flags = p.flags[:last]
	p.since = p.since[:last]
}

func (p *stock) grow(n int) {
	grow := func(s []uint8) []uint8 { return append(make([]uint8, 0, n), s...) }
	if cap(p.home) >= n {
		return
	}
	p.home = append(make([]int32, 0, n), p.home...)
	p.region = grow(p.region)
	p.size = grow(p.size)
	p.status = grow(p.status)
	p.flags = grow(p.flags)
	p.since = append(make([]int16, 0, n), p.since...)
}

// camApp is a pending application to the Central American Minors program.
type camApp struct {
	home int32
	due  Month
}
