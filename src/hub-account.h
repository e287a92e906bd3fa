/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Contract strings (DESIGN.md): "connected", "rejected", "error", "unchecked". */
typedef enum
{
  HUB_ACCOUNT_STATUS_UNCHECKED,
  HUB_ACCOUNT_STATUS_CONNECTED,
  HUB_ACCOUNT_STATUS_REJECTED,
  HUB_ACCOUNT_STATUS_ERROR,
} HubAccountStatus;

const char       *hub_account_status_to_string   (HubAccountStatus status);
gboolean          hub_account_status_from_string (const char       *string,
                                                  HubAccountStatus *status);

/* One entry of an account's activity: a check, or the link/relink that
 * proved the credential. Immutable and reference-counted; the fields are
 * read-only. @message is translated (an error->message, which never holds
 * a secret) and NULL on success. */
typedef enum
{
  HUB_CHECK_KIND_CHECK,
  HUB_CHECK_KIND_LINK,
  HUB_CHECK_KIND_RELINK,
} HubCheckKind;

#define HUB_ACCOUNT_HISTORY_MAX 10

typedef struct
{
  GDateTime        *time;         /* UTC */
  HubCheckKind      kind;
  HubAccountStatus  status;       /* the account's status after it */
  gint64            duration_ms;  /* -1 when not measured (link, relink) */
  char             *message;      /* nullable */
} HubCheckRecord;

#define HUB_TYPE_CHECK_RECORD (hub_check_record_get_type ())
GType           hub_check_record_get_type (void) G_GNUC_CONST;
HubCheckRecord *hub_check_record_new      (GDateTime        *time,
                                           HubCheckKind      kind,
                                           HubAccountStatus  status,
                                           gint64            duration_ms,
                                           const char       *message);
HubCheckRecord *hub_check_record_ref      (HubCheckRecord   *record);
void            hub_check_record_unref    (HubCheckRecord   *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HubCheckRecord, hub_check_record_unref)

const char     *hub_check_kind_to_string   (HubCheckKind      kind);
gboolean        hub_check_kind_from_string (const char       *string,
                                            HubCheckKind     *kind);

/* A linked account: non-secret metadata only. Every property notifies, so
 * list rows can bind to it. Owned by HubAccountStore; others only read. */
#define HUB_TYPE_ACCOUNT (hub_account_get_type ())
G_DECLARE_FINAL_TYPE (HubAccount, hub_account, HUB, ACCOUNT, GObject)

/* properties: "id" (UUID, construct-only), "provider-id" (construct-only),
 * "label", "identity", "status" (HubAccountStatus as int), "connected-at",
 * "checked-at" (GDateTime, nullable), "last-error" (nullable, translated),
 * "secret-missing" (bool: metadata without keyring item → relink),
 * "keyring-locked" (bool: secret exists but cannot be read now),
 * "history" (GPtrArray of HubCheckRecord, read-only: notifies when it changes) */
HubAccount       *hub_account_new                (const char  *id,
                                                  const char  *provider_id);

const char       *hub_account_get_id             (HubAccount  *self);
const char       *hub_account_get_provider_id    (HubAccount  *self);
const char       *hub_account_get_label          (HubAccount  *self);
const char       *hub_account_get_identity       (HubAccount  *self);
HubAccountStatus  hub_account_get_status         (HubAccount  *self);
GDateTime        *hub_account_get_connected_at   (HubAccount  *self);   /* nullable */
GDateTime        *hub_account_get_checked_at     (HubAccount  *self);   /* nullable */
const char       *hub_account_get_last_error     (HubAccount  *self);   /* nullable */
gboolean          hub_account_get_secret_missing (HubAccount  *self);
gboolean          hub_account_get_keyring_locked (HubAccount  *self);
/* captured identity values (var → string), e.g. company, email, currency */
GHashTable       *hub_account_get_details        (HubAccount  *self);
/* non-secret field values (field id → string), e.g. region, api_id */
GHashTable       *hub_account_get_values         (HubAccount  *self);
/* The last HUB_ACCOUNT_HISTORY_MAX checks, newest first; borrowed, never NULL.
 * Do not modify it: it is replaced, not changed, when the history changes. */
GPtrArray        *hub_account_get_history        (HubAccount  *self);

/* Setters are for HubAccountStore (and tests); they notify when changed. */
void              hub_account_set_label          (HubAccount  *self,
                                                  const char  *label);
void              hub_account_set_identity       (HubAccount  *self,
                                                  const char  *identity);
void              hub_account_set_status         (HubAccount  *self,
                                                  HubAccountStatus status);
void              hub_account_set_connected_at   (HubAccount  *self,
                                                  GDateTime   *when);
void              hub_account_set_checked_at     (HubAccount  *self,
                                                  GDateTime   *when);
void              hub_account_set_last_error     (HubAccount  *self,
                                                  const char  *message);
void              hub_account_set_secret_missing (HubAccount  *self,
                                                  gboolean     missing);
void              hub_account_set_keyring_locked (HubAccount  *self,
                                                  gboolean     locked);
void              hub_account_set_details        (HubAccount  *self,
                                                  GHashTable  *details);  /* copied */
void              hub_account_set_values         (HubAccount  *self,
                                                  GHashTable  *values);   /* copied */
/* @history: HubCheckRecord, newest first (copied, capped; NULL = empty) */
void              hub_account_set_history        (HubAccount  *self,
                                                  GPtrArray   *history);
/* Puts @record first and drops what falls past HUB_ACCOUNT_HISTORY_MAX. */
void              hub_account_add_history        (HubAccount     *self,
                                                  HubCheckRecord *record);

G_END_DECLS
