package results

import (
	"fmt"
	"strings"

	"migrasim/sim"
)

// measureTitles name the measures the plots draw in words; any other measure
// is titled by its name.
var measureTitles = map[string]string{
	"departures_total":       "Irregular departures (children, families and single adults)",
	"departures_uac":         "Departures of unaccompanied children",
	"departures_family":      "Departures of family units",
	"departures_adult":       "Departures of single adults",
	"us_apprehensions_total": "Apprehensions at the U.S. southwest border",
	"us_removals_total":      "Removals from the U.S. (border and interior)",
	"us_removals_interior":   "Removals from the U.S. interior",
	"returnees":              "Returnees (deported, or of their own accord)",
	"returnees_gang":         "Returnees with gang ties",
	"homicide_rate":          "Homicide rate",
	"unemployment_rate":      "Unemployment rate",
	"stock_us_undocumented":  "Undocumented population in the U.S.",
	"stock_us_total":         "Population in the U.S. (all statuses)",
}

// measureTitle is the measure in words.
func measureTitle(m Measure) string {
	if t, ok := measureTitles[m.Name]; ok {
		return t
	}
	return m.Name
}

// measureUnit is the unit of the measure's monthly value, as sim.Metric
// documents it: flows are persons per month, stocks persons at month end.
func measureUnit(m Measure) string {
	switch m.Name {
	case "homicide_rate":
		return "homicides per 100,000 residents a year"
	case "unemployment_rate":
		return "percent of the labour force"
	}
	switch m.Kind() {
	case sim.Stock:
		return "persons (at month end)"
	case sim.Rate:
		return "rate"
	}
	return "persons per month"
}

// periodText is "January 2012 to December 2021", the months a series covers.
func periodText(start sim.Month, months int) string {
	return monthText(start) + " to " + monthText(start.Add(months-1))
}

var monthNames = [...]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

func monthText(m sim.Month) string { return fmt.Sprintf("%s %d", monthNames[m.Num()-1], m.Year()) }

// bandText says what a figure's shaded band is, over n replicates.
func bandText(n int, what string) string {
	if n < 2 {
		return "one replicate: no interval is shown"
	}
	return fmt.Sprintf("shaded band: 95%% confidence interval of the %s over %d replicates (Monte Carlo noise only, at fixed parameters)", what, n)
}

// joinNames lists names as "a", "a and b" or "a, b and c".
func joinNames(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
