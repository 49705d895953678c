/* engine/pii/locale_de.c - German mock data. Phone numbers in the 0151
 * mobile block; 5-digit postcodes; national ids are tax ids (Steuer-ID)
 * with a valid ISO 7064 check digit. */
#include <stddef.h>
#include "mock.h"

static const char *const first[] = {
	"Lukas", "Leon", "Finn", "Jonas", "Paul", "Felix", "Maximilian", "Elias", "Ben", "Noah",
	"Tim", "Jan", "Niklas", "Moritz", "Tobias", "Stefan", "Michael", "Thomas", "Andreas",
	"Markus", "Christian", "Peter", "Klaus", "Jürgen", "Uwe", "Wolfgang", "Dieter", "Frank",
	"Sven", "Florian", "Emma", "Mia", "Hannah", "Sophia", "Lena", "Lea", "Anna", "Marie",
	"Laura", "Lina", "Julia", "Katharina", "Sarah", "Johanna", "Clara", "Sabine", "Petra",
	"Monika", "Ursula", "Renate", "Claudia", "Andrea", "Susanne", "Birgit", "Karin", "Heike",
	"Nicole", "Stefanie", "Melanie", "Franziska", NULL
};
static const char *const last[] = {
	"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
	"Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
	"Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt",
	"Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler",
	"Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang",
	"Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel", "Friedrich", "Keller",
	"Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", NULL
};
static const char *const streets[] = {
	"Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Dorfstraße", "Bergstraße",
	"Birkenweg", "Lindenstraße", "Kirchstraße", "Waldstraße", "Ringstraße", "Schillerstraße",
	"Goethestraße", "Jahnstraße", "Wiesenweg", "Am Sportplatz", "Mühlenweg", "Rosenstraße",
	"Friedhofstraße", "Industriestraße", "Blumenstraße", "Eichenweg", "Feldstraße",
	"Mozartstraße", "Beethovenstraße", "Kastanienallee", "Marktplatz", "Am Bach",
	"Talstraße", "Wilhelmstraße", NULL
};
static const char *const cities[] = {
	"Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Stuttgart", "Düsseldorf",
	"Leipzig", "Dortmund", "Essen", "Bremen", "Dresden", "Hannover", "Nürnberg", "Duisburg",
	"Bochum", "Wuppertal", "Bielefeld", "Bonn", "Münster", "Mannheim", "Karlsruhe",
	"Augsburg", "Wiesbaden", "Mönchengladbach", "Gelsenkirchen", "Aachen", "Braunschweig",
	"Kiel", "Chemnitz", "Halle", "Magdeburg", "Freiburg", "Krefeld", "Mainz", "Lübeck",
	"Erfurt", "Rostock", "Kassel", "Potsdam", NULL
};
static const char *const regions[] = {
	"Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hessen",
	"Mecklenburg-Vorpommern", "Niedersachsen", "Nordrhein-Westfalen", "Rheinland-Pfalz",
	"Saarland", "Sachsen", "Sachsen-Anhalt", "Schleswig-Holstein", "Thüringen", NULL
};
static const char *const suffixes[] = { "GmbH", "AG", "GmbH & Co. KG", "KG", "e.K.", NULL };
static const char *const jobs[] = {
	"Architekt", "Bankkaufmann", "Buchhalter", "Berater", "Elektriker", "Entwickler",
	"Erzieher", "Fachinformatiker", "Fahrer", "Finanzberater", "Industriekaufmann", "Ingenieur",
	"Jurist", "Kassierer", "Koch", "Krankenpfleger", "Lagerist", "Lehrer", "Marketingleiter",
	"Mechatroniker", "Personalreferent", "Projektleiter", "Sachbearbeiter", "Sekretär",
	"Softwareentwickler", "Steuerberater", "Teamleiter", "Verkäufer", "Vertriebsleiter",
	"Analyst", NULL
};

const dp_locale_data dp_locale_de = {
	"de", first, last, streets, cities, regions, suffixes, jobs,
	"+49 151 #######", "#####", 1, "Deutschland", "DE", "DE", "##################", "de", &dp_names_de_first, &dp_names_de_last
};
