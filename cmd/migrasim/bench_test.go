package main

import (
	"context"
	"runtime"
	"syscall"
	"testing"
)

// BenchmarkFullScale is the target run: 'migrasim run baseline
// --scale 1 --months 120 --replicates 1', every household of the three
// countries, all mechanisms on, outputs written, in-process. It reports the
// process's peak resident memory; run each worker count in its own process
// (make bench does) so the peak is that run's.
func BenchmarkFullScale(b *testing.B) {
	for _, workers := range []string{"1", "2"} {
		b.Run("workers="+workers, func(b *testing.B) {
			dir := b.TempDir()
			for range b.N {
				_, stderr, err := benchCLI(context.Background(), "run", "status-quo", "--scale", "1", "--months", "120",
					"--replicates", "1", "--quiet", "--workers", workers, "--out", dir)
				if err != nil {
					b.Fatalf("%v\n%s", err, stderr)
				}
			}
			var ru syscall.Rusage
			if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
				b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.Sys)/(1<<20), "go-sys-MB")
		})
	}
}

func benchCLI(ctx context.Context, args ...string) (string, string, error) {
	var out, errb discard
	err := run(ctx, args, &out, &errb)
	return "", string(errb), err
}

type discard []byte

func (d *discard) Write(p []byte) (int, error) {
	if len(*d) < 4096 {
		*d = append(*d, p...)
	}
	return len(p), nil
}
