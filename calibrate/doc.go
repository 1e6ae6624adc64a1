// Package calibrate fits scenario keys to the public record: a spec names
// the scenario, the run settings and a uniform prior per fitted key; targets
// are observed counts by observable, country (or the three together) and
// year; a candidate's distance is the spec's objective (by default LogError,
// a lognormal likelihood on counts; or Distance, the weighted mean ARD). Rejection ABC, SMC-ABC and Nelder-Mead search the priors (Run), and
// the stylised facts measure the fitted model's elasticities against the
// literature's. Run can keep its finished runs in a checkpoint file and
// resume from it with the same result (Config.Checkpoint, Checkpoint).
// Progress goes to a callback; nothing here prints.
package calibrate
