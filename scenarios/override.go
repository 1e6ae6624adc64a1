package scenarios

import (
	"bytes"
	"fmt"
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
// Keys inside arrays of tables ([[shock]]) cannot be set this way.
func Apply(p *sim.Params, overrides map[string]any) error {
	if len(overrides) == 0 {
		return nil
	}
	tree := map[string]any{}
	keys := make([]string, 0, len(overrides))
	for k := range overrides {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts := strings.Split(k, ".")
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
		node[parts[len(parts)-1]] = normalise(overrides[k])
	}
	var problems []Problem
	checkTable(tree, paramsType, "", &problems)
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
	tidy(&q)
	if err := Check(&q); err != nil {
		return err
	}
	*p = q
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
