package scenarios

import (
	"errors"
	"fmt"
	"strings"
)

// MaxVaryPoints is the most grid points --vary may ask for: each point is a
// whole comparison, so the grid is bounded before anything runs.
const MaxVaryPoints = 64

// ParseVary parses KEY=V1,V2,... (one compare --vary, calibrate --profile):
// a number key and distinct values in the form Apply takes. An empty string
// is no key.
func ParseVary(s string) (string, []any, error) {
	if s == "" {
		return "", nil, nil
	}
	key, list, ok := strings.Cut(s, "=")
	if !ok || key == "" || list == "" {
		return "", nil, fmt.Errorf("--vary %q: want KEY=V1,V2,... (e.g. feedback.strength=0,0.4,0.8)", s)
	}
	if k, ok := Lookup(key); ok && k.Type != "number" && k.Type != "whole number" {
		return "", nil, fmt.Errorf("--vary %s: a %s key; --vary takes number keys, whose differences it plots against the value (compare scenario files for the others)", key, k.Type)
	}
	values, err := ParseValues(key, strings.Split(list, ","))
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	for i := range values {
		for j := range i {
			if values[i] == values[j] {
				errs = append(errs, fmt.Errorf("%s = %v is given twice", key, values[i]))
			}
		}
	}
	if len(errs) > 0 {
		return "", nil, fmt.Errorf("--vary: %w", errors.Join(errs...))
	}
	return key, values, nil
}

// Vary is one key of a grid and the values it takes, in the form Apply
// takes.
type Vary struct {
	Key    string
	Values []any
}

// Grid is every combination of the values of its keys (compare --vary,
// given once per key). Its points are in a fixed order: the first key varies
// slowest and the last fastest, as in a sweep's [sweep.grid]. An empty grid
// has one point, which sets nothing.
type Grid []Vary

// ParseGrid parses the --vary flags of one command, each KEY=V1,V2,...
// (ParseVary), into a grid in the order given, and checks it (Check). The
// error lists every problem of every flag. Empty flags are skipped.
func ParseGrid(flags []string) (Grid, error) {
	var g Grid
	var errs []error
	for _, s := range flags {
		key, values, err := ParseVary(s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if key != "" {
			g = append(g, Vary{Key: key, Values: values})
		}
	}
	if err := g.Check(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return g, nil
}

// Check refuses a key given twice, a key without values, a value given
// twice for one key and more than MaxVaryPoints points, listing every
// problem. It does not check the values against a scenario.
func (g Grid) Check() error {
	var errs []error
	for i, v := range g {
		if v.Key == "" {
			errs = append(errs, fmt.Errorf("--vary: a key without a name"))
			continue
		}
		for _, w := range g[:i] {
			if w.Key == v.Key {
				errs = append(errs, fmt.Errorf("--vary %s: the key is given twice; give all its values in one --vary %s=V1,V2 (and so on)", v.Key, v.Key))
				break
			}
		}
		if len(v.Values) == 0 {
			errs = append(errs, fmt.Errorf("--vary %s: no values", v.Key))
		}
		for a := range v.Values {
			for b := range a {
				if v.Values[a] == v.Values[b] {
					errs = append(errs, fmt.Errorf("--vary %s: %v is given twice", v.Key, v.Values[a]))
				}
			}
		}
	}
	if n := g.Len(); n > MaxVaryPoints {
		sizes := make([]string, len(g))
		points := 1.0 // a float, so that no product overflows
		for i, v := range g {
			sizes[i] = fmt.Sprint(len(v.Values))
			points *= float64(len(v.Values))
		}
		errs = append(errs, fmt.Errorf("--vary: %s = %.0f grid points, more than %d (each is a whole comparison): vary fewer keys or values, or use 'migrasim sweep' for a larger design",
			strings.Join(sizes, " x "), points, MaxVaryPoints))
	}
	return errors.Join(errs...)
}

// Len is the number of points: the product of the numbers of values, 1 for
// an empty grid. Past MaxVaryPoints it stops counting and returns
// MaxVaryPoints+1, so that no product overflows.
func (g Grid) Len() int {
	n := 1
	for _, v := range g {
		n *= len(v.Values)
		if n > MaxVaryPoints {
			return MaxVaryPoints + 1
		}
	}
	return n
}

// Keys are the grid's keys, in order.
func (g Grid) Keys() []string {
	keys := make([]string, len(g))
	for i, v := range g {
		keys[i] = v.Key
	}
	return keys
}

// Point returns the values of point i (0 ≤ i < Len()), one per key in the
// grid's order: the last key's value changes from one point to the next,
// the first key's only once every other key has taken all its values.
func (g Grid) Point(i int) []any {
	if i < 0 || i >= g.Len() {
		panic(fmt.Sprintf("scenarios: grid point %d of %d", i, g.Len()))
	}
	out := make([]any, len(g))
	for k := len(g) - 1; k >= 0; k-- {
		n := len(g[k].Values)
		out[k] = g[k].Values[i%n]
		i /= n
	}
	return out
}
