package calibrate

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"migrasim/scenarios"
)

// The kinds of target by year, each for all three countries: a target
// dropped or added by mistake fails here.
var wantTargetYears = []struct {
	name, yearType string
	years          []int
	countries      string
}{
	{"uac_apprehensions", "FY", []int{2012, 2013, 2014, 2015, 2016, 2017}, "SV HN GT"},
	{"family_unit_apprehensions", "FY", []int{2013, 2014, 2015, 2016, 2017}, "SV HN GT"},
	{"single_adult_apprehensions", "FY", []int{2017}, "SV HN GT"},
	{"single_adult_apprehensions_dhs", "FY", []int{2013, 2014}, "SV HN GT"},
	{"dhs_apprehensions_all_components", "FY", []int{2012}, "SV HN GT"},
	{"removals_total", "FY", []int{2012, 2013, 2014}, "SV HN GT"},
	{"removals_total", "CY", []int{2015, 2016}, "GT"},
	{"removals_criminal", "FY", []int{2012, 2013, 2014}, "SV HN GT"},
	{"mx_deportations", "CY", []int{2014, 2016}, "SV HN GT"},
	{"mx_deportations", "CY", []int{2015}, "GT"},
	{"mx_deportations", "CY", []int{2013, 2015}, "NT"},
	{"cam_applications", "FY", []int{2015}, "NT"},
}

// The embedded targets load, name only observables the model knows, and
// are exactly the kinds and years above.
func TestTargetsKnown(t *testing.T) {
	ts, err := Targets()
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckTargets(ts); err != nil {
		t.Error(err)
	}
	got := map[string]int{}
	for _, tg := range ts {
		got[fmt.Sprintf("%s %s %s%d", tg.Name, tg.Code(), tg.YearType, tg.Year)]++
	}
	want := map[string]int{}
	for _, w := range wantTargetYears {
		for _, c := range strings.Fields(w.countries) {
			for _, y := range w.years {
				want[fmt.Sprintf("%s %s %s%d", w.name, c, w.yearType, y)]++
			}
		}
	}
	for k, n := range got {
		if n != want[k] {
			t.Errorf("%s: %d targets, want %d", k, n, want[k])
		}
	}
	for k, n := range want {
		if got[k] == 0 {
			t.Errorf("%s: no target, want %d", k, n)
		}
	}
	// Distance and Scores key years by number: an observable must not
	// have a fiscal and a calendar target in the same year.
	types := map[string]string{}
	for _, tg := range ts {
		k := fmt.Sprintf("%s %d", tg.Name, tg.Year)
		if yt, ok := types[k]; ok && yt != tg.YearType {
			t.Errorf("%s: both FY and CY targets", k)
		}
		types[k] = tg.YearType
		if tg.Weight <= 0 || tg.Observed <= 0 {
			t.Errorf("%s %s %s%d: weight %g, observed %g: want both > 0", tg.Name, tg.Country.Code(), tg.YearType, tg.Year, tg.Weight, tg.Observed)
		}
	}
}

// heldOut reports whether a count of the given year type and year covers
// any month after September 2017: fiscal 2018 on, calendar 2017 on.
func heldOut(yearType string, year int) bool {
	switch yearType {
	case "CY":
		return year >= 2017
	default:
		return year >= 2018
	}
}

// No target is dated after September 2017: those years judge the model's
// forecast and must never be fitted.
func TestTargetsHeldOut(t *testing.T) {
	ts, err := Targets()
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range ts {
		if heldOut(tg.YearType, tg.Year) || tg.YearType != "FY" && tg.YearType != "CY" {
			t.Errorf("%s %s %s%d: dated after September 2017 (held out)", tg.Name, tg.Country.Code(), tg.YearType, tg.Year)
		}
	}
}

