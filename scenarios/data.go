package scenarios

import (
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"io/fs"
	"math"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"

	"migrasim/sim"
)

// DataFile returns the bytes of the embedded data file data/<name>.
func DataFile(name string) ([]byte, error) {
	b, err := files.ReadFile("data/" + name)
	if err != nil {
		return nil, fmt.Errorf("data/%s: %w", name, err)
	}
	return b, nil
}

// Record is one row of a data file, by column name.
type Record map[string]string

// readCSV reads data/<name> from the embedded files.
func ReadData(name string) ([]Record, error) {
	f, err := files.Open("data/" + name)
	if err != nil {
		return nil, fmt.Errorf("data/%s: %w", name, err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("data/%s: %w", name, err)
	}
	var out []Record
	for _, row := range rows[1:] {
		r := Record{}
		for i, col := range rows[0] {
			r[col] = row[i]
		}
		out = append(out, r)
	}
	return out, nil
}

// Value parses the row's value column.
func (r Record) Value() (float64, error) {
	return strconv.ParseFloat(r["value"], 64)
}

// Which department population series each country uses for its weights: the
// most recent complete set in population_departments.csv.
var departmentSeries = [sim.NumCountries]struct{ year, metric string }{
	sim.SV: {"2013", "population"},
	sim.HN: {"2001", "population_census"},
	sim.GT: {"2020", "population_projection_post2018census"},
}

// National population near the default start, from population_departments.csv:
// 2012 for Honduras and Guatemala, 2013 (the sum of the departments) for El Salvador.
var nationalSeries = [sim.NumCountries]struct{ year, metric string }{
	sim.SV: {"2013", "population"}, // sum of the 2013 departments
	sim.HN: {"2012", "population_projection_ine"},
	sim.GT: {"2012", "population_projection_pre2018census"},
}

// shrink is the prior number of homicides that pulls a department's observed
// homicide count toward its national expectation, so that small monthly
// counts do not give extreme factors (empirical-Bayes shrinkage).
const shrink = 10

// applyData fills the data-derived parts of p: departments and their weights
// and homicide factors, national populations, the homicide series, and TPS
// and DACA holders.
func applyData(p *sim.Params) error {
	pops, err := ReadData("population_departments.csv")
	if err != nil {
		return err
	}
	var geo sim.Geography
	index := map[string]int{} // "SV/San Salvador" -> region
	var total [sim.NumCountries]float64
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		ds := departmentSeries[c]
		for _, r := range pops {
			if r["country"] != c.Code() || r["year"] != ds.year || r["metric"] != ds.metric || r["department"] == "" {
				continue
			}
			v, err := r.Value()
			if err != nil {
				return fmt.Errorf("data/population_departments.csv: %s %s: %w", c, r["department"], err)
			}
			index[c.Code()+"/"+r["department"]] = len(geo.Regions)
			geo.Regions = append(geo.Regions, sim.Region{Name: r["department"], Country: c, Weight: v,
				ZHomicide: zscore(c.Code() + "/" + r["department"] + "/homicide"),
				ZJobs:     zscore(c.Code() + "/" + r["department"] + "/jobs")})
			total[c] += v
		}
		ns := nationalSeries[c]
		national := 0.0
		for _, r := range pops {
			// SV's national figure is the sum of its departments; the others
			// have a national row (empty department).
			if r["country"] == c.Code() && r["year"] == ns.year && r["metric"] == ns.metric &&
				(c == sim.SV) == (r["department"] != "") {
				v, _ := r.Value()
				national += v
			}
		}
		if national == 0 {
			return fmt.Errorf("data/population_departments.csv: no %s %s population for %s", ns.metric, ns.year, c)
		}
		p.Country.Of(c).Population = national
	}
	for i := range geo.Regions {
		geo.Regions[i].Weight /= total[geo.Regions[i].Country]
	}
	if err := homicideFactors(&geo, pops, index, p); err != nil {
		return err
	}
	if geo.Homicide, err = homicideSeries(); err != nil {
		return err
	}
	p.Geography = geo
	return programmes(p)
}

// zscore places a department within its country where data is missing: a
// standard-normal quantile fixed by the department's name, so it never
// depends on seeds or order.
func zscore(key string) float64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	u := (float64(h.Sum64()>>11) + 0.5) / (1 << 53)
	return distuv.UnitNormal.Quantile(u)
}

