package sim

import (
	"fmt"
	"math"
	"sort"
	"strconv"
)

// Shock is an exogenous path for one country's homicide rate or
// unemployment (e.g. a homicide spike or a drought), or for the enforcement
// its migrants meet (Mexico's apprehensions, the U.S. border's, the share of
// families released), e.g. a policy that comes and goes more than once.
// Between the path's anchors the value is interpolated linearly; outside
// them the shock is neutral (1 to multiply, 0 to add).
type Shock struct {
	// Country is the country the shock hits, or "all" for the three.
	Country string `toml:"country" unit:"SV, HN, GT or all"`
	// Variable is what the shock changes.
	Variable string `toml:"variable" unit:"homicide, unemployment, mexico_apprehension, border_apprehension or family_release"`
	// Mode says whether path values multiply the variable or add to it
	// (homicides per 100,000, percentage points, or probability).
	Mode string `toml:"mode" unit:"multiply or add"`
	// Path maps "YYYY-MM" (one month) or "YYYY" (January to December of that
	// year) to a value.
	Path map[string]float64 `toml:"path" unit:"YYYY or YYYY-MM = value"`
}

// shockVar is a variable a shock can change.
type shockVar int

const (
	shockHomicide shockVar = iota
	shockUnemployment
	shockMexico  // Mexico's monthly apprehension probability
	shockBorder  // the U.S. border apprehension probabilities
	shockRelease // the share of apprehended families released
	numShockVars
)

var shockVarNames = [numShockVars]string{"homicide", "unemployment", "mexico_apprehension", "border_apprehension", "family_release"}

func parseShockVar(name string) (shockVar, bool) {
	for v, n := range shockVarNames {
		if n == name {
			return shockVar(v), true
		}
	}
	return 0, false
}

// shockCountries returns the countries a shock's country code names: one, or all three for "all".
func shockCountries(code string) ([]Country, error) {
	if code == "all" {
		return []Country{SV, HN, GT}, nil
	}
	c, err := ParseCountry(code)
	if err != nil {
		return nil, err
	}
	return []Country{c}, nil
}

// shockLevels are this month's shocks per variable and country: a product of
// multipliers and a sum of additions.
type shockLevels struct {
	mul, add [numShockVars][NumCountries]float64
}

// apply returns x shocked by variable v of country c.
func (l *shockLevels) apply(v shockVar, c Country, x float64) float64 {
	return float64(x*l.mul[v][c]) + l.add[v][c]
}

// probability returns the probability p shocked by variable v of country c, within [0, 1].
func (l *shockLevels) probability(v shockVar, c Country, p float64) float64 {
	return math.Min(1, math.Max(0, l.apply(v, c, p)))
}

// shockLevelsAt evaluates the scenario's shocks at month m (neutral without mechanisms.shocks).
func (w *World) shockLevelsAt(m Month) shockLevels {
	return shockLevelsOf(w.shocks, w.p.Mechanisms.Shocks, m)
}

// shockLevelsOf evaluates shock paths at month m; neutral when on is false.
func shockLevelsOf(paths []shockPath, on bool, m Month) shockLevels {
	var l shockLevels
	for v := range l.mul {
		for c := range l.mul[v] {
			l.mul[v][c] = 1
		}
	}
	if !on {
		return l
	}
	for _, s := range paths {
		if s.multiply {
			l.mul[s.variable][s.country] *= interpolate(s.points, m, false, 1)
		} else {
			l.add[s.variable][s.country] += interpolate(s.points, m, false, 0)
		}
	}
	return l
}

// Points returns the path's anchors in month order.
func (s *Shock) Points() ([]Point, error) {
	var pts []Point
	for k, v := range s.Path {
		if len(k) == 4 {
			y, err := strconv.Atoi(k)
			if err != nil || y < 1 {
				return nil, fmt.Errorf("path key %q: want YYYY or YYYY-MM", k)
			}
			pts = append(pts, Point{MonthOf(y, 1), v}, Point{MonthOf(y, 12), v})
			continue
		}
		m, err := ParseMonth(k)
		if err != nil {
			return nil, fmt.Errorf("path key %q: want YYYY or YYYY-MM", k)
		}
		pts = append(pts, Point{m, v})
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].Month < pts[j].Month })
	for i := 1; i < len(pts); i++ {
		if pts[i].Month == pts[i-1].Month {
			return nil, fmt.Errorf("path gives %s twice", pts[i].Month)
		}
	}
	return pts, nil
}

func (s *Shock) validate(key string) []error {
	var errs []error
	bad := func(k, format string, args ...any) {
		errs = append(errs, &FieldError{Key: key + "." + k, Msg: fmt.Sprintf(format, args...)})
	}
	if _, err := shockCountries(s.Country); err != nil {
		bad("country", "%v (or all)", err)
	}
	if _, ok := parseShockVar(s.Variable); !ok {
		bad("variable", "%q: want homicide, unemployment, mexico_apprehension, border_apprehension or family_release", s.Variable)
	}
	if s.Mode != "multiply" && s.Mode != "add" {
		bad("mode", "%q: want multiply or add", s.Mode)
	}
	if len(s.Path) == 0 {
		bad("path", "missing: give at least one \"YYYY-MM\" = value")
	}
	if _, err := s.Points(); err != nil {
		bad("path", "%v", err)
	}
	for k, v := range s.Path {
		if s.Mode == "multiply" && v < 0 {
			bad("path."+k, "%g: a multiplier cannot be negative", v)
		}
	}
	return errs
}
