/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HUB_TYPE_VERIFY_RESULT (hub_verify_result_get_type ())
G_DECLARE_FINAL_TYPE (HubVerifyResult, hub_verify_result, HUB, VERIFY_RESULT, GObject)

/* Immutable outcome of a successful verification. Holds no secret. */
HubVerifyResult *hub_verify_result_new                (const char      *provider_id,
                                                       const char      *identity,
                                                       GHashTable      *captures,   /* var → char* (copied) */
                                                       const char * const *granted_scopes,  /* nullable */
                                                       const char * const *missing_scopes); /* nullable */

const char      *hub_verify_result_get_provider_id    (HubVerifyResult *self);
/* "Acme Trading Ltd (NZD)" */
const char      *hub_verify_result_get_identity       (HubVerifyResult *self);
/* var → string; integers as decimal strings, arrays joined with ", " */
GHashTable      *hub_verify_result_get_captures       (HubVerifyResult *self);
const char      *hub_verify_result_get_capture        (HubVerifyResult *self,
                                                       const char      *var);
/* NULL when the provider does not report scopes */
const char * const *hub_verify_result_get_granted_scopes (HubVerifyResult *self);
const char * const *hub_verify_result_get_missing_scopes (HubVerifyResult *self);

G_END_DECLS
