package scenarios

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"migrasim/sim"
)

// A policy lever with a window (interior_removals, aid, mexico, border,
// family_detention, reintegration) is written either as one table,
// [policy.mexico], or as an array of tables, [[policy.mexico]], one per
// window, each with its own dates, ramp and size (sim.MaxWindows at most).
// In sim the first window is the lever's struct and the others are its
// More. Key paths name a window by its index when the lever has several:
// policy.mexico[1].from; policy.mexico.from is the first window's.

// windowed reports whether struct type t is a lever that can have several
// windows: it holds the further ones in More []t.
func windowed(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	f, ok := t.FieldByName("More")
	return ok && f.Type.Kind() == reflect.Slice && f.Type.Elem() == t
}

// windowsOf returns the windows of lever v (a windowed struct): v, then
// the elements of its More.
func windowsOf(v reflect.Value) []reflect.Value {
	more := v.FieldByName("More")
	out := []reflect.Value{v}
	for i := range more.Len() {
		out = append(out, more.Index(i))
	}
	return out
}

// checkWindows checks the array of tables of a windowed lever of type t.
func checkWindows(arr []map[string]any, t reflect.Type, path string, out *[]Problem) {
	switch {
	case len(arr) == 0:
		*out = append(*out, Problem{Key: path, Msg: fmt.Sprintf("no windows: write [[%s]] at least once, or leave the lever out", path)})
		return
	case len(arr) > sim.MaxWindows:
		*out = append(*out, Problem{Key: path, Msg: fmt.Sprintf("%d windows: at most %d", len(arr), sim.MaxWindows)})
		return
	}
	for i, m := range arr {
		checkTable(m, t, fmt.Sprintf("%s[%d]", path, i), out)
	}
}

// splitWindows takes the levers written as arrays of tables out of raw's
// policy table: it returns raw with each such lever replaced by its first
// window (raw itself is not changed), and the arrays by lever name.
func splitWindows(raw map[string]any) (map[string]any, map[string][]map[string]any) {
	pol, ok := raw["policy"].(map[string]any)
	if !ok {
		return raw, nil
	}
	var arrays map[string][]map[string]any
	var copied map[string]any
	for _, f := range fieldsOf(policyType) {
		if !windowed(f.sf.Type) {
			continue
		}
		arr, ok := tables(pol[f.name])
		if !ok || len(arr) == 0 {
			continue
		}
		if copied == nil {
			copied = make(map[string]any, len(pol))
			for k, v := range pol {
				copied[k] = v
			}
			arrays = map[string][]map[string]any{}
		}
		copied[f.name] = arr[0]
		arrays[f.name] = arr
	}
	if copied == nil {
		return raw, nil
	}
	out := make(map[string]any, len(raw))
	for k, v := range raw {
		out[k] = v
	}
	out["policy"] = copied
	return out, arrays
}

// decodeRaw decodes a checked TOML table over p, levers with several
// windows included: each window after the first starts from the lever's
// defaults (a branch's first windows were reset by resetWritten).
func decodeRaw(raw map[string]any, p *sim.Params) error {
	first, arrays := splitWindows(raw)
	if err := decodeTable(first, p); err != nil {
		return err
	}
	if len(arrays) == 0 {
		return nil
	}
	def, err := Defaults()
	if err != nil {
		return err
	}
	pol, base := reflect.ValueOf(&p.Policy).Elem(), reflect.ValueOf(def.Policy)
	for _, f := range fieldsOf(policyType) {
		arr := arrays[f.name]
		if len(arr) < 2 {
			continue
		}
		more := reflect.MakeSlice(reflect.SliceOf(f.sf.Type), 0, len(arr)-1)
		for _, m := range arr[1:] {
			w := reflect.New(f.sf.Type)
			w.Elem().Set(base.FieldByIndex(f.idx))
			if err := decodeTable(m, w.Interface()); err != nil {
				return err
			}
			more = reflect.Append(more, w.Elem())
		}
		pol.FieldByIndex(f.idx).FieldByName("More").Set(more)
	}
	return nil
}

// resetWritten sets each windowed lever that raw writes (as one table or as
// an array of tables) in p, a branch's start from its reference, back to
// the lever in def, the defaults: each of the branch's windows, the first
// included, is then a whole table of the lever, and a key it leaves out
// takes the lever's default.
func resetWritten(raw map[string]any, p, def *sim.Params) {
	written, _ := raw["policy"].(map[string]any)
	pol, base := reflect.ValueOf(&p.Policy).Elem(), reflect.ValueOf(def.Policy)
	for _, f := range fieldsOf(policyType) {
		if _, ok := written[f.name]; ok && windowed(f.sf.Type) {
			pol.FieldByIndex(f.idx).Set(base.FieldByIndex(f.idx))
		}
	}
}

// decodeTable decodes a TOML table, as decoding gave it, over v.
func decodeTable(m map[string]any, v any) error {
	var b strings.Builder
	if err := toml.NewEncoder(&b).Encode(m); err != nil {
		return err
	}
	_, err := toml.Decode(b.String(), v)
	return err
}

// hasWindows reports whether raw writes a lever as an array of tables.
func hasWindows(raw map[string]any) bool {
	_, arrays := splitWindows(raw)
	return len(arrays) > 0
}

// tidyWindows makes an empty More nil, and the empty department lists of
// further windows nil, so that equal scenarios compare equal.
func tidyWindows(p *sim.Params) {
	pol := reflect.ValueOf(&p.Policy).Elem()
	for _, f := range fieldsOf(policyType) {
		if !windowed(f.sf.Type) {
			continue
		}
		if more := pol.FieldByIndex(f.idx).FieldByName("More"); more.Len() == 0 {
			more.SetZero()
		}
	}
	for i := range p.Policy.Aid.More {
		for c := sim.Country(0); c < sim.NumCountries; c++ {
			if pk := p.Policy.Aid.More[i].Of(c); len(pk.Departments) == 0 {
				pk.Departments = nil
			}
		}
	}
}

// splitIndex splits a key part that names a window, "mexico[2]", into its
// name and index; ok is false for a part without an index.
func splitIndex(part string) (name string, i int, ok bool) {
	open := strings.IndexByte(part, '[')
	if open < 0 || !strings.HasSuffix(part, "]") {
		return part, 0, false
	}
	n, err := strconv.Atoi(part[open+1 : len(part)-1])
	if err != nil || n < 0 || part[open+1] == '+' {
		return part, -1, true
	}
	return part[:open], n, true
}

// windowPath splits a key path that names a window of a lever,
// "policy.mexico[2].apprehension_multiplier", into the lever's path
// ("policy.mexico"), the window's index and the key inside the window;
// ok is false when key names no window. A bad index gives i = -1.
func windowPath(key string) (lever string, i int, rest string, ok bool) {
	parts := strings.Split(key, ".")
	for j, part := range parts {
		name, n, has := splitIndex(part)
		if !has {
			continue
		}
		return strings.Join(append(parts[:j:j], name), "."), n, strings.Join(parts[j+1:], "."), true
	}
	return "", 0, "", false
}

// leverField returns the windowed lever at a dotted path ("policy.mexico").
func leverField(path string) (field, bool) {
	parts := strings.Split(path, ".")
	if len(parts) != 2 || parts[0] != "policy" {
		return field{}, false
	}
	for _, f := range fieldsOf(policyType) {
		if f.name == parts[1] && windowed(f.sf.Type) {
			return f, true
		}
	}
	return field{}, false
}
