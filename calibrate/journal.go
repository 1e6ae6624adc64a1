package calibrate

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
)

// journal keeps a calibration's finished runs in its checkpoint file and,
// on a resume, serves the runs the checkpoint holds in place of the model.
// A nil journal keeps nothing and serves nothing.
type journal struct {
	path    string
	header  CheckpointHeader
	runs    []Sample // every run so far, replayed or new, in order
	replay  []Sample // the checkpoint's runs not yet asked for again
	written int      // len(runs) when the checkpoint was last written
	resumed int      // runs served from the checkpoint
}

// newJournal returns the journal of cfg: nil without cfg.Checkpoint; with
// cfg.Resume, it serves the runs of the checkpoint at cfg.Checkpoint, if
// there is one there, after checking that it belongs to cfg.
func newJournal(cfg Config) (*journal, error) {
	if cfg.Checkpoint == "" {
		return nil, nil
	}
	j := &journal{path: cfg.Checkpoint, header: checkpointHeader(cfg)}
	if !cfg.Resume {
		return j, nil
	}
	c, err := ReadCheckpoint(cfg.Checkpoint)
	if errors.Is(err, fs.ErrNotExist) {
		return j, nil
	}
	if err != nil {
		return nil, err
	}
	if err := c.Match(cfg); err != nil {
		return nil, err
	}
	j.replay = c.Runs
	return j, nil
}

// next serves the next run of the checkpoint if there is one left: it must
// be the run the search asks for, method at x, bit for bit.
func (j *journal) next(method string, x []float64) (Sample, bool, error) {
	if j == nil || len(j.replay) == 0 {
		return Sample{}, false, nil
	}
	s := j.replay[0]
	same := s.Method == method && len(s.X) == len(x)
	for i := 0; same && i < len(x); i++ {
		same = math.Float64bits(s.X[i]) == math.Float64bits(x[i])
	}
	if !same {
		return Sample{}, false, fmt.Errorf("%s:%d: run %d is %s at %v, but this calibration asks for %s at %v: "+
			"the checkpoint was written by other code; run without --resume to start again",
			j.path, len(j.runs)+2, len(j.runs)+1, s.Method, s.X, method, x)
	}
	j.replay = j.replay[1:]
	j.runs = append(j.runs, s)
	j.resumed++
	return s, true, nil
}

// batch is how many new runs to make before the next checkpoint: at least
// 10 and two per worker, and an eighth of the runs so far, so that writing
// the whole checkpoint each time costs in all a few times its final size.
func (j *journal) batch(workers int) int {
	if j == nil {
		return math.MaxInt
	}
	return max(10, 2*workers, len(j.runs)/8)
}

// due reports whether a batch of new runs waits to be written.
func (j *journal) due(workers int) bool {
	return j != nil && len(j.runs)-j.written >= j.batch(workers)
}

// add records finished runs; flush writes them.
func (j *journal) add(s ...Sample) {
	if j != nil {
		j.runs = append(j.runs, s...)
	}
}

// flush writes the checkpoint if it has runs it has not written.
func (j *journal) flush() error {
	if j == nil || j.written == len(j.runs) || len(j.replay) > 0 {
		return nil
	}
	if err := writeCheckpoint(j.path, j.header, j.runs); err != nil {
		return err
	}
	j.written = len(j.runs)
	return nil
}

// spent checks, when the search is over, that it asked again for every run
// of the checkpoint.
func (j *journal) spent() error {
	if j == nil || len(j.replay) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %d runs are left over after the calibration finished: the checkpoint was "+
		"written by other code; run without --resume to start again", j.path, len(j.replay))
}