// The data files of outcomes hold nothing dated after September 2017,
// apart from counts that stop in September 2017.
func TestDataHeldOut(t *testing.T) {
	year := regexp.MustCompile(`\d{4}`)
	for _, file := range []string{
		"apprehensions_usbp_southwest_border.csv", "apprehensions_dhs_yearbook_table34.csv",
		"removals_returns_us.csv", "deportations_from_mexico.csv", "asylum_comar_mexico.csv",
	} {
		rows, err := scenarios.ReadData(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			last := 0
			for _, y := range year.FindAllString(r["year"], -1) {
				n, _ := strconv.Atoi(y)
				last = max(last, n)
			}
			yt := strings.TrimSuffix(r["year_type"], "?")
			endsSeptember := strings.HasPrefix(r["period"], "Jan-Sep") && last == 2017
			if heldOut(yt, last) && !endsSeptember {
				t.Errorf("data/%s:%d: %s %s %s%s: dated after September 2017 (held out)", file, i+2, r["metric"], r["country"], r["year_type"], r["year"])
			}
			for _, col := range []string{"period", "notes"} {
				if m := regexp.MustCompile(`FY ?20(1[89]|[2-9]\d) ?=`).FindString(r[col]); m != "" {
					t.Errorf("data/%s:%d: %s quotes a held-out value (%q)", file, i+2, col, m)
				}
			}
		}
	}
}

// bridgeData looks up the data the bridges are computed from.
type bridgeData map[string][]scenarios.Record

func (d bridgeData) value(t *testing.T, file, country, yearType string, year int, metric string) float64 {
	t.Helper()
	if d[file] == nil {
		rows, err := scenarios.ReadData(file)
		if err != nil {
			t.Fatal(err)
		}
		d[file] = rows
	}
	var vs []float64
	for _, r := range d[file] {
		if r["country"] == country && r["year_type"] == yearType && r["year"] == strconv.Itoa(year) && r["metric"] == metric {
			v, err := r.Value()
			if err != nil {
				t.Fatalf("data/%s: %s %s%d %s: %v", file, country, yearType, year, metric, err)
			}
			vs = append(vs, v)
		}
	}
	if len(vs) != 1 {
		t.Fatalf("data/%s: %d values of %s %s%d %s, want 1", file, len(vs), country, yearType, year, metric)
	}
	return vs[0]
}

// has reports whether the data hold a value, so that a bridge is never
// used where the record has the number itself.
func (d bridgeData) has(file, country, yearType string, year int, metric string) bool {
	for _, r := range d[file] {
		if r["country"] == country && r["year_type"] == yearType && r["year"] == strconv.Itoa(year) && r["metric"] == metric {
			return true
		}
	}
	return false
}

const (
	borderFile = "apprehensions_usbp_southwest_border.csv"
	dhsFile    = "apprehensions_dhs_yearbook_table34.csv"
)

// familyBridge is the family-unit bridge of SOURCES.md: the all-nationality
// count of the year times the country's share of all nationalities in the
// nearest period the record splits by country: October 2013 to June 2014
// for FY2013 and FY2014, FY2016 for FY2016 on, and for FY2015, as near to
// one as to the other, the mean of the two shares.
func familyBridge(t *testing.T, d bridgeData, country string, year int) float64 {
	early := d.value(t, borderFile, country, "FY", 2014, "family_unit_apprehensions_oct_jun") /
		d.value(t, borderFile, "ALL", "FY", 2014, "family_unit_apprehensions_oct_jun")
	late := d.value(t, borderFile, country, "FY", 2016, "family_unit_apprehensions") /
		d.value(t, borderFile, "ALL", "FY", 2016, "family_unit_apprehensions")
	var share float64
	switch {
	case year <= 2014:
		share = early
	case year == 2015:
		share = (early + late) / 2
	default:
		t.Fatalf("family_unit_share_bridge: FY%d has counts by country", year)
	}
	return d.value(t, borderFile, "ALL", "FY", year, "family_unit_apprehensions") * share
}

const mexicoFile = "deportations_from_mexico.csv"

// mexicoShareYear gives, for each year with a Central American total of
// deportations from Mexico but no split by country, the series and the
// year of the same series in which the three countries' share of the total
// is known.
var mexicoShareYear = map[int]struct {
	metric string
	year   int
}{
	2013: {"land_deportations_from_mexico_dgm_gt", 2014},
	2015: {"inm_devueltos", 2016},
}

