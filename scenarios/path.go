package scenarios

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"migrasim/sim"
)

// The scenario keys by dotted path ("feedback.strength"): Lookup documents
// one, Get reads one from resolved parameters, Coerce checks a value for one,
// and Apply (override.go) sets them. These are the only ways into Params by
// path; the web page, sweeps and calibration all go through them.

// fieldAt returns the struct field of a dotted scenario key outside arrays
// of tables, or inside a window of a lever (policy.mexico[1].from).
func fieldAt(key string) (reflect.StructField, bool) {
	if lever, i, rest, ok := windowPath(key); ok {
		if _, isLever := leverField(lever); !isLever || i < 0 || i >= sim.MaxWindows || rest == "" {
			return reflect.StructField{}, false
		}
		key = lever + "." + rest
	}
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

// Coerce checks value v (as TOML or JSON decoding gives it) for scenario key
// key, like a scenario file's value, and returns it in canonical form:
// float64 for numbers, int64 for whole numbers, string for months and text.
func Coerce(key string, v any) (any, error) {
	sf, ok := fieldAt(key)
	if !ok {
		return nil, fmt.Errorf("%s is not a scenario key that can be set by path (see 'migrasim keys'; keys inside [[shock]] cannot)", key)
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
	var problems []Problem
	checkValue(v, sf.Type, sf.Tag.Get("unit"), key, &problems)
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s: %s", key, problems[0].Msg)
	}
	if kind == reflect.Float64 {
		v = Float(v)
	}
	if lo, hi, ok := bounds(sf); ok {
		if x := Float(v); math.IsNaN(x) || x < lo || x > hi {
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

// Float is a value of Coerce for a number or whole-number key as float64
// (NaN for any other value).
func Float(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	}
	return math.NaN()
}

// ClosestName returns the name nearest to k by edit distance, if near.
func ClosestName(k string, names []string) string {
	best, bestD := "", 4
	for _, n := range names {
		if d := editDistance(k, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// ClosestKey returns the scenario key nearest to k, if near.
func ClosestKey(k string) string {
	keys, err := Keys()
	if err != nil {
		return ""
	}
	var names []string
	for _, key := range keys {
		names = append(names, key.Path)
	}
	return ClosestName(k, names)
}

// Lookup documents the scenario key at a dotted path (its type, unit and
// range; not its default); ok is false when key is not a key that Get and
// Apply can reach (unknown, a table, or inside an array of tables).
func Lookup(key string) (k Key, ok bool) {
	sf, ok := fieldAt(key)
	if !ok {
		return Key{}, false
	}
	return Key{Path: key, Type: typeName(sf.Type), Unit: sf.Tag.Get("unit"), Min: sf.Tag.Get("min"), Max: sf.Tag.Get("max")}, true
}

// Range returns the key's numeric range; ok is false when it has none.
func (k Key) Range() (lo, hi float64, ok bool) {
	if k.Min == "" || k.Max == "" {
		return 0, 0, false
	}
	lo, err1 := strconv.ParseFloat(k.Min, 64)
	hi, err2 := strconv.ParseFloat(k.Max, 64)
	return lo, hi, err1 == nil && err2 == nil
}

// Get returns the value of the scenario key at a dotted path of p in the
// form TOML decoding gives it, which is also what Apply takes: float64 for
// numbers, int64 for whole numbers, bool, string for text and months
// ("2018-01", or "" for never), and []any for lists. ok is false when key is
// not a key that Get and Apply can reach, or names a window p's lever does
// not have.
func Get(p *sim.Params, key string) (any, bool) {
	if _, ok := fieldAt(key); !ok {
		return nil, false
	}
	v := reflect.ValueOf(p).Elem()
	if lever, i, rest, ok := windowPath(key); ok {
		ws := windowsOf(valueAt(v, lever))
		if i >= len(ws) {
			return nil, false
		}
		v, key = ws[i], rest
	}
	return plain(valueAt(v, key)), true
}

// valueAt is the field of struct v at a dotted key path without indexes.
func valueAt(v reflect.Value, key string) reflect.Value {
	for _, part := range strings.Split(key, ".") {
		for _, f := range fieldsOf(v.Type()) {
			if f.name == part {
				v = v.FieldByIndex(f.idx)
				break
			}
		}
	}
	return v
}

// plain converts a leaf value to its TOML-decoded form.
func plain(v reflect.Value) any {
	if m, ok := v.Interface().(encoding.TextMarshaler); ok {
		b, _ := m.MarshalText()
		return string(b)
	}
	switch v.Kind() {
	case reflect.Float64:
		return v.Float()
	case reflect.Int, reflect.Int64:
		return v.Int()
	case reflect.Uint64:
		return int64(v.Uint())
	case reflect.Bool:
		return v.Bool()
	case reflect.String:
		return v.String()
	case reflect.Slice:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = plain(v.Index(i))
		}
		return out
	}
	return v.Interface()
}

// Value returns the number at a dotted key of p (a number or whole-number
// key).
func Value(p *sim.Params, key string) (float64, bool) {
	v, ok := Get(p, key)
	switch x := v.(type) {
	case float64:
		return x, ok
	case int64:
		return float64(x), ok
	}
	return 0, false
}

// ParseValues parses texts (as written on a command line) as values of the
// scenario key key, in the form Apply takes, and checks each like a scenario
// file's value; the error lists every bad value.
func ParseValues(key string, texts []string) ([]any, error) {
	k, ok := Lookup(key)
	if !ok {
		msg := fmt.Sprintf("%s: unknown key", key)
		if c := ClosestKey(key); c != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", c)
		}
		return nil, errors.New(msg)
	}
	var values []any
	var errs []error
	for _, text := range texts {
		text = strings.TrimSpace(text)
		var v any = text
		var err error
		switch k.Type {
		case "number":
			v, err = strconv.ParseFloat(text, 64)
		case "whole number":
			v, err = strconv.ParseInt(text, 10, 64)
		case "true/false":
			v, err = strconv.ParseBool(text)
		case "list", "table":
			err = fmt.Errorf("a %s cannot be given on the command line", k.Type)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s = %q: want a %s (%s)", key, text, k.Type, k.Unit))
			continue
		}
		if v, err = Coerce(key, v); err != nil {
			errs = append(errs, err)
			continue
		}
		values = append(values, v)
	}
	return values, errors.Join(errs...)
}
