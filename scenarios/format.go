package scenarios

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"migrasim/sim"
)

// Format writes resolved parameters as a complete scenario in TOML, each key
// with its unit and range as a comment. Parse(Format(p)) gives p back.
func Format(p *sim.Params) string {
	var b strings.Builder
	table := ""
	walk(reflect.ValueOf(p).Elem(), "", func(path string, f reflect.StructField, v reflect.Value) {
		tbl, key := "", path
		if i := strings.LastIndex(path, "."); i >= 0 {
			tbl, key = path[:i], path[i+1:]
		}
		if tbl != table {
			// A table whose path ends in an index is an element of an array
			// of tables ([[shock]], [[policy.mexico]]); one inside it
			// (policy.aid[1].SV) is the latest element's ([policy.aid.SV]).
			table = tbl
			if strings.HasSuffix(tbl, "]") {
				fmt.Fprintf(&b, "\n[[%s]]\n", indexes.ReplaceAllString(tbl, ""))
			} else {
				fmt.Fprintf(&b, "\n[%s]\n", indexes.ReplaceAllString(tbl, ""))
			}
		}
		line := key + " = " + tomlValue(v)
		if note := describeKey(f); note != "" {
			line = fmt.Sprintf("%-44s # %s", line, note)
		}
		b.WriteString(line + "\n")
	})
	return strings.TrimPrefix(b.String(), "\n")
}

var indexes = regexp.MustCompile(`\[[0-9]+\]`)

// describeKey is "unit, range" for a field, for comments and listings.
func describeKey(f reflect.StructField) string {
	unit := f.Tag.Get("unit")
	if lo, hi := f.Tag.Get("min"), f.Tag.Get("max"); lo != "" && hi != "" {
		if unit != "" {
			return fmt.Sprintf("%s, %s to %s", unit, lo, hi)
		}
		return fmt.Sprintf("%s to %s", lo, hi)
	}
	return unit
}
