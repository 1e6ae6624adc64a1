package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"migrasim/calibrate"
	"migrasim/results"
	"migrasim/scenarios"
)

// CalibrateRequest is what 'migrasim calibrate' was asked: the search
// (Config without Spec, Targets, Checkpoint and Progress, which Calibrate
// fills in), where the spec and targets come from, and the output folder.
type CalibrateRequest struct {
	Config  calibrate.Config
	Spec    string // an embedded spec's name or a file
	Targets string // a targets CSV; "" for the embedded targets
	Dir     string // output folder; it holds the checkpoint while the search runs
	Force   bool   // replace a result already in Dir
	Resume  bool   // pick up from the checkpoint in Dir
	// Scenario, when set, replaces the spec's scenario (Spec.UseScenario).
	Scenario string
	// Holds are keys held at a value instead of fitted (Spec.Hold).
	Holds []calibrate.Held
}

// Calibrate runs the calibration and writes fitted.toml, posterior.csv,
// particles.csv, samples.csv, fit.csv (and profile.csv) with the manifest,
// then the fit report to c.Stdout. The checkpoint it keeps in Dir while it
// runs is removed once the results hold everything it did.
func Calibrate(ctx context.Context, c *Console, req CalibrateRequest) error {
	cfg := req.Config
	if err := cfg.Validate(); err != nil {
		return err
	}
	if err := results.CheckDir(req.Dir, req.Force); err != nil {
		return err
	}
	spec, err := calibrate.LoadSpec(req.Spec)
	if err != nil {
		return err
	}
	if req.Scenario != "" {
		if err := spec.UseScenario(req.Scenario); err != nil {
			return fmt.Errorf("calibrate: %w", err)
		}
	}
	for _, h := range req.Holds {
		if err := spec.Hold(h.Key, h.Value); err != nil {
			return fmt.Errorf("calibrate: %w", err)
		}
	}
	targets, err := calibrate.Targets()
	if req.Targets != "" {
		targets, err = calibrate.LoadTargets(req.Targets)
	}
	if err != nil {
		return err
	}
	cfg.Spec, cfg.Targets = spec, targets
	cfg.Checkpoint, cfg.Resume = filepath.Join(req.Dir, calibrate.CheckpointFile), req.Resume
	if err := checkResume(c, cfg); err != nil {
		return err
	}
	start := time.Now()
	bar := c.progress("calibrate", "calibrate")
	cfg.Progress = bar.update
	res, err := calibrate.Run(ctx, cfg)
	if err := bar.done(ctx, err); err != nil {
		return kept(err, cfg)
	}
	if res.Resumed > 0 {
		fmt.Fprintf(c.Stderr, "calibrate: took %d runs from %s\n", res.Resumed, cfg.Checkpoint)
	}
	wall := time.Since(start)
	// The manifest records the run behind fit.csv: the spec's settings
	// (seed, scale, months) with the fitted values and five times the
	// replicates; fitted.toml is the spec's scenario as written.
	m := c.manifest(res.Check, cfg.Workers, wall)
	outputs := calibrationOutputs(res)
	if err := writeSet(ctx, req.Dir, outputs, m); err != nil {
		return err
	}
	// The results hold everything the checkpoint did.
	if err := calibrate.RemoveCheckpoint(cfg.Checkpoint); err != nil {
		fmt.Fprintf(c.Stderr, "warning: calibrate: %v\n", err)
	}
	res.WriteReport(c.Stdout, wall.Seconds())
	fmt.Fprintf(c.Stdout, "\n%s\n", wrote(req.Dir, outputs))
	return nil
}

// wrote is the line that names every file of a result set written to dir.
func wrote(dir string, outputs []results.Output) string {
	names := make([]string, 0, len(outputs)+1)
	for _, o := range outputs {
		names = append(names, o.Name)
	}
	return fmt.Sprintf("wrote %s (%s)", dir, strings.Join(append(names, results.ManifestFile), ", "))
}

// calibrationOutputs lists the files of a calibration's result set.
func calibrationOutputs(res *calibrate.Result) []results.Output {
	resolved := scenarios.Format(res.Fitted)
	outputs := []results.Output{
		{Name: "fitted.toml", Write: func(w io.Writer) error { return res.WriteFitted(w, resolved) }},
		{Name: "posterior.csv", Write: res.WritePosterior},
		{Name: "particles.csv", Write: res.WriteParticles},
		{Name: "samples.csv", Write: res.WriteSamples},
		{Name: "fit.csv", Write: func(w io.Writer) error { return calibrate.WriteFit(w, res.Fit) }},
	}
	if len(res.Profiles) > 0 {
		outputs = append(outputs, results.Output{Name: "profile.csv", Write: func(w io.Writer) error { return calibrate.WriteProfile(w, res.Profiles) }})
	}
	return outputs
}

// checkResume checks, before any run, that the checkpoint --resume will
// pick up from belongs to this calibration, and says when there is none.
func checkResume(c *Console, cfg calibrate.Config) error {
	if !cfg.Resume {
		return nil
	}
	cp, err := calibrate.ReadCheckpoint(cfg.Checkpoint)
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(c.Stderr, "calibrate: no checkpoint at %s: starting from the beginning\n", cfg.Checkpoint)
		return nil
	}
	if err != nil {
		return err
	}
	return cp.Match(cfg)
}

// kept is the error of an interrupted calibration: it says how to resume
// when a checkpoint of this calibration is there to resume from.
func kept(err error, cfg calibrate.Config) error {
	if !errors.Is(err, ErrInterrupted) {
		return err
	}
	cp, cerr := calibrate.ReadCheckpoint(cfg.Checkpoint)
	if cerr != nil || cp.Match(cfg) != nil || cp.Header.Runs == 0 {
		return err
	}
	return fmt.Errorf("%w: %s keeps %d finished runs (up to %s); run the same command with --resume to pick up from there",
		ErrInterrupted, cfg.Checkpoint, cp.Header.Runs, cp.Header.Stage)
}
