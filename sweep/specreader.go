package sweep

import (
	"fmt"
	"maps"
	"migrasim/scenarios"
	"reflect"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// factor is one dimension of a sweep's design: the keys it sets together and
// its levels, one row of values (in key order) per level. A grid key is a
// factor of one key; the cases are one factor; the sample is one factor.
type factor struct {
	keys []string
	rows [][]any
}

// Limits of a sweep spec.
const (
	maxSampleN   = 100_000
	maxPoints    = 1_000_000_000
	maxSweepReps = 100_000
)

// notSweepable are keys the sweep sets itself.
var notSweepable = map[string]string{
	"name":       "each design point is named by the sweep",
	"seed":       "seeds come from the scenario's seed and [sweep] seeds",
	"replicates": "set replicates in the [sweep] table",
}

// specReader reads a [sweep] table, collecting problems.
type specReader struct {
	md       toml.MetaData
	problems []scenarios.Problem
	seen     map[string]string // swept key -> where it is swept
}

func (r *specReader) bad(key, format string, args ...any) {
	r.problems = append(r.problems, scenarios.Problem{Key: key, Msg: fmt.Sprintf(format, args...)})
}

// read fills s from the decoded [sweep] table m.
func (r *specReader) read(s *Spec, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		r.bad("sweep", "want a table ([sweep]), got %s", scenarios.Describe(v))
		return
	}
	r.seen = map[string]string{}
	var cases, sample *factor
	var grid []factor
	for _, k := range slices.Sorted(maps.Keys(m)) {
		path := "sweep." + k
		switch k {
		case "replicates":
			n, ok := m[k].(int64)
			if !ok || n < 1 || n > maxSweepReps {
				r.bad(path, "want a whole number from 1 to %d (replicates of each design point), got %s", maxSweepReps, scenarios.Describe(m[k]))
				continue
			}
			s.Replicates = int(n)
		case "seeds":
			str, _ := m[k].(string)
			if str != SeedsCommon && str != SeedsIndependent {
				r.bad(path, "want %q (every point uses the scenario's seed) or %q (each point its own), got %s", SeedsCommon, SeedsIndependent, scenarios.Describe(m[k]))
				continue
			}
			s.Seeds = str
		case "grid":
			grid = r.grid(m[k])
		case "cases":
			cases = r.cases(m[k])
		case "sample":
			var method string
			var n int
			sample, method, n = r.sample(m[k])
			if method == SampleSaltelli {
				s.Design, s.SaltelliN = SampleSaltelli, n
			}
		case "compare", "from", "to", "posterior", "draws":
			r.paired(s, k, m[k])
		default:
			msg := "unknown key"
			if c := scenarios.ClosestName(k, []string{"replicates", "seeds", "grid", "cases", "sample", "compare", "from", "to", "posterior", "draws"}); c != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", c)
			}
			r.bad(path, "%s", msg)
		}
	}
	if s.Design == SampleSaltelli && (cases != nil || len(grid) > 0) {
		// The analysis reads the points in the Saltelli row order; a
		// product with other factors would interleave them.
		r.bad("sweep.sample.method", "a Saltelli sample must be the sweep's only design: remove [sweep.grid] and [sweep.cases], or use method \"lhs\" or \"sobol\"")
	}
	if cases != nil {
		s.factors = append(s.factors, *cases)
	}
	s.factors = append(s.factors, grid...)
	if sample != nil {
		s.factors = append(s.factors, *sample)
	}
	r.checkPaired(s, m, cases != nil || len(grid) > 0 || sample != nil)
	for _, f := range s.factors {
		s.Keys = append(s.Keys, f.keys...)
	}
	if n := s.countPoints(); n > maxPoints {
		r.bad("sweep", "the design has more than %d points", maxPoints)
	}
}

// leaves returns the keys under prefix that hold non-table values, in the
// order the file writes them, as dotted scenario keys.
func (r *specReader) leaves(prefix ...string) []string {
	var out []string
	for _, k := range r.md.Keys() {
		if len(k) <= len(prefix) || !slices.Equal(k[:len(prefix)], prefix) || r.md.Type(k...) == "Hash" {
			continue
		}
		out = append(out, strings.Join(k[len(prefix):], "."))
	}
	return out
}

