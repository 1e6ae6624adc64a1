package sweep

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"migrasim/results"
	"os"
	"path/filepath"
)

// A sweep folder holds a planned sweep, the results of its tasks and their
// merge. Every file in it is written atomically.
//
//	sweep.json    the plan's header (PlanHeader); written last, so a folder
//	              without it holds no complete plan
//	base.toml     the resolved scenario every run starts from
//	b.toml        a comparison sweep's scenario B, resolved (base.toml is A)
//	plan.jsonl    the manifest of runs: one JSON object (PlanRun) per line
//	tasks/        per task I of N: task-I-of-N.runs (results, appended) and
//	              task-I-of-N.status (its status log, rewritten atomically)
//	slurm/        sbatch scripts and the logs of their jobs
//	merged/       series.csv, summary.csv, runs.csv and manifest.json
const (
	PlanHeaderFile = "sweep.json"
	PlanBaseFile   = "base.toml"
	PlanBFile      = "b.toml"
	PlanRunsFile   = "plan.jsonl"
	TasksDir       = "tasks"
)

// planFormat is the version of the folder's layout and file formats.
const planFormat = 1

// MaxRuns is the most runs a plan may hold: its plan.jsonl, read whole by
// every task, stays within a few hundred megabytes.
const MaxRuns = 1_000_000

// MaxPlanLine is the longest line of plan.jsonl, in bytes: a plan whose
// values would make a longer one is refused when it is made, not when it
// is read.
const MaxPlanLine = 64 << 10

// PlanHeader describes a planned sweep.
type PlanHeader struct {
	Format     int      `json:"format"`
	Sweep      string   `json:"sweep"`          // the sweep's name
	Spec       string   `json:"spec"`           // the spec it was planned from
	Engine     string   `json:"engine_version"` // sim.Version of the planning binary
	Arch       string   `json:"goarch"`         // GOARCH of the planning binary, for the record: the engine rounds explicitly, so results do not depend on it
	DataHash   string   `json:"data_sha256"`    // of the embedded data the runs use
	Keys       []string `json:"keys"`           // swept keys, the order of every run's params
	Points     int      `json:"points"`
	Replicates int      `json:"replicates"` // of each point
	Runs       int      `json:"runs"`
	Seeds      string   `json:"seeds"` // "common" or "independent"
	// Design is "saltelli" when the points are a Saltelli sample of
	// SaltelliN base points in the row order of design.Saltelli.Rows (A,
	// B, then AB_0…AB_{d−1}, d the number of keys); empty for any other
	// design, so older headers read the same.
	Design    string   `json:"design,omitempty"`
	SaltelliN int      `json:"saltelli_n,omitempty"`
	BaseHash  string   `json:"base_sha256"`
	PlanHash  string   `json:"plan_sha256"`
	Command   []string `json:"command"`

	// Kind is KindCompare or KindPosterior for a sweep of paired
	// comparisons, whose runs are each one design point (or posterior
	// draw) of A and B over every replicate; empty for a sweep of runs.
	// The fields below are empty unless Kind is set, so older headers read
	// the same.
	Kind    string   `json:"kind,omitempty"`
	Compare []string `json:"compare,omitempty"` // the names of A and B
	// From and To bound the policy window (YYYY-MM, inclusive) over which
	// the differences are measured.
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
	BHash string `json:"b_sha256,omitempty"` // of b.toml
	// Posterior is the particles file of a posterior sweep, as an absolute
	// path, and PosteriorHash its SHA-256: runs and merges refuse a file
	// that has changed. Draws is the number of posterior draws.
	Posterior     string `json:"posterior,omitempty"`
	PosteriorHash string `json:"posterior_sha256,omitempty"`
	Draws         int    `json:"draws,omitempty"`
}

// Kinds of sweep (PlanHeader.Kind, Spec.Kind).
const (
	// KindRuns is a sweep of runs: one replicate of one design point each.
	KindRuns = ""
	// KindCompare is a comparison sweep: each run sets a design point's keys
	// on scenarios A and B, runs them paired over every replicate, and
	// records B − A over the policy window per country and metric.
	KindCompare = "compare"
	// KindPosterior is a posterior comparison as a sweep: each run is one
	// draw of a PosteriorComparison, recording its results.Draw.
	KindPosterior = "posterior"
)

