// Package report carries out what a command of migrasim was asked, once its
// command line is parsed into a request: it runs the library calls (sim.Run,
// the comparisons and decompositions of package sweep, calibrate.Run, the
// sensitivity analysis), writes the result set with its manifest (package
// results), and writes the summary a person reads to a Console. The command
// (cmd/migrasim) keeps the flags, the help, the exit codes and the loading
// of scenarios; everything after that is here, so that it can be tested as
// a library.
package report
