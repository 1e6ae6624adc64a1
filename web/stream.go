package web

import (
	"net/http"
	"time"
)

// keepAlive is how often an idle event stream sends a comment, so proxies
// and browsers keep it open.
const keepAlive = 15 * time.Second

// handleEvents streams a run to the page as server-sent events: "setup"
// (again after every Setup and Reset), "month" for each simulated month and
// "state" when the run starts, pauses, changes speed or ends. A page that
// connects, or reconnects, first gets the whole run so far.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	ss := s.find(w, r)
	if ss == nil {
		return
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, "this connection cannot stream events")
		return
	}
	ch, replay, err := ss.subscribe()
	if err != nil {
		writeError(w, http.StatusTooManyRequests, err.Error())
		return
	}
	defer ss.unsubscribe(ch)
	// The server's read timeout bounds how long a request takes to arrive;
	// a stream lasts as long as its page, so it lifts the deadline (which
	// would otherwise end the stream, and the page would reconnect).
	http.NewResponseController(w).SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte("retry: 1000\n\n")); err != nil {
		return
	}
	for _, msg := range replay {
		if _, err := w.Write(msg); err != nil {
			return
		}
	}
	flusher.Flush()
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case msg, ok := <-ch:
			if !ok {
				return // dropped for falling behind, or the run ended: the page reconnects
			}
			if !writeQueued(w, msg, ch) {
				flusher.Flush()
				return
			}
			flusher.Flush()
		case <-tick.C:
			if _, err := w.Write([]byte(": keep-alive\n\n")); err != nil {
				return
			}
			flusher.Flush()
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
}

// writeQueued writes msg and whatever else has queued up behind it, so that
// one flush sends them together. It reports whether the stream goes on.
func writeQueued(w http.ResponseWriter, msg []byte, ch chan []byte) bool {
	for {
		if _, err := w.Write(msg); err != nil {
			return false
		}
		var ok bool
		select {
		case msg, ok = <-ch:
			if !ok {
				return false
			}
		default:
			return true
		}
	}
}
