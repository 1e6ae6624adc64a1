package calibrate

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// outputs are every file a calibration's result gives, written out, so
// that two results can be compared byte for byte.
func outputs(t *testing.T, res *Result) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"posterior.csv": func(b *bytes.Buffer) error { return res.WritePosterior(b) },
		"particles.csv": func(b *bytes.Buffer) error { return res.WriteParticles(b) },
		"samples.csv":   func(b *bytes.Buffer) error { return res.WriteSamples(b) },
		"fit.csv":       func(b *bytes.Buffer) error { return WriteFit(b, res.Fit) },
		"profile.csv":   func(b *bytes.Buffer) error { return WriteProfile(b, res.Profiles) },
		"report":        func(b *bytes.Buffer) error { res.WriteReport(b, 0); return nil },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = b.Bytes()
	}
	return out
}

// A calibration stopped after a few batches and resumed from its checkpoint
// gives, byte for byte, what an uninterrupted one gives, and takes the
// checkpoint's runs instead of running them again: for SMC (stopped in
// its third generation), ABC-MCMC (in its second step, after its noise
// runs), rejection ABC (in its third batch of draws), and ABC then
// Nelder–Mead with a profile.
func TestResumeMatchesUninterrupted(t *testing.T) {
	spec, targets, _, _ := loadSynthetic(t)
	for _, tt := range []struct {
		method     string
		budget     int
		population int
		profiles   []ProfileRequest
		stopAt     int    // the Progress call that cancels the run
		runs       int    // the runs the checkpoint then holds
		stage      string // the method of its last run
	}{
		{"smc", 60, 20, nil, 35, 30, "smc 1"},
		{"mcmc", 40, 10, nil, 25, 19, "mcmc 1"},
		{"abc", 30, 0, nil, 25, 20, "abc"},
		{"both", 10, 0, []ProfileRequest{{Key: "decision.uac_share", Values: []float64{0.2}}}, 14, 10, "nelder-mead"},
	} {
		t.Run(tt.method, func(t *testing.T) {
			cfg := Config{Spec: spec, Targets: targets, Method: tt.method, Budget: tt.budget, Population: tt.population, Accept: 0.2, Workers: 2,
				Profiles: tt.profiles, ProfileBudget: 10}
			whole, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}

			cfg.Checkpoint = filepath.Join(t.TempDir(), CheckpointFile)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stopped := cfg
			calls := 0
			stopped.Progress = func(done, total int) {
				if calls++; calls == tt.stopAt {
					cancel()
				}
			}
			if _, err := Run(ctx, stopped); !errors.Is(err, context.Canceled) {
				t.Fatalf("stopped run: got %v, want context.Canceled", err)
			}
			c, err := ReadCheckpoint(cfg.Checkpoint)
			if err != nil {
				t.Fatal(err)
			}
			if c.Header.Runs != tt.runs || c.Header.Stage != tt.stage {
				t.Errorf("checkpoint holds %d runs up to %q, want %d up to %q", c.Header.Runs, c.Header.Stage, tt.runs, tt.stage)
			}

			cfg.Resume = true
			resumed, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if resumed.Resumed != c.Header.Runs || resumed.Resumed == 0 {
				t.Errorf("resumed run took %d runs from the checkpoint, want its %d", resumed.Resumed, c.Header.Runs)
			}
			want, got := outputs(t, whole), outputs(t, resumed)
			for name := range want {
				if !bytes.Equal(got[name], want[name]) {
					t.Errorf("%s differs after a resume:\n%s\nuninterrupted:\n%s", name, got[name], want[name])
				}
			}
			// The checkpoint a finished run leaves holds every search run.
			c, err = ReadCheckpoint(cfg.Checkpoint)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(whole.Samples) + 10*len(tt.profiles); c.Header.Runs != n {
				t.Errorf("finished checkpoint holds %d runs, want %d", c.Header.Runs, n)
			}
		})
	}
}