// homicideFactors sets department homicide factors from the department counts
// in the data: El Salvador's August 2016 counts, Honduras's first-half 2016
// counts, and Honduras's 2012 list of departments above the national rate
// (factor 1.3, a stated assumption). Counts are shrunk toward the national
// expectation by `shrink` homicides.
func homicideFactors(geo *sim.Geography, pops []Record, index map[string]int, p *sim.Params) error {
	counts := map[string]float64{}
	var countTotal [sim.NumCountries]float64
	var weightCovered [sim.NumCountries]float64
	for _, r := range pops {
		if r["metric"] != "homicide_count_month_aug" && r["metric"] != "homicide_count_H1" {
			continue
		}
		i, ok := index[r["country"]+"/"+r["department"]]
		if !ok {
			return fmt.Errorf("data/population_departments.csv: %s: unknown department %q", r["metric"], r["department"])
		}
		v, err := r.Value()
		if err != nil {
			return fmt.Errorf("data/population_departments.csv: %s %s: %w", r["metric"], r["department"], err)
		}
		c := geo.Regions[i].Country
		counts[r["country"]+"/"+r["department"]] = v
		countTotal[c] += v
		weightCovered[c] += geo.Regions[i].Weight
	}
	// Honduras's H1 2016 counts cover four departments: compare them with the
	// national first-half count (half of 2016's annual count).
	hnNational := 0.0
	hom, err := ReadData("homicide_rates_national.csv")
	if err != nil {
		return err
	}
	for _, r := range hom {
		if r["country"] == "HN" && r["year"] == "2016" && r["metric"] == "homicide_count_ov_unah" {
			v, _ := r.Value()
			hnNational = v / 2
		}
	}
	for key, n := range counts {
		i := index[key]
		reg := &geo.Regions[i]
		var expected float64
		switch reg.Country {
		case sim.SV: // counts cover the 13 listed departments: rate relative to their mean
			expected = countTotal[sim.SV] * reg.Weight / weightCovered[sim.SV]
		case sim.HN:
			expected = hnNational * reg.Weight
		}
		reg.HomicideFactor = (n + shrink) / (expected + shrink)
	}
	for _, r := range pops {
		if r["metric"] == "homicide_rate_above_national_85.5" && r["value"] == "1" {
			i, ok := index[r["country"]+"/"+r["department"]]
			if ok && geo.Regions[i].HomicideFactor == 0 {
				geo.Regions[i].HomicideFactor = 1.3
			}
		}
	}
	return nil
}

// homicideSeries reads the national homicide rates chosen in homicide_series.csv.
func homicideSeries() ([sim.NumCountries][]sim.Point, error) {
	var out [sim.NumCountries][]sim.Point
	choice, err := ReadData("homicide_series.csv")
	if err != nil {
		return out, err
	}
	rates, err := ReadData("homicide_rates_national.csv")
	if err != nil {
		return out, err
	}
	for _, ch := range choice {
		c, err := sim.ParseCountry(ch["country"])
		if err != nil {
			return out, fmt.Errorf("data/homicide_series.csv: %w", err)
		}
		year, _ := strconv.Atoi(ch["year"])
		found := math.NaN()
		for _, r := range rates {
			if r["country"] == ch["country"] && r["year"] == ch["year"] && r["metric"] == ch["metric"] {
				v, err := r.Value()
				if err != nil {
					continue
				}
				if !math.IsNaN(found) && v != found {
					return out, fmt.Errorf("data/homicide_rates_national.csv: %s %s %s: two rows disagree (%g, %g)", ch["country"], ch["year"], ch["metric"], found, v)
				}
				found = v
			}
		}
		if math.IsNaN(found) {
			return out, fmt.Errorf("data/homicide_series.csv: %s %s %s: no value in homicide_rates_national.csv", ch["country"], ch["year"], ch["metric"])
		}
		// An annual rate stands for the year's middle month.
		out[c] = append(out[c], sim.Point{Month: sim.MonthOf(year, 7), Value: found})
	}
	return out, nil
}

// programmes sets TPS and DACA holders from programs_cam_tps_daca.csv.
func programmes(p *sim.Params) error {
	rows, err := ReadData("programs_cam_tps_daca.csv")
	if err != nil {
		return err
	}
	for _, r := range rows {
		c, err := sim.ParseCountry(r["country"])
		if err != nil {
			continue
		}
		v, err := r.Value()
		switch {
		case r["metric"] == "tps_beneficiaries_estimate" && err == nil:
			p.Country.Of(c).TPS = v
		case r["metric"] == "daca_active_recipients" && r["year"] == "2017-09-04" && err == nil:
			p.Country.Of(c).DACA = v
		}
	}
	return nil
}

var _ fs.FS = files