// mexicoBridge is the bridge mexico_nt_share_bridge of SOURCES.md: the
// Central American total of the year times the three countries' share of
// that total in the nearest year of the same series that splits it.
func mexicoBridge(t *testing.T, d bridgeData, yearType string, year int) float64 {
	ref, ok := mexicoShareYear[year]
	if !ok {
		t.Fatalf("mexico_nt_share_bridge: no share year for %d", year)
	}
	var three float64
	for _, c := range []string{"SV", "HN", "GT"} {
		three += d.value(t, mexicoFile, c, yearType, ref.year, ref.metric)
	}
	share := three / d.value(t, mexicoFile, "CA_total", yearType, ref.year, ref.metric)
	return d.value(t, mexicoFile, "CA_total", yearType, year, ref.metric) * share
}

// Every value written in calibration_targets.csv is a documented bridge
// (named in its metric column) recomputed here from the data files; it may
// differ from the formula by rounding only.
func TestTargetsBridges(t *testing.T) {
	b, err := scenarios.DataFile("calibration_targets.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	d := bridgeData{}
	bridges := map[string]int{}
	for i, row := range rows[1:] {
		name, country, yearType, file, metric, value := row[0], row[1], row[2], row[5], row[6], row[7]
		if value == "" {
			continue
		}
		line := fmt.Sprintf("data/calibration_targets.csv:%d: %s %s %s%s", i+2, name, country, yearType, row[3])
		got, err := strconv.ParseFloat(value, 64)
		year, err2 := strconv.Atoi(row[3])
		if err != nil || err2 != nil {
			t.Errorf("%s: value %q, year %q", line, value, row[3])
			continue
		}
		var want float64
		switch {
		case metric == "family_unit_share_bridge" && name == "family_unit_apprehensions" && file == borderFile:
			want = familyBridge(t, d, country, year)
			if d.has(borderFile, country, yearType, year, "family_unit_apprehensions") {
				t.Errorf("%s: bridged, but the data have the count", line)
			}
		case metric == "total_less_uac_family" && name == "single_adult_apprehensions" && file == borderFile:
			want = d.value(t, borderFile, country, yearType, year, "total_apprehensions") -
				d.value(t, borderFile, country, yearType, year, "uac_apprehensions") -
				d.value(t, borderFile, country, yearType, year, "family_unit_apprehensions")
		case metric == "dhs_less_uac_family" && name == "single_adult_apprehensions_dhs" && file == dhsFile:
			want = d.value(t, dhsFile, country, yearType, year, "dhs_apprehensions_all_components") -
				d.value(t, borderFile, country, yearType, year, "uac_apprehensions") -
				familyBridge(t, d, country, year)
		case metric == "mexico_nt_share_bridge" && name == "mx_deportations" && country == "NT" && file == mexicoFile:
			want = mexicoBridge(t, d, yearType, year)
		case metric == "cam_received_to_fy_end" && name == "cam_applications" && country == "NT" && yearType == "FY":
			// Applications received from the program's start to a date
			// in the last fortnight of the fiscal year.
			rows, err := scenarios.ReadData(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if r["metric"] == "cam_applications_received_cumulative" && strings.HasPrefix(r["year"], strconv.Itoa(year)+"-09-") {
					want, _ = r.Value()
				}
			}
		default:
			t.Errorf("%s: value %s by no documented bridge (file %q, metric %q)", line, value, file, metric)
			continue
		}
		bridges[metric]++
		if math.Abs(got-want) > 0.5 {
			t.Errorf("%s: %s gives %.2f, the file says %s", line, metric, want, value)
		}
		if w, _ := strconv.ParseFloat(row[4], 64); w >= 2 {
			t.Errorf("%s: weight %s: a bridged value weighs less than direct data (2)", line, row[4])
		}
	}
	for _, m := range []string{"family_unit_share_bridge", "total_less_uac_family", "dhs_less_uac_family", "mexico_nt_share_bridge"} {
		if bridges[m] == 0 {
			t.Errorf("no target uses the bridge %s: is the test still needed?", m)
		}
	}
	if !slices.Equal(rows[0], targetColumns) {
		t.Errorf("header %v, want %v", rows[0], targetColumns)
	}
}
