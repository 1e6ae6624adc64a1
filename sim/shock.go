package sim

import (
	"fmt"
	"sort"
	"strconv"
)

// Shock is an exogenous path for one country's homicide rate or unemployment,
// e.g. a homicide spike or a drought. Between the path's anchors the value is
// interpolated linearly; outside them the shock is neutral (1 to multiply, 0 to add).
type Shock struct {
	// Country is the country the shock hits.
	Country string `toml:"country" unit:"SV, HN or GT"`
	// Variable is what the shock changes.
	Variable string `toml:"variable" unit:"homicide or unemployment"`
	// Mode says whether path values multiply the variable or add to it
	// (homicides per 100,000, or percentage points).
	Mode string `toml:"mode" unit:"multiply or add"`
	// Path maps "YYYY-MM" (one month) or "YYYY" (January to December of that
	// year) to a value.
	Path map[string]float64 `toml:"path" unit:"YYYY or YYYY-MM = value"`
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
	if _, err := ParseCountry(s.Country); err != nil {
		bad("country", "%v", err)
	}
	if s.Variable != "homicide" && s.Variable != "unemployment" {
		bad("variable", "%q: want homicide or unemployment", s.Variable)
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
