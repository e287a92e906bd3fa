/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HUB_SECRET_ERROR (hub_secret_error_quark ())

/* error->message is translated and says what to do. */
typedef enum
{
  HUB_SECRET_ERROR_UNAVAILABLE,    /* no session bus, no secret service, activation hang, timeout */
  HUB_SECRET_ERROR_LOCKED,         /* the collection is locked (never prompts by itself) */
  HUB_SECRET_ERROR_NO_COLLECTION,  /* no default keyring */
  HUB_SECRET_ERROR_NOT_FOUND,      /* no item for this account */
  HUB_SECRET_ERROR_INVALID,        /* item content is not our JSON object */
} HubSecretError;

GQuark hub_secret_error_quark (void);

typedef enum
{
  HUB_KEYRING_STATE_UNKNOWN,
  HUB_KEYRING_STATE_UNLOCKED,
  HUB_KEYRING_STATE_LOCKED,
  HUB_KEYRING_STATE_UNAVAILABLE,
  HUB_KEYRING_STATE_NO_COLLECTION,
} HubKeyringState;

typedef struct
{
  char     *account_id;
  char     *provider_id;
  char     *label;
  gboolean  locked;
} HubSecretItem;

void hub_secret_item_free (HubSecretItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HubSecretItem, hub_secret_item_free)

/* Schema io.github.connecthub.Account (SECRET_SCHEMA_NONE), attributes
 * "account-id" and "provider"; secret = JSON object of secret field values.
 * Every call async and bounded (30 s, see hub_secret_store_set_timeout). */
#define HUB_TYPE_SECRET_STORE (hub_secret_store_get_type ())
G_DECLARE_FINAL_TYPE (HubSecretStore, hub_secret_store, HUB, SECRET_STORE, GObject)

HubSecretStore *hub_secret_store_new             (void);
void            hub_secret_store_set_timeout     (HubSecretStore      *self,
                                                  guint                seconds);

/* Never prompts. */
void            hub_secret_store_get_state_async (HubSecretStore      *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
HubKeyringState hub_secret_store_get_state_finish (HubSecretStore     *self,
                                                   GAsyncResult       *result,
                                                   GError            **error);

/* May show the desktop's unlock prompt: call only after the user asked. */
void            hub_secret_store_unlock_async    (HubSecretStore      *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        hub_secret_store_unlock_finish   (HubSecretStore      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* @secrets: field id → secret value. Creates or replaces the item in place. */
void            hub_secret_store_store_async     (HubSecretStore      *self,
                                                  const char          *account_id,
                                                  const char          *provider_id,
                                                  const char          *item_label,
                                                  GHashTable          *secrets,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        hub_secret_store_store_finish    (HubSecretStore      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Returns field id → secret value; values wiped on destroy. Locked → LOCKED
 * (told apart from NOT_FOUND by a search), never a prompt. */
void            hub_secret_store_lookup_async    (HubSecretStore      *self,
                                                  const char          *account_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GHashTable     *hub_secret_store_lookup_finish   (HubSecretStore      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Deletes the item and confirms with a search; locked → LOCKED, item kept. */
void            hub_secret_store_clear_async     (HubSecretStore      *self,
                                                  const char          *account_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        hub_secret_store_clear_finish    (HubSecretStore      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Every item of our schema (locked ones included, without secrets). */
void            hub_secret_store_list_async      (HubSecretStore      *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GPtrArray      *hub_secret_store_list_finish     (HubSecretStore      *self,   /* HubSecretItem */
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
