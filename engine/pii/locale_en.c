/* engine/pii/locale_en.c - English (US-style) mock data. Common given names
 * and surnames, generic street names, and city names; phone numbers in the
 * 555-01xx range reserved for fiction. */
#include <stddef.h>
#include "mock.h"

static const char *const first[] = {
	"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
	"Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
	"Sarah", "Charles", "Karen", "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty",
	"Anthony", "Margaret", "Mark", "Sandra", "Donald", "Ashley", "Steven", "Kimberly", "Paul",
	"Emily", "Andrew", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda",
	"Brian", "Dorothy", "George", "Melissa", "Timothy", "Deborah", "Ronald", "Stephanie",
	"Edward", "Rebecca", "Jason", "Sharon", "Jeffrey", "Laura", "Ryan", "Cynthia", "Jacob",
	"Kathleen", "Gary", "Amy", "Nicholas", "Angela", "Eric", "Shirley", "Jonathan", "Anna",
	"Stephen", "Brenda", "Larry", "Pamela", "Justin", "Emma", "Scott", "Nicole", "Brandon",
	"Helen", "Benjamin", "Samantha", "Samuel", "Katherine", "Gregory", "Christine", "Alexander",
	"Debra", "Frank", "Rachel", "Patrick", "Carolyn", "Raymond", "Janet", "Jack", "Catherine",
	"Dennis", "Maria", "Jerry", "Heather", "Tyler", "Diane", "Aaron", "Ruth", "Jose", "Julie",
	"Adam", "Olivia", "Nathan", "Joyce", "Henry", "Virginia", "Douglas", "Victoria", "Zachary",
	"Kelly", "Peter", "Lauren", "Kyle", "Christina", "Ethan", "Joan", "Walter", "Evelyn",
	"Noah", "Judith", "Jeremy", "Megan", "Christian", "Andrea", "Keith", "Cheryl", "Roger",
	"Hannah", "Terry", "Jacqueline", "Gerald", "Martha", "Harold", "Gloria", "Sean", "Teresa",
	"Austin", "Ann", "Carl", "Sara", "Arthur", "Madison", "Lawrence", "Frances", "Dylan",
	"Kathryn", "Jesse", "Janice", "Jordan", "Jean", "Bryan", "Abigail", "Billy", "Alice",
	"Joe", "Julia", "Bruce", "Judy", "Gabriel", "Sophia", "Logan", "Grace", "Albert", "Denise",
	"Willie", "Amber", "Alan", "Doris", "Juan", "Marilyn", "Wayne", "Danielle", "Elijah",
	"Beverly", "Randy", "Isabella", "Roy", "Theresa", "Vincent", "Diana", "Ralph", "Natalie",
	"Eugene", "Brittany", "Russell", "Charlotte", "Bobby", "Marie", "Mason", "Kayla", "Philip",
	"Alexis", "Louis", "Lori", NULL
};

static const char *const last[] = {
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
	"Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
	"Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
	"Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
	"Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
	"Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans",
	"Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris",
	"Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
	"Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson",
	"Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price",
	"Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
	"Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson",
	"Barnes", "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan", "Patterson",
	"Alexander", "Hamilton", "Graham", "Reynolds", "Griffin", "Wallace", "Moreno", "West",
	"Cole", "Hayes", "Bryant", "Herrera", "Gibson", "Ellis", "Tran", "Medina", "Aguilar",
	"Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens", "Harrison", "Fernandez",
	"McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen", "Freeman",
	"Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter",
	"Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Munoz", "Hunt", "Hicks",
	"Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar",
	"Fox", "Warren", "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson",
	"Nichols", "Stephens", "Soto", "Weaver", "Ryan", "Gardner", "Payne", "Grant", "Dunn", NULL
};

