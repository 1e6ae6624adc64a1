package calibrate

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"migrasim/scenarios"
	"migrasim/sim"
)

// Target is one observed number the model is fitted to: an observable (named
// as in Observables) for a country, or the three together (country "NT"),
// and a U.S. fiscal year (FY) or calendar year (CY).
type Target struct {
	Name     string
	Country  sim.Country
	All      bool   // the three countries together (NT); Country is then unused
	YearType string // "FY" or "CY"
	Year     int
	Observed float64
	Weight   float64
	Source   string // data file and metric the value comes from
}

// Targets returns the embedded calibration targets (data/calibration_targets.csv),
// with values read from the data files they name.
func Targets() ([]Target, error) {
	b, err := scenarios.DataFile("calibration_targets.csv")
	if err != nil {
		return nil, err
	}
	return readTargets("data/calibration_targets.csv", bytes.NewReader(b))
}

// LoadTargets reads targets from a CSV file with the columns
// target,country,year_type,year,weight,file,metric,value: each row gives its
// value, or names the embedded data file and metric to read it from. A row
// that gives its value may still name a file and metric: then they say
// which data it was derived from and by which bridge (the bridges are in
// scenarios/data/SOURCES.md), and are recorded in the target's Source.
func LoadTargets(path string) ([]Target, error) {
	b, err := scenarios.ReadFile(path, MaxTargetsSize)
	if err != nil {
		return nil, fmt.Errorf("targets %s: %w", path, err)
	}
	return readTargets(path, bytes.NewReader(b))
}

// Limits of a targets file.
const (
	// MaxTargetsSize is the largest targets file, in bytes.
	MaxTargetsSize = 4 << 20
	// MaxWeight is the largest weight of a target.
	MaxWeight = 100
	// MaxObserved is the largest observed count: more people than the
	// three countries hold.
	MaxObserved = 1e8
)

var targetColumns = []string{"target", "country", "year_type", "year", "weight", "file", "metric", "value"}

// readTargets reads a targets file; every problem is reported at once as
// file:line: column: message.
func readTargets(name string, r io.Reader) ([]Target, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: %v", name, pe.Line, pe.Err)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != strings.Join(targetColumns, ",") {
		return nil, fmt.Errorf("%s:1: want the header %s", name, strings.Join(targetColumns, ","))
	}
	if len(rows) == 1 {
		return nil, fmt.Errorf("%s: no targets: add rows below the header", name)
	}
	data := map[string][]scenarios.Record{}
	seen := map[string]int{}
	var out []Target
	var errs []string
	weighted := false
	for i, row := range rows[1:] {
		line := i + 2
		bad := func(col, format string, args ...any) {
			errs = append(errs, fmt.Sprintf("%s:%d: %s: %s", name, line, col, fmt.Sprintf(format, args...)))
		}
		if len(row) != len(targetColumns) {
			bad(targetColumns[min(len(row), len(targetColumns)-1)], "%d columns, want %d (%s)", len(row), len(targetColumns), strings.Join(targetColumns, ","))
			continue
		}
		key := strings.Join(row[:4], ",")
		if prev, ok := seen[key]; ok {
			bad("target", "repeats line %d (the same target, country, year_type and year)", prev)
			continue
		}
		seen[key] = line
		t := Target{Name: row[0], YearType: row[2]}
		if _, ok := Observables[t.Name]; !ok {
			bad("target", "%q: no such observable (known: %s)", t.Name, strings.Join(observableNames(), ", "))
		}
		var err error
		if row[1] == "NT" {
			t.All = true
		} else if t.Country, err = sim.ParseCountry(row[1]); err != nil {
			bad("country", "%v (or NT for the three together)", err)
		}
		if t.YearType != "FY" && t.YearType != "CY" {
			bad("year_type", "%q: want FY or CY", t.YearType)
		}
		if t.Year, err = strconv.Atoi(row[3]); err != nil || t.Year < scenarios.MinYear || t.Year > scenarios.MaxYear {
			bad("year", "%q: want a year from %d to %d", row[3], scenarios.MinYear, scenarios.MaxYear)
		}
		if t.Weight, err = strconv.ParseFloat(row[4], 64); err != nil || !(t.Weight >= 0 && t.Weight <= MaxWeight) {
			bad("weight", "%q: want a number from 0 to %d", row[4], MaxWeight)
		}
		weighted = weighted || t.Weight > 0
		switch {
		case row[7] != "":
			if t.Observed, err = strconv.ParseFloat(row[7], 64); err != nil || !(t.Observed >= 0 && t.Observed <= MaxObserved) {
				bad("value", "%q: want a count from 0 to %g", row[7], float64(MaxObserved))
			}
			t.Source = name
			if row[5] != "" && row[6] != "" {
				t.Source = fmt.Sprintf("%s %s from data/%s", name, row[6], row[5])
			}
		case row[5] == "" || row[6] == "":
			bad("value", "missing: give a value, or the data file and metric to read it from")
		default:
			if data[row[5]] == nil {
				if data[row[5]], err = scenarios.ReadData(row[5]); err != nil {
					bad("file", "%v", err)
					continue
				}
			}
			found := false
			for _, d := range data[row[5]] {
				if d["country"] == row[1] && d["year"] == row[3] && d["metric"] == row[6] && d["year_type"] == row[2] {
					if t.Observed, err = d.Value(); err == nil {
						found = true
					}
				}
			}
			if !found {
				bad("metric", "no %s %s%s value of %s in data/%s", row[1], row[2], row[3], row[6], row[5])
			}
			t.Source = "data/" + row[5] + " " + row[6]
		}
		out = append(out, t)
	}
	if len(errs) == 0 && !weighted {
		errs = append(errs, fmt.Sprintf("%s: every weight is 0: give at least one target a weight above 0", name))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return out, nil
}

// observableNames lists the observables, sorted.
func observableNames() []string {
	names := make([]string, 0, len(Observables))
	for n := range Observables {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Code is the target's country code: SV, HN, GT, or NT for the three together.
func (t Target) Code() string {
	if t.All {
		return "NT"
	}
	return t.Country.Code()
}
