package personiosim

// name is a display name with the ASCII form used to build email addresses.
type name struct{ text, ascii string }

// The name tables mix German, Nordic, Slavic, Romance, Irish and Chinese
// names on purpose: every consumer of Personio data meets non-ASCII text.
var (
	firstNames = []name{
		{"Anna", "anna"}, {"Lukas", "lukas"}, {"Zoë", "zoe"}, {"Søren", "soren"},
		{"Łukasz", "lukasz"}, {"José", "jose"}, {"Jürgen", "jurgen"}, {"Chloé", "chloe"},
		{"Sofia", "sofia"}, {"Mateo", "mateo"}, {"Björn", "bjorn"}, {"Siobhán", "siobhan"},
		{"Noah", "noah"}, {"Emma", "emma"}, {"Małgorzata", "malgorzata"}, {"Ángel", "angel"},
		{"Mia", "mia"}, {"Leon", "leon"}, {"Ines", "ines"}, {"Tomáš", "tomas"},
		{"Hannah", "hannah"}, {"Elias", "elias"}, {"Renée", "renee"}, {"Kári", "kari"},
		{"伟", "wei"}, {"芳", "fang"}, {"Olivia", "olivia"}, {"Paul", "paul"},
		{"Maximilian", "maximilian"}, {"Laura", "laura"}, {"François", "francois"}, {"Ayşe", "ayse"},
		{"Jonas", "jonas"}, {"Lena", "lena"}, {"Dolores", "dolores"}, {"Oğuz", "oguz"},
	}
	lastNames = []name{
		{"Müller", "muller"}, {"Schmidt", "schmidt"}, {"Schneider", "schneider"}, {"Fischer", "fischer"},
		{"Weiß", "weiss"}, {"Ólafsdóttir", "olafsdottir"}, {"Nowak", "nowak"}, {"Kowalczyk", "kowalczyk"},
		{"García", "garcia"}, {"Fernández", "fernandez"}, {"Jørgensen", "jorgensen"}, {"Lindqvist", "lindqvist"},
		{"O'Brien", "obrien"}, {"Dubois", "dubois"}, {"Rossi", "rossi"}, {"Silva", "silva"},
		{"李", "li"}, {"王", "wang"}, {"张", "zhang"}, {"Novák", "novak"},
		{"Dvořák", "dvorak"}, {"Bergmann", "bergmann"}, {"Hoffmann", "hoffmann"}, {"Şahin", "sahin"},
		{"van der Berg", "vanderberg"}, {"de Jong", "dejong"}, {"Kühn", "kuhn"}, {"Björklund", "bjorklund"},
		{"Nieminen", "nieminen"}, {"Papadopoulos", "papadopoulos"}, {"Gonçalves", "goncalves"}, {"Zieliński", "zielinski"},
	}
	positions = []string{
		"Software Engineer", "Senior Software Engineer", "Product Manager", "Designer",
		"Account Executive", "Customer Success Manager", "Recruiter", "Office Manager",
		"Data Analyst", "Head of Marketing", "Accountant", "Support Specialist",
		"Site Reliability Engineer", "Sales Development Representative", "HR Business Partner", "CTO",
	}
	departments = []string{
		"Engineering", "Product", "Sales", "Marketing", "Customer Success", "People & Culture", "Finance", "Operations",
	}
	officeNames = []string{
		"Berlin", "Munich", "Hamburg", "Vienna", "Zurich", "Amsterdam", "Madrid", "Barcelona", "London", "Dublin",
		"Paris", "Lisbon", "Prague", "Warsaw", "Stockholm", "Copenhagen", "Milan", "Brussels", "Oslo", "Helsinki",
	}
	jobTitles = []string{
		"Backend Engineer (Go)", "Frontend Engineer (TypeScript)", "Working Student Marketing (m/w/d)",
		"Senior Product Designer", "Account Executive DACH", "Customer Support Specialist – Français",
		"Data Engineer", "Office- und Feelgood Manager (m/w/d)", "Intern Finance & Controlling",
		"Trainee Sales", "Freelance Illustrator", "Head of People",
	}
	shirtSizes = []string{"XS", "S", "M", "L", "XL", "XXL"}
	languages  = []string{"English", "German", "French", "Spanish", "Polish", "Mandarin"}

	employmentTypes   = []string{"permanent", "intern", "trainee", "freelance"}
	schedules         = []string{"full-time", "part-time"}
	seniorities       = []string{"entry-level", "experienced", "executive", "student"}
	yearsOfExperience = []string{"lt-1", "1-2", "2-5", "5-7", "7-10", "10-15", "gt-15"}
)
