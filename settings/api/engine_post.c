/* settings/api/engine_post.c - POST /api/v1/engine/: create an engine from
 * an engine-file object ({name, source, target, settings..., tables}),
 * validated completely by the engine-file parser before anything is stored.
 *
 * Secrets: "password" (and an SSH tunnel's password / private_key_password)
 * are taken out of the connector objects and sealed in the store under the
 * master key; they are never stored in clear and never shown again. The
 * _env and _file forms are refused: the server would read its own
 * environment or files on a client's behalf. */
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "../engine_file.h"

#define NAME_MAX_LEN 200

static int ends_with(const char *s, const char *sfx)
{
	size_t a = strlen(s), b = strlen(sfx);
	return a >= b && !strcmp(s + a - b, sfx);
}

/* any *password_env / *password_file member of o: its path, else 0 */
static int indirect_secret(api_req *r, const cJSON *o, const char *path)
{
	const cJSON *m;
	char p[300];

	cJSON_ArrayForEach(m, o) {
		snprintf(p, sizeof(p), "%s.%.100s", path, m->string);
		if (ends_with(m->string, "password_env") || ends_with(m->string, "password_file")) {
			api_error(r, API_EC_VALIDATION, p, "the API takes the secret itself (\"%.*s\"): "
				  "the server does not read its own environment or files for a client",
				  (int)(strlen(m->string) - (ends_with(m->string, "_env") ? 4 : 5)),
				  m->string);
			return -1;
		}
		if (cJSON_IsObject(m) && indirect_secret(r, m, p))
			return -1;
	}
	return 0;
}

/* move o[key] (a string) into secret[as] */
static int move_secret(cJSON *o, const char *key, cJSON *secret, const char *as)
{
	cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(o, key);

	if (!v)
		return 0;
	if (!cJSON_AddItemToObject(secret, as, v)) {
		cJSON_Delete(v);
		return -1;
	}
	return 0;
}

/* secrets of a connector: out of conn, into *text (NULL when none) */
static int split_secrets(cJSON *conn, char **text)
{
	cJSON *s = cJSON_CreateObject(), *h, *ssh;
	int rc = 0;

	*text = NULL;
	if (!s)
		return -1;
	h = cJSON_GetObjectItemCaseSensitive(conn, "hooks_params");
	ssh = cJSON_GetObjectItemCaseSensitive(h, "SSHTunnel");
	if (move_secret(conn, "password", s, "password") ||
	    (cJSON_IsObject(ssh) && (move_secret(ssh, "password", s, "ssh_password") ||
				     move_secret(ssh, "private_key_password", s,
						 "ssh_private_key_password"))))
		rc = -1;
	if (!rc && cJSON_GetArraySize(s) && !(*text = cJSON_PrintUnformatted(s)))
		rc = -1;
	/* wipe the copies in the tree */
	for (cJSON *m = s->child; m; m = m->next)
		if (cJSON_IsString(m))
			memset(m->valuestring, 0, strlen(m->valuestring));
	cJSON_Delete(s);
	return rc;
}

void api_h_engine_post(api_req *r)
{
	cJSON *b = api_body_object(r), *src, *tgt, *tables, *o;
	const cJSON *name;
	char *text = NULL, *settings = NULL, *src_s = NULL, *tgt_s = NULL, *src_j = NULL,
	     *tgt_j = NULL, *tab_j = NULL, id[40];
	dp_job_cfg *cfg = NULL;
	dp_store_engine e;
	dp_errbuf eb;
	int rc;

	memset(&e, 0, sizeof(e));
	dp_errbuf_clear(&eb);
	if (!b)
		return;
	name = cJSON_GetObjectItemCaseSensitive(b, "name");
	src = cJSON_GetObjectItemCaseSensitive(b, "source");
	tgt = cJSON_GetObjectItemCaseSensitive(b, "target");
	tables = cJSON_GetObjectItemCaseSensitive(b, "tables");
	if (!cJSON_IsString(name) || !*name->valuestring || strlen(name->valuestring) > NAME_MAX_LEN) {
		api_error(r, API_EC_VALIDATION, "name", "required: a string of 1..%d characters",
			  NAME_MAX_LEN);
		goto out;
	}
	if (cJSON_GetObjectItemCaseSensitive(b, "virtual_foreign_keys")) {
		api_error(r, API_EC_VALIDATION, "virtual_foreign_keys", "not stored through the API "
			  "yet (it would be dropped): use an engine file with doppel run");
		goto out;
	}
	if ((src && indirect_secret(r, src, "source")) || (tgt && indirect_secret(r, tgt, "target")))
		goto out;
	/* the whole object through the engine-file parser: every error names
	 * its JSON path */
	if (!(text = cJSON_PrintUnformatted(b))) {
		api_fail(r, DP_ERR_NOMEM, NULL);
		goto out;
	}
	if ((rc = dp_engine_parse(text, strlen(text), NULL, &cfg, &eb))) {
		api_fail(r, rc, &eb);
		goto out;
	}
	if (!(settings = api_settings_text(&cfg->settings)) || split_secrets(src, &src_s) ||
	    split_secrets(tgt, &tgt_s) || !(src_j = cJSON_PrintUnformatted(src)) ||
	    !(tgt_j = cJSON_PrintUnformatted(tgt)) ||
	    !(tab_j = tables ? cJSON_PrintUnformatted(tables) : dp_strdup("{}"))) {
		api_fail(r, DP_ERR_NOMEM, NULL);
		goto out;
	}
	{
		dp_store_new_engine ne = { name->valuestring, r->user.workspace_pk, settings, src_j,
					   tgt_j, src_s, tgt_s, tab_j, r->user.name };
		if ((rc = dp_store_engine_create(r->st, &ne, id, &eb))) {
			api_fail(r, rc, &eb);
			goto out;
		}
	}
	if ((rc = dp_store_engine_get(r->st, r->user.workspace_pk, id, &e, &eb))) {
		api_fail(r, rc, &eb);
		goto out;
	}
	if (!(o = api_engine_json(&e, &eb))) {
		api_fail(r, eb.code ? eb.code : DP_ERR_NOMEM, &eb);
		goto out;
	}
	api_reply(r, 201, o);
out:
	dp_store_engine_clear(&e);
	dp_job_cfg_free(cfg);
	dp_secret_free(text);
	dp_secret_free(src_s);
	dp_secret_free(tgt_s);
	free(settings);
	free(src_j);
	free(tgt_j);
	free(tab_j);
	if (b) {
		/* passwords still in the tree (validation failed before the split) */
		cJSON *c[2] = { src, tgt };
		for (int i = 0; i < 2; i++) {
			char *t = NULL;
			if (cJSON_IsObject(c[i]) && !split_secrets(c[i], &t))
				dp_secret_free(t);
		}
	}
	cJSON_Delete(b);
}
