/* settings/api/errors.c - the error registry: every error_code the API
 * answers with, its HTTP status and its message. */
#include "api.h"

static const api_ec_def defs[API_EC__COUNT] = {
	[API_EC_INVALID_JSON] = { "invalid_json", 400, "The body is not valid JSON" },
	[API_EC_INVALID_UTF8] = { "invalid_utf8", 400, "The body is not valid UTF-8" },
	[API_EC_VALIDATION] = { "validation_error", 400, "A field is invalid" },
	[API_EC_UNAUTHENTICATED] = { "not_authenticated", 401,
		"Log in (POST /api/v1/auth/) or send Authorization: Api-Key <key>" },
	[API_EC_BAD_CREDENTIALS] = { "invalid_credentials", 401, "Wrong user name or password" },
	[API_EC_CSRF] = { "csrf_failed", 403,
		"Cookie-authenticated changes need the X-CSRF-Token header returned at login" },
	[API_EC_FORBIDDEN] = { "permission_denied", 403, "Your role does not allow this" },
	[API_EC_NOT_FOUND] = { "not_found", 404, "No such object" },
	[API_EC_NO_ROUTE] = { "no_route", 404, "No such path (paths end with a slash)" },
	[API_EC_METHOD] = { "method_not_allowed", 405, "Method not allowed on this path" },
	[API_EC_TIMEOUT] = { "request_timeout", 408, "The request did not arrive in time" },
	[API_EC_CONFLICT] = { "conflict", 409, "Conflicts with the current state" },
	[API_EC_TOO_LARGE] = { "payload_too_large", 413, "The body is too large" },
	[API_EC_MEDIA_TYPE] = { "unsupported_media_type", 415, "Send Content-Type: application/json" },
	[API_EC_UNPROCESSABLE] = { "unprocessable", 422, "The request cannot be carried out" },
	[API_EC_RATE_LIMITED] = { "too_many_requests", 429,
		"Too many failed logins from this address: wait (Retry-After)" },
	[API_EC_INTERNAL] = { "internal_error", 500, "Internal error (see the server log)" },
	[API_EC_BUSY] = { "store_busy", 503, "The store is busy: retry" },
};

const api_ec_def *api_ec_get(api_ec ec)
{
	return ec >= 0 && ec < API_EC__COUNT ? &defs[ec] : &defs[API_EC_INTERNAL];
}
