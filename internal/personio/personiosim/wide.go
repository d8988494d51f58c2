package personiosim

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// wideAttr is one of the attributes Faults.WideEmployees adds to every
// employee. Its value is derived from the employee, so that the switch
// costs no memory per employee however large the tenant.
type wideAttr struct {
	key, label, typ string
	options         []string // for list attributes
	// value appends the JSON value for e; h is a hash of the employee's
	// id and the attribute, for variety.
	value func(b []byte, e Employee, h uint64) []byte
}

// wideAttrs are the 45 attributes Faults.WideEmployees adds (with the 11
// standard and the 4 custom attributes of a generated dataset, each
// employee carries 60, as employees of a tenant with many custom fields
// do), with the shapes of Personio's own example answer: related objects
// (team, subcompany, supervisor as a nested employee), lists of objects
// (cost centers, absence entitlements), decimals, dates, and custom
// attributes of every type (standard, date, decimal, integer, list, tags,
// multiline).
var wideAttrs = func() []wideAttr {
	str := func(pick func(e Employee, h uint64) string) func([]byte, Employee, uint64) []byte {
		return func(b []byte, e Employee, h uint64) []byte { return appendStrOrNull(b, pick(e, h)) }
	}
	oneOf := func(opts ...string) func([]byte, Employee, uint64) []byte {
		return str(func(_ Employee, h uint64) string { return opts[h%uint64(len(opts))] })
	}
	date := func(every uint64, base string) func([]byte, Employee, uint64) []byte {
		return func(b []byte, e Employee, h uint64) []byte {
			if every > 1 && h%every != 0 {
				return append(b, "null"...)
			}
			t, _ := time.Parse(time.DateOnly, base)
			return appendString(b, t.AddDate(0, 0, int(h%3650)).Format(time.DateOnly))
		}
	}
	stamp := func(b []byte, _ Employee, h uint64) []byte {
		t := time.Date(2017, 5, 23, 9, 49, 3, 0, time.FixedZone("", 2*3600)).Add(time.Duration(h%(5*365*24*3600)) * time.Second)
		return appendString(b, t.Format(time.RFC3339))
	}
	number := func(mod uint64, scale float64) func([]byte, Employee, uint64) []byte {
		return func(b []byte, _ Employee, h uint64) []byte {
			return strconv.AppendFloat(b, float64(h%mod)*scale, 'f', -1, 64)
		}
	}
	related := func(typ string, base int64, n uint64, name string) func([]byte, Employee, uint64) []byte {
		return func(b []byte, _ Employee, h uint64) []byte {
			k := int64(h % n)
			return appendRelated(b, typ, base+k, name+" "+strconv.FormatInt(k+1, 10))
		}
	}
	// inactive gives inactive employees v's value and the others null.
	inactive := func(v func([]byte, Employee, uint64) []byte) func([]byte, Employee, uint64) []byte {
		return func(b []byte, e Employee, h uint64) []byte {
			if e.Status != "inactive" {
				return append(b, "null"...)
			}
			return v(b, e, h)
		}
	}
	list := func(key, label string, opts ...string) wideAttr {
		return wideAttr{key: key, label: label, typ: "list", options: opts, value: oneOf(opts...)}
	}
	tags := func(opts ...string) func([]byte, Employee, uint64) []byte {
		return str(func(_ Employee, h uint64) string {
			a, c := opts[h%uint64(len(opts))], opts[(h>>8)%uint64(len(opts))]
			if a == c {
				return a
			}
			return a + "," + c
		})
	}
	return []wideAttr{
		{key: "preferred_name", label: "Name (preferred)", typ: "standard", value: str(func(e Employee, _ uint64) string { return e.FirstName + " " + e.LastName })},
		{key: "supervisor", label: "Supervisor", typ: "standard", value: appendSupervisor},
		{key: "employment_type", label: "Employment type", typ: "standard", value: oneOf("internal", "internal", "internal", "external")},
		{key: "weekly_working_hours", label: "Weekly hours", typ: "standard", value: oneOf("40", "40", "32", "20")},
		{key: "contract_end_date", label: "Contract ends", typ: "date", value: date(7, "2026-01-31")},
		{key: "termination_date", label: "Termination date", typ: "date", value: inactive(date(1, "2023-01-01"))},
		{key: "termination_type", label: "Termination type", typ: "standard", value: inactive(oneOf("Resignation", "Termination by employer", "Mutual agreement"))},
		{key: "termination_reason", label: "Termination reason", typ: "standard", value: str(func(Employee, uint64) string { return "" })},
		{key: "probation_period_end", label: "Probation period end", typ: "date", value: date(3, "2019-06-30")},
		{key: "created_at", label: "Created at", typ: "date", value: stamp},
		{key: "last_modified_at", label: "Last modified", typ: "date", value: stamp},
		{key: "subcompany", label: "Subcompany", typ: "standard", value: related("Subcompany", 7033, 3, "Acme Subsidiary")},
		{key: "cost_centers", label: "Cost center", typ: "standard", value: appendCostCenters},
		{key: "holiday_calendar", label: "Public holidays", typ: "standard", value: appendHolidayCalendar},
		{key: "absence_entitlement", label: "Absence entitlement", typ: "standard", value: appendEntitlements},
		{key: "work_schedule", label: "Work schedule", typ: "standard", value: appendWorkSchedule},
		{key: "fix_salary", label: "Fix salary", typ: "decimal", value: number(4000, 1.5)},
		{key: "fix_salary_interval", label: "Salary interval", typ: "standard", value: oneOf("monthly", "monthly", "yearly")},
		{key: "hourly_salary", label: "Hourly salary", typ: "decimal", value: number(1, 0)},
		{key: "vacation_day_balance", label: "Vacation day balance", typ: "decimal", value: number(60, 0.5)},
		{key: "last_working_day", label: "Last day of work", typ: "date", value: date(20, "2025-12-31")},
		{key: "team", label: "Team", typ: "standard", value: related("Team", 59026, 40, "Team")},

		{key: "dynamic_9001", label: "Title", typ: "standard", value: oneOf("", "", "", "Dr", "Prof. Dr")},
		{key: "dynamic_9002", label: "IBAN", typ: "standard", value: str(func(e Employee, _ uint64) string {
			return "DE89 3704 0044 " + strconv.FormatInt(1000_0000_00+e.ID, 10)
		})},
		{key: "dynamic_9003", label: "Birthday", typ: "date", value: date(1, "1965-01-01")},
		list("dynamic_9004", "Contract type", "Permanent", "Fixed-term", "Working student", "Internship"),
		{key: "dynamic_9005", label: "Skills", typ: "tags", value: tags("Go", "SQL", "Kubernetes", "Figma", "Excel", "Negotiation", "Python")},
		{key: "dynamic_9006", label: "Bonus target (%)", typ: "decimal", value: number(40, 0.5)},
		{key: "dynamic_9007", label: "Parking spot", typ: "integer", value: func(b []byte, _ Employee, h uint64) []byte {
			if h%3 == 0 {
				return append(b, "null"...)
			}
			return strconv.AppendUint(b, h%400+1, 10)
		}},
		{key: "dynamic_9008", label: "Home address", typ: "multiline", value: str(func(e Employee, h uint64) string {
			return "Musterstraße " + strconv.FormatUint(h%200+1, 10) + "\n" + strconv.FormatUint(10115+h%900, 10) + " Berlin"
		})},
		{key: "dynamic_9009", label: "Phone (work)", typ: "standard", value: str(func(e Employee, _ uint64) string {
			return "+49 30 " + strconv.FormatInt(5550000+e.ID, 10)
		})},
		{key: "dynamic_9010", label: "Emergency contact", typ: "standard", value: str(func(e Employee, h uint64) string {
			return firstNames[h%uint64(len(firstNames))].text + " " + e.LastName + ", +49 170 " + strconv.FormatUint(1000000+h%9000000, 10)
		})},
		{key: "dynamic_9011", label: "Visa expiry", typ: "date", value: date(9, "2026-03-01")},
		list("dynamic_9012", "Seniority level", "Junior", "Mid", "Senior", "Lead", "Principal"),
		{key: "dynamic_9013", label: "Commute (km)", typ: "decimal", value: number(600, 0.1)},
		{key: "dynamic_9014", label: "Tax ID", typ: "standard", value: str(func(e Employee, _ uint64) string {
			return strconv.FormatInt(10_000_000_000+e.ID*7919, 10)
		})},
		{key: "dynamic_9015", label: "Social security number", typ: "standard", value: str(func(e Employee, h uint64) string {
			return strconv.FormatUint(10+h%80, 10) + " " + strconv.FormatInt(100000+e.ID%900000, 10) + " M " + strconv.FormatUint(h%1000, 10)
		})},
		list("dynamic_9016", "Nationality", "German", "Austrian", "Swiss", "Polish", "Spanish", "French", "Irish", "Chinese", "Turkish"),
		{key: "dynamic_9017", label: "Certifications", typ: "tags", value: tags("AWS SAA", "CKA", "PMP", "Scrum Master", "CPA", "")},
		{key: "dynamic_9018", label: "Last performance review", typ: "date", value: date(2, "2024-01-15")},
		{key: "dynamic_9019", label: "Desk number", typ: "integer", value: func(b []byte, e Employee, _ uint64) []byte {
			return strconv.AppendInt(b, e.ID%500+100, 10)
		}},
		{key: "dynamic_9020", label: "Slack handle", typ: "standard", value: str(func(e Employee, _ uint64) string {
			return "@" + strings.ToLower(strings.Split(e.Email, "@")[0])
		})},
		list("dynamic_9021", "Laptop", "MacBook Pro 14", "MacBook Air 13", "ThinkPad X1 Carbon", "Dell XPS 15"),
		{key: "dynamic_9022", label: "Notes", typ: "multiline", value: oneOf("", "", "Prefers a standing desk.\nVegetarian.", "Mentor for new hires.")},
		{key: "dynamic_9023", label: "Remote days per week", typ: "decimal", value: number(6, 1)},
	}
}()

