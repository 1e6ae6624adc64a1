package calibrate

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WritePosterior writes posterior.csv: per fitted key, its prior, the best
// value and the summary of the accepted draws (NA without any).
func (r *Result) WritePosterior(w io.Writer) error {
	if _, err := fmt.Fprintln(w, "key,prior_low,prior_high,best,posterior_mean,posterior_sd,q05,q50,q95,accepted"); err != nil {
		return err
	}
	for j, p := range r.Config.Spec.Priors {
		post := r.Posterior(j)
		var buf []byte
		buf = append(buf, p.Key...)
		for _, v := range []float64{p.Low, p.High, r.Best[j], post.Mean, post.SD, post.Q05, post.Q50, post.Q95} {
			buf = append(buf, ',')
			buf = AppendValue6(buf, v)
		}
		buf = append(buf, fmt.Sprintf(",%d\n", len(r.Accepted))...)
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// WriteSamples writes samples.csv: every candidate run with its method,
// distance and values.
func (r *Result) WriteSamples(w io.Writer) error {
	keys := r.Config.Spec.Keys()
	if _, err := fmt.Fprintf(w, "method,distance,%s\n", strings.Join(keys, ",")); err != nil {
		return err
	}
	for _, s := range r.Samples {
		buf := append([]byte(s.Method), ',')
		buf = AppendValue6(buf, s.Distance)
		for _, v := range s.X {
			buf = append(buf, ',')
			buf = AppendValue6(buf, v)
		}
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// WriteParticles writes particles.csv, the posterior as weighted points
// that 'migrasim compare --posterior' reads: a row per particle with every
// fitted key in the spec's Priors order, weights summing to 1. ABC's
// accepted draws, SMC's last kept population (its particles are moved,
// not weighted) and ABC-MCMC's chains' last states are unweighted
// samples, so each gets weight 1/n; a method
// without a posterior (nelder-mead, none) writes the best point alone, with
// weight 1.
// Values are written in full (shortest round-trip form), so a particle
// runs exactly as it was scored.
func (r *Result) WriteParticles(w io.Writer) error {
	keys := r.Config.Spec.Keys()
	for _, h := range r.Config.Spec.Held {
		keys = append(keys, h.Key)
	}
	header := append(append([]string(nil), ParticlesHeader...), keys...)
	if _, err := fmt.Fprintln(w, strings.Join(header, ",")); err != nil {
		return err
	}
	points := make([][]float64, len(r.Accepted))
	for i, s := range r.Accepted {
		points[i] = s.X
	}
	if len(points) == 0 {
		points = [][]float64{r.Best}
	}
	weight := 1 / float64(len(points))
	var buf []byte
	for i, x := range points {
		buf = strconv.AppendInt(buf[:0], int64(i+1), 10)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, weight, 'g', -1, 64)
		for _, v := range x {
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
		}
		for _, h := range r.Config.Spec.Held {
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, h.Value, 'g', -1, 64)
		}
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// WriteFitted writes fitted.toml: the fitted scenario, headed by how it was
// fitted.
func (r *Result) WriteFitted(w io.Writer, resolved string) error {
	_, err := fmt.Fprintf(w, "# Fitted by 'migrasim calibrate --method %s --budget %d' (distance %.4f).\n%s",
		r.Config.Method, r.Config.Budget, r.BestDistance, resolved)
	return err
}

// WriteReport prints the fitted values, the fit scores per observable and
// the stylised facts, for people.
func (r *Result) WriteReport(w io.Writer, seconds float64) {
	spec := r.Config.Spec
	fmt.Fprintf(w, "calibrate: %s, %d runs of %s to %s at scale %g with %d replicates, in %.0fs; objective (%s) %.4f, ARD distance %.4f\n\n",
		r.Config.Method, len(r.Samples), spec.Scenario, spec.FitTo, spec.Scale, spec.Replicates, seconds, spec.Objective, r.BestDistance, Distance(r.Fit))
	if r.Config.Method == "mcmc" {
		distinct := map[string]bool{}
		for _, a := range r.Accepted {
			distinct[fmt.Sprint(a.X)] = true
		}
		fmt.Fprintf(w, "ABC-MCMC: tolerance %.4f (the start point's distance and %d standard deviations of it over %d other seeds); %d chains, %.0f%% of moves accepted, %d distinct last states\n\n",
			r.Tolerance, mcmcNoiseSDs, mcmcNoiseRuns, len(r.Accepted), 100*r.Acceptance, len(distinct))
	}
	if r.Config.Method == "none" {
		fmt.Fprintln(w, "values (the spec's scenario as it is):")
	} else {
		fmt.Fprintln(w, "fitted values (ABC posterior mean and 90% credible interval where ABC ran):")
	}
	for j, p := range spec.Priors {
		line := fmt.Sprintf("  %-28s %10.4g", p.Key, r.Best[j])
		if len(r.Accepted) > 0 {
			post := r.Posterior(j)
			line += fmt.Sprintf("   posterior %.4g [%.4g, %.4g]", post.Mean, post.Q05, post.Q95)
		}
		fmt.Fprintf(w, "%s   prior [%g, %g]\n", line, p.Low, p.High)
	}
	for _, h := range spec.Held {
		fmt.Fprintf(w, "  %-28s %10.4g   held (--hold), not fitted\n", h.Key, h.Value)
	}
	fmt.Fprintf(w, "\nfit of the fitted values (%d replicates; fiscal years; ARD and rescaled ARD: lower is better, 0 is perfect; MASE < 1 beats \"same as last year\"):\n", r.Check.Replicates)
	for _, s := range Scores(r.Fit, 0, 9999) {
		years := fmt.Sprintf("%s%d-%d", s.YearType, s.From, s.To)
		if s.From == s.To {
			years = fmt.Sprintf("%s%d", s.YearType, s.From)
		}
		fmt.Fprintf(w, "  %-34s %-11s ARD %.3f  rescaled ARD %.3f  MASE %.2f\n", s.Observable, years, s.ARD, s.Rescaled, s.MASE)
	}
	if len(r.Profiles) > 0 {
		fmt.Fprintf(w, "\nprofiles of the objective (%s; each key held at a value, the others refitted by Nelder-Mead from the best point, %d runs a point):\n", spec.Objective, r.Config.ProfileBudget)
		for _, p := range r.Profiles {
			fmt.Fprintf(w, "  %-28s %10.4g   objective %.4f\n", p.Key, p.Value, p.Objective)
		}
	}
	if len(r.Facts) > 0 {
		fmt.Fprintln(w, "\nstylised facts (model elasticities at the fitted values, next to the data and literature):")
		for _, f := range r.Facts {
			fmt.Fprintf(w, "  %-58s observed %7.3g   model %7.3g   (%s; %s)\n", f.Name, f.Observed, f.Model, f.Unit, f.Source)
		}
	}
}
