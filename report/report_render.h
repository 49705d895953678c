/* report/report_render.h - the SYNTHESIZE quality report as files.
 *
 * The engine scores synthesized tables into a dp_report, plain data
 * (engine/models/report.h); this room renders it: report.json (cJSON) and
 * a self-contained report.html (inline SVG charts, no scripts, no links),
 * and writes the two into a directory. The CLI calls it after a run or
 * `doppel report`; the REST API can serve the same renderings.
 *
 * Dependencies: report/ uses engine/ and base/; nothing in engine/ uses
 * report/.
 */
#ifndef DP_REPORT_RENDER_H
#define DP_REPORT_RENDER_H

#include "../base/dp_buf.h"
#include "../base/dp_err.h"
#include "../engine/models/report.h"

struct cJSON;

/* The report as a JSON document: {generator, seed, quality, tables: [...]}.
 * The caller frees it with cJSON_Delete(). NULL on out-of-memory. */
struct cJSON *dp_report_render_json(const dp_report *r);

/* Append the HTML page to out. DP_OK, or DP_ERR_NOMEM (out is then
 * incomplete: reset it). */
int dp_report_render_html(const dp_report *r, dp_buf *out) DP_MUSTCHECK;

/* Write dir/report.json and dir/report.html (replacing them). Both are
 * rendered before either is written. DP_ERR_IO names the file. */
int dp_report_write(const dp_report *r, const char *dir, dp_errbuf *eb) DP_MUSTCHECK;

#endif
