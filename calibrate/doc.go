// Package calibrate fits scenario keys to the public record: a spec names
// the scenario, the run settings and a uniform prior per fitted key; targets
// are observed counts by observable, country and year; a candidate's
// distance is the weighted mean ARD of its simulated observables against
// them. Rejection ABC, SMC-ABC and Nelder-Mead search the priors (Run), and
// the stylised facts measure the fitted model's elasticities against the
// literature's. Progress goes to a callback; nothing here prints.
package calibrate
