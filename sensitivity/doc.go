// Package sensitivity says which parameters drive a model's outcome and
// where in parameter space the outcome takes a given sign.
//
// Sobol computes first-order and total Sobol indices from model values on a
// Saltelli design (design.NewSaltelli): Saltelli et al.'s 2010 estimator for
// S1 and Jansen's for ST. GivenData computes first-order indices from any
// sample, such as a Latin hypercube, at a lower efficiency. Both return
// percentile bootstrap intervals over the sample's rows; those intervals
// cover the sampling error of the estimators only, and a table of many of
// them holds some that miss by chance (about 1 in 10 at 90%).
//
// PRIM (patient rule induction) peels a box, one face at a time, around the
// points where a boolean outcome holds, and records the trajectory of
// coverage, density and mass.
//
// ReadRuns reads a merged sweep's runs.csv into keys and outcomes.
// WriteSobol and WritePRIM write the tidy CSV files sobol.csv and prim.csv;
// PlotSobol and PlotTrajectory draw them with gonum/plot. Nothing in the
// package prints, and all randomness comes from an injected *rand.Rand.
package sensitivity