// A checkpoint is refused, before any run, by a calibration it was not
// written for, with an error that names the file and what differs; and
// runs that are not the ones the search asks for are refused too.
func TestCheckpointRefusesOtherInputs(t *testing.T) {
	spec, targets, _, _ := loadSynthetic(t)
	path := filepath.Join(t.TempDir(), CheckpointFile)
	cfg := Config{Spec: spec, Targets: targets, Method: "abc", Budget: 20, Accept: 0.2, Workers: 2, Checkpoint: path, Resume: true}
	x := spec.Design(19)[0]
	write := func(h CheckpointHeader, xs ...[]float64) {
		var runs []Sample
		for _, x := range xs {
			runs = append(runs, Sample{X: x, Distance: 0.5, Method: "abc"})
		}
		if err := writeCheckpoint(path, h, runs); err != nil {
			t.Fatal(err)
		}
	}
	otherSeed, otherDesign, otherPrior := *spec, *spec, *spec
	otherSeed.Seed++
	otherDesign.DesignSeed++
	otherPrior.Priors = append([]Prior(nil), spec.Priors...)
	otherPrior.Priors[1].High = 0.6
	otherTargets := append([]Target(nil), targets...)
	otherTargets[0].Observed++
	engine := checkpointHeader(cfg)
	engine.Engine = "0.0.1"
	with := func(change func(*Config)) CheckpointHeader {
		c := cfg
		change(&c)
		return checkpointHeader(c)
	}
	for _, tt := range []struct {
		name   string
		header CheckpointHeader
		want   string
	}{
		{"seed", with(func(c *Config) { c.Spec = &otherSeed }), ":1: seed: the checkpoint was written for 5, this calibration has 4"},
		{"design seed", with(func(c *Config) { c.Spec = &otherDesign }), ":1: design_seed: "},
		{"spec", with(func(c *Config) { c.Spec = &otherPrior }), ":1: spec_sha256: the checkpoint was written for another spec"},
		{"targets", with(func(c *Config) { c.Targets = otherTargets }), ":1: targets_sha256: the checkpoint was written for other targets"},
		{"method", with(func(c *Config) { c.Method = "smc" }), ":1: method: the checkpoint was written for smc, this calibration has abc"},
		{"budget", with(func(c *Config) { c.Budget = 30 }), ":1: budget: "},
		{"population", with(func(c *Config) { c.Population = 12 }), ":1: population: the checkpoint was written for 12, this calibration has 0"},
		{"engine", engine, ":1: engine: the checkpoint was written for 0.0.1"},
	} {
		write(tt.header, x)
		_, err := Run(context.Background(), cfg)
		if err == nil || !strings.Contains(err.Error(), path+tt.want) || !strings.Contains(err.Error(), "without --resume") {
			t.Errorf("%s: got %v, want %q", tt.name, err, path+tt.want)
		}
	}
	// The right header, but a run the search does not ask for.
	moved := append([]float64(nil), x...)
	moved[0] += 1e-12
	write(checkpointHeader(cfg), moved)
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), path+":2: run 1 is abc at") {
		t.Errorf("moved run: got %v", err)
	}
}