// ID identifies the plan and the engine its runs are made with: a hash of
// the base scenario, the runs, the engine version and the data. Every task
// status line records it, so results of another plan (an earlier plan in
// the same folder, or another engine) are never taken for this one's.
func (h *PlanHeader) ID() string {
	id := fmt.Sprintf("format %d\nbase %s\nruns %s\nengine %s\ndata %s\n", h.Format, h.BaseHash, h.PlanHash, h.Engine, h.DataHash)
	if h.Kind != KindRuns {
		id += fmt.Sprintf("kind %s\ncompare %q\nwindow %s %s\nb %s\nposterior %s\ndraws %d\nreplicates %d\n",
			h.Kind, h.Compare, h.From, h.To, h.BHash, h.PosteriorHash, h.Draws, h.Replicates)
	}
	return sha256Hex([]byte(id))
}

// PlanRun is one line of plan.jsonl: a run and everything that defines it
// besides base.toml.
type PlanRun struct {
	Run       int         `json:"run"`       // index in the plan, from 0
	Point     int         `json:"point"`     // design point
	Replicate int         `json:"replicate"` // its random streams derive from (Seed, Replicate)
	Scenario  string      `json:"scenario"`  // the point's scenario name, the scenario column of series.csv
	Seed      uint64      `json:"seed"`      // the point's root seed
	Params    ParamValues `json:"params"`    // the swept keys' values, in the header's key order
	// Particle is, in a posterior sweep, the row (from 0) of the particle
	// the draw runs; its keys' values are Params.
	Particle *int `json:"particle,omitempty"`
}

// ParamValue is one swept key's value, as JSON.
type ParamValue struct {
	Key   string
	Value json.RawMessage
}

// ParamValues is a JSON object whose keys keep their order.
type ParamValues []ParamValue

// MarshalJSON writes the values as one object, keys in order.
func (ps ParamValues) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.Key)
		b.Write(k)
		b.WriteByte(':')
		b.Write(p.Value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads an object, keeping the order of its keys.
func (ps *ParamValues) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return errors.New("params: want an object")
	}
	*ps = nil
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err
		}
		*ps = append(*ps, ParamValue{Key: t.(string), Value: v})
	}
	_, err := dec.Token()
	return err
}

// Plan is a planned sweep read back from its folder.
type Plan struct {
	Dir    string
	Header PlanHeader
	Base   []byte // base.toml
	B      []byte // b.toml, in a comparison sweep
	Runs   []PlanRun
}

// ErrSamePlan is returned by WritePlan when the folder already holds the
// same plan: nothing is rewritten, and results already there stay valid.
var ErrSamePlan = errors.New("the folder already holds this plan")

