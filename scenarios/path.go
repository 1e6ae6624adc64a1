package scenarios

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
)

// fieldAt returns the struct field of a dotted scenario key outside arrays
// of tables.
func fieldAt(key string) (reflect.StructField, bool) {
	t := paramsType
	parts := strings.Split(key, ".")
	for i, part := range parts {
		var f *field
		for _, c := range fieldsOf(t) {
			if c.name == part {
				f = &c
				break
			}
		}
		if f == nil {
			return reflect.StructField{}, false
		}
		leaf := f.sf.Type.Kind() != reflect.Struct || reflect.PointerTo(f.sf.Type).Implements(textUnmarshal)
		if leaf {
			ok := i == len(parts)-1 && f.sf.Type.Kind() != reflect.Map &&
				!(f.sf.Type.Kind() == reflect.Slice && f.sf.Type.Elem().Kind() == reflect.Struct)
			return f.sf, ok
		}
		t = f.sf.Type
	}
	return reflect.StructField{}, false
}

// coerce checks value v (as TOML or JSON decoding gives it) for scenario key
// key, like a scenario file's value, and returns it in canonical form:
// float64 for numbers, int64 for whole numbers, string for months and text.
func coerce(key string, v any) (any, error) {
	sf, ok := fieldAt(key)
	if !ok {
		return nil, fmt.Errorf("%s is not a scenario key a sweep can set", key)
	}
	kind := sf.Type.Kind()
	if num, ok := v.(json.Number); ok {
		if i, err := num.Int64(); err == nil && kind != reflect.Float64 {
			v = i
		} else if f, err := num.Float64(); err == nil {
			v = f
		}
	}
	if list, ok := v.([]any); ok && kind == reflect.Slice {
		elems := make([]any, len(list))
		for i, e := range list {
			elems[i] = jsonElem(sf.Type.Elem(), e)
		}
		v = elems
	}
	var problems []problem
	checkValue(v, sf.Type, sf.Tag.Get("unit"), key, &problems)
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s: %s", key, problems[0].msg)
	}
	if kind == reflect.Float64 {
		v = toFloat(v)
	}
	if lo, hi, ok := bounds(sf); ok {
		if x := toFloat(v); math.IsNaN(x) || x < lo || x > hi {
			return nil, fmt.Errorf("%s: %s is out of range [%s, %s] (%s)", key, formatNumber(x), sf.Tag.Get("min"), sf.Tag.Get("max"), sf.Tag.Get("unit"))
		}
	}
	return v, nil
}

// jsonElem converts a JSON number inside a list to the element type's form;
// anything else, and a number that does not fit, stays as it is for
// checkValue to report.
func jsonElem(t reflect.Type, v any) any {
	num, ok := v.(json.Number)
	if !ok {
		return v
	}
	var x any
	var err error
	if t.Kind() == reflect.Float64 {
		x, err = num.Float64()
	} else {
		x, err = num.Int64()
	}
	if err != nil {
		return v
	}
	return x
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	}
	return math.NaN()
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func describeMissing(m map[string]any, k string) string {
	if v, ok := m[k]; ok {
		return describe(v)
	}
	return "nothing"
}

// closestName returns the name nearest to k by edit distance, if near.
func closestName(k string, names []string) string {
	best, bestD := "", 4
	for _, n := range names {
		if d := editDistance(k, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// closestKey returns the scenario key nearest to k, if near.
func closestKey(k string) string {
	keys, err := Keys()
	if err != nil {
		return ""
	}
	var names []string
	for _, key := range keys {
		names = append(names, key.Path)
	}
	return closestName(k, names)
}
