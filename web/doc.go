// Package web is the teaching page: an HTTP handler that serves one page
// (embedded, no CDN, nothing built at run time) and runs simulations for it on
// the server, with the same engine as 'migrasim run'.
//
// The page's controls are generated from the scenario keys (scenarios.Keys):
// every value a slider or a switch sets is a scenario key, set with
// scenarios.Apply and so checked like a scenario file, except the two push
// factors, which become [[shock]] paths. A run is one replicate (replicate 0)
// of one or two policy settings with the same seed; each simulated month goes
// to the page as a server-sent event. The page only renders.
//
// Contract:
//   - A bad parameter is an HTTP 400 whose body names the control and says what
//     is wrong; nothing a request sends can stop the server. A panic in a
//     simulation ends that run with a message, not the process.
//   - The server holds at most Config.MaxRuns runs and refuses a scale above
//     Config.MaxScale; all runs share one pool of Config.Workers goroutines.
//   - Ticking a policy switch gives its sliders the values of the library
//     scenario that moves that lever (Control.Library, read when the server
//     starts), so a switch ticked alone changes the run; unticking gives them
//     the status quo's values.
//   - A run's CSV (results.WriteSeries) is byte-identical to replicate 0 of
//     'migrasim run' on the run's exported scenario, truncated to the months
//     simulated so far.
package web
