/* settings/api/api_settings.c - engine settings in and out of the API, only
 * through the settings table (settings/settings_table.h). */
#include <stdlib.h>
#include <string.h>
#include "api.h"

int api_settings_load(const char *json, dp_settings *s, dp_errbuf *eb)
{
	cJSON *o, *m;
	int rc;

	if ((rc = dp_settings_defaults(s)))
		return dp_fail(eb, rc, "settings defaults");
	if (!(o = cJSON_Parse(json))) {
		dp_settings_clear(s);
		return dp_fail(eb, DP_ERR_INTERNAL, "stored settings are not JSON");
	}
	cJSON_ArrayForEach(m, o) {
		const dp_setting_def *d = dp_settings_find(m->string);
		if (!d) {
			rc = dp_fail(eb, DP_ERR_INTERNAL, "stored setting %.100s is unknown", m->string);
			break;
		}
		if ((rc = dp_settings_set_json(s, d, m, m->string, eb)))
			break;
	}
	cJSON_Delete(o);
	if (rc)
		dp_settings_clear(s);
	return rc;
}

char *api_settings_text(const dp_settings *s)
{
	cJSON *o = dp_settings_to_json(s);
	char *t = o ? cJSON_PrintUnformatted(o) : NULL;

	cJSON_Delete(o);
	return t;
}

static int in_extra(const char *const *extra, const char *k)
{
	for (; extra && *extra; extra++)
		if (!strcmp(*extra, k))
			return 1;
	return 0;
}

int api_settings_apply(dp_settings *s, const cJSON *body, const char *const *extra,
		       dp_errbuf *eb)
{
	const cJSON *m;
	int rc;

	cJSON_ArrayForEach(m, body) {
		const dp_setting_def *d;
		if (in_extra(extra, m->string))
			continue;
		if (!(d = dp_settings_find(m->string)))
			return dp_fail(eb, DP_ERR_CONFIG, "%.200s: unknown setting or field (see `doppel "
				       "settings --list`)", m->string);
		if ((rc = dp_settings_set_json(s, d, m, m->string, eb)))
			return rc;
	}
	return DP_OK;
}
