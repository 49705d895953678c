/* engine/pii/detect_names.c - column-name rules for PII detection.
 *
 * Names are normalised (lowercase, separators removed: "First_Name",
 * "firstName", "first-name" -> "firstname") and compared against a table of
 * exact names and substrings per language. Exact matches are confident;
 * substrings less so. Numeric columns can only be phone-like or ids, so a
 * text kind never lands on an INTEGER column.
 */
#include <ctype.h>
#include <string.h>
#include "detect.h"

typedef struct name_rule {
	const char *pattern;   /* normalised */
	int exact;             /* 1 = whole name, 0 = substring */
	const char *kind;
	double confidence;
	const char *lang;
} name_rule;

static const name_rule rules[] = {
	/* names */
	{"firstname", 1, "first_name", 0.95, "en"}, {"givenname", 1, "first_name", 0.95, "en"},
	{"fname", 1, "first_name", 0.85, "en"}, {"forename", 1, "first_name", 0.9, "en"},
	{"voornaam", 1, "first_name", 0.95, "nl"}, {"vorname", 1, "first_name", 0.95, "de"},
	{"prenom", 1, "first_name", 0.95, "fr"}, {"nombre", 1, "first_name", 0.7, "es"},
	{"lastname", 1, "last_name", 0.95, "en"}, {"surname", 1, "last_name", 0.95, "en"},
	{"familyname", 1, "last_name", 0.95, "en"}, {"lname", 1, "last_name", 0.85, "en"},
	{"achternaam", 1, "last_name", 0.95, "nl"}, {"nachname", 1, "last_name", 0.95, "de"},
	{"familienname", 1, "last_name", 0.95, "de"}, {"nomdefamille", 1, "last_name", 0.95, "fr"},
	{"apellido", 1, "last_name", 0.9, "es"},
	{"fullname", 1, "full_name", 0.95, "en"}, {"customername", 1, "full_name", 0.9, "en"},
	{"contactname", 1, "full_name", 0.9, "en"}, {"employeename", 1, "full_name", 0.9, "en"},
	{"personname", 1, "full_name", 0.9, "en"}, {"naam", 1, "full_name", 0.6, "nl"},
	{"firstname", 0, "first_name", 0.8, "en"}, {"lastname", 0, "last_name", 0.8, "en"},
	/* contact */
	{"email", 0, "email", 0.95, "en"}, {"emailaddress", 1, "email", 0.98, "en"},
	{"mail", 1, "email", 0.8, "en"}, {"courriel", 1, "email", 0.95, "fr"},
	{"phone", 0, "phone", 0.9, "en"}, {"telephone", 0, "phone", 0.9, "en"},
	{"mobile", 0, "phone", 0.85, "en"}, {"cellphone", 0, "phone", 0.9, "en"},
	{"fax", 1, "phone", 0.85, "en"}, {"telefoon", 0, "phone", 0.9, "nl"},
	{"telefon", 0, "phone", 0.9, "de"}, {"telefono", 0, "phone", 0.9, "es"},
	{"tel", 1, "phone", 0.8, "en"}, {"gsm", 1, "phone", 0.8, "nl"},
	/* address */
	{"address", 1, "street_address", 0.9, "en"}, {"streetaddress", 1, "street_address", 0.95, "en"},
	{"address1", 1, "street_address", 0.9, "en"}, {"addressline1", 1, "street_address", 0.9, "en"},
	{"street", 0, "street_address", 0.85, "en"}, {"adres", 1, "street_address", 0.9, "nl"},
	{"straat", 0, "street_address", 0.85, "nl"}, {"strasse", 0, "street_address", 0.85, "de"},
	{"adresse", 1, "street_address", 0.9, "de"}, {"rue", 1, "street_address", 0.8, "fr"},
	{"address", 0, "street_address", 0.8, "en"}, {"city", 0, "city", 0.8, "en"},
	{"postalcode", 0, "postcode", 0.85, "en"}, {"zipcode", 0, "postcode", 0.85, "en"},
	{"company", 1, "company", 0.7, "en"}, {"companyname", 1, "company", 0.75, "en"},
	{"city", 1, "city", 0.9, "en"}, {"town", 1, "city", 0.85, "en"},
	{"woonplaats", 1, "city", 0.9, "nl"}, {"plaats", 1, "city", 0.8, "nl"},
	{"stadt", 1, "city", 0.9, "de"}, {"ort", 1, "city", 0.8, "de"},
	{"ville", 1, "city", 0.9, "fr"}, {"ciudad", 1, "city", 0.9, "es"},
	{"postalcode", 1, "postcode", 0.95, "en"}, {"postcode", 1, "postcode", 0.95, "en"},
	{"zip", 1, "postcode", 0.9, "en"}, {"zipcode", 1, "postcode", 0.95, "en"},
	{"postleitzahl", 1, "postcode", 0.95, "de"}, {"plz", 1, "postcode", 0.9, "de"},
	{"codepostal", 1, "postcode", 0.95, "fr"},
	/* dates of birth */
	{"birthdate", 1, "date_of_birth", 0.95, "en"}, {"dateofbirth", 1, "date_of_birth", 0.98, "en"},
	{"dob", 1, "date_of_birth", 0.9, "en"}, {"birthday", 1, "date_of_birth", 0.9, "en"},
	{"geboortedatum", 1, "date_of_birth", 0.95, "nl"}, {"geburtsdatum", 1, "date_of_birth", 0.95, "de"},
	{"datedenaissance", 1, "date_of_birth", 0.95, "fr"}, {"fechadenacimiento", 1, "date_of_birth", 0.95, "es"},
	{"birth", 0, "date_of_birth", 0.8, "en"},
	/* identifiers */
	{"ssn", 1, "ssn", 0.95, "en"}, {"socialsecuritynumber", 1, "ssn", 0.98, "en"},
	{"bsn", 1, "ssn", 0.95, "nl"}, {"iban", 0, "iban", 0.95, "en"},
	{"creditcard", 0, "credit_card", 0.95, "en"}, {"cardnumber", 1, "credit_card", 0.9, "en"},
	{"ipaddress", 1, "ipv4", 0.9, "en"},
	/* accounts */
	{"username", 1, "username", 0.9, "en"}, {"login", 1, "username", 0.8, "en"},
	{"loginname", 1, "username", 0.9, "en"}, {"userid", 1, "username", 0.6, "en"},
	{"gebruikersnaam", 1, "username", 0.9, "nl"}, {"benutzername", 1, "username", 0.9, "de"},
	{"nomdutilisateur", 1, "username", 0.9, "fr"},
	{"password", 0, "password", 0.9, "en"}, {"passwd", 1, "password", 0.9, "en"},
	{"pwd", 1, "password", 0.85, "en"}, {"wachtwoord", 1, "password", 0.9, "nl"},
	{"passwort", 1, "password", 0.9, "de"}, {"motdepasse", 1, "password", 0.9, "fr"},
	/* pictures of people */
	{"picture", 1, "photo", 0.8, "en"}, {"photo", 0, "photo", 0.8, "en"},
	{"avatar", 0, "photo", 0.8, "en"}, {"portrait", 1, "photo", 0.8, "en"},
	{"foto", 1, "photo", 0.8, "nl"},
	{NULL, 0, NULL, 0, NULL}
};

