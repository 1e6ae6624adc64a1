package calibrate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

// CheckpointFile is the name of the checkpoint 'migrasim calibrate' keeps in
// its output folder.
const CheckpointFile = "checkpoint.jsonl"

// Limits on a checkpoint file, checked before and while it is read.
const (
	// MaxCheckpointFile is the largest checkpoint ReadCheckpoint reads, in
	// bytes: 512 MiB, room for about 800,000 runs of 28 keys (some 650
	// bytes a run; the default calibration's 500 runs take about 330 KB).
	MaxCheckpointFile = 512 << 20
	// maxCheckpointLine is the longest line of a checkpoint, in bytes.
	maxCheckpointLine = 1 << 20
)

// checkpointFormat is the first key of a checkpoint's header line; it
// changes when the format does.
const checkpointFormat = "migrasim calibrate checkpoint 1"

// Checkpoint is the completed work of an interrupted calibration: its
// header, which says what calculation it belongs to, and every model run
// finished so far, in the order the search asked for them.
//
// A calibration is a deterministic function of its inputs and of the
// distances of the runs it has made, so the runs are enough to re-derive
// every other part of its state (an SMC population, its weights, tolerance
// and generation, the generator's state, a Nelder–Mead simplex): a resumed
// calibration repeats the search, taking each run it asks for from the
// checkpoint instead of the model, until the checkpoint is spent.
//
// The file is JSON lines: a header object, then one object per run
// ({"method":"smc 2","distance":0.31,"x":[...]}); numbers are written in
// full (shortest round-trip form), and infinite distances as "+Inf".
type Checkpoint struct {
	Header CheckpointHeader
	Runs   []Sample
	// File names where the checkpoint was read from, for messages.
	File string
}

// CheckpointHeader is the first line of a checkpoint: what calculation it
// belongs to.
type CheckpointHeader struct {
	Format string `json:"format"`
	// Engine is sim.Version; SpecSHA256 hashes the spec (with its resolved
	// scenario and the embedded data) and TargetsSHA256 the targets.
	Engine        string           `json:"engine"`
	SpecSHA256    string           `json:"spec_sha256"`
	TargetsSHA256 string           `json:"targets_sha256"`
	Seed          uint64           `json:"seed"`
	DesignSeed    uint64           `json:"design_seed"`
	Method        string           `json:"method"`
	Budget        int              `json:"budget"`
	Population    int              `json:"population"`
	Accept        float64          `json:"accept"`
	Profiles      []ProfileRequest `json:"profiles"`
	ProfileBudget int              `json:"profile_budget"`
	Keys          []string         `json:"keys"`
	// Runs is how many runs follow the header; Stage is the method of the
	// last of them (such as "smc 3"), for people.
	Runs  int    `json:"runs"`
	Stage string `json:"stage"`
}

// checkpointHeader is the header of a checkpoint of cfg, without the runs.
func checkpointHeader(cfg Config) CheckpointHeader {
	keys := cfg.Spec.Keys()
	profiles := cfg.Profiles
	if profiles == nil {
		profiles = []ProfileRequest{}
	}
	return CheckpointHeader{Format: checkpointFormat, Engine: sim.Version, SpecSHA256: specHash(cfg.Spec),
		TargetsSHA256: targetsHash(cfg.Targets), Seed: cfg.Spec.Seed, DesignSeed: cfg.Spec.DesignSeed,
		Method: cfg.Method, Budget: cfg.Budget, Population: cfg.Population, Accept: cfg.Accept, Profiles: profiles,
		ProfileBudget: cfg.ProfileBudget, Keys: keys}
}

// specHash is the hex SHA-256 of everything in a spec that changes a run:
// its settings and priors, the resolved scenario and the embedded data.
func specHash(spec *Spec) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%q %d %x %d %d %d %q\n", spec.Scenario, spec.FitTo, math.Float64bits(spec.Scale),
		spec.Replicates, spec.Seed, spec.DesignSeed, spec.Objective)
	for _, p := range spec.Priors {
		fmt.Fprintf(&b, "%q %x %x\n", p.Key, math.Float64bits(p.Low), math.Float64bits(p.High))
	}
	return results.Hash(b.Bytes(), []byte(scenarios.Format(spec.Base)), scenarios.DataHash())
}

