/* engine/pii/locale_nl.c - Dutch mock data. Phone numbers use the 06-
 * mobile range with a fixed 0612 prefix block; postcodes are 4 digits + 2
 * letters; national ids are BSNs passing the 11-test. */
#include <stddef.h>
#include "mock.h"

static const char *const first[] = {
	"Daan", "Sem", "Lucas", "Levi", "Finn", "Milan", "Noah", "Jesse", "Bram", "Thijs", "Luuk",
	"Ruben", "Sven", "Lars", "Tim", "Thomas", "Jasper", "Niels", "Koen", "Bas", "Pieter", "Jan",
	"Kees", "Henk", "Willem", "Gerrit", "Hendrik", "Joost", "Maarten", "Wouter", "Emma", "Julia",
	"Mila", "Tess", "Sophie", "Zoë", "Sara", "Nina", "Eva", "Lotte", "Anna", "Fleur", "Noor",
	"Lisa", "Femke", "Sanne", "Anouk", "Iris", "Esther", "Marieke", "Ingrid", "Annelies",
	"Petra", "Wilma", "Gerda", "Johanna", "Maaike", "Inge", "Linda", "Saskia", NULL
};
static const char *const last[] = {
	"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
	"Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
	"van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
	"van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen",
	"van den Broek", "de Bruijn", "de Bruin", "van der Heijden", "Schouten", "van Beek",
	"Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster",
	"van Dam", "van der Wal", "Prins", "Blom", "Huisman", "Peeters", "de Jonge", "Kuipers",
	"van Veen", "Post", "Kuiper", "Veenstra", "Kramer", "van den Brink", "Scholten", NULL
};
static const char *const streets[] = {
	"Hoofdstraat", "Kerkstraat", "Schoolstraat", "Molenstraat", "Dorpsstraat", "Stationsweg",
	"Julianastraat", "Beatrixstraat", "Wilhelminastraat", "Nieuwstraat", "Kastanjelaan",
	"Eikenlaan", "Lindelaan", "Industrieweg", "Parallelweg", "Sportlaan", "Vondelstraat",
	"Prinsengracht", "Herengracht", "Marktstraat", "Burgemeester de Withstraat", "Zandweg",
	"Dijkstraat", "Havenstraat", "Veldweg", "Torenstraat", "Oranjestraat", "Emmastraat",
	"Prins Hendrikstraat", "Rozenstraat", NULL
};
static const char *const cities[] = {
	"Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg",
	"Almere", "Breda", "Nijmegen", "Apeldoorn", "Haarlem", "Arnhem", "Enschede", "Amersfoort",
	"Zaanstad", "Den Bosch", "Haarlemmermeer", "Zwolle", "Zoetermeer", "Leiden", "Maastricht",
	"Dordrecht", "Ede", "Alphen aan den Rijn", "Leeuwarden", "Alkmaar", "Emmen", "Delft",
	"Deventer", "Venlo", "Sittard", "Helmond", "Oss", "Amstelveen", "Hilversum", "Heerlen",
	"Hengelo", "Purmerend", "Roosendaal", NULL
};
static const char *const regions[] = {
	"Drenthe", "Flevoland", "Friesland", "Gelderland", "Groningen", "Limburg", "Noord-Brabant",
	"Noord-Holland", "Overijssel", "Utrecht", "Zeeland", "Zuid-Holland", NULL
};
static const char *const suffixes[] = { "B.V.", "N.V.", "V.O.F.", "Groep", "& Zonen", NULL };
static const char *const jobs[] = {
	"Accountant", "Adviseur", "Applicatiebeheerder", "Bakker", "Beleidsmedewerker", "Chauffeur",
	"Consultant", "Docent", "Elektricien", "Financieel medewerker", "HR-adviseur", "Inkoper",
	"Jurist", "Kassamedewerker", "Klantenservicemedewerker", "Logistiek medewerker",
	"Marketingmanager", "Monteur", "Ontwikkelaar", "Projectleider", "Receptionist",
	"Salesmanager", "Secretaresse", "Software-ontwikkelaar", "Teamleider", "Verpleegkundige",
	"Verkoper", "Magazijnmedewerker", "Architect", "Analist", NULL
};

const dp_locale_data dp_locale_nl = {
	"nl", first, last, streets, cities, regions, suffixes, jobs,
	"+31 6 12## ####", "#### AA", 1, "Nederland", "NL", "NL", "AAAA##########", "nl", &dp_names_nl_first, &dp_names_nl_last
};
