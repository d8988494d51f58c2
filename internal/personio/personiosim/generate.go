package personiosim

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// GenerateOptions size a generated dataset. Zero counts produce empty lists.
type GenerateOptions struct {
	Seed      int64
	Employees int
	Offices   int
	Jobs      int
}

// Ids of generated records: employees count up from 1, offices from
// firstOfficeID, jobs from firstJobID.
const (
	firstOfficeID = 1001
	firstJobID    = 9001
)

// Custom attributes of generated datasets.
const (
	attrCostCenter = "dynamic_1001"
	attrShirtSize  = "dynamic_1002"
	attrLanguages  = "dynamic_1003"
	attrAnniv      = "dynamic_1004"
)

// Generate builds a realistic dataset, the same for the same options. Offices
// are named Berlin, Munich, … then "Office 21", …; every office has employees
// when there are at least as many employees as offices; jobs are spread over
// one office more than employees use, so that some jobs sit in an office no
// employee has. Statuses are mostly active with onboarding, leave and inactive
// present; about 10% have no profile picture, 5% no gender, 1% no office.
func Generate(opts GenerateOptions) *Dataset {
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x9e3779b97f4a7c15))
	d := &Dataset{
		Offices:   make([]Office, max(opts.Offices, 0)),
		Employees: make([]Employee, max(opts.Employees, 0)),
		Jobs:      make([]Job, max(opts.Jobs, 0)),
		Attributes: []AttributeDef{
			{Key: attrCostCenter, Label: "Cost center", Type: "standard"},
			{Key: attrShirtSize, Label: "Shirt size", Type: "list", Options: shirtSizes},
			{Key: attrLanguages, Label: "Languages", Type: "tags", Options: languages},
			{Key: attrAnniv, Label: "Anniversary date", Type: "date"},
		},
	}
	for i := range d.Offices {
		d.Offices[i] = Office{ID: int64(firstOfficeID + i), Name: officeName(i)}
	}
	epoch := time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range d.Employees {
		id := int64(i + 1)
		first := firstNames[rng.IntN(len(firstNames))]
		last := lastNames[rng.IntN(len(lastNames))]
		e := Employee{
			ID:         id,
			FirstName:  first.text,
			LastName:   last.text,
			Gender:     pickPercent(rng, []int{5, 50, 96}, "", "female", "male", "diverse"),
			Position:   positions[rng.IntN(len(positions))],
			Email:      email(first, last, id),
			Status:     pickPercent(rng, []int{85, 90, 94}, "active", "onboarding", "leave", "inactive"),
			Department: departments[rng.IntN(len(departments))],
			HireDate:   epoch.AddDate(0, 0, rng.IntN(14*365)).Format(time.DateOnly),
			HasPicture: rng.IntN(10) != 0,
		}
		if len(d.Offices) > 0 {
			switch {
			case i < len(d.Offices):
				e.OfficeID = d.Offices[i].ID // every office gets someone first
			case rng.IntN(100) == 0: // no office
			default:
				e.OfficeID = d.Offices[rng.IntN(len(d.Offices))].ID
			}
		}
		if rng.IntN(30) == 0 {
			e.Department = ""
		}
		e.Custom = generatedCustom(rng, e.OfficeID)
		d.Employees[i] = e
	}
	jobOffices := len(d.Offices) + 1
	for i := range d.Jobs {
		d.Jobs[i] = generatedJob(rng, i, jobOffices)
	}
	return d
}

// email is the address of a generated employee.
func email(first, last name, id int64) string {
	return first.ascii + "." + last.ascii + "." + strconv.FormatInt(id, 10) + "@acme.example"
}

func officeName(i int) string {
	if i < len(officeNames) {
		return officeNames[i]
	}
	return "Office " + strconv.Itoa(i+1)
}

// pickPercent draws n from 0..99 and returns the value of the first bound
// above n, or the last value when there is none.
func pickPercent(rng *rand.Rand, bounds []int, values ...string) string {
	n := rng.IntN(100)
	for i, bound := range bounds {
		if n < bound {
			return values[i]
		}
	}
	return values[len(bounds)]
}

func generatedCustom(rng *rand.Rand, officeID int64) map[string]any {
	c := make(map[string]any, 4)
	if officeID != 0 {
		c[attrCostCenter] = "CC-" + strconv.FormatInt(officeID, 10)
	}
	if rng.IntN(5) != 0 {
		c[attrShirtSize] = shirtSizes[rng.IntN(len(shirtSizes))]
	}
	a, b := rng.IntN(len(languages)), rng.IntN(len(languages))
	if a == b {
		c[attrLanguages] = languages[a]
	} else {
		c[attrLanguages] = languages[a] + "," + languages[b]
	}
	if rng.IntN(3) == 0 {
		c[attrAnniv] = time.Date(2015+rng.IntN(10), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	return c
}

func generatedJob(rng *rand.Rand, i, offices int) Job {
	title := jobTitles[i%len(jobTitles)]
	j := Job{
		ID:                 int64(firstJobID + i),
		Name:               title,
		Office:             officeName(i % offices),
		Department:         departments[i%len(departments)],
		Subcompany:         "Acme GmbH",
		RecruitingCategory: "Various",
		EmploymentType:     employmentTypes[i%len(employmentTypes)],
		Seniority:          seniorities[i%len(seniorities)],
		Schedule:           schedules[(i/len(employmentTypes))%len(schedules)],
		YearsOfExperience:  yearsOfExperience[i%len(yearsOfExperience)],
		Keywords:           "gridwork,büro," + strings.ToLower(departments[i%len(departments)]),
		Occupation:         "software_and_web_development",
		OccupationCategory: "it_software",
		CreatedAt:          time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(500*24)) * time.Hour),
		Descriptions: []JobDescription{
			{Name: "Your mission", Value: fmt.Sprintf("<p>Join our team in <strong>%s</strong> as %s.</p><ul><li>Ship &amp; own features</li><li>Grow with us – ünd mehr</li></ul>", officeName(i%offices), title)},
			{Name: "Your profile", Value: "<ul><li>Curiosity</li><li>Team spirit</li></ul><p>Sounds good? <a href=\"https://acme.example/jobs\">Apply</a>]]> now.</p>"},
		},
	}
	if i%3 == 0 && offices > 1 {
		j.AdditionalOffices = []string{officeName((i + 1) % offices)}
	}
	return j
}