// targetsHash is the hex SHA-256 of the targets, every value exactly.
func targetsHash(targets []Target) string {
	var b bytes.Buffer
	for _, t := range targets {
		fmt.Fprintf(&b, "%q %d %t %q %d %x %x %q\n", t.Name, t.Country, t.All, t.YearType, t.Year,
			math.Float64bits(t.Observed), math.Float64bits(t.Weight), t.Source)
	}
	return results.Hash(b.Bytes())
}

// Match says whether the checkpoint belongs to the calculation cfg asks
// for; the error names the first setting that differs.
func (c *Checkpoint) Match(cfg Config) error {
	h, want := c.Header, checkpointHeader(cfg)
	differ := func(what string, got, now any) error {
		return fmt.Errorf("%s:1: %s: the checkpoint was written for %v, this calibration has %v: "+
			"run without --resume to start again (the checkpoint is then replaced)", c.File, what, got, now)
	}
	switch {
	case h.Engine != want.Engine:
		return differ("engine", h.Engine, want.Engine)
	case h.Method != want.Method:
		return differ("method", h.Method, want.Method)
	case h.Seed != want.Seed:
		return differ("seed", h.Seed, want.Seed)
	case h.DesignSeed != want.DesignSeed:
		return differ("design_seed", h.DesignSeed, want.DesignSeed)
	case h.Budget != want.Budget:
		return differ("budget", h.Budget, want.Budget)
	case h.Population != want.Population:
		return differ("population", h.Population, want.Population)
	case h.Accept != want.Accept:
		return differ("accept", h.Accept, want.Accept)
	case !slices.Equal(h.Keys, want.Keys):
		return differ("keys", h.Keys, want.Keys)
	case h.SpecSHA256 != want.SpecSHA256:
		return differ("spec_sha256", "another spec ("+h.SpecSHA256[:min(12, len(h.SpecSHA256))]+"…)",
			"this one ("+want.SpecSHA256[:12]+"…)")
	case h.TargetsSHA256 != want.TargetsSHA256:
		return differ("targets_sha256", "other targets ("+h.TargetsSHA256[:min(12, len(h.TargetsSHA256))]+"…)",
			"these ("+want.TargetsSHA256[:12]+"…)")
	case h.ProfileBudget != want.ProfileBudget:
		return differ("profile_budget", h.ProfileBudget, want.ProfileBudget)
	case !slices.EqualFunc(h.Profiles, want.Profiles, func(a, b ProfileRequest) bool {
		return a.Key == b.Key && slices.Equal(a.Values, b.Values)
	}):
		return differ("profiles", h.Profiles, want.Profiles)
	}
	return nil
}

