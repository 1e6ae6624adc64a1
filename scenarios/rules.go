package scenarios

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"migrasim/sim"
)

// The rules here are the checks a struct tag cannot state: the seed's
// range (Params.Seed is a uint64, but TOML and JSON hold signed integers),
// names that become folder names, the years of months, and the values of
// [[shock]] paths, which the engine multiplies or adds to its variables.

// Limits of a scenario's names, months and shocks.
const (
	// MaxNameLength is the longest scenario name, in bytes.
	MaxNameLength = 100
	// MinYear and MaxYear bound the year of every month a scenario names.
	MinYear, MaxYear = 1900, 2200
	// MaxShocks is the most [[shock]] tables in a scenario.
	MaxShocks = 100
	// MaxPathPoints is the most anchors in one shock's path.
	MaxPathPoints = 1200
)

// shockLimit bounds a shock's path values for one variable: multipliers in
// [0, mul], additions in [-add, add]. The bounds also hold for the shocks
// of one variable and country together: the product of their largest
// multipliers, and the sum of their largest additions.
type shockLimit struct {
	add, mul float64
	unit     string // of an addition
}

var shockLimits = map[string]shockLimit{
	"homicide":            {add: 200, mul: 10, unit: "homicides per 100,000"},
	"unemployment":        {add: 100, mul: 10, unit: "percentage points"},
	"mexico_apprehension": {add: 1, mul: 10, unit: "probability"},
	"border_apprehension": {add: 1, mul: 10, unit: "probability"},
	"family_release":      {add: 1, mul: 10, unit: "probability"},
}

// checkRules checks p against the rules above.
func checkRules(p *sim.Params, out *[]Problem) {
	bad := func(key, format string, args ...any) {
		*out = append(*out, Problem{Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	if p.Seed > MaxSeed {
		bad("seed", "%d is out of range [0, %d]: seeds must fit a signed 64-bit integer, as TOML and JSON hold them", p.Seed, int64(MaxSeed))
	}
	if err := CheckName(p.Name); err != nil {
		bad("name", "%v", err)
	}
	walk(reflect.ValueOf(p).Elem(), "", func(path string, _ reflect.StructField, v reflect.Value) {
		if m, ok := v.Interface().(sim.Month); ok && m.IsSet() && (m.Year() < MinYear || m.Year() > MaxYear) {
			bad(path, "month %q: want a year from %d to %d", m.String(), MinYear, MaxYear)
		}
	})
	checkShocks(p, bad)
	checkDuplicateDepartments(p, bad)
}

// CheckName checks a scenario name, which names its output folder
// (out/<name>) and its rows in every output: 1 to MaxNameLength bytes of
// letters, digits, spaces and - _ . + ( ), not starting with a dot, a dash
// or a space, and not ending with a dot or a space.
func CheckName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("empty: give the scenario a name")
	case len(name) > MaxNameLength:
		return fmt.Errorf("%d bytes long, more than %d: shorten it", len(name), MaxNameLength)
	case strings.IndexFunc(name, func(r rune) bool { return !nameRune(r) }) >= 0:
		return fmt.Errorf("%q: want letters, digits, spaces and - _ . + ( ) only (the name becomes a folder name)", name)
	case strings.ContainsAny(name[:1], ".- "), strings.ContainsAny(name[len(name)-1:], ". "):
		return fmt.Errorf("%q: a name cannot start with a dot, a dash or a space, or end with a dot or a space (it becomes a folder name)", name)
	}
	return nil
}

func nameRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" -_.+()", r)
}

// SafeName turns text (a file's name) into a name CheckName accepts: every
// other character becomes a dash.
func SafeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if nameRune(r) {
			return r
		}
		return '-'
	}, s)
	for len(s) > MaxNameLength {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	s = strings.TrimLeft(s, ".- ")
	s = strings.TrimRight(s, ". ")
	if s == "" {
		return "scenario"
	}
	return s
}

// ParseMonth parses a month as scenario files write it, "YYYY-MM" with a
// year from MinYear to MaxYear, with the messages scenario files get.
func ParseMonth(s string) (sim.Month, error) {
	if s == "" {
		return 0, fmt.Errorf("month \"\": want YYYY-MM")
	}
	if err := checkMonth(s); err != nil {
		return 0, err
	}
	return sim.ParseMonth(s)
}

