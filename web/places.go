package web

import (
	"math"

	"migrasim/sim"
)

// place is a department's approximate centre, in degrees. The map panel is a
// schematic, not a survey: each department is a disc at its centre, sized by
// population, so the three countries are recognisable without shipping
// boundary files.
type place struct{ lat, lon float64 }

// places are keyed by country code and department name as the data spells them.
var places = map[string]place{
	"SV/Ahuachapán": {13.92, -89.85}, "SV/Santa Ana": {14.12, -89.55}, "SV/Sonsonate": {13.68, -89.72},
	"SV/Chalatenango": {14.10, -89.00}, "SV/La Libertad": {13.62, -89.37}, "SV/San Salvador": {13.74, -89.15},
	"SV/Cuscatlán": {13.85, -88.95}, "SV/La Paz": {13.45, -89.00}, "SV/Cabañas": {13.88, -88.75},
	"SV/San Vicente": {13.60, -88.74}, "SV/Usulután": {13.40, -88.48}, "SV/San Miguel": {13.50, -88.20},
	"SV/Morazán": {13.80, -88.10}, "SV/La Unión": {13.45, -87.88},

	"HN/Atlántida": {15.65, -87.05}, "HN/Choluteca": {13.30, -87.15}, "HN/Colón": {15.55, -85.60},
	"HN/Comayagua": {14.50, -87.65}, "HN/Copán": {14.85, -88.85}, "HN/Cortés": {15.45, -88.00},
	"HN/El Paraíso": {14.00, -86.50}, "HN/Francisco Morazán": {14.25, -87.20}, "HN/Gracias a Dios": {15.30, -84.30},
	"HN/Intibucá": {14.25, -88.20}, "HN/Islas de la Bahía": {16.35, -86.45}, "HN/La Paz": {14.05, -87.85},
	"HN/Lempira": {14.45, -88.55}, "HN/Ocotepeque": {14.45, -89.10}, "HN/Olancho": {14.80, -85.90},
	"HN/Santa Bárbara": {15.00, -88.30}, "HN/Valle": {13.55, -87.55}, "HN/Yoro": {15.20, -87.15},

	"GT/Guatemala": {14.62, -90.50}, "GT/Huehuetenango": {15.55, -91.55}, "GT/Alta Verapaz": {15.60, -90.20},
	"GT/San Marcos": {15.00, -91.85}, "GT/Quiché": {15.35, -90.95}, "GT/Quetzaltenango": {14.82, -91.55},
	"GT/Escuintla": {14.15, -90.85}, "GT/Chimaltenango": {14.68, -90.85}, "GT/Petén": {16.75, -89.90},
	"GT/Suchitepéquez": {14.45, -91.35}, "GT/Jutiapa": {14.25, -89.85}, "GT/Totonicapán": {14.95, -91.35},
	"GT/Sololá": {14.75, -91.18}, "GT/Chiquimula": {14.75, -89.50}, "GT/Santa Rosa": {14.20, -90.30},
	"GT/Izabal": {15.50, -88.90}, "GT/Jalapa": {14.65, -89.95}, "GT/Sacatepéquez": {14.55, -90.75},
	"GT/Retalhuleu": {14.45, -91.75}, "GT/Baja Verapaz": {15.10, -90.30}, "GT/Zacapa": {14.95, -89.55},
	"GT/El Progreso": {14.85, -90.05},
}

// labels are where the map writes each country's name: beside it, on the
// sea or on a neighbour, so that no department disc hides it.
var labels = map[string]place{"GT": {16.35, -91.45}, "SV": {13.12, -89.35}, "HN": {16.0, -85.2}}

// mapLayout is the map panel's geometry: a box, a disc per department and
// each country's label.
type mapLayout struct {
	Width   float64      `json:"width"`
	Height  float64      `json:"height"`
	Regions []regionInfo `json:"regions"`
	Labels  []mapLabel   `json:"labels"`
}

type mapLabel struct {
	Country string  `json:"country"`
	X       float64 `json:"x"`
	Y       float64 `json:"y"`
}

type regionInfo struct {
	Name       string  `json:"name"`
	Country    string  `json:"country"`
	X          float64 `json:"x"`
	Y          float64 `json:"y"`
	Population float64 `json:"population"`
}

// mapWidth is the width of the map's coordinate box; the height follows.
const mapWidth = 1000

// layout projects the departments onto the map box (equirectangular, scaled
// by the cosine of the mean latitude). A department with no known place is
// put in a row along the bottom, so it is still shown.
func layout(regions []sim.RegionView) mapLayout {
	const pad = 40
	minLat, maxLat, minLon, maxLon := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, pl := range places {
		minLat, maxLat = math.Min(minLat, pl.lat), math.Max(maxLat, pl.lat)
		minLon, maxLon = math.Min(minLon, pl.lon), math.Max(maxLon, pl.lon)
	}
	k := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	scale := (mapWidth - 2*pad) / ((maxLon - minLon) * k)
	height := (maxLat-minLat)*scale + 2*pad
	out := mapLayout{Width: mapWidth}
	project := func(pl place) (x, y float64) {
		return math.Round(pad + (pl.lon-minLon)*k*scale), math.Round(pad + (maxLat-pl.lat)*scale)
	}
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		x, y := project(labels[c.Code()])
		out.Labels = append(out.Labels, mapLabel{Country: c.Code(), X: x, Y: y})
	}
	missing := 0
	for _, r := range regions {
		ri := regionInfo{Name: r.Name, Country: r.Country.Code(), Population: math.Round(r.Population)}
		if pl, ok := places[r.Country.Code()+"/"+r.Name]; ok {
			ri.X, ri.Y = project(pl)
		} else {
			ri.X = pad + float64(missing)*50
			ri.Y = height + pad
			missing++
		}
		out.Regions = append(out.Regions, ri)
	}
	out.Height = math.Round(height)
	if missing > 0 {
		out.Height = math.Round(height + 2*pad)
	}
	return out
}