// wideOf is what Faults.WideEmployees adds under f: nothing when it is off.
func wideOf(f Faults) []wideAttr {
	if f.WideEmployees {
		return wideAttrs
	}
	return nil
}

// wideHash mixes an employee id and an attribute index (splitmix64).
func wideHash(id int64, i int) uint64 {
	z := uint64(id)*0x9e3779b97f4a7c15 + uint64(i+1)*0xbf58476d1ce4e5b9
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// appendSupervisor appends the supervisor as Personio nests it: an
// employee object with attribute envelopes of its own. Every 50th
// employee has none.
func appendSupervisor(b []byte, e Employee, _ uint64) []byte {
	if e.ID%50 == 1 {
		return append(b, "null"...)
	}
	lead := (e.ID/50)*50 + 1
	b = append(b, `{"type":"Employee","attributes":{`...)
	mark := len(b)
	b = appendAttrHead(b, mark, "id", "ID")
	b = strconv.AppendInt(b, lead, 10)
	b = appendAttrTail(b, "integer", "id")
	b = appendAttrHead(b, mark, "email", "Email")
	// Built in place: the address must not escape, or it costs an allocation.
	b = appendString(b, "lead."+strconv.FormatInt(lead, 10)+"@acme.example")
	b = appendAttrTail(b, "standard", "email")
	return append(b, "}}"...)
}

func appendCostCenters(b []byte, _ Employee, h uint64) []byte {
	b = append(b, '[')
	center := func(b []byte, id uint64, pct int) []byte {
		b = openRelated(b, "CostCenter", int64(82957+id), "Cost center "+strconv.FormatUint(id+1, 10))
		b = appendNum(b, `,"percentage":`, pct)
		return append(b, "}}"...)
	}
	if h%4 == 0 {
		b = center(b, h%12, 60)
		b = append(b, ',')
		b = center(b, (h/12)%12, 40)
	} else {
		b = center(b, h%12, 100)
	}
	return append(b, ']')
}

func appendHolidayCalendar(b []byte, _ Employee, h uint64) []byte {
	states := []string{"Bayern", "Berlin", "Hamburg", "Nordrhein-Westfalen"}
	st := states[h%uint64(len(states))]
	b = openRelated(b, "HolidayCalendar", int64(h%uint64(len(states))+1), "Deutschland ("+st+") Feiertage")
	b = append(b, `,"country":"DE","state":`...)
	b = appendString(b, st)
	return append(b, "}}"...)
}

func appendEntitlements(b []byte, _ Employee, h uint64) []byte {
	b = appendNum(b, `[{"type":"TimeOffType","attributes":{"id":113437,"name":"Paid vacation","category":"paid_vacation","entitlement":`, 24+h%7)
	return append(b, `}},{"type":"TimeOffType","attributes":{"id":113438,"name":"Sick days","category":"sick_leave","entitlement":0}}]`...)
}

func appendWorkSchedule(b []byte, _ Employee, h uint64) []byte {
	hours := []string{"08:00", "06:24", "04:00"}[h%3]
	b = openRelated(b, "WorkSchedule", int64(97188+h%3), "Standard schedule")
	b = append(b, `,"valid_from":null`...)
	for _, day := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		b = append(b, `,"`...)
		b = append(b, day...)
		b = append(b, `":"`...)
		b = append(b, hours...)
		b = append(b, '"')
	}
	return append(b, `,"saturday":"00:00","sunday":"00:00"}}`...)
}

// appendWide appends the wide attributes of e that want accepts (all when
// want is nil) and that the dataset does not declare itself, each after a
// comma when b has grown past mark.
func appendWide(b []byte, wide []wideAttr, e Employee, declared []AttributeDef, want func(string) bool, mark int) []byte {
	for i, a := range wide {
		if want != nil && !want(a.key) || isDeclared(declared, a.key) {
			continue
		}
		b = appendAttrHead(b, mark, a.key, a.label)
		b = a.value(b, e, wideHash(e.ID, i))
		b = appendAttrTail(b, a.typ, wideUniversalID(a.key))
	}
	return b
}

func isDeclared(attrs []AttributeDef, key string) bool {
	return slices.ContainsFunc(attrs, func(a AttributeDef) bool { return a.Key == key })
}

// wideUniversalID is a wide attribute's universal id: standard attributes
// have their key, custom ones none.
func wideUniversalID(key string) string {
	if strings.HasPrefix(key, "dynamic_") {
		return ""
	}
	return key
}
