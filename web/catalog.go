package web

import (
	"fmt"
	"net/http"
	"strings"

	"migrasim/scenarios"
)

// preferred are the scenarios the page opens with, the first that exists:
// the classroom reference (small and short, so it runs in seconds), or the
// status quo from 2012.
var preferred = []string{"teach-baseline", "status-quo"}

// catalog is the answer of GET /api/controls.
type catalog struct {
	Controls  []Control      `json:"controls"`
	Groups    []string       `json:"groups"`
	Scenarios []scenarioInfo `json:"scenarios"`
	Charts    []chart        `json:"charts"`
	Default   string         `json:"default"`
	MaxScale  float64        `json:"max_scale"`
	MaxRuns   int            `json:"max_runs"`
}

type scenarioInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

func (s *Server) handleControls(w http.ResponseWriter, r *http.Request) {
	def := ""
	for _, name := range preferred {
		if s.isScenario(name) {
			def = name
			break
		}
	}
	if def == "" && len(s.infos) > 0 {
		def = s.infos[0].Name
	}
	var infos []scenarioInfo
	for _, in := range s.infos {
		infos = append(infos, scenarioInfo{Name: in.Name, Description: in.Description})
	}
	writeJSON(w, http.StatusOK, catalog{Controls: s.list, Scenarios: infos, Default: def, Charts: charts,
		Groups:   []string{groupRun, groupPush, groupPolicy, groupMechanisms, groupAll},
		MaxScale: s.cfg.MaxScale, MaxRuns: s.cfg.MaxRuns})
}

func (s *Server) handleScenario(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if !s.isScenario(name) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no embedded scenario %q; choose one of: %s", name, strings.Join(s.scenarioNames(), ", ")))
		return
	}
	p, err := scenarios.Load(name)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	pr, err := preset(p, s.list, s.cfg.MaxScale)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, pr)
}
