// Package results turns simulated series into what users read: the tidy
// per-run series (series.csv), per-period summaries over replicates with 95%
// confidence intervals (summary.csv), the run manifest (manifest.json), and
// the table printed at the end of a run. Every file is written atomically:
// to a temporary file in the same folder, then renamed, with the manifest
// last, so an interrupted run never leaves a set of files that looks complete.
package results
