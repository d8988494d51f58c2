package personiosim

import (
	"slices"
	"time"
)

// The data switches of Faults, beside the transport faults in faults.go:
//
//   - HiddenListed keeps Faults.HiddenAttributes in the attribute list
//     (GET /v1/company/employees/attributes) while the employee answers
//     still leave them out: a tenant whose list and answers disagree, so
//     that only the employees show what is missing.
//   - WideEmployees gives every employee 45 more attributes (see
//     wideAttrs): standard ones such as supervisor, cost centers and
//     work schedule, and custom dynamic_9001… ones of every type. With a
//     generated dataset each employee then carries 60 attributes, as in a
//     tenant with many custom fields. The attribute list names them too.
//   - ShiftEvery makes the listing move under a reader, as a live tenant
//     does: before every ShiftEvery-th employees page with a non-zero
//     offset, one employee before that offset is deleted and one is hired
//     at the end, so total_elements stays the same while every row after
//     the deleted one moves up by one. ShiftTimes bounds how often (0:
//     every time; 1: once). Setting the faults restarts the count.

// shiftListing applies Faults.ShiftEvery before the employees page at
// offset is read.
func (s *Server) shiftListing(offset int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults
	if f.ShiftEvery <= 0 || offset == 0 || len(s.emps) == 0 {
		return
	}
	s.shiftPages++
	if s.shiftPages%f.ShiftEvery != 0 || f.ShiftTimes > 0 && s.shifts >= f.ShiftTimes {
		return
	}
	i := s.rng.IntN(min(offset, len(s.emps)))
	leaver := s.emps[i].e
	s.emps = slices.Delete(s.emps, i, i+1)
	// The hire keeps the leaver's gender, position, office, department and
	// custom values, and gets the next free id and a fresh name.
	first := firstNames[s.rng.IntN(len(firstNames))]
	last := lastNames[s.rng.IntN(len(lastNames))]
	hire := leaver.clone()
	hire.ID = nextID(s.emps, 1)
	hire.FirstName, hire.LastName = first.text, last.text
	hire.Email = email(first, last, hire.ID)
	hire.Status = "onboarding"
	hire.HireDate = s.now().Format(time.DateOnly)
	hire.HasPicture = false
	s.emps = append(s.emps, &empRecord{e: hire})
	s.shifts++
	s.logger.Debug("personiosim: the listing moved", "deleted", leaver.ID, "before_offset", offset, "hired", hire.ID)
}

// Shifts reports how many times Faults.ShiftEvery moved the listing since
// the faults were last set.
func (s *Server) Shifts() int { return locked(s, func() int { return s.shifts }) }
