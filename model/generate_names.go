package model

// Word lists of the generated book. Company names combine a brand word with a
// word of the company's industry, so "Harbor Freight Partners" sells freight,
// not software; person names mix many origins, as a real book does.

// genIndustry is an industry with the nouns its companies use in their names.
type genIndustry struct {
	name  string
	nouns []string
}

var genIndustries = []genIndustry{
	{"Logistics", []string{"Logistics", "Freight", "Shipping", "Transport", "Cargo"}},
	{"Healthcare", []string{"Health", "Clinics", "Medical", "Care", "Diagnostics"}},
	{"Financial services", []string{"Capital", "Financial", "Insurance", "Payments", "Wealth"}},
	{"Software", []string{"Analytics", "Software", "Labs", "Systems", "Cloud"}},
	{"Retail", []string{"Retail", "Outfitters", "Market", "Stores", "Goods"}},
	{"Manufacturing", []string{"Manufacturing", "Industries", "Components", "Works", "Fabrication"}},
	{"Legal", []string{"Legal", "Law", "Advisory", "Counsel"}},
	{"Education", []string{"Learning", "Academy", "Education", "Schools"}},
	{"Media", []string{"Media", "Studios", "Publishing", "Broadcasting"}},
	{"Energy", []string{"Energy", "Power", "Solar", "Utilities"}},
	{"Hospitality", []string{"Hotels", "Hospitality", "Resorts", "Catering"}},
	{"Construction", []string{"Construction", "Builders", "Engineering", "Property"}},
}

// genBrands are single brand words: "Northwind Logistics".
var genBrands = []string{
	"Northwind", "Bluefin", "Cedar", "Harbor", "Summit", "Ironwood", "Lakeside", "Redwood",
	"Silverline", "Granite", "Brightwater", "Copperleaf", "Falcon", "Evergreen", "Meridian",
	"Blackstone", "Clearview", "Driftwood", "Foxglove", "Goldcrest", "Highland", "Juniper",
	"Keystone", "Larkspur", "Maple", "Nimbus", "Oakridge", "Pinecrest", "Quarry", "Riverbend",
	"Saltmarsh", "Tidewater", "Upland", "Vantage", "Westfield", "Yellowpine", "Zephyr",
	"Anchor", "Beacon", "Crescent", "Delta", "Ember", "Fjord", "Glacier", "Horizon", "Indigo",
	"Kestrel", "Lumen", "Monarch", "Northstar", "Orchid", "Prairie", "Quill", "Sable",
	"Terrace", "Alder", "Birchwood", "Cobalt", "Solstice", "Ravenscroft", "Stonebridge",
}

// genPartners are the surnames of partnership names: "Cedar & Pike Legal".
var genPartners = []string{
	"Pike", "Marsh", "Holloway", "Finch", "Carver", "Abbott", "Whitlock", "Reyes", "Moreau",
	"Okafor", "Lindgren", "Castillo", "Brandt", "Nakamura", "Sutton", "Vance", "Delgado",
	"Kowalski", "Achebe", "Fairfax", "Hartley", "Quintero", "Rowe", "Sinclair", "Thorne",
}

// genSuffixes are the legal suffixes of each currency's home, chosen so a
// company billed in euros reads like a European one.
var genSuffixes = map[string][]string{
	"USD": {"Inc.", "LLC", "Corp.", "Group"},
	"EUR": {"GmbH", "B.V.", "S.A.", "AG", "SAS"},
	"GBP": {"Ltd", "plc", "Ltd"},
}

// genRegions, with the currencies their customers pay in.
var genRegions = []struct {
	name       string
	weight     int
	currencies []string
}{
	{"North America", 50, []string{"USD"}},
	{"EMEA", 30, []string{"EUR", "EUR", "GBP"}},
	{"LATAM", 10, []string{"USD"}},
	{"APAC", 10, []string{"USD"}},
}

var genFirstNames = []string{
	"Ana", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "James",
	"Kofi", "Laura", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tara",
	"Umar", "Valeria", "Wei", "Ximena", "Yusuf", "Zoe", "Aisha", "Bruno", "Chloe", "Diego",
	"Emma", "Felix", "Gabriela", "Hannah", "Ivan", "Julia", "Kenji", "Lucia", "Marco", "Nora",
	"Oscar", "Paula", "Rafael", "Sofia", "Tomás", "Uma", "Victor", "Wanjiru", "Yara", "Leo",
	"Mei", "Noah", "Olivia", "Pedro", "Rania", "Stefan", "Thandiwe", "Arjun", "Beatriz", "Chen",
}

var genLastNames = []string{
	"Silva", "Johnson", "Müller", "Okafor", "Tanaka", "García", "Novak", "Patel", "Rossi", "Kim",
	"Andersen", "Haddad", "Moreno", "Nguyen", "O'Brien", "Petrov", "Quispe", "Schmidt", "Taylor",
	"Usman", "Varga", "Wright", "Yilmaz", "Zhang", "Almeida", "Becker", "Costa", "Dubois",
	"Eriksson", "Fernández", "Gómez", "Hughes", "Ibrahim", "Jensen", "Kowalczyk", "López",
	"Mensah", "Nakamura", "Owusu", "Park", "Ramos", "Santos", "Torres", "Walsh", "Ito", "Lindqvist",
}

