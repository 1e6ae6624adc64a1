package main

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"

	"migrasim/calibrate"
	"migrasim/report"
	"migrasim/scenarios"
)

func init() {
	register(command{
		name:    "calibrate",
		usage:   "[--spec NAME|FILE] [--targets FILE] [--budget N] [--method abc|smc|mcmc|nelder-mead|both|none] [--population N] [--accept F] [--out DIR [--force]] [--resume]",
		summary: "fit parameters to the historical data by ABC (rejection, SMC or MCMC) and/or Nelder-Mead; write the fit report",
		run:     runCalibrate,
	})
}

func runCalibrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(find("calibrate"), e, details("calibrate"))
	specName := fs.String("spec", "default", "calibration spec: an embedded name or a file")
	targetsFile := fs.String("targets", "", "targets CSV (default: the embedded data/calibration_targets.csv)")
	budget := fs.Int("budget", 500, "model runs to spend")
	population := fs.Int("population", 0, "with --method smc, the particles in each population (default: the budget / 5; fewer run more generations); with mcmc, the chains (default: the budget / 50)")
	method := fs.String("method", "smc", "abc, smc, mcmc, nelder-mead, both, or none (report the fit of the defaults)")
	accept := fs.Float64("accept", 0.05, "ABC: share of draws accepted into the posterior")
	workers := fs.Int("workers", 0, "goroutines (default: all cores); never changes results")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	out := fs.String("out", filepath.Join("out", "calibrate"), "output folder")
	force := fs.Bool("force", false, forceUsage)
	var profiles []calibrate.ProfileRequest
	fs.Func("profile", "after the search, the profile of the objective along a fitted key: KEY=V1,V2,... (repeatable)", func(s string) error {
		key, values, err := scenarios.ParseVary(s)
		if err == nil {
			profiles = append(profiles, calibrate.ProfileRequest{Key: key, Values: toFloats(values)})
		}
		return err
	})
	var holds []calibrate.Held
	fs.Func("hold", "hold a fitted key at a value instead of fitting it: KEY=V (repeatable); particles.csv carries it, so compare --posterior runs at it", func(s string) error {
		key, values, err := scenarios.ParseVary(s)
		if err == nil && len(values) != 1 {
			err = fmt.Errorf("%s: want one value, KEY=V", s)
		}
		if err == nil {
			holds = append(holds, calibrate.Held{Key: key, Value: scenarios.Float(values[0])})
		}
		return err
	})
	scenario := fs.String("scenario", "", "the scenario every candidate starts from, in place of the spec's (a library name or a file, such as an earlier calibration's fitted.toml)")
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
	cfg := calibrate.Config{Method: *method, Budget: *budget, Population: *population, Accept: *accept, Workers: *workers, Facts: true,
		Profiles: profiles, ProfileBudget: *profileBudget}
	return report.Calibrate(ctx, e.console(*quiet), report.CalibrateRequest{Config: cfg, Spec: *specName, Targets: *targetsFile,
		Dir: *out, Force: *force, Resume: *resume, Scenario: *scenario, Holds: holds})
}

// toFloats converts parsed number values to float64.
func toFloats(values []any) []float64 {
	out := make([]float64, len(values))
	for i, v := range values {
		out[i] = scenarios.Float(v)
	}
	return out
}
