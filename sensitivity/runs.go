package sensitivity

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"migrasim/sweep"
)

// Runs is a merged sweep's runs.csv: one row per run, its swept keys'
// values and its outcomes.
type Runs struct {
	Keys     []string // the swept keys, in column order
	Outcomes []string // COUNTRY_metric, or effect_COUNTRY_metric when Effect, in column order
	// Effect says the outcomes are paired differences B − A over a policy
	// window (a comparison sweep's runs.csv, sweep.EffectsHeader): an
	// outcome above zero means B raises it.
	Effect    bool
	Run       []int       // per run
	Point     []int       // per run: its design point
	Scenario  []string    // per run
	Replicate []int       // per run
	Seed      []uint64    // per run
	X         [][]float64 // per run, the keys' values
	Y         [][]float64 // per run, the outcomes; NA is NaN
}

// fixedRunsColumns is the number of columns of runs.csv before the keys.
const fixedRunsColumns = 5

// ReadRuns reads a merged sweep's runs.csv (sweep.RunsHeader describes its
// columns) from r; name is the file's name for errors, which say
// name:line. Every swept key must be numeric: a sensitivity analysis needs
// a number per key. It reads at most MaxPoints runs.
func ReadRuns(r io.Reader, name string) (*Runs, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading the header: %w", name, err)
	}
	outcomes := sweep.RunsHeader(nil)[fixedRunsColumns:]
	effects := sweep.EffectsHeader(nil)[fixedRunsColumns:]
	nk := len(head) - fixedRunsColumns - len(outcomes)
	effect := nk >= 0 && slices.Equal(head[len(head)-len(effects):], effects)
	if effect {
		outcomes = effects
	}
	if nk < 0 || !slices.Equal(head[:fixedRunsColumns], sweep.RunsHeader(nil)[:fixedRunsColumns]) ||
		!slices.Equal(head[len(head)-len(outcomes):], outcomes) {
		return nil, fmt.Errorf("%s:1: not a merged sweep's runs.csv: want run,point,scenario,replicate,seed, the swept keys, then %s…%s (or, of a comparison sweep, %s…%s)",
			name, outcomes[0], outcomes[len(outcomes)-1], effects[0], effects[len(effects)-1])
	}
	if nk == 0 {
		return nil, fmt.Errorf("%s:1: the sweep varies no key, so there is nothing to attribute the outcomes to", name)
	}
	rs := &Runs{Keys: slices.Clone(head[fixedRunsColumns : fixedRunsColumns+nk]), Outcomes: outcomes, Effect: effect}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(rs.Run) == MaxPoints {
			return nil, fmt.Errorf("%s:%d: more than %d runs", name, line, MaxPoints)
		}
		if err := rs.add(rec); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
	if len(rs.Run) == 0 {
		return nil, fmt.Errorf("%s: no runs", name)
	}
	return rs, nil
}

// add appends one record of runs.csv.
func (rs *Runs) add(rec []string) error {
	ints := make([]int, 3)
	for i, c := range []int{0, 1, 3} {
		v, err := strconv.Atoi(rec[c])
		if err != nil {
			return fmt.Errorf("%s %q is not a whole number", sweep.RunsHeader(nil)[c], rec[c])
		}
		ints[i] = v
	}
	seed, err := strconv.ParseUint(rec[4], 10, 64)
	if err != nil {
		return fmt.Errorf("seed %q is not a whole number", rec[4])
	}
	x := make([]float64, len(rs.Keys))
	for j, key := range rs.Keys {
		v, err := strconv.ParseFloat(rec[fixedRunsColumns+j], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("key %s is %q, not a number; sensitivity needs numeric keys", key, rec[fixedRunsColumns+j])
		}
		x[j] = v
	}
	y := make([]float64, len(rs.Outcomes))
	for j, o := range rs.Outcomes {
		s := rec[fixedRunsColumns+len(rs.Keys)+j]
		if s == "NA" {
			y[j] = math.NaN()
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("outcome %s is %q, not a number or NA", o, s)
		}
		y[j] = v
	}
	rs.Run, rs.Point, rs.Replicate = append(rs.Run, ints[0]), append(rs.Point, ints[1]), append(rs.Replicate, ints[2])
	rs.Scenario, rs.Seed = append(rs.Scenario, rec[2]), append(rs.Seed, seed)
	rs.X, rs.Y = append(rs.X, x), append(rs.Y, y)
	return nil
}

// Outcome returns the column of the named outcome (such as
// "SV_departures_uac", or "effect_SV_departures_uac" when Effect) over the
// runs, or an error listing none.
func (rs *Runs) Outcome(name string) ([]float64, error) {
	j := slices.Index(rs.Outcomes, name)
	if j < 0 {
		return nil, fmt.Errorf("runs.csv has no outcome %q; it has columns such as %s", name, rs.Outcomes[0])
	}
	y := make([]float64, len(rs.Y))
	for k, row := range rs.Y {
		y[k] = row[j]
	}
	return y, nil
}
