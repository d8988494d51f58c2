package personiosim

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// adminRoutes registers the admin API under /_sim/. Admin calls bypass
// faults and are not counted in Stats.
func (s *Server) adminRoutes(mux *http.ServeMux) {
	getJSON(mux, "/_sim/employees", s.Employees)
	mux.HandleFunc("POST /_sim/employees", func(w http.ResponseWriter, r *http.Request) { s.adminPutEmployee(w, r, 0) })
	mux.HandleFunc("PUT /_sim/employees/{id}", withID(s.adminPutEmployee))
	mux.HandleFunc("GET /_sim/employees/{id}", withID(func(w http.ResponseWriter, _ *http.Request, id int64) {
		if rec, _, _ := s.employee(id); rec != nil {
			adminJSON(w, http.StatusOK, rec.e)
		} else {
			adminError(w, http.StatusNotFound, fmt.Errorf("no employee %d", id))
		}
	}))
	mux.HandleFunc("DELETE /_sim/employees/{id}", adminDelete("employee", s.DeleteEmployee))
	getJSON(mux, "/_sim/jobs", s.Jobs)
	mux.HandleFunc("POST /_sim/jobs", func(w http.ResponseWriter, r *http.Request) { s.adminPutJob(w, r, 0) })
	mux.HandleFunc("PUT /_sim/jobs/{id}", withID(s.adminPutJob))
	mux.HandleFunc("DELETE /_sim/jobs/{id}", adminDelete("job", s.DeleteJob))
	getJSON(mux, "/_sim/offices", func() []Office { return s.Dataset().Offices })
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
	getJSON(mux, "/_sim/dataset", s.Dataset)
	getJSON(mux, "/_sim/faults", s.Faults)
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
	getJSON(mux, "/_sim/stats", s.Stats)
	mux.HandleFunc("POST /_sim/stats/reset", func(w http.ResponseWriter, r *http.Request) {
		s.ResetStats()
		w.WriteHeader(http.StatusNoContent)
	})
}

// getJSON serves GET pattern with what v returns.
func getJSON[T any](mux *http.ServeMux, pattern string, v func() T) {
	mux.HandleFunc("GET "+pattern, func(w http.ResponseWriter, _ *http.Request) { adminJSON(w, http.StatusOK, v()) })
}

// withID passes the {id} of the path to h, or answers 400 when it is not a
// positive integer.
func withID(h func(w http.ResponseWriter, r *http.Request, id int64)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			adminError(w, http.StatusBadRequest, fmt.Errorf("id %q is not a positive integer", r.PathValue("id")))
			return
		}
		h(w, r, id)
	}
}

// adminPutEmployee creates or replaces an employee. pathID 0 means POST: the
// body's id, or the next free id when it has none.
func (s *Server) adminPutEmployee(w http.ResponseWriter, r *http.Request, pathID int64) {
	var e Employee
	if !decodeBody(w, r, &e) {
		return
	}
	e.Status = cmp.Or(e.Status, "active")
	// One lock from the id to the write: two requests at once neither get
	// the same new id nor both report 201.
	s.mu.Lock()
	e.ID = cmp.Or(pathID, e.ID, nextID(s.emps, 1))
	_, existed := find(s.emps, e.ID)
	err := checkEmployee(e, s.offices)
	if err == nil {
		s.putEmployee(e)
	}
	s.mu.Unlock()
	if err != nil {
		adminError(w, http.StatusBadRequest, err)
		return
	}
	adminJSON(w, putStatus(existed), e)
}

// adminPutJob creates or replaces a job. pathID 0 means POST: the body's
// id, or the next free id when it has none.
func (s *Server) adminPutJob(w http.ResponseWriter, r *http.Request, pathID int64) {
	var j Job
	if !decodeBody(w, r, &j) {
		return
	}
	j.ID = cmp.Or(pathID, j.ID)
	if j.ID < 0 {
		adminError(w, http.StatusBadRequest, fmt.Errorf("job id must be positive"))
		return
	}
	s.mu.Lock() // as for employees: one lock from the id to the write
	j.ID = cmp.Or(j.ID, max(firstJobID, nextID(s.jobs, firstJobID)))
	_, existed := find(s.jobs, j.ID)
	s.putJob(j)
	s.mu.Unlock()
	adminJSON(w, putStatus(existed), j)
}

// putStatus is the status of an admin PUT or POST: 201 for a new record.
func putStatus(existed bool) int {
	if existed {
		return http.StatusOK
	}
	return http.StatusCreated
}

func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := decodeStrict(http.MaxBytesReader(w, r.Body, 8<<20), v); err != nil {
		adminError(w, http.StatusBadRequest, fmt.Errorf("decode request body: %w", err))
		return false
	}
	return true
}

// adminDelete serves DELETE …/{id}: 204 when del removed the record, 404
// when there was none.
func adminDelete(what string, del func(id int64) bool) http.HandlerFunc {
	return withID(func(w http.ResponseWriter, _ *http.Request, id int64) {
		if !del(id) {
			adminError(w, http.StatusNotFound, fmt.Errorf("no %s %d", what, id))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
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