// A damaged checkpoint gives an error that names the file, the line and
// the key, and never a panic; so does one too large to read.
func TestCheckpointCorrupt(t *testing.T) {
	dir := t.TempDir()
	spec, targets, _, _ := loadSynthetic(t)
	cfg := Config{Spec: spec, Targets: targets, Method: "abc", Budget: 20, Accept: 0.2, Workers: 2}
	path := filepath.Join(dir, "good.jsonl")
	if err := writeCheckpoint(path, checkpointHeader(cfg), []Sample{{X: []float64{-11, 0.3}, Distance: 0.25, Method: "abc"}}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	header, run, _ := strings.Cut(string(b), "\n")
	for _, tt := range []struct {
		name, text, want string
	}{
		{"empty", "", "c.jsonl: empty"},
		{"not json", "hello\n", "c.jsonl:1: header: column 1: invalid character 'h'"},
		{"other format", `{"format":"something else"}` + "\n", `c.jsonl:1: format: "something else": not a checkpoint`},
		{"wrong type", strings.Replace(header, `"budget":20`, `"budget":"20"`, 1) + "\n", "c.jsonl:1: header: budget: want a int, got a JSON string"},
		{"unknown key", strings.Replace(header, `"budget":20`, `"budgets":20`, 1) + "\n", `c.jsonl:1: header: unknown field "budgets"`},
		{"cut short", header + "\n" + run[:len(run)-10], "c.jsonl:2: the JSON object is cut short"},
		{"missing run", header + "\n", "c.jsonl:1: 0 runs, but the header says 1"},
		{"extra run", header + "\n" + run + run, "c.jsonl:3: more runs than the header's 1"},
		{"too few values", header + "\n" + strings.Replace(run, ",0.3]", "]", 1), "c.jsonl:2: x: 1 values, want one per key"},
		{"no distance", header + "\n" + strings.Replace(run, `"distance":0.25,`, "", 1), "c.jsonl:2: distance: missing"},
		{"bad distance", header + "\n" + strings.Replace(run, `"distance":0.25`, `"distance":"far"`, 1), `c.jsonl:2: "far": want a number`},
		{"infinite value", header + "\n" + strings.Replace(run, "0.3]", `"+Inf"]`, 1), "c.jsonl:2: x: value 2: want a finite number"},
		{"trailing", header + "\n" + strings.Replace(run, "}\n", "} x\n", 1), "c.jsonl:2: column 48: more after the JSON object"},
		{"long line", header + "\n" + strings.Repeat(" ", maxCheckpointLine+1) + "\n", "c.jsonl:2: a line longer than"},
	} {
		file := filepath.Join(dir, "c.jsonl")
		os.WriteFile(file, []byte(tt.text), 0o644)
		_, err := ReadCheckpoint(file)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
		// Run refuses it the same way, before any run.
		cfg.Checkpoint, cfg.Resume = file, true
		if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Run: got %v, want %q", tt.name, err, tt.want)
		}
	}
	// Too large: a sparse file one byte over the limit is refused unread.
	huge := filepath.Join(dir, "huge.jsonl")
	if err := os.WriteFile(huge, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, MaxCheckpointFile+1); err != nil {
		t.Skip(err)
	}
	if _, err := ReadCheckpoint(huge); err == nil || !strings.Contains(err.Error(), "checkpoint "+huge+": the file is") {
		t.Errorf("huge: got %v", err)
	}
	// The good one reads back as written, an infinite distance included.
	if err := writeCheckpoint(path, checkpointHeader(cfg), []Sample{{X: []float64{-11, 0.3}, Distance: math.Inf(1), Method: "abc"}}); err != nil {
		t.Fatal(err)
	}
	c, err := ReadCheckpoint(path)
	if err != nil || len(c.Runs) != 1 || c.Runs[0].Distance != math.Inf(1) || c.Runs[0].X[1] != 0.3 {
		t.Errorf("round trip: %+v, %v", c, err)
	}
}

// ParseCheckpoint never panics, and what it accepts has as many runs as
// its header says, each with a value per key.
func FuzzParseCheckpoint(f *testing.F) {
	f.Add([]byte(`{"format":"migrasim calibrate checkpoint 1","keys":["a"],"runs":1}` + "\n" + `{"method":"abc","distance":"+Inf","x":[1]}` + "\n"))
	f.Add([]byte("{}\n{}\n"))
	f.Add([]byte(`{"format":"migrasim calibrate checkpoint 1","runs":-1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCheckpoint("f.jsonl", b)
		if err != nil {
			return
		}
		if len(c.Runs) != c.Header.Runs {
			t.Errorf("%d runs, header says %d", len(c.Runs), c.Header.Runs)
		}
		for _, r := range c.Runs {
			if len(r.X) != len(c.Header.Keys) {
				t.Errorf("%d values for %d keys", len(r.X), len(c.Header.Keys))
			}
		}
	})
}
