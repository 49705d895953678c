/* settings/api/routes.c - the one route table: dispatch, the auth check
 * (role), the OpenAPI document and `doppel serve --print-routes` all read
 * it. A literal path segment is listed before a {param} that would also
 * match it (initialization_modes before {engine_id}). */
#include <stdio.h>
#include <string.h>
#include "api.h"

#define V DP_UROLE_VIEWER
#define E DP_UROLE_EDITOR
#define O DP_UROLE_OWNER

static const api_route routes[] = {
	{ "GET", API_PREFIX "/health/", api_h_health_get, DP_UROLE_NONE, API_F_PUBLIC,
	  "health", "Liveness and store schema version", "server", NULL, "Health", 200 },
	{ "POST", API_PREFIX "/auth/", api_h_auth_post, DP_UROLE_NONE, API_F_PUBLIC | API_F_BODY,
	  "login", "Log in: sets the sessionid cookie, returns the CSRF token", "auth", "Login",
	  "LoginResponse", 200 },
	{ "POST", API_PREFIX "/auth/logout/", api_h_auth_logout_post, V, 0,
	  "logout", "End the session of the sessionid cookie", "auth", NULL, "Status", 200 },
	{ "GET", API_PREFIX "/openapi.json", api_h_openapi_get, V, 0,
	  "openapi", "This document", "server", NULL, NULL, 200 },
	{ "GET", API_PREFIX "/engine/", api_h_engine_list_get, V, 0,
	  "list_engines", "List engines", "engine", NULL, "EngineList", 200 },
	{ "POST", API_PREFIX "/engine/", api_h_engine_post, E, API_F_BODY,
	  "create_engine", "Create an engine from an engine-file object (name, source, target, "
	  "settings, tables)", "engine", "EngineCreate", "Engine", 201 },
	{ "GET", API_PREFIX "/engine/initialization_modes/", api_h_engine_initialization_modes_get,
	  V, 0, "initialization_modes", "Initialization modes with their key generation methods "
	  "and locales", "engine", NULL, "InitializationModes", 200 },
	{ "GET", API_PREFIX "/engine/{engine_id}/", api_h_engine_get, V, 0,
	  "get_engine", "Get an engine", "engine", NULL, "Engine", 200 },
	{ "DELETE", API_PREFIX "/engine/{engine_id}/delete/", api_h_engine_delete, E, 0,
	  "delete_engine", "Delete an engine", "engine", NULL, "EngineDeleted", 200 },
	{ "GET", API_PREFIX "/engine/{engine_id}/settings/", api_h_engine_settings_get, V, 0,
	  "get_engine_settings", "The engine's settings", "engine", NULL, "EngineSettingsResponse",
	  200 },
	{ "PUT", API_PREFIX "/engine/{engine_id}/update-settings/", api_h_engine_update_settings_put,
	  E, API_F_BODY, "update_engine_settings", "Partial update of the settings (null keeps a "
	  "value; set_defaults true: given default_* values also replace per-table overrides, "
	  "false: they apply only where a table has none)", "engine", "UpdateSettings",
	  "EngineSettingsResponse", 200 },
	{ "GET", API_PREFIX "/engine/{engine_id}/settings/history/", api_h_engine_settings_history_get,
	  V, 0, "engine_settings_history", "Every version of the settings, oldest first", "engine",
	  NULL, "SettingsHistory", 200 },
	{ "GET", API_PREFIX "/engine/{engine_id}/settings/history/{version}/diff/",
	  api_h_engine_settings_version_diff_get, V, 0, "engine_settings_diff", "Settings that "
	  "differ between ?against=N (default: the version before) and this version", "engine",
	  NULL, "SettingsDiff", 200 },
	{ "POST", API_PREFIX "/engine/{engine_id}/settings/history/{version}/restore/",
	  api_h_engine_settings_version_restore_post, E, 0, "engine_settings_restore", "Make a "
	  "version's settings and tables current again (as a new version)", "engine", NULL,
	  "EngineSettingsResponse", 200 },
	{ "GET", API_PREFIX "/engine/{engine_id}/tables/", api_h_engine_tables_get, V, 0,
	  "engine_tables", "Configured tables with their mode and effective settings", "engine",
	  NULL, "EngineTables", 200 },
	{ "PUT", API_PREFIX "/engine/{engine_id}/tables/{table_name}/", api_h_engine_table_put, E,
	  API_F_BODY, "put_engine_table", "Set one table's configuration (the engine file's table "
	  "object: mode, columns, subset, default_* overrides); a settings history version",
	  "engine", "TableConfig", "EngineTable", 200 },
	{ "POST", API_PREFIX "/engine/{engine_id}/jobs/", api_h_engine_jobs_post, E, 0,
	  "start_job", "Run the engine now, in the server (QUEUED until a slot is free)", "jobs",
	  NULL, "Job", 201 },
	{ "GET", API_PREFIX "/engine/{engine_id}/jobs/", api_h_engine_jobs_get, V, 0,
	  "list_jobs", "The engine's jobs, oldest first", "jobs", NULL, "JobList", 200 },
	{ "GET", API_PREFIX "/jobs/{job_id}/", api_h_job_get, V, 0,
	  "get_job", "A job: status, times, error, target state, progress (live while it runs)",
	  "jobs", NULL, "Job", 200 },
	{ "GET", API_PREFIX "/jobs/{job_id}/logs/", api_h_job_logs_get, V, 0,
	  "job_logs", "A job's log lines (?page, ?page_size, ?level)", "jobs", NULL, "JobLogs", 200 },
	{ "POST", API_PREFIX "/jobs/{job_id}/cancel/", api_h_job_cancel_post, E, API_F_BODY,
	  "cancel_job", "Cancel a queued or running job (optional {reason})", "jobs", "JobCancel",
	  "Status", 200 },
	{ "GET", API_PREFIX "/api-keys/", api_h_api_keys_get, O, 0,
	  "list_api_keys", "List API keys (never the keys themselves)", "auth", NULL, "ApiKeyList",
	  200 },
	{ "POST", API_PREFIX "/api-keys/", api_h_api_keys_post, O, API_F_BODY,
	  "create_api_key", "Create an API key; the key is shown once", "auth", "ApiKeyCreate",
	  "ApiKeyCreated", 201 },
	{ "DELETE", API_PREFIX "/api-keys/{key_id}/", api_h_api_key_delete, O, 0,
	  "revoke_api_key", "Revoke an API key", "auth", NULL, "Status", 200 },
	{ "GET", API_PREFIX "/users/", api_h_users_get, O, 0,
	  "list_users", "List users (never a password hash)", "auth", NULL, "UserList", 200 },
	{ "POST", API_PREFIX "/users/", api_h_users_post, O, API_F_BODY,
	  "create_user", "Add a user", "auth", "UserCreate", "UserCreated", 201 },
	{ "DELETE", API_PREFIX "/users/{user_id}/", api_h_user_delete, O, 0,
	  "delete_user", "Delete a user with its sessions and API keys (not the last owner)",
	  "auth", NULL, "Status", 200 },
};

