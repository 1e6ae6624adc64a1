package scenarios

import (
	"errors"
	"fmt"
	"strings"
)

// ParseVary parses KEY=V1,V2,... (compare --vary, calibrate --vary): a
// number key and two or more distinct values in the form Apply takes. An
// empty string is no key.
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
