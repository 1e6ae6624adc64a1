package sweep

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

// ResolveMeasures resolves what a comparison compares (compare --metrics):
// a comma-separated list of measure or metric names, "all", or, for "",
// the headline measures (results.CompareMeasures) and every metric that a
// policy lever in which the scenarios differ from the first acts on
// (scenarios.Touched).
func ResolveMeasures(list string, params []*sim.Params) ([]results.Measure, error) {
	switch list {
	case "all":
		return results.AllMeasures(), nil
	case "":
		out := slices.Clone(results.CompareMeasures)
		for _, x := range scenarios.Touched(params[0], params[1:]...) {
			if !slices.ContainsFunc(out, func(m results.Measure) bool { return m.Name == x.Name() }) {
				m, _ := results.MeasureNamed(x.Name())
				out = append(out, m)
			}
		}
		return out, nil
	}
	var out []results.Measure
	var errs []error
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		m, ok := results.MeasureNamed(name)
		switch {
		case !ok:
			msg := fmt.Sprintf("--metrics: %q is not a metric or measure", name)
			if c := scenarios.ClosestName(name, results.MeasureNames()); c != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", c)
			}
			errs = append(errs, errors.New(msg))
		case slices.ContainsFunc(out, func(o results.Measure) bool { return o.Name == name }):
			errs = append(errs, fmt.Errorf("--metrics: %s given twice", name))
		default:
			out = append(out, m)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(append(errs, errors.New("see 'migrasim help compare' for the names, or --metrics all"))...)
	}
	return out, nil
}

// Folder names the folder of a comparison of the named scenarios: the
// names joined by "-vs-", or, when that would be too long for a file name,
// the first name and how many others.
func Folder(names []string) string {
	if s := strings.Join(names, "-vs-"); len(s) <= 120 {
		return s
	}
	return fmt.Sprintf("%s-vs-%d-others", names[0], len(names)-1)
}