// lookup finds a dotted scenario key inside a decoded table, where TOML may
// have nested it ("feedback.strength") or not ("\"feedback.strength\"").
func lookup(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for i := 0; i < len(key); i++ {
		if key[i] != '.' {
			continue
		}
		if sub, ok := m[key[:i]].(map[string]any); ok {
			if v, ok := lookup(sub, key[i+1:]); ok {
				return v, true
			}
		}
	}
	return nil, false
}

func (r *specReader) grid(v any) []factor {
	m, ok := v.(map[string]any)
	if !ok {
		r.bad("sweep.grid", "want a table of KEY = [values], got %s", scenarios.Describe(v))
		return nil
	}
	var out []factor
	leaves := r.leaves("sweep", "grid")
	if len(leaves) == 0 {
		r.bad("sweep.grid", "no keys to vary: add KEY = [values] lines, or remove [sweep.grid]")
		return nil
	}
	for _, key := range leaves {
		path := "sweep.grid." + key
		raw, _ := lookup(m, key)
		list, ok := raw.([]any)
		if !ok || len(list) == 0 {
			r.bad(path, "want a non-empty list of values for %s, got %s", key, scenarios.Describe(raw))
			continue
		}
		if !r.sweepable(key, path) {
			continue
		}
		f := factor{keys: []string{key}}
		for i, x := range list {
			where := fmt.Sprintf("%s[%d]", path, i)
			c, err := scenarios.Coerce(key, x)
			if err != nil {
				r.bad(where, "%v", err)
				continue
			}
			for j, row := range f.rows {
				if reflect.DeepEqual(row[0], c) {
					r.bad(where, "repeats %s[%d]", path, j)
				}
			}
			f.rows = append(f.rows, []any{c})
		}
		out = append(out, f)
	}
	return out
}

func (r *specReader) cases(v any) *factor {
	m, ok := v.(map[string]any)
	if !ok {
		r.bad("sweep.cases", "want a table with keys = [KEY, ...] and values = [[v, ...], ...], got %s", scenarios.Describe(v))
		return nil
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if k != "keys" && k != "values" {
			r.bad("sweep.cases."+k, "unknown key (a cases table has keys and values)")
		}
	}
	f := &factor{}
	keys, ok := m["keys"].([]any)
	if !ok || len(keys) == 0 {
		r.bad("sweep.cases.keys", "want a non-empty list of scenario keys, got %s", describeMissing(m, "keys"))
		return nil
	}
	for i, k := range keys {
		key, ok := k.(string)
		where := fmt.Sprintf("sweep.cases.keys[%d]", i)
		if !ok {
			r.bad(where, "want a quoted scenario key, got %s", scenarios.Describe(k))
			return nil
		}
		if !r.sweepable(key, where) {
			return nil
		}
		f.keys = append(f.keys, key)
	}
	rows, ok := m["values"].([]any)
	if !ok || len(rows) == 0 {
		r.bad("sweep.cases.values", "want a non-empty list of rows [v, ...], one per case, got %s", describeMissing(m, "values"))
		return nil
	}
	for i, row := range rows {
		where := fmt.Sprintf("sweep.cases.values[%d]", i)
		vals, ok := row.([]any)
		if !ok || len(vals) != len(f.keys) {
			r.bad(where, "want a row of %d values (%s), got %s", len(f.keys), strings.Join(f.keys, ", "), scenarios.Describe(row))
			continue
		}
		out := make([]any, len(vals))
		for j, x := range vals {
			c, err := scenarios.Coerce(f.keys[j], x)
			if err != nil {
				r.bad(where, "%v", err)
			}
			out[j] = c
		}
		f.rows = append(f.rows, out)
	}
	return f
}

// sweepable checks that key is a scenario key a sweep may set, and not set
// by another part of the sweep.
func (r *specReader) sweepable(key, where string) bool {
	if why, ok := notSweepable[key]; ok {
		r.bad(where, "%s cannot be swept: %s", key, why)
		return false
	}
	if _, ok := scenarios.Lookup(key); !ok {
		msg := fmt.Sprintf("%s is not a scenario key a sweep can set", key)
		if c := scenarios.ClosestKey(key); c != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", c)
		}
		r.bad(where, "%s; see 'migrasim keys' (keys inside [[shock]] cannot be swept)", msg)
		return false
	}
	if prev, ok := r.seen[key]; ok {
		r.bad(where, "%s is already swept by %s", key, prev)
		return false
	}
	r.seen[key] = where
	return true
}

func describeMissing(m map[string]any, k string) string {
	if v, ok := m[k]; ok {
		return scenarios.Describe(v)
	}
	return "nothing"
}