static void normalise(const char *in, char *out, size_t outsz)
{
	size_t o = 0;

	for (; *in && o + 1 < outsz; in++) {
		unsigned char c = (unsigned char)*in;
		if (isalnum(c))
			out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
}

static int lang_enabled(const dp_pii_settings *st, const char *lang)
{
	if (!st || st->nlanguages == 0)
		return 1;
	for (size_t i = 0; i < st->nlanguages; i++)
		if (strcmp(st->languages[i], lang) == 0)
			return 1;
	return 0;
}

/* Kinds that produce text and therefore can't land on numeric columns. */
static int kind_fits(const char *kind, dp_tclass t)
{
	switch (t) {
	case DP_T_TEXT: case DP_T_UNKNOWN:
		return 1;
	case DP_T_DATE: case DP_T_TIMESTAMP:
		return strcmp(kind, "date_of_birth") == 0;
	case DP_T_BLOB:
		return strcmp(kind, "photo") == 0;
	default:
		return 0;
	}
}

int dp_pii_detect_column(const char *table, const dp_column *col, int is_fk,
			 const dp_pii_settings *st, dp_pii_hit *hit)
{
	char n[128];
	const name_rule *best = NULL;
	double threshold = st ? st->threshold : 0.5;

	(void)table;
	if (st && !st->use_name_rules)
		return 0;
	if (col->pk_pos || is_fk)
		return 0;
	normalise(col->name, n, sizeof(n));
	for (const name_rule *r = rules; r->pattern; r++) {
		int m = r->exact ? strcmp(n, r->pattern) == 0 : strstr(n, r->pattern) != NULL;
		if (!m || !lang_enabled(st, r->lang) || !kind_fits(r->kind, col->tclass))
			continue;
		if (!best || r->confidence > best->confidence)
			best = r;
	}
	if (!best || best->confidence < threshold)
		return 0;
	hit->kind = best->kind;
	hit->confidence = best->confidence;
	hit->rule = best->exact ? "column name" : "column name contains";
	return 1;
}
