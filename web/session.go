package web

import (
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"migrasim/sim"
)

// defaultSpeed is the months per second a new run goes at: a year a second.
const defaultSpeed = 12

// maxSpeed is the fastest paced speed; 0 means as fast as the machine allows.
const maxSpeed = 1000

// session is one run on the server: replicate 0 of one or two policy
// settings, stepped month by month, with every month's event kept so that a
// page that (re)connects sees the whole run.
type session struct {
	id   string
	srv  *Server
	mu   sync.Mutex
	subs map[chan []byte]struct{}

	params  []*sim.Params
	worlds  []*sim.World
	emig    []*emigration
	gen     int      // setups and resets so far
	meta    []byte   // the setup event of this generation
	frames  [][]byte // the month events since
	running bool
	stop    chan struct{} // closed to stop the loop of a running session
	speed   float64       // months per second; 0: as fast as possible
	failure string
	touched time.Time
	closed  bool
	seq     int // state events sent: the page keeps the latest state it saw
}

func newSession(srv *Server, id string) *session {
	return &session{id: id, srv: srv, subs: map[chan []byte]struct{}{}, speed: defaultSpeed, touched: srv.now()}
}

// setup builds the worlds for params (replicate 0 of each, which runs their
// warm-up) and starts the event stream again, paused at the first month.
func (ss *session) setup(params []*sim.Params) error {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.closed {
		return fmt.Errorf("run %s has ended", ss.id)
	}
	ss.pauseLocked()
	worlds := make([]*sim.World, len(params))
	emig := make([]*emigration, len(params))
	for i, p := range params {
		w, err := ss.build(p)
		if err != nil {
			return fmt.Errorf("side %s (%s): %w", sideNames[i], p.Name, err)
		}
		worlds[i] = w
		emig[i] = newEmigration(w.Regions())
	}
	ss.params, ss.worlds, ss.emig = params, worlds, emig
	ss.gen++
	ss.frames = ss.frames[:0]
	ss.failure = ""
	a := params[0]
	ev := setupEvent{Gen: ss.gen, Start: a.Start.String(), Months: a.Months, Charts: charts,
		Map: layout(worlds[0].Regions()), Speed: ss.speed, Scale: a.Scale, Seed: a.Seed}
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		ev.Countries = append(ev.Countries, country{Code: c.Code(), Name: c.Name()})
	}
	for _, p := range params {
		ev.Sides = append(ev.Sides, sideInfo{Name: p.Name, Description: p.Description})
	}
	ss.meta = sse("setup", ev)
	ss.broadcast(ss.meta)
	ss.broadcast(ss.stateLocked())
	return nil
}

// build makes one world, turning an engine panic into an error.
func (ss *session) build(p *sim.Params) (w *sim.World, err error) {
	defer func() {
		if r := recover(); r != nil {
			ss.srv.logf("run %s: building %s: panic: %v\n%s", ss.id, p.Name, r, debug.Stack())
			err = fmt.Errorf("the engine failed to build it (%v)", r)
		}
	}()
	return sim.New(p, 0, ss.srv.pool.Run)
}

// stepLocked simulates one month on every side and sends it. It reports
// whether the run can go on.
func (ss *session) stepLocked() (ok bool) {
	if ss.failure != "" || len(ss.worlds) == 0 || ss.worlds[0].Done() {
		return false
	}
	defer func() {
		if r := recover(); r != nil {
			ss.srv.logf("run %s: month %s: panic: %v\n%s", ss.id, ss.worlds[0].Month(), r, debug.Stack())
			ss.failure = fmt.Sprintf("The simulation stopped with an internal error (%v). Press Setup to start again; please report the settings.", r)
			ok = false
		}
	}()
	a := ss.params[0]
	t := int(ss.worlds[0].Month() - a.Start)
	ev := monthEvent{T: t, Month: ss.worlds[0].Month().String()}
	for i, w := range ss.worlds {
		w.Step(ss.srv.pool.Run)
		ev.V = append(ev.V, chartValues(w.Series(), t))
		ev.Map = append(ev.Map, ss.emig[i].add(w.Regions()))
	}
	msg := sse("month", ev)
	ss.frames = append(ss.frames, msg)
	ss.broadcast(msg)
	return !ss.worlds[0].Done()
}

// step simulates one month, pausing the run first if it is going.
func (ss *session) step() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.pauseLocked()
	ss.stepLocked()
	ss.broadcast(ss.stateLocked())
}

// start makes the run go on its own at its speed until it ends or is paused.
func (ss *session) start() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.running || ss.closed || ss.failure != "" || len(ss.worlds) == 0 || ss.worlds[0].Done() {
		ss.broadcast(ss.stateLocked())
		return
	}
	ss.running = true
	ss.stop = make(chan struct{})
	go ss.loop(ss.stop)
	ss.broadcast(ss.stateLocked())
}