// genTitles are job titles by contact role.
var genTitles = map[string][]string{
	RoleChampion: {"Operations Manager", "Head of Revenue Operations", "Team Lead, Analytics", "Program Manager", "Head of Customer Operations", "Process Excellence Lead"},
	RoleSponsor:  {"VP Operations", "Chief Operating Officer", "CFO", "VP Sales", "Director of Strategy", "Chief Digital Officer"},
	RoleAdmin:    {"IT Administrator", "Systems Analyst", "Platform Owner", "IT Manager", "Business Systems Specialist"},
	RoleUser:     {"Analyst", "Coordinator", "Account Manager", "Planner", "Specialist", "Supervisor", "Consultant"},
}

// genCSMs name the CSMs of the generated books; the first matches docs/API.md.
var genCSMs = []CSM{
	{ID: "c1", Name: "Dana Ruiz", Email: "dana@example.com"},
	{ID: "c2", Name: "Malik Osei", Email: "malik@example.com"},
	{ID: "c3", Name: "Hanna Lindqvist", Email: "hanna@example.com"},
	{ID: "c4", Name: "Rafael Costa", Email: "rafael@example.com"},
}

// genExecutives are the account executives who sold the accounts.
var genExecutives = []Person{
	{Name: "Maya Chen", Email: "maya.chen@example.com"},
	{Name: "Jonas Weber", Email: "jonas.weber@example.com"},
	{Name: "Lucía Romero", Email: "lucia.romero@example.com"},
	{Name: "Kwame Boateng", Email: "kwame.boateng@example.com"},
	{Name: "Sarah O'Neill", Email: "sarah.oneill@example.com"},
	{Name: "Ravi Iyer", Email: "ravi.iyer@example.com"},
}

// NPS comments by the respondent's mood.
var (
	genPromoterComments = []string{
		"The automated reports save my team a full day every week.",
		"Great product, and support answers within the hour.",
		"Our managers finally look at the same numbers.",
		"Setup was painless and the team picked it up quickly.",
		"Workflows replaced three spreadsheets. Love it.",
		"",
	}
	genPassiveComments = []string{
		"Does the job, but the mobile app feels slow.",
		"Good overall; we would like more export options.",
		"Useful, though only part of the team has adopted it.",
		"Fine for now. Pricing is on the high side.",
		"",
	}
	genDetractorComments = []string{
		"Too expensive for the handful of people who actually use it.",
		"Dashboards take ages to load for the regional teams.",
		"The integration with our ERP keeps breaking.",
		"We never got the training we were promised.",
		"Hard to see what value we get out of it.",
	}
	// genChampionLeftComment is only said where the champion did leave.
	genChampionLeftComment = "Our champion left and nobody knows how the setup works."
)

// Note bodies by kind; %s is a contact's first name.
var genNoteBodies = map[string][]string{
	NoteCall: {
		"Call with %s: walked through the rollout to the second team; they want a short refresher on workflows.",
		"Quick call with %s about the dashboard load times; promised to check with support.",
		"%s called about adding licenses for the new hires next quarter.",
	},
	NoteMeeting: {
		"On-site meeting with %s and the operations leads; agreed the goals for the next quarter.",
		"Met %s to plan the integration with their data warehouse.",
	},
	NoteEmail: {
		"Sent %s the usage summary of last month and the link to the new training videos.",
		"%s asked by email for an invoice copy; forwarded to billing.",
	},
	NoteQBR: {
		"QBR with %s: reviewed utilization, adoption of reports and workflows, and next quarter's goals.",
		"Quarterly business review with %s and the sponsor; value story well received, expansion to discuss.",
	},
	NoteCheckIn: {
		"Proactive check-in with %s: asked who uses the product and which problems it solves for them.",
		"Check-in with %s: team is happy, wants forecasting on more product lines.",
	},
	NoteBugReport: {
		"%s reported that scheduled reports arrive twice on Mondays; ticket opened with support.",
		"%s saw a sync error with the CRM integration; engineering is looking into it.",
	},
	NoteInternal: {
		"Internal: account executive thinks the renewal may need a discount; watch utilization.",
		"Internal: synced with the account executive; %s is open to a pilot in a second team.",
	},
}

// genNextSteps become follow-up tasks.
var genNextSteps = []string{
	"Send the training recording",
	"Share the utilization report",
	"Book the next QBR",
	"Check the ticket status with support",
	"Introduce the account executive",
	"Send the NPS survey",
	"Prepare the expansion proposal",
	"Confirm the new admin's access",
	"Schedule a workflows workshop",
}

// genPlayOutcomes close historical play runs, by playbook; other plays
// close with genRiskOutcomes.
var (
	genPlayOutcomes = map[string][]string{
		"expand_growing_account": {"expanded", "expanded", "no_change"},
		"renewal_prep":           {"renewed", "renewed", "renewed_with_discount"},
	}
	genRiskOutcomes = []string{"recovered", "recovered", "no_change", "escalated"}
)
