package scenarios

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"migrasim/sim"
)

var (
	paramsType    = reflect.TypeOf(sim.Params{})
	monthType     = reflect.TypeOf(sim.Month(0))
	textUnmarshal = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
)

// field is one scenario key of a struct: its TOML name and Go field.
type field struct {
	name  string
	sf    reflect.StructField
	idx   []int
	owner reflect.Type // the struct that declares sf (an embedded one for a policy window)
}

// fieldsOf lists the scenario keys of struct type t in declaration order;
// embedded structs (policy windows) contribute their keys.
func fieldsOf(t reflect.Type) []field {
	var out []field
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			for _, f := range fieldsOf(sf.Type) {
				f.idx = append([]int{i}, f.idx...)
				out = append(out, f)
			}
			continue
		}
		name := sf.Tag.Get("toml")
		if name == "" || name == "-" || !sf.IsExported() {
			continue
		}
		out = append(out, field{name: name, sf: sf, idx: []int{i}, owner: t})
	}
	return out
}

func joinKey(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// checkTable checks a decoded TOML table against struct type t: unknown keys
// and wrong types, all of them.
func checkTable(m map[string]any, t reflect.Type, prefix string, out *[]Problem) {
	fields := fieldsOf(t)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		path := joinKey(prefix, k)
		var f *field
		for i := range fields {
			if fields[i].name == k {
				f = &fields[i]
			}
		}
		if f == nil {
			msg := "unknown key"
			if s := closest(k, fields); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			*out = append(*out, Problem{Key: path, Msg: msg})
			continue
		}
		checkValue(m[k], f.sf.Type, f.sf.Tag.Get("unit"), path, out)
	}
}

// checkValue checks one decoded TOML value against Go type t.
func checkValue(v any, t reflect.Type, unit, path string, out *[]Problem) {
	bad := func(want string) {
		*out = append(*out, Problem{Key: path, Msg: fmt.Sprintf("want %s, got %s", want, Describe(v))})
	}
	if reflect.PointerTo(t).Implements(textUnmarshal) {
		s, ok := v.(string)
		if !ok {
			bad("a quoted string " + unit)
			return
		}
		if t == monthType {
			if err := checkMonth(s); err != nil {
				*out = append(*out, Problem{Key: path, Msg: err.Error()})
				return
			}
		}
		if err := reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			*out = append(*out, Problem{Key: path, Msg: err.Error()})
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok && windowed(t) {
			if arr, ok := tables(v); ok {
				checkWindows(arr, t, path, out)
				return
			}
			bad(fmt.Sprintf("a table ([%s]) or an array of tables, one per window ([[%s]])", path, path))
			return
		}
		if !ok {
			bad("a table")
			return
		}
		checkTable(m, t, path, out)
	case reflect.Float64:
		switch v.(type) {
		case int64, float64:
		default:
			bad("a number (" + unit + ")")
		}
	case reflect.Int, reflect.Int64:
		if _, ok := v.(int64); !ok {
			bad("a whole number (" + unit + ")")
		}
	case reflect.Uint64:
		if n, ok := v.(int64); !ok || n < 0 {
			bad("a non-negative whole number")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			bad("true or false")
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			bad("a quoted string")
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Struct {
			arr, ok := tables(v)
			if !ok {
				bad("an array of tables ([[" + path + "]])")
				return
			}
			for i, m := range arr {
				checkTable(m, t.Elem(), fmt.Sprintf("%s[%d]", path, i), out)
			}
			return
		}
		arr, ok := v.([]any)
		if !ok {
			bad("an array")
			return
		}
		for i, e := range arr {
			checkValue(e, t.Elem(), unit, fmt.Sprintf("%s[%d]", path, i), out)
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			bad("a table of " + unit)
			return
		}
		for k, e := range m {
			checkValue(e, t.Elem(), unit, joinKey(path, k), out)
		}
	default:
		panic("scenarios: no check for " + t.String())
	}
}

// tables returns an array of tables as TOML decoding gives it: from
// [[name]] headers, or from an array of inline tables (name = [{...}, {...}]).
func tables(v any) ([]map[string]any, bool) {
	switch x := v.(type) {
	case []map[string]any:
		return x, true
	case []any:
		out := make([]map[string]any, len(x))
		for i, e := range x {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, false
			}
			out[i] = m
		}
		return out, true
	}
	return nil, false
}

// Describe names a decoded TOML value for error messages: "the number 3",
// "a table", "\"text\"".
func Describe(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case map[string]any:
		return "a table"
	case []any, []map[string]any:
		return "an array"
	case int64:
		return "the whole number " + strconv.FormatInt(x, 10)
	case float64:
		return "the number " + strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprintf("%T", v)
}