static const char *const streets[] = {
	"Main St", "Oak St", "Pine St", "Maple Ave", "Cedar St", "Elm St", "Washington St",
	"Lake St", "Hill St", "Park Ave", "Walnut St", "Sunset Blvd", "Lincoln Ave", "Jackson St",
	"Church St", "River Rd", "Highland Ave", "Spring St", "Center St", "Forest Ave", "Mill St",
	"Meadow Ln", "Chestnut St", "Willow St", "Franklin St", "Jefferson Ave", "Adams St",
	"Madison Ave", "Ridge Rd", "Valley Rd", "Prospect St", "Union St", "School St", "North St",
	"South St", "Broad St", "Cherry St", "Lakeview Dr", "Hillcrest Dr", "Birch Rd",
	"Dogwood Dr", "Magnolia Ave", "Orchard Ln", "Summit Ave", "Bridge St", "Front St",
	"Water St", "Market St", "Grove St", "Railroad Ave", "Academy St", "Harbor Dr",
	"Heritage Way", "Aspen Ct", "Laurel Ln", "Sycamore Dr", "Juniper Way", "Hawthorne Ave",
	"Fairview Ave", "Cottage St", "Poplar St", "Beacon St", NULL
};

static const char *const cities[] = {
	"Springfield", "Riverside", "Franklin", "Greenville", "Bristol", "Clinton", "Fairview",
	"Salem", "Madison", "Georgetown", "Arlington", "Ashland", "Burlington", "Manchester",
	"Milton", "Oxford", "Clayton", "Dayton", "Lexington", "Milford", "Winchester", "Hudson",
	"Kingston", "Dover", "Newport", "Centerville", "Mount Vernon", "Oakland", "Jackson",
	"Auburn", "Marion", "Hamilton", "Lebanon", "Columbia", "Chester", "Shelby", "Florence",
	"Troy", "Lancaster", "Princeton", "Plymouth", "Cleveland", "Richmond", "Monroe",
	"Bedford", "Camden", "Concord", "Dublin", "Easton", "Farmington", "Glendale", "Hanover",
	"Harrison", "Jamestown", "Kent", "Lakewood", "Lincoln", "Marshall", "Middletown",
	"Newton", "Orange", "Pleasantville", "Quincy", "Rockford", "Sherwood", "Stratford",
	"Summit", "Trenton", "Union", "Vienna", "Warren", "Waverly", "Westfield", "Weston",
	"Wilmington", "Windsor", "Woodstock", "York", "Belmont", "Brighton", "Cambridge",
	"Danville", NULL
};

static const char *const regions[] = {
	"Alabama", "Arizona", "California", "Colorado", "Florida", "Georgia", "Illinois",
	"Indiana", "Iowa", "Kansas", "Maine", "Maryland", "Michigan", "Minnesota", "Missouri",
	"Montana", "Nebraska", "Nevada", "New York", "Ohio", "Oregon", "Texas", "Utah",
	"Vermont", "Virginia", "Washington", "Wisconsin", NULL
};
static const char *const suffixes[] = { "Inc.", "LLC", "Corp.", "Group", "Partners", "Co.", NULL };
static const char *const jobs[] = {
	"Accountant", "Account Manager", "Analyst", "Architect", "Buyer", "Cashier", "Consultant",
	"Customer Service Representative", "Data Analyst", "Designer", "Developer", "Driver",
	"Engineer", "Financial Advisor", "HR Specialist", "Lawyer", "Marketing Manager", "Nurse",
	"Office Manager", "Operations Manager", "Pharmacist", "Product Manager", "Project Manager",
	"Sales Representative", "Software Engineer", "Store Manager", "Teacher", "Technician",
	"Warehouse Associate", "Writer", NULL
};

const dp_locale_data dp_locale_en = {
	"en", first, last, streets, cities, regions, suffixes, jobs,
	"+1 ###-555-01##", "#####", 0, "United States", "US", "GB", "AAAA##############", "com", &dp_names_en_first, &dp_names_en_last
};
