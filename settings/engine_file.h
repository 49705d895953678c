/* settings/engine_file.h - the engine file (JSON) -> dp_job_cfg.
 *
 * The whole file is validated before anything is opened; every error names
 * its JSON path ("tables.orders.mode: expected one of ..."). Secrets are
 * resolved here (password / password_env / password_file) and never appear
 * in a message.
 */
#ifndef DP_ENGINE_FILE_H
#define DP_ENGINE_FILE_H

#include <stddef.h>
#include "../base/dp_err.h"
#include "../engine/config/config.h"

/* Parse `json` (len bytes). Relative SQLite paths and password_file resolve
 * against base_dir (NULL = current directory). *out freed with
 * dp_job_cfg_free. */
int dp_engine_parse(const char *json, size_t len, const char *base_dir, dp_job_cfg **out,
		    dp_errbuf *eb) DP_MUSTCHECK;

/* Read and parse a file (relative paths resolve against its directory). */
int dp_engine_file_load(const char *path, dp_job_cfg **out, dp_errbuf *eb) DP_MUSTCHECK;

#endif
