package scenarios

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"migrasim/sim"
)

// Apply sets scenario keys on resolved parameters: overrides maps dotted key
// paths ("feedback.strength", "policy.interior_removals.from") to values of
// the key's type (float64, int64, string, bool, []string). The values are
// checked like a scenario file's: unknown keys, wrong types and out-of-range
// values are errors naming the key, all at once; on error p is unchanged.
// Keys inside arrays of tables ([[shock]]) cannot be set this way, except
// those of a lever's windows: policy.mexico[1].from sets the second
// window's from, which p must have (an override changes a window, it does
// not add one); policy.mexico.from and policy.mexico[0].from are the first's.
// A branched scenario's reference takes the same overrides: they change the
// world, its history included.
func Apply(p *sim.Params, overrides map[string]any) error {
	if len(overrides) == 0 {
		return nil
	}
	// An override changes the world, history included: a branch's
	// reference takes it too (a copy: references are shared), unless it
	// is a window the reference does not have (the branch's own).
	if p.ReferenceParams != nil {
		ref := *p.ReferenceParams
		shared := map[string]any{}
		for k, v := range overrides {
			if lever, i, _, ok := windowPath(k); ok && i > 0 && i >= windowCount(&ref, lever) {
				continue
			}
			shared[k] = v
		}
		if err := apply(&ref, shared); err != nil {
			return err
		}
		old := p.ReferenceParams
		p.ReferenceParams = &ref // checked with p, whose history it is
		if err := apply(p, overrides); err != nil {
			p.ReferenceParams = old
			return err
		}
		return nil
	}
	return apply(p, overrides)
}

// apply is Apply for one set of parameters.
func apply(p *sim.Params, overrides map[string]any) error {
	tree := map[string]any{}
	windows := map[windowRef]map[string]any{}
	keys := make([]string, 0, len(overrides))
	for k := range overrides {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := normalise(overrides[k])
		if lever, i, rest, ok := windowPath(k); ok {
			if _, isLever := leverField(lever); !isLever || i < 0 || i >= sim.MaxWindows || rest == "" {
				return fmt.Errorf("%s: not a scenario key (see 'migrasim keys'; a window is policy.LEVER[i], i from 0 to %d)", k, sim.MaxWindows-1)
			}
			if i > 0 {
				ref := windowRef{lever, i}
				if windows[ref] == nil {
					windows[ref] = map[string]any{}
				}
				if err := setPath(windows[ref], k, rest, v); err != nil {
					return err
				}
				continue
			}
			k = lever + "." + rest
		}
		if err := setPath(tree, k, k, v); err != nil {
			return err
		}
	}
	refs := slices.SortedFunc(maps.Keys(windows), windowRef.compare)
	var problems []Problem
	checkTable(tree, paramsType, "", &problems)
	for _, ref := range refs {
		f, _ := leverField(ref.lever)
		checkTable(windows[ref], f.sf.Type, fmt.Sprintf("%s[%d]", ref.lever, ref.i), &problems)
	}
	if len(problems) > 0 {
		return Report("overrides", nil, problems)
	}
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(tree); err != nil {
		return fmt.Errorf("overrides: %w", err)
	}
	q := *p
	q.Shocks = append([]sim.Shock(nil), p.Shocks...)
	if _, err := toml.Decode(buf.String(), &q); err != nil {
		return fmt.Errorf("overrides: %w", err)
	}
	for _, ref := range refs {
		if err := applyWindow(&q, ref, windows[ref]); err != nil {
			return err
		}
	}
	tidy(&q)
	if err := Check(&q); err != nil {
		return err
	}
	*p = q
	return nil
}

// windowRef names window i (from 1) of the lever at path lever.
type windowRef struct {
	lever string
	i     int
}

func (a windowRef) compare(b windowRef) int {
	return cmp.Or(strings.Compare(a.lever, b.lever), cmp.Compare(a.i, b.i))
}

// applyWindow decodes tree over window ref.i of q's lever, on a copy of the
// lever's More, so that the parameters q was copied from keep theirs.
func applyWindow(q *sim.Params, ref windowRef, tree map[string]any) error {
	f, _ := leverField(ref.lever)
	more := reflect.ValueOf(&q.Policy).Elem().FieldByIndex(f.idx).FieldByName("More")
	if ref.i > more.Len() {
		return fmt.Errorf("%s[%d]: the scenario has %d window(s) of %s; an override can change a window, not add one",
			ref.lever, ref.i, more.Len()+1, ref.lever)
	}
	copied := reflect.MakeSlice(more.Type(), more.Len(), more.Len())
	reflect.Copy(copied, more)
	if err := decodeTable(tree, copied.Index(ref.i-1).Addr().Interface()); err != nil {
		return fmt.Errorf("overrides: %w", err)
	}
	more.Set(copied)
	return nil
}

// setPath sets value v at the dotted path of tree, for override key k.
func setPath(tree map[string]any, k, path string, v any) error {
	parts := strings.Split(path, ".")
	node := tree
	for _, part := range parts[:len(parts)-1] {
		next, ok := node[part].(map[string]any)
		if !ok {
			if _, leaf := node[part]; leaf {
				return fmt.Errorf("%s: %s is a value, not a table", k, part)
			}
			next = map[string]any{}
			node[part] = next
		}
		node = next
	}
	node[parts[len(parts)-1]] = v
	return nil
}

// normalise converts Go values to the types TOML decoding produces.
func normalise(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case uint64:
		return int64(x)
	case float32:
		return float64(x)
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	}
	return v
}

// windowCount returns the number of windows of the lever at path lever in
// p, or 0 if it is not a windowed lever.
func windowCount(p *sim.Params, lever string) int {
	f, ok := leverField(lever)
	if !ok {
		return 0
	}
	return 1 + reflect.ValueOf(&p.Policy).Elem().FieldByIndex(f.idx).FieldByName("More").Len()
}