// closest returns the known key nearest to k by edit distance, if near.
func closest(k string, fields []field) string {
	best, bestD := "", 4
	for _, f := range fields {
		if d := editDistance(k, f.name); d < bestD {
			best, bestD = f.name, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// checkRanges checks every numeric field of p against its min and max tags.
func checkRanges(p *sim.Params, out *[]Problem) {
	walk(reflect.ValueOf(p).Elem(), "", func(path string, f reflect.StructField, v reflect.Value) {
		lo, hi, ok := bounds(f)
		if !ok {
			return
		}
		var x float64
		switch v.Kind() {
		case reflect.Float64:
			x = v.Float()
		case reflect.Int, reflect.Int64:
			x = float64(v.Int())
		default:
			return
		}
		if math.IsNaN(x) || x < lo || x > hi {
			*out = append(*out, Problem{Key: path, Msg: fmt.Sprintf("%s is out of range [%s, %s] (%s)",
				formatNumber(x), f.Tag.Get("min"), f.Tag.Get("max"), f.Tag.Get("unit"))})
		}
	})
}

func bounds(f reflect.StructField) (lo, hi float64, ok bool) {
	smin, smax := f.Tag.Get("min"), f.Tag.Get("max")
	if smin == "" || smax == "" {
		return 0, 0, false
	}
	lo, err1 := strconv.ParseFloat(smin, 64)
	hi, err2 := strconv.ParseFloat(smax, 64)
	if err1 != nil || err2 != nil {
		panic("scenarios: bad range tag on " + f.Name)
	}
	return lo, hi, true
}

// walk calls fn for every leaf scenario key of v (a struct), with its path;
// a lever with several windows gives each window's keys with its index
// (policy.mexico[1].from).
func walk(v reflect.Value, prefix string, fn func(path string, f reflect.StructField, v reflect.Value)) {
	for _, f := range fieldsOf(v.Type()) {
		fv := v.FieldByIndex(f.idx)
		path := joinKey(prefix, f.name)
		switch {
		case windowed(f.sf.Type) && fv.FieldByName("More").Len() > 0:
			for i, w := range windowsOf(fv) {
				walk(w, fmt.Sprintf("%s[%d]", path, i), fn)
			}
		case f.sf.Type.Kind() == reflect.Struct && !reflect.PointerTo(f.sf.Type).Implements(textUnmarshal):
			walk(fv, path, fn)
		case f.sf.Type.Kind() == reflect.Slice && f.sf.Type.Elem().Kind() == reflect.Struct:
			for i := range fv.Len() {
				walk(fv.Index(i), fmt.Sprintf("%s[%d]", path, i), fn)
			}
		default:
			fn(path, f.sf, fv)
		}
	}
}

func formatNumber(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// Key documents one scenario key.
type Key struct {
	Path    string // dotted key path, e.g. "policy.cam.apply_share"
	Type    string // number, whole number, month, true/false, text, list, table
	Unit    string
	Min     string // empty when the key has no numeric range
	Max     string
	Default string // the resolved default, as TOML
	Meaning string // what the key is: the field's doc tag, or its doc comment's first sentence
}

// Keys lists every scenario key with its unit, range and default, in
// declaration order. Arrays of tables ([[shock]]) are listed once with [] in
// the path.
func Keys() ([]Key, error) {
	def, err := Defaults()
	if err != nil {
		return nil, err
	}
	def.Shocks = []sim.Shock{{}}
	var out []Key
	walk(reflect.ValueOf(&def).Elem(), "", func(path string, f reflect.StructField, v reflect.Value) {
		path = strings.ReplaceAll(path, "[0]", "[]")
		k := Key{Path: path, Type: typeName(f.Type), Unit: f.Tag.Get("unit"), Min: f.Tag.Get("min"), Max: f.Tag.Get("max"), Meaning: meaning(path)}
		if !strings.Contains(path, "[]") {
			k.Default = tomlValue(v)
		}
		out = append(out, k)
	})
	return out, nil
}

// meaning is what the key at path (as Keys writes it) is: the field's doc
// tag if it has one, else its doc comment's first sentence (meanings.go).
func meaning(path string) string {
	t := paramsType
	var f field
	for _, seg := range strings.Split(path, ".") {
		found := false
		for _, g := range fieldsOf(t) {
			if g.name == strings.TrimSuffix(seg, "[]") {
				f, found = g, true
				break
			}
		}
		if !found {
			return ""
		}
		t = f.sf.Type
		if t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			t = paramsType // a leaf: the loop ends here
		}
	}
	if doc := f.sf.Tag.Get("doc"); doc != "" {
		return doc
	}
	return meanings[f.owner.Name()+"."+f.sf.Name]
}

func typeName(t reflect.Type) string {
	if reflect.PointerTo(t).Implements(textUnmarshal) {
		return "month"
	}
	switch t.Kind() {
	case reflect.Float64:
		return "number"
	case reflect.Int, reflect.Int64, reflect.Uint64:
		return "whole number"
	case reflect.Bool:
		return "true/false"
	case reflect.String:
		return "text"
	case reflect.Slice:
		return "list"
	case reflect.Map:
		return "table"
	}
	return t.Kind().String()
}

// tomlValue formats a leaf value as TOML.
func tomlValue(v reflect.Value) string {
	if m, ok := v.Interface().(encoding.TextMarshaler); ok {
		b, _ := m.MarshalText()
		return strconv.Quote(string(b))
	}
	switch v.Kind() {
	case reflect.Float64:
		x := v.Float()
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if a := math.Abs(x); a != 0 && (a < 1e-4 || a >= 1e15) {
			s = formatNumber(x)
		}
		if !strings.ContainsAny(s, ".eIN") {
			s += ".0"
		}
		return s
	case reflect.Int, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.String:
		return strconv.Quote(v.String())
	case reflect.Slice:
		var parts []string
		for i := range v.Len() {
			parts = append(parts, tomlValue(v.Index(i)))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		var parts []string
		for _, k := range keys {
			parts = append(parts, strconv.Quote(k.String())+" = "+tomlValue(v.MapIndex(k)))
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	return fmt.Sprint(v.Interface())
}
