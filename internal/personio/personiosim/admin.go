package personiosim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// adminRoutes registers the admin API under /_sim/. Admin calls bypass
// faults and are not counted in Stats.
func (s *Server) adminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_sim/employees", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, http.StatusOK, s.Employees())
	})
	mux.HandleFunc("POST /_sim/employees", func(w http.ResponseWriter, r *http.Request) { s.adminPutEmployee(w, r, 0) })
	mux.HandleFunc("PUT /_sim/employees/{id}", func(w http.ResponseWriter, r *http.Request) {
		if id, ok := pathID(w, r); ok {
			s.adminPutEmployee(w, r, id)
		}
	})
	mux.HandleFunc("GET /_sim/employees/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, ok := pathID(w, r)
		if !ok {
			return
		}
		s.mu.Lock()
		i, found := s.findEmployee(id)
		var e Employee
		if found {
			e = s.emps[i].e.clone()
		}
		s.mu.Unlock()
		if !found {
			adminError(w, http.StatusNotFound, fmt.Errorf("no employee %d", id))
			return
		}
		adminJSON(w, http.StatusOK, e)
	})
	mux.HandleFunc("DELETE /_sim/employees/{id}", func(w http.ResponseWriter, r *http.Request) {
		if id, ok := pathID(w, r); ok {
			adminDeleted(w, s.DeleteEmployee(id), "employee", id)
		}
	})
	mux.HandleFunc("GET /_sim/jobs", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, http.StatusOK, s.Jobs())
	})
	mux.HandleFunc("POST /_sim/jobs", func(w http.ResponseWriter, r *http.Request) { s.adminPutJob(w, r, 0) })
	mux.HandleFunc("PUT /_sim/jobs/{id}", func(w http.ResponseWriter, r *http.Request) {
		if id, ok := pathID(w, r); ok {
			s.adminPutJob(w, r, id)
		}
	})
	mux.HandleFunc("DELETE /_sim/jobs/{id}", func(w http.ResponseWriter, r *http.Request) {
		if id, ok := pathID(w, r); ok {
			adminDeleted(w, s.DeleteJob(id), "job", id)
		}
	})
	mux.HandleFunc("GET /_sim/offices", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, http.StatusOK, s.Dataset().Offices)
	})
	mux.HandleFunc("POST /_sim/offices", func(w http.ResponseWriter, r *http.Request) {
		var o Office
		if !decodeBody(w, r, &o) {
			return
		}
		if o.ID <= 0 || o.Name == "" {
			adminError(w, http.StatusBadRequest, fmt.Errorf("an office needs a positive id and a name"))
			return
		}
		s.UpsertOffice(o)
		adminJSON(w, http.StatusOK, o)
	})
	mux.HandleFunc("GET /_sim/dataset", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, http.StatusOK, s.Dataset())
	})
	mux.HandleFunc("GET /_sim/faults", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, http.StatusOK, s.Faults())
	})
	mux.HandleFunc("PUT /_sim/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Faults
		if !decodeBody(w, r, &f) {
			return
		}
		if err := f.Validate(); err != nil {
			adminError(w, http.StatusBadRequest, err)
			return
		}
		s.SetFaults(f)
		adminJSON(w, http.StatusOK, s.Faults())
	})
	mux.HandleFunc("GET /_sim/stats", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, http.StatusOK, s.Stats())
	})
	mux.HandleFunc("POST /_sim/stats/reset", func(w http.ResponseWriter, r *http.Request) {
		s.ResetStats()
		w.WriteHeader(http.StatusNoContent)
	})
}

// adminPutEmployee creates or replaces an employee. pathID 0 means POST: the
// body's id, or the next free id when it has none.
func (s *Server) adminPutEmployee(w http.ResponseWriter, r *http.Request, pathID int64) {
	var e Employee
	if !decodeBody(w, r, &e) {
		return
	}
	if pathID != 0 {
		e.ID = pathID
	}
	if e.Status == "" {
		e.Status = "active"
	}
	s.mu.Lock()
	if e.ID == 0 {
		e.ID = s.nextEmployeeID()
	}
	_, existed := s.findEmployee(e.ID)
	known := map[int64]bool{}
	for id := range s.offices {
		known[id] = true
	}
	s.mu.Unlock()
	if err := checkEmployee(e, known); err != nil {
		adminError(w, http.StatusBadRequest, err)
		return
	}
	s.UpsertEmployee(e)
	status := http.StatusOK
	if !existed {
		status = http.StatusCreated
	}
	adminJSON(w, status, e)
}

func (s *Server) adminPutJob(w http.ResponseWriter, r *http.Request, pathID int64) {
	var j Job
	if !decodeBody(w, r, &j) {
		return
	}
	if pathID != 0 {
		j.ID = pathID
	}
	s.mu.Lock()
	if j.ID == 0 {
		j.ID = firstJobID
		if len(s.jobs) > 0 {
			j.ID = max(firstJobID, s.jobs[len(s.jobs)-1].ID+1)
		}
	}
	_, existed := s.findJob(j.ID)
	s.mu.Unlock()
	if j.ID < 0 {
		adminError(w, http.StatusBadRequest, fmt.Errorf("job id must be positive"))
		return
	}
	s.UpsertJob(j)
	status := http.StatusOK
	if !existed {
		status = http.StatusCreated
	}
	adminJSON(w, status, j)
}

func pathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		adminError(w, http.StatusBadRequest, fmt.Errorf("id %q is not a positive integer", r.PathValue("id")))
		return 0, false
	}
	return id, true
}

func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		adminError(w, http.StatusBadRequest, fmt.Errorf("decode request body: %w", err))
		return false
	}
	return true
}

func adminDeleted(w http.ResponseWriter, found bool, what string, id int64) {
	if !found {
		adminError(w, http.StatusNotFound, fmt.Errorf("no %s %d", what, id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func adminJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		adminError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, status, append(b, '\n'))
}

func adminError(w http.ResponseWriter, status int, err error) {
	b, _ := json.Marshal(map[string]string{"error": err.Error()})
	writeJSON(w, status, append(b, '\n'))
}
