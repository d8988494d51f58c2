package personiosim

import (
	"slices"
	"strconv"
)

// The data switches of Faults, beside the transport faults in faults.go:
//
//   - HiddenListed keeps Faults.HiddenAttributes in the attribute list
//     (GET /v1/company/employees/attributes) while the employee answers
//     still leave them out: a tenant whose list and answers disagree, so
//     that only the employees show what is missing.
//   - WideEmployees gives every employee 45 more attributes (see
//     wideAttributes): standard ones such as supervisor, cost centers and
//     work schedule, and custom dynamic_9001… ones of every type. With a
//     generated dataset each employee then carries 60 attributes, as in a
//     tenant with many custom fields. The attribute list names them too.
//   - ShiftEvery makes the listing move under a reader, as a live tenant
//     does: before every ShiftEvery-th employees page with a non-zero
//     offset, one employee before that offset is deleted and one is hired
//     at the end, so total_elements stays the same while every row after
//     the deleted one moves up by one. ShiftTimes bounds how often (0:
//     every time; 1: once). Setting the faults restarts the count.

// shiftState counts what Faults.ShiftEvery has done since the faults were
// last set; it is guarded by Server.mu.
type shiftState struct {
	pages  int // employees pages with a non-zero offset served
	shifts int // shifts made
}

// shiftListing applies Faults.ShiftEvery before the employees page at
// offset is read.
func (s *Server) shiftListing(offset int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults
	if f.ShiftEvery <= 0 || offset == 0 || len(s.emps) == 0 {
		return
	}
	s.shift.pages++
	if s.shift.pages%f.ShiftEvery != 0 || f.ShiftTimes > 0 && s.shift.shifts >= f.ShiftTimes {
		return
	}
	i := s.rng.IntN(min(offset, len(s.emps)))
	leaver := s.emps[i].e
	s.emps = slices.Delete(s.emps, i, i+1)
	s.emps = append(s.emps, &empRecord{e: s.newHireLocked(leaver)})
	s.shift.shifts++
	s.logger.Debug("personiosim: the listing moved", "deleted", leaver.ID, "before_offset", offset, "hired", s.emps[len(s.emps)-1].e.ID)
}

// newHireLocked makes the employee a shift hires to replace leaver: the
// next free id, the leaver's office, position and department, a fresh
// name.
func (s *Server) newHireLocked(leaver Employee) Employee {
	id := s.nextEmployeeID()
	first := firstNames[s.rng.IntN(len(firstNames))]
	last := lastNames[s.rng.IntN(len(lastNames))]
	return Employee{
		ID:         id,
		FirstName:  first.text,
		LastName:   last.text,
		Gender:     leaver.Gender,
		Position:   leaver.Position,
		Email:      first.ascii + "." + last.ascii + "." + strconv.FormatInt(id, 10) + "@acme.example",
		Status:     "onboarding",
		OfficeID:   leaver.OfficeID,
		Department: leaver.Department,
		HireDate:   s.now().Format("2006-01-02"),
		HasPicture: false,
		Custom:     leaver.clone().Custom,
	}
}

// Shifts reports how many times Faults.ShiftEvery moved the listing since
// the faults were last set.
func (s *Server) Shifts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shift.shifts
}
