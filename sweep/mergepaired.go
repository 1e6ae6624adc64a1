package sweep

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"path/filepath"

	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

// Merged outputs of a posterior sweep.
const MergedAnswer = "answer.csv" // as 'migrasim compare --posterior' writes it

// EffectPrefix begins the outcome columns of a comparison sweep's runs.csv:
// effect_COUNTRY_metric is B − A over the policy window.
const EffectPrefix = "effect_"

// EffectsHeader returns the columns of a comparison sweep's runs.csv: those
// of RunsHeader, but effect_COUNTRY_metric (B − A over the policy window)
// for COUNTRY_metric.
func EffectsHeader(keys []string) []string {
	h := RunsHeader(keys)
	for i := len(h) - EffectCells; i < len(h); i++ {
		h[i] = EffectPrefix + h[i]
	}
	return h
}

// pairedOutputs are the merged files of a comparison sweep: runs.csv, one
// row per design point and replicate with B − A per country and metric;
// or of a posterior sweep: answer.csv, from the draws in order through
// results.Question.Answer as 'compare --posterior' computes it, and its
// plot of P(departures rise).
func (mg *merger) pairedOutputs(ctx context.Context) ([]results.Output, error) {
	pl := mg.pl
	base, err := scenarios.Parse(filepath.Join(pl.Dir, PlanBaseFile), pl.Base)
	if err != nil {
		return nil, err
	}
	arms, err := pl.readArms(base)
	if err != nil {
		return nil, fmt.Errorf("%w (a merge reads the posterior to check it)", err)
	}
	if arms.posterior == nil {
		return []results.Output{{Name: MergedRuns, Write: mg.writeEffects}}, nil
	}
	q := arms.posterior.Question()
	draws := make([]results.Draw, len(pl.Runs))
	for r := range pl.Runs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if draws[r], err = mg.loadDiff(r); err != nil {
			return nil, err
		}
	}
	effects, err := q.Answer(draws)
	if err != nil {
		return nil, err
	}
	const measure = "departures_total"
	chart, err := results.PlotIncrease(effects, measure)
	if err != nil {
		return nil, err
	}
	outputs := []results.Output{{Name: MergedAnswer, Write: func(w io.Writer) error { return results.WriteAnswer(w, effects) }}}
	for _, format := range []string{"png", "svg"} {
		outputs = append(outputs, results.Output{Name: "p_increase_" + measure + "." + format, Write: func(w io.Writer) error { return chart.Write(w, format) }})
	}
	return outputs, nil
}

// loadDiff reads and checks the difference record of run r.
func (mg *merger) loadDiff(r int) ([][]float64, error) {
	src := mg.src[r]
	f, err := mg.file(src.task)
	if err != nil {
		return nil, err
	}
	b, err := mg.pl.checkRecord(f, &src.st)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %s runs it again", f.Name(), err, rerunHint(mg.pl.Dir, src.task))
	}
	_, d, err := ReadDiffRecord(b)
	return d, err
}

// writeEffects writes a comparison sweep's runs.csv (EffectsHeader).
func (mg *merger) writeEffects(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	results.WriteRow(bw, EffectsHeader(mg.pl.Header.Keys))
	var buf []byte
	for r, pr := range mg.pl.Runs {
		d, err := mg.loadDiff(r)
		if err != nil {
			return err
		}
		for rep := range mg.pl.Header.Replicates {
			buf = appendRunHead(buf[:0], &pr, rep)
			for c := sim.Country(0); c < sim.NumCountries; c++ {
				for m := sim.Metric(0); m < sim.NumMetrics; m++ {
					buf = append(buf, ',')
					buf = results.AppendValue(buf, d[EffectCell(c, m)][rep])
				}
			}
			buf = append(buf, '\n')
			bw.Write(buf)
		}
	}
	return bw.Flush()
}