// WritePlan writes a plan into dir: base.toml (and, for a comparison
// sweep, b, B's scenario, to b.toml), plan.jsonl, then sweep.json. It
// refuses a folder that holds a different plan, whose results would no
// longer match it.
func WritePlan(dir string, h *PlanHeader, base []byte, runs []PlanRun, b ...[]byte) error {
	var lines bytes.Buffer
	enc := json.NewEncoder(&lines)
	for i := range runs {
		before := lines.Len()
		if err := enc.Encode(&runs[i]); err != nil {
			return fmt.Errorf("plan: run %d: %w", runs[i].Run, err)
		}
		if n := lines.Len() - before; n > MaxPlanLine {
			return fmt.Errorf("plan: run %d is %d bytes as a line of %s, more than %d: shorten the values of its design point", runs[i].Run, n, PlanRunsFile, MaxPlanLine)
		}
	}
	h.Format = planFormat
	h.BaseHash = sha256Hex(base)
	h.PlanHash = sha256Hex(lines.Bytes())
	if h.Kind != KindRuns {
		if len(b) != 1 {
			return fmt.Errorf("plan: a %s sweep needs scenario B's text", h.Kind)
		}
		h.BHash = sha256Hex(b[0])
	}
	if old, err := readHeader(dir); err == nil {
		if old.PlanHash == h.PlanHash && old.BaseHash == h.BaseHash && old.Kind == h.Kind && old.BHash == h.BHash &&
			old.PosteriorHash == h.PosteriorHash && old.From == h.From && old.To == h.To {
			return ErrSamePlan
		}
		return fmt.Errorf("%s already holds a different plan (sweep %s, %d runs): plan into a new folder, or remove it first", dir, old.Sweep, old.Runs)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := checkNoOtherResults(dir, h.ID()); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	if _, err := results.WriteAtomic(filepath.Join(dir, PlanBaseFile), func(w io.Writer) error { _, err := w.Write(base); return err }); err != nil {
		return err
	}
	if h.Kind != KindRuns {
		if _, err := results.WriteAtomic(filepath.Join(dir, PlanBFile), func(w io.Writer) error { _, err := w.Write(b[0]); return err }); err != nil {
			return err
		}
	}
	if _, err := results.WriteAtomic(filepath.Join(dir, PlanRunsFile), func(w io.Writer) error { _, err := w.Write(lines.Bytes()); return err }); err != nil {
		return err
	}
	_, err := results.WriteAtomic(filepath.Join(dir, PlanHeaderFile), func(w io.Writer) error {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(h)
	})
	return err
}

// checkNoOtherResults refuses to plan into a folder whose tasks/ holds
// results that are not this plan's: they would be skipped and merged as if
// they were.
func checkNoOtherResults(dir, id string) error {
	statuses, err := ReadStatuses(dir)
	if err != nil {
		return fmt.Errorf("%w; or plan into a new folder", err)
	}
	for _, ts := range statuses {
		for _, st := range ts.Runs {
			if st.Plan != id {
				return fmt.Errorf("%s holds results of another plan (%s): they would be taken for this plan's; remove %s first, or plan into a new folder",
					filepath.Join(dir, TasksDir), ts.Name, filepath.Join(dir, TasksDir))
			}
		}
	}
	return nil
}

func readHeader(dir string) (*PlanHeader, error) {
	path := filepath.Join(dir, PlanHeaderFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var h PlanHeader
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if h.Format != planFormat {
		return nil, fmt.Errorf("%s: format %d, this migrasim reads format %d", path, h.Format, planFormat)
	}
	return &h, nil
}

// ReadPlan reads the plan in dir and checks that its files are the ones
// planned (their SHA-256 against the header's).
func ReadPlan(dir string) (*Plan, error) {
	h, err := readHeader(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: no sweep plan here (no %s); make one with 'migrasim sweep plan SPEC --out %s'", dir, PlanHeaderFile, dir)
	}
	if err != nil {
		return nil, err
	}
	pl := &Plan{Dir: dir, Header: *h}
	if pl.Base, err = os.ReadFile(filepath.Join(dir, PlanBaseFile)); err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	if sha256Hex(pl.Base) != h.BaseHash {
		return nil, fmt.Errorf("%s: changed since it was planned (SHA-256 differs from %s); plan again into a new folder", filepath.Join(dir, PlanBaseFile), PlanHeaderFile)
	}
	if h.Kind != KindRuns {
		bpath := filepath.Join(dir, PlanBFile)
		if pl.B, err = os.ReadFile(bpath); err != nil {
			return nil, fmt.Errorf("plan: %w", err)
		}
		if sha256Hex(pl.B) != h.BHash {
			return nil, fmt.Errorf("%s: changed since it was planned (SHA-256 differs from %s); plan again into a new folder", bpath, PlanHeaderFile)
		}
	}
	path := filepath.Join(dir, PlanRunsFile)
	lines, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	if sha256Hex(lines) != h.PlanHash {
		return nil, fmt.Errorf("%s: changed since it was planned (SHA-256 differs from %s); plan again into a new folder", path, PlanHeaderFile)
	}
	sc := bufio.NewScanner(bytes.NewReader(lines))
	sc.Buffer(nil, MaxPlanLine+1)
	for n := 1; sc.Scan(); n++ {
		var r PlanRun
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if r.Run != len(pl.Runs) {
			return nil, fmt.Errorf("%s:%d: run %d, want %d (runs are numbered in order from 0)", path, n, r.Run, len(pl.Runs))
		}
		if len(r.Params) != len(h.Keys) {
			return nil, fmt.Errorf("%s:%d: %d params, want %d (%v)", path, n, len(r.Params), len(h.Keys), h.Keys)
		}
		pl.Runs = append(pl.Runs, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(pl.Runs) != h.Runs {
		return nil, fmt.Errorf("%s: %d runs, the header says %d", path, len(pl.Runs), h.Runs)
	}
	return pl, nil
}

// TaskRuns returns the runs of task i of n: runs i, i+n, i+2n, … Striding
// rather than cutting the plan in blocks spreads the costly corners of a
// design (long months, large multipliers) over all tasks. A posterior
// sweep's draws cost alike, and task i runs a contiguous block of them
// (Owner), so that any leading share of tasks is a sample of the posterior.
func (pl *Plan) TaskRuns(i, n int) []int {
	var out []int
	if pl.Header.Kind == KindPosterior {
		for r := i * len(pl.Runs) / n; r < (i+1)*len(pl.Runs)/n; r++ {
			out = append(out, r)
		}
		return out
	}
	for r := i; r < len(pl.Runs); r += n {
		out = append(out, r)
	}
	return out
}

// Owner returns the task, of n, that runs run r (see TaskRuns).
func (pl *Plan) Owner(r, n int) int {
	if pl.Header.Kind == KindPosterior {
		for i := n - 1; i > 0; i-- {
			if i*len(pl.Runs)/n <= r {
				return i
			}
		}
		return 0
	}
	return r % n
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
