/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hub-provider.h"
#include "hub-verify-result.h"

G_BEGIN_DECLS

#define HUB_VERIFY_ERROR (hub_verify_error_quark ())

/* error->message is translated, names the provider and says what to do.
 * Cancellation is reported as G_IO_ERROR_CANCELLED, never in this domain. */
typedef enum
{
  HUB_VERIFY_ERROR_INVALID_INPUT,  /* a field failed validation: nothing was sent */
  HUB_VERIFY_ERROR_REJECTED,       /* 401/403: the provider refused the credential */
  HUB_VERIFY_ERROR_PERMISSION,     /* credential valid but lacks a permission/scope */
  HUB_VERIFY_ERROR_RATE_LIMITED,   /* 429 */
  HUB_VERIFY_ERROR_UNREACHABLE,    /* 5xx, connection refused, DNS failure */
  HUB_VERIFY_ERROR_TIMED_OUT,      /* whole-request deadline passed */
  HUB_VERIFY_ERROR_TLS,            /* certificate or handshake failure */
  HUB_VERIFY_ERROR_UNEXPECTED,     /* 3xx, bad JSON, wrong shape, body > 1 MiB */
  HUB_VERIFY_ERROR_CONFIG,         /* bad CONNECT_HUB_BASE_URL_<ID> override */
} HubVerifyError;

GQuark hub_verify_error_quark (void);

#define HUB_TYPE_VERIFIER (hub_verifier_get_type ())
G_DECLARE_FINAL_TYPE (HubVerifier, hub_verifier, HUB, VERIFIER, GObject)

/* One shared SoupSession; timeout from CONNECT_HUB_TIMEOUT (default 15 s). */
HubVerifier     *hub_verifier_new                  (void);
HubVerifier     *hub_verifier_get_default          (void);   /* borrowed, process-wide */

void             hub_verifier_set_timeout          (HubVerifier          *self,
                                                    guint                 seconds);
guint            hub_verifier_get_timeout          (HubVerifier          *self);
/* Tests: trust this database (e.g. the emulator's CA) instead of the system's. */
void             hub_verifier_set_tls_database     (HubVerifier          *self,
                                                    GTlsDatabase         *database);

/* @values: field id → value (const char *), secret and non-secret alike.
 * The hash table is not kept after the call returns (values are copied into
 * wiping buffers). */
void             hub_verifier_verify_async         (HubVerifier          *self,
                                                    HubProvider          *provider,
                                                    GHashTable           *values,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
HubVerifyResult *hub_verifier_verify_finish        (HubVerifier          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
/* After a failed verify: technical detail for a "Show Details" view
 * (status, step template, short body excerpt with secrets removed), or NULL. */
char            *hub_verifier_dup_details          (HubVerifier          *self,
                                                    GAsyncResult         *result);
/* After INVALID_INPUT (or a rejection clearly caused by one field): field id, or NULL. */
const char      *hub_verifier_get_failed_field     (HubVerifier          *self,
                                                    GAsyncResult         *result);
/* After RATE_LIMITED: seconds to wait (clamped 1–3600), else 0. */
guint            hub_verifier_get_retry_after      (HubVerifier          *self,
                                                    GAsyncResult         *result);

/* The effective base URL (override or catalog, region substituted), or NULL
 * with HUB_VERIFY_ERROR_CONFIG / INVALID_INPUT. */
char            *hub_verifier_resolve_base_url     (HubProvider          *provider,
                                                    GHashTable           *values,
                                                    GError              **error);

/* Added by the verifier (helpers, also used by tests and the command line). */

/* The one mapping of a failed step's HTTP status to an error code:
 * 401/403 → REJECTED, 429 → RATE_LIMITED, 408/504 → TIMED_OUT, 5xx → UNREACHABLE,
 * anything else (3xx, 404, other 4xx) → UNEXPECTED. */
HubVerifyError   hub_verify_error_from_status      (guint                 status);
/* Maps a transport error (GIO, GResolver, GTls, SoupSession) to an error code:
 * G_TLS_ERROR → TLS, G_RESOLVER_ERROR and connection failures → UNREACHABLE,
 * G_IO_ERROR_TIMED_OUT → TIMED_OUT, protocol errors → UNEXPECTED. */
HubVerifyError   hub_verify_error_from_transport   (const GError         *error);
/* Retry-After: delta-seconds, else an HTTP date; clamped to 1–3600 s;
 * NULL, garbage or negative → 60. */
guint            hub_verify_parse_retry_after      (const char           *value);
/* Whether a failed request is sent once more: libsoup 3.2 fails requests on a
 * connection the server ends with GOAWAY (NO_ERROR) as G_IO_ERROR "HTTP/2 Error: …".
 * TRUE only for that error, on a GET, when it has not been retried yet. */
gboolean         hub_verify_should_retry           (const GError         *error,
                                                    const char           *method,
                                                    gboolean              already_retried);
/* CONNECT_HUB_TIMEOUT: a whole number of seconds from 1 to 600, digits only
 * (no sign, no spaces); else FALSE with HUB_VERIFY_ERROR_CONFIG. */
gboolean         hub_verifier_parse_timeout        (const char           *text,
                                                    guint                *seconds,
                                                    GError              **error);

G_END_DECLS