// loop steps the run until stop is closed or the run ends. Each step holds
// the lock only while it simulates, so requests get in between months.
func (ss *session) loop(stop chan struct{}) {
	next := time.Now()
	for {
		ss.mu.Lock()
		select {
		case <-stop:
			ss.mu.Unlock()
			return
		default:
		}
		more := ss.stepLocked()
		speed := ss.speed
		if more && len(ss.subs) == 0 && ss.srv.now().Sub(ss.touched) > ss.srv.cfg.OrphanTimeout {
			// No page watches and no request came for a while: the client
			// has gone. Pause rather than simulate for nobody.
			ss.srv.logf("run %s: paused, its page has gone", ss.id)
			more = false
		}
		if !more {
			ss.running, ss.stop = false, nil
			ss.broadcast(ss.stateLocked())
			ss.mu.Unlock()
			return
		}
		ss.mu.Unlock()
		wait := time.Duration(0)
		if speed > 0 {
			next = next.Add(time.Duration(float64(time.Second) / speed))
			if wait = time.Until(next); wait < 0 {
				next, wait = time.Now(), 0
			}
		}
		timer := time.NewTimer(wait)
		select {
		case <-stop:
			timer.Stop()
			return
		case <-timer.C:
		}
	}
}

func (ss *session) pause() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.pauseLocked()
	ss.broadcast(ss.stateLocked())
}

func (ss *session) pauseLocked() {
	if ss.running {
		close(ss.stop)
		ss.running, ss.stop = false, nil
	}
}

// reset starts the same settings again from the first month.
func (ss *session) reset() error {
	ss.mu.Lock()
	params := ss.params
	ss.mu.Unlock()
	if len(params) == 0 {
		return fmt.Errorf("run %s has nothing to reset: press Setup", ss.id)
	}
	return ss.setup(params)
}

// setSpeed sets the months per second; 0 runs as fast as possible.
func (ss *session) setSpeed(v float64) error {
	if !(v >= 0 && v <= maxSpeed) {
		return fmt.Errorf("speed %g: want months per second from 0 (as fast as possible) to %d", v, maxSpeed)
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.speed = v
	ss.broadcast(ss.stateLocked())
	return nil
}

// close stops the run for good and ends its event streams.
func (ss *session) close() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.pauseLocked()
	ss.closed = true
	for ch := range ss.subs {
		close(ch)
		delete(ss.subs, ch)
	}
	ss.worlds, ss.frames = nil, nil
}

// state returns the run's state as an event.
func (ss *session) state() stateEvent {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.stateValue()
}

func (ss *session) stateValue() stateEvent {
	st := stateEvent{Seq: ss.seq, Running: ss.running, Speed: ss.speed, Failure: ss.failure, Done: len(ss.frames)}
	if len(ss.params) > 0 {
		st.Months = ss.params[0].Months
	}
	if len(ss.worlds) > 0 {
		st.Over = ss.worlds[0].Done()
	}
	return st
}

// stateLocked returns a new state event.
func (ss *session) stateLocked() []byte {
	ss.seq++
	return sse("state", ss.stateValue())
}

// subBuffer is how many events a slow page may fall behind before it is
// dropped; its EventSource reconnects and gets the whole run again.
const subBuffer = 256

// maxWatchers is how many pages may stream one run at once.
const maxWatchers = 16

// subscribe registers a page and returns what it must see first: the setup
// event, every month so far, and the state.
func (ss *session) subscribe() (chan []byte, [][]byte, error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.closed {
		return nil, nil, fmt.Errorf("run %s has ended", ss.id)
	}
	if len(ss.subs) >= maxWatchers {
		return nil, nil, fmt.Errorf("run %s is open in %d tabs already, the limit; close some", ss.id, maxWatchers)
	}
	ch := make(chan []byte, subBuffer)
	ss.subs[ch] = struct{}{}
	replay := make([][]byte, 0, len(ss.frames)+2)
	replay = append(replay, ss.meta)
	replay = append(replay, ss.frames...)
	replay = append(replay, ss.stateLocked())
	return ch, replay, nil
}

func (ss *session) unsubscribe(ch chan []byte) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if _, ok := ss.subs[ch]; ok {
		delete(ss.subs, ch)
		close(ch)
	}
	ss.touched = ss.srv.now()
}

// broadcast sends an event to every page, dropping any that fell behind.
func (ss *session) broadcast(msg []byte) {
	for ch := range ss.subs {
		select {
		case ch <- msg:
		default:
			close(ch)
			delete(ss.subs, ch)
		}
	}
}

// idle reports whether the run is not going and no request has touched it
// since before cutoff. Pages that only show it do not count: six tabs left
// open must not lock a class out.
func (ss *session) idle(cutoff time.Time) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return !ss.running && ss.touched.Before(cutoff)
}

func (ss *session) touch() {
	ss.mu.Lock()
	ss.touched = ss.srv.now()
	ss.mu.Unlock()
}

// series returns each side's series up to the last simulated month.
func (ss *session) series() ([]sim.Series, []*sim.Params) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	out := make([]sim.Series, len(ss.worlds))
	for i, w := range ss.worlds {
		s := *w.Series()
		done := int(w.Month() - ss.params[i].Start)
		s.Months = done
		s.Values = append([]float64(nil), s.Values[:done*int(sim.NumCountries)*int(sim.NumMetrics)]...)
		out[i] = s
	}
	return out, ss.params
}
