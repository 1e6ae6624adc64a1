package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"migrasim/calibrate"
	"migrasim/results"
	"migrasim/scenarios"
)

func init() {
	register(command{
		name:    "calibrate",
		usage:   "[--spec NAME|FILE] [--targets FILE] [--budget N] [--method abc|smc|nelder-mead|both|none] [--accept F] [--out DIR [--force]] [--resume]",
		summary: "fit parameters to the historical data by ABC (rejection or SMC) and/or Nelder-Mead; write the fit report",
		run:     runCalibrate,
	})
}

func runCalibrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(find("calibrate"), e, details("calibrate"))
	specName := fs.String("spec", "default", "calibration spec: an embedded name or a file")
	targetsFile := fs.String("targets", "", "targets CSV (default: the embedded data/calibration_targets.csv)")
	budget := fs.Int("budget", 500, "model runs to spend")
	method := fs.String("method", "smc", "abc, smc, nelder-mead, both, or none (report the fit of the defaults)")
	accept := fs.Float64("accept", 0.05, "ABC: share of draws accepted into the posterior")
	workers := fs.Int("workers", 0, "goroutines (default: all cores); never changes results")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	out := fs.String("out", filepath.Join("out", "calibrate"), "output folder")
	force := fs.Bool("force", false, "replace a result already in the output folder (without it, such a folder is refused)")
	var profiles []calibrate.ProfileRequest
	fs.Func("profile", "after the search, the profile of the objective along a fitted key: KEY=V1,V2,... (repeatable)", func(s string) error {
		key, values, err := scenarios.ParseVary(s)
		if err == nil {
			profiles = append(profiles, calibrate.ProfileRequest{Key: key, Values: toFloats(values)})
		}
		return err
	})
	profileBudget := fs.Int("profile-budget", 100, "runs to refit the other keys at each profile point")
	resume := fs.Bool("resume", false, "pick up from the checkpoint an interrupted run left in --out (without it, the checkpoint is replaced)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("calibrate: takes no arguments, got %v", pos)
	}
	if err := scenarios.CheckWorkers("--workers", *workers); err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	if *workers == 0 {
		*workers = runtime.GOMAXPROCS(0)
	}
	cfg := calibrate.Config{Method: *method, Budget: *budget, Accept: *accept, Workers: *workers, Facts: true,
		Profiles: profiles, ProfileBudget: *profileBudget}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if err := results.CheckDir(*out, *force); err != nil {
		return err
	}
	spec, err := calibrate.LoadSpec(*specName)
	if err != nil {
		return err
	}
	targets, err := calibrate.Targets()
	if *targetsFile != "" {
		targets, err = calibrate.LoadTargets(*targetsFile)
	}
	if err != nil {
		return err
	}
	cfg.Spec, cfg.Targets = spec, targets
	cfg.Checkpoint, cfg.Resume = filepath.Join(*out, calibrate.CheckpointFile), *resume
	if err := checkResume(e, cfg); err != nil {
		return err
	}
	start := time.Now()
	bar := newProgress(e, "calibrate", "calibrate", *quiet)
	cfg.Progress = bar.update
	res, err := calibrate.Run(ctx, cfg)
	if err := bar.done(ctx, err); err != nil {
		return kept(err, cfg)
	}
	if res.Resumed > 0 {
		fmt.Fprintf(e.stderr, "calibrate: took %d runs from %s\n", res.Resumed, cfg.Checkpoint)
	}
	wall := time.Since(start)
	// The manifest records the run behind fit.csv: the spec's settings
	// (seed, scale, months) with the fitted values and five times the
	// replicates; fitted.toml is the spec's scenario as written.
	m := newManifest(e, res.Check, *workers, wall)
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
	if err := writeSet(ctx, *out, outputs, m); err != nil {
		return err
	}
	// The results hold everything the checkpoint did.
	if err := calibrate.RemoveCheckpoint(cfg.Checkpoint); err != nil {
		fmt.Fprintf(e.stderr, "warning: calibrate: %v\n", err)
	}
	res.WriteReport(e.stdout, wall.Seconds())
	fmt.Fprintf(e.stdout, "\nwrote %s (fitted.toml, posterior.csv, particles.csv, samples.csv, fit.csv, manifest.json)\n", *out)
	return nil
}

// checkResume checks, before any run, that the checkpoint --resume will
// pick up from belongs to this calibration, and says when there is none.
func checkResume(e *env, cfg calibrate.Config) error {
	if !cfg.Resume {
		return nil
	}
	c, err := calibrate.ReadCheckpoint(cfg.Checkpoint)
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(e.stderr, "calibrate: no checkpoint at %s: starting from the beginning\n", cfg.Checkpoint)
		return nil
	}
	if err != nil {
		return err
	}
	return c.Match(cfg)
}

// kept is the error of an interrupted calibration: it says how to resume
// when a checkpoint of this calibration is there to resume from.
func kept(err error, cfg calibrate.Config) error {
	if !errors.Is(err, errInterrupted) {
		return err
	}
	c, cerr := calibrate.ReadCheckpoint(cfg.Checkpoint)
	if cerr != nil || c.Match(cfg) != nil || c.Header.Runs == 0 {
		return err
	}
	return fmt.Errorf("%w: %s keeps %d finished runs (up to %s); run the same command with --resume to pick up from there",
		errInterrupted, cfg.Checkpoint, c.Header.Runs, c.Header.Stage)
}

// toFloats converts parsed number values to float64.
func toFloats(values []any) []float64 {
	out := make([]float64, len(values))
	for i, v := range values {
		out[i] = scenarios.Float(v)
	}
	return out
}