// checkMonth checks a month as written ("YYYY-MM", or "" for unset).
func checkMonth(s string) error {
	if s == "" {
		return nil
	}
	if len(s) != 7 || s[4] != '-' || !digits(s[:4]) || !digits(s[5:]) {
		return fmt.Errorf("month %q: want YYYY-MM", s)
	}
	if m, _ := strconv.Atoi(s[5:]); m < 1 || m > 12 {
		return fmt.Errorf("month %q: want YYYY-MM with a month from 01 to 12", s)
	}
	if y, _ := strconv.Atoi(s[:4]); y < MinYear || y > MaxYear {
		return fmt.Errorf("month %q: want YYYY-MM with a year from %d to %d", s, MinYear, MaxYear)
	}
	return nil
}

func digits(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// checkShocks checks the number of shocks and the anchors and values of
// their paths, each alone and the shocks of one variable and country
// together.
func checkShocks(p *sim.Params, bad func(key, format string, args ...any)) {
	if len(p.Shocks) > MaxShocks {
		bad(fmt.Sprintf("shock[%d]", MaxShocks), "more than %d [[shock]] tables: combine them", MaxShocks)
		return
	}
	type target struct {
		variable string
		country  sim.Country
	}
	mul, add := map[target]float64{}, map[target]float64{}
	for i, s := range p.Shocks {
		key := fmt.Sprintf("shock[%d]", i)
		lim, known := shockLimits[s.Variable]
		if len(s.Path) > MaxPathPoints {
			bad(key+".path", "%d anchors, more than %d", len(s.Path), MaxPathPoints)
			continue
		}
		var biggest float64 // the largest multiplier, or the largest addition in size
		for _, k := range slices.Sorted(maps.Keys(s.Path)) {
			v, where := s.Path[k], key+".path."+k
			if err := checkPathKey(k); err != nil {
				bad(where, "%v", err)
			}
			switch {
			case math.IsNaN(v) || math.IsInf(v, 0):
				bad(where, "%s: want a finite number", formatNumber(v))
				continue
			case !known:
				continue
			case s.Mode == "multiply" && (v < 0 || v > lim.mul):
				if v >= 0 { // a negative multiplier is the engine's to report
					bad(where, "%s is out of range [0, %g] (multiplier of %s)", formatNumber(v), lim.mul, s.Variable)
				}
				continue
			case s.Mode == "add" && math.Abs(v) > lim.add:
				bad(where, "%s is out of range [%g, %g] (%s added to %s)", formatNumber(v), -lim.add, lim.add, lim.unit, s.Variable)
				continue
			}
			biggest = math.Max(biggest, math.Abs(v))
		}
		if !known || len(s.Path) == 0 {
			continue
		}
		for _, c := range shockTargets(s.Country) {
			t := target{s.Variable, c}
			switch s.Mode {
			case "multiply":
				if _, ok := mul[t]; !ok {
					mul[t] = 1
				}
				mul[t] *= biggest
				if mul[t] > lim.mul {
					bad(key+".path", "with the shocks before it, multiplies %s in %s by up to %s, more than %g: lower it", s.Variable, c, formatNumber(mul[t]), lim.mul)
					mul[t] = 1
				}
			case "add":
				add[t] += biggest
				if add[t] > lim.add {
					bad(key+".path", "with the shocks before it, adds up to %s %s to %s in %s, more than %g: lower it", formatNumber(add[t]), lim.unit, s.Variable, c, lim.add)
					add[t] = 0
				}
			}
		}
	}
}

// checkPathKey checks a path anchor: "YYYY" or "YYYY-MM".
func checkPathKey(k string) error {
	if len(k) == 4 && digits(k) {
		if y, _ := strconv.Atoi(k); y < MinYear || y > MaxYear {
			return fmt.Errorf("year %q: want a year from %d to %d", k, MinYear, MaxYear)
		}
		return nil
	}
	if err := checkMonth(k); err != nil {
		return fmt.Errorf("path key %q: want YYYY or YYYY-MM (%v)", k, err)
	}
	return nil
}

// shockTargets are the countries a shock's country code names (none if it
// names none: the engine reports that).
func shockTargets(code string) []sim.Country {
	if code == "all" {
		return []sim.Country{sim.SV, sim.HN, sim.GT}
	}
	if c, err := sim.ParseCountry(code); err == nil {
		return []sim.Country{c}
	}
	return nil
}

// checkDuplicateDepartments refuses an aid package that names a department twice.
func checkDuplicateDepartments(p *sim.Params, bad func(key, format string, args ...any)) {
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		seen := map[string]int{}
		for i, d := range p.Policy.Aid.Of(c).Departments {
			key := fmt.Sprintf("%s.%s.departments", sim.WindowKey("policy.aid", 0, 1+len(p.Policy.Aid.More)), c)
			if j, ok := seen[d]; ok {
				bad(fmt.Sprintf("%s[%d]", key, i), "%q is already %s[%d]: name each department once", d, key, j)
				continue
			}
			seen[d] = i
		}
	}
}