// writeCheckpoint writes the checkpoint of runs to path atomically (a
// temporary file in the same folder, renamed into place), making the
// folder if need be.
func writeCheckpoint(path string, h CheckpointHeader, runs []Sample) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	h.Runs = len(runs)
	if len(runs) > 0 {
		h.Stage = runs[len(runs)-1].Method
	}
	_, err := results.WriteAtomic(path, func(w io.Writer) error {
		b, err := json.Marshal(h)
		if err != nil {
			return err
		}
		buf := append(b, '\n')
		for _, s := range runs {
			buf = append(buf, `{"method":`...)
			buf = strconv.AppendQuote(buf, s.Method)
			buf = append(buf, `,"distance":`...)
			buf = appendNumber(buf, s.Distance)
			buf = append(buf, `,"x":[`...)
			for j, v := range s.X {
				if j > 0 {
					buf = append(buf, ',')
				}
				buf = appendNumber(buf, v)
			}
			buf = append(buf, "]}\n"...)
			if len(buf) > 1<<16 {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
		_, err = w.Write(buf)
		return err
	})
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// RemoveCheckpoint removes the checkpoint at path, if there is one, and
// the temporary files that writers of it killed before they finished
// (SIGKILL, a power cut) left beside it.
func RemoveCheckpoint(path string) error {
	stale, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*"))
	for _, f := range stale {
		os.Remove(f)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// number is a float64 in a checkpoint: a JSON number, or the string
// "+Inf", "-Inf" or "NaN", which JSON has no number for.
type number float64

// appendNumber appends v as a checkpoint number.
func appendNumber(buf []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.AppendQuote(buf, strconv.FormatFloat(v, 'g', -1, 64))
	}
	return strconv.AppendFloat(buf, v, 'g', -1, 64)
}

func (n *number) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		switch s {
		case "+Inf", "-Inf", "NaN":
			v, _ := strconv.ParseFloat(s, 64)
			*n = number(v)
			return nil
		}
		return fmt.Errorf("%q: want a number, \"+Inf\", \"-Inf\" or \"NaN\"", s)
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("%s: want a number", b)
	}
	*n = number(v)
	return nil
}

// checkpointRun is one run's line in a checkpoint.
type checkpointRun struct {
	Method   *string  `json:"method"`
	Distance *number  `json:"distance"`
	X        []number `json:"x"`
}

// ReadCheckpoint reads a checkpoint file (at most MaxCheckpointFile bytes).
// Errors give file:line: key: message; a missing file gives an error that
// wraps fs.ErrNotExist.
func ReadCheckpoint(path string) (*Checkpoint, error) {
	b, err := scenarios.ReadFile(path, MaxCheckpointFile)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return ParseCheckpoint(path, b)
}

// ParseCheckpoint parses the text of a checkpoint; file names it in errors.
// See ReadCheckpoint.
func ParseCheckpoint(file string, text []byte) (*Checkpoint, error) {
	c := &Checkpoint{File: file}
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(nil, maxCheckpointLine)
	line := 0
	bad := func(key, format string, args ...any) error {
		if key != "" {
			key += ": "
		}
		return fmt.Errorf("%s:%d: %s%s: the checkpoint is damaged; run without --resume to start again",
			file, line, key, fmt.Sprintf(format, args...))
	}
	for sc.Scan() {
		line++
		if line == 1 {
			if err := decodeLine(sc.Bytes(), &c.Header); err != nil {
				return nil, bad("", "header: %v", err)
			}
			if c.Header.Format != checkpointFormat {
				return nil, bad("format", "%q: not a checkpoint of this version of migrasim calibrate (want %q)", c.Header.Format, checkpointFormat)
			}
			if c.Header.Runs < 0 || c.Header.Runs > MaxCheckpointFile/8 {
				return nil, bad("runs", "%d: want 0 to %d", c.Header.Runs, MaxCheckpointFile/8)
			}
			c.Runs = make([]Sample, 0, c.Header.Runs)
			continue
		}
		var r checkpointRun
		if err := decodeLine(sc.Bytes(), &r); err != nil {
			return nil, bad("", "%v", err)
		}
		switch {
		case r.Method == nil || *r.Method == "":
			return nil, bad("method", "missing")
		case r.Distance == nil:
			return nil, bad("distance", "missing")
		case len(r.X) != len(c.Header.Keys) && !(strings.HasPrefix(*r.Method, "profile ") && len(r.X) == len(c.Header.Keys)-1):
			// A profile point's runs hold every key but the one held.
			return nil, bad("x", "%d values, want one per key of the header (%d)", len(r.X), len(c.Header.Keys))
		case len(c.Runs) == c.Header.Runs:
			return nil, bad("", "more runs than the header's %d", c.Header.Runs)
		}
		x := make([]float64, len(r.X))
		for j, v := range r.X {
			if x[j] = float64(v); math.IsNaN(x[j]) || math.IsInf(x[j], 0) {
				return nil, bad("x", "value %d: want a finite number", j+1)
			}
		}
		c.Runs = append(c.Runs, Sample{X: x, Distance: float64(*r.Distance), Method: *r.Method})
	}
	if err := sc.Err(); err != nil {
		line++
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, bad("", "a line longer than %d bytes", maxCheckpointLine)
		}
		return nil, bad("", "%v", err)
	}
	if line == 0 {
		return nil, fmt.Errorf("%s: empty: the checkpoint is damaged; run without --resume to start again", file)
	}
	if len(c.Runs) != c.Header.Runs {
		return nil, bad("", "%d runs, but the header says %d", len(c.Runs), c.Header.Runs)
	}
	return c, nil
}

// decodeLine decodes one JSON object, refusing unknown keys and anything
// after it; errors name the key where the decoder can tell it.
func decodeLine(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return fmt.Errorf("%s: want a %s, got a JSON %s", te.Field, te.Type, te.Value)
	case errors.As(err, &se):
		return fmt.Errorf("column %d: %v", se.Offset, se)
	case errors.Is(err, io.EOF):
		return errors.New("empty line, want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the JSON object is cut short")
	case err != nil:
		return errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return fmt.Errorf("column %d: more after the JSON object", dec.InputOffset()+1)
	}
	return nil
}
