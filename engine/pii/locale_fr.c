/* engine/pii/locale_fr.c - French mock data. Phone numbers in the 06 mobile
 * range; 5-digit postcodes; national ids are NIR numbers with a valid key. */
#include <stddef.h>
#include "mock.h"

static const char *const first[] = {
	"Gabriel", "Léo", "Raphaël", "Arthur", "Louis", "Lucas", "Adam", "Jules", "Hugo", "Maël",
	"Nathan", "Thomas", "Nicolas", "Julien", "Antoine", "Pierre", "Philippe", "Michel", "Alain",
	"Patrick", "Christophe", "Sébastien", "Laurent", "François", "Olivier", "Éric", "David",
	"Frédéric", "Mathieu", "Vincent", "Jade", "Louise", "Emma", "Alice", "Ambre", "Lina",
	"Rose", "Chloé", "Léa", "Manon", "Camille", "Inès", "Sarah", "Juliette", "Marie",
	"Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Valérie", "Sandrine",
	"Christine", "Céline", "Aurélie", "Élodie", "Sophie", "Anne", "Claire", "Hélène", NULL
};
static const char *const last[] = {
	"Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
	"Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
	"Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
	"Muller", "Lefebvre", "Faure", "Andre", "Mercier", "Blanc", "Guerin", "Boyer", "Garnier",
	"Chevalier", "Francois", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clement",
	"Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand",
	"Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noel", "Meyer", "Dufour", "Meunier", NULL
};
static const char *const streets[] = {
	"rue de la Paix", "rue Victor Hugo", "avenue Jean Jaurès", "rue de la République",
	"boulevard Pasteur", "rue du Moulin", "rue des Écoles", "place de l'Église",
	"rue de la Gare", "avenue de la Libération", "rue Jules Ferry", "rue du Château",
	"chemin des Vignes", "rue des Lilas", "rue Pasteur", "allée des Tilleuls",
	"rue Nationale", "rue de Verdun", "avenue Foch", "rue Gambetta", "rue Carnot",
	"rue du Stade", "impasse des Roses", "rue de la Mairie", "rue des Jardins",
	"boulevard Voltaire", "rue Émile Zola", "rue Saint-Martin", "quai de la Loire",
	"rue Principale", NULL
};
static const char *const cities[] = {
	"Paris", "Marseille", "Lyon", "Toulouse", "Nice", "Nantes", "Montpellier", "Strasbourg",
	"Bordeaux", "Lille", "Rennes", "Reims", "Toulon", "Saint-Étienne", "Le Havre", "Grenoble",
	"Dijon", "Angers", "Nîmes", "Villeurbanne", "Clermont-Ferrand", "Le Mans", "Aix-en-Provence",
	"Brest", "Tours", "Amiens", "Limoges", "Annecy", "Perpignan", "Boulogne-Billancourt",
	"Metz", "Besançon", "Orléans", "Rouen", "Mulhouse", "Caen", "Nancy", "Argenteuil",
	"Montreuil", "Roubaix", NULL
};
static const char *const regions[] = {
	"Auvergne-Rhône-Alpes", "Bourgogne-Franche-Comté", "Bretagne", "Centre-Val de Loire",
	"Corse", "Grand Est", "Hauts-de-France", "Île-de-France", "Normandie",
	"Nouvelle-Aquitaine", "Occitanie", "Pays de la Loire", "Provence-Alpes-Côte d'Azur", NULL
};
static const char *const suffixes[] = { "SARL", "SAS", "SA", "EURL", "et Fils", NULL };
static const char *const jobs[] = {
	"Architecte", "Assistant de direction", "Avocat", "Boulanger", "Chargé de clientèle",
	"Chauffeur", "Chef de projet", "Comptable", "Conseiller financier", "Consultant",
	"Développeur", "Directeur commercial", "Électricien", "Enseignant", "Infirmier",
	"Ingénieur", "Juriste", "Logisticien", "Magasinier", "Mécanicien", "Pharmacien",
	"Responsable marketing", "Responsable RH", "Secrétaire", "Technicien", "Vendeur",
	"Caissier", "Analyste", "Gestionnaire de paie", "Acheteur", NULL
};

const dp_locale_data dp_locale_fr = {
	"fr", first, last, streets, cities, regions, suffixes, jobs,
	"+33 6 ## ## ## ##", "#####", 0, "France", "FR", "FR", "#######################", "fr", &dp_names_fr_first, &dp_names_fr_last
};
