package sim

// Households are stored as a struct of arrays indexed by household number.
// Households are ordered by region, so each region is a contiguous range and a
// shard (a fixed block of households) touches few regions.
type households struct {
	region []uint8 // department index into Geography.Regions
	size   []uint8 // people at home, children included
	kids   []uint8 // children under 18 at home
	ties   []uint8 // relatives in the U.S. (people), capped at 255
	flags  []uint8 // poverty level and state bits, below
	back   []uint8 // month of the last return (engine month mod 256), read while fReturnee is set
}

// Household flag bits. The low two bits hold the poverty level.
const (
	povMask   = 0b11   // 0 not poor, 1 poor, 2 extremely poor
	fReturnee = 1 << 2 // a returned migrant who may go again lives here (re-migration)
	fGang     = 1 << 3 // a returned migrant with gang ties lives here
	fTransit  = 1 << 4 // a member is in transit: the household waits
	fCAM      = 1 << 5 // a child's CAM application is pending: the household waits
	fLawful   = 1 << 6 // a relative is lawfully in the U.S. (CAM eligibility)
	fWaiting  = fTransit | fCAM
)

func newHouseholds(n int) households {
	return households{
		region: make([]uint8, n),
		size:   make([]uint8, n),
		kids:   make([]uint8, n),
		ties:   make([]uint8, n),
		flags:  make([]uint8, n),
		back:   make([]uint8, n),
	}
}

// Hazard classes: households of one region share a monthly departure hazard
// when they share poverty level (bits 0–1), children present (bit 2) and ties
// bucket (bits 3–4). A returnee's own hazard of going again is apart
// (remigration.go).
const (
	numClasses = 32
	classKids  = 1 << 2
)

// class returns household i's hazard class.
func (h *households) class(i int) int {
	f := h.flags[i]
	c := int(f & povMask)
	if h.kids[i] > 0 {
		c |= classKids
	}
	c |= tieBucket(h.ties[i]) << 3
	return c
}

// tieBucket groups relatives abroad: 0, 1, 2–3, 4 or more.
func tieBucket(t uint8) int {
	switch {
	case t == 0:
		return 0
	case t == 1:
		return 1
	case t <= 3:
		return 2
	}
	return 3
}

// tieBucketValue is the number of relatives that stands for each bucket in the hazard.
var tieBucketValue = [4]float64{0, 1, 2.5, 5}

func addSat(a uint8, n uint8) uint8 {
	if s := int(a) + int(n); s < 255 {
		return uint8(s)
	}
	return 255
}

func subSat(a uint8, n uint8) uint8 {
	if a > n {
		return a - n
	}
	return 0
}

// listed is a returnee on its shard's returnee list, until engine month
// expires: the household, how the returnee came back and, for those who
// lived in the U.S., the years they spent there.
type listed struct {
	home    int32
	expires int32
	how     uint8 // retMexico, retBorder, retInterior or retVoluntary
	years   uint8 // whole years spent in the U.S. (0 for returns from transit or the border)
}
