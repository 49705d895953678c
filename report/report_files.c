/* report/report_files.c - write report.json and report.html into a
 * directory (see report_render.h). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_render.h"

/* Write n bytes of data to dir/name, replacing it. */
static int write_file(const char *dir, const char *name, const char *data, size_t n, dp_errbuf *eb)
{
	char path[4096];
	FILE *f;
	int bad;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return dp_fail(eb, DP_ERR_IO, "cannot write %s: %s", path, strerror(errno));
	bad = fwrite(data, 1, n, f) != n;
	if (fclose(f) || bad)
		return dp_fail(eb, DP_ERR_IO, "cannot write %s: %s", path, strerror(errno));
	return DP_OK;
}

int dp_report_write(const dp_report *r, const char *dir, dp_errbuf *eb)
{
	cJSON *root = dp_report_render_json(r);
	char *js = root ? cJSON_Print(root) : NULL;
	dp_buf json = DP_BUF_INIT, html = DP_BUF_INIT;
	int rc = DP_OK;

	cJSON_Delete(root);
	if (!js || dp_buf_puts(&json, js) || dp_buf_puts(&json, "\n") || dp_report_render_html(r, &html)) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = write_file(dir, "report.json", json.data, json.len, eb);
	if (!rc)
		rc = write_file(dir, "report.html", html.data, html.len, eb);
out:
	free(js);
	dp_buf_free(&json);
	dp_buf_free(&html);
	return rc;
}