const api_route *api_routes(size_t *n)
{
	*n = sizeof(routes) / sizeof(routes[0]);
	return routes;
}

/* path matches pattern; params filled */
static int match(const char *pat, const char *path, char names[API_MAX_PARAMS][API_PARAM_MAX],
		 char values[API_MAX_PARAMS][API_PARAM_MAX], size_t *np)
{
	*np = 0;
	while (*pat && *path) {
		if (*pat == '{') {
			const char *pe = strchr(pat, '}');
			size_t vl = strcspn(path, "/");
			if (!pe || vl == 0 || vl >= API_PARAM_MAX || *np >= API_MAX_PARAMS ||
			    (size_t)(pe - pat - 1) >= API_PARAM_MAX)
				return 0;
			snprintf(names[*np], API_PARAM_MAX, "%.*s", (int)(pe - pat - 1), pat + 1);
			snprintf(values[*np], API_PARAM_MAX, "%.*s", (int)vl, path);
			(*np)++;
			pat = pe + 1;
			path += vl;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	return !*pat && !*path;
}

const api_route *api_route_match(const char *method, const char *path,
				 char names[API_MAX_PARAMS][API_PARAM_MAX],
				 char values[API_MAX_PARAMS][API_PARAM_MAX], size_t *nparams,
				 int *path_known, char *allow, size_t allowsz)
{
	size_t n = sizeof(routes) / sizeof(routes[0]);
	const api_route *literal_hit = NULL;

	*path_known = 0;
	allow[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char nm[API_MAX_PARAMS][API_PARAM_MAX], vl[API_MAX_PARAMS][API_PARAM_MAX];
		size_t np;
		if (!match(routes[i].path, path, nm, vl, &np))
			continue;
		/* a literal route owns its path for every method: "initialization_modes"
		 * is never taken for an {engine_id} */
		if (!literal_hit && np == 0)
			literal_hit = &routes[i];
		if (literal_hit && np > 0)
			continue;
		*path_known = 1;
		if (!strstr(allow, routes[i].method)) {
			size_t l = strlen(allow);
			snprintf(allow + l, allowsz - l, "%s%s", l ? ", " : "", routes[i].method);
		}
		if (!strcmp(routes[i].method, method) ||
		    (!strcmp(method, "HEAD") && !strcmp(routes[i].method, "GET"))) {
			memcpy(names, nm, sizeof(nm));
			memcpy(values, vl, sizeof(vl));
			*nparams = np;
			return &routes[i];
		}
	}
	return NULL;
}

void dp_api_print_routes(FILE *f)
{
	size_t n = sizeof(routes) / sizeof(routes[0]);

	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s %s %s %s\n", routes[i].method, routes[i].path,
			routes[i].flags & API_F_PUBLIC ? "public" : dp_role_name(routes[i].role),
			routes[i].summary);
}
