/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hub-account.h"
#include "hub-provider.h"
#include "hub-secret-store.h"
#include "hub-verifier.h"

G_BEGIN_DECLS

#define HUB_ACCOUNT_ERROR (hub_account_error_quark ())

typedef enum
{
  HUB_ACCOUNT_ERROR_NOT_FOUND,      /* no such account id */
  HUB_ACCOUNT_ERROR_DUPLICATE,      /* identity already linked: see hub_account_store_find_identity */
  HUB_ACCOUNT_ERROR_STORAGE,        /* accounts.ini could not be written: nothing changed */
  HUB_ACCOUNT_ERROR_SECRET_MISSING, /* keyring item gone: relink */
  HUB_ACCOUNT_ERROR_UNKNOWN_PROVIDER, /* provider id not in this version's catalog */
} HubAccountError;

GQuark hub_account_error_quark (void);

/* The single owner of linked accounts: a GListModel of HubAccount.
 * Secrets live only in HubSecretStore; metadata in
 * $XDG_DATA_HOME/connect-hub/accounts.ini. Every operation is async, bounded
 * and cancellable; failures leave both stores as they were. */
#define HUB_TYPE_ACCOUNT_STORE (hub_account_store_get_type ())
G_DECLARE_FINAL_TYPE (HubAccountStore, hub_account_store, HUB, ACCOUNT_STORE, GObject)

/* @metadata_path: NULL for the default $XDG_DATA_HOME/connect-hub/accounts.ini */
HubAccountStore *hub_account_store_new             (HubSecretStore       *secrets,
                                                    HubVerifier          *verifier,
                                                    const char           *metadata_path);

/* Reads accounts.ini (a corrupt file is renamed accounts.ini.corrupt-<time> and
 * reported through the "problem" signal), then reconciles with a keyring search:
 * orphan items are adopted as unchecked, metadata without item → secret-missing,
 * locked items → keyring-locked. A keyring failure still loads the metadata and
 * returns TRUE; only an unreadable metadata file is an error. */
void             hub_account_store_load_async      (HubAccountStore      *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean         hub_account_store_load_finish     (HubAccountStore      *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

HubAccount      *hub_account_store_lookup          (HubAccountStore      *self,
                                                    const char           *account_id);  /* borrowed */
HubAccount      *hub_account_store_find_identity   (HubAccountStore      *self,
                                                    const char           *provider_id,
                                                    const char           *identity);    /* borrowed */

/* Stores a credential that @verified proved: secret into the keyring, then
 * metadata; a failure at any step rolls back. @values: all field values.
 * Fails with HUB_ACCOUNT_ERROR_DUPLICATE when the identity is already linked
 * for this provider. @label: NULL → the identity. */
void             hub_account_store_add_async       (HubAccountStore      *self,
                                                    HubProvider          *provider,
                                                    GHashTable           *values,
                                                    HubVerifyResult      *verified,
                                                    const char           *label,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
HubAccount      *hub_account_store_add_finish      (HubAccountStore      *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

/* Relink: replaces the secret in place (same account id and keyring item),
 * the non-secret values, identity and details; status → connected. */
void             hub_account_store_update_async    (HubAccountStore      *self,
                                                    HubAccount           *account,
                                                    GHashTable           *values,
                                                    HubVerifyResult      *verified,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean         hub_account_store_update_finish   (HubAccountStore      *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

/* All field values of the account: non-secret ones from metadata, secret ones
 * from the keyring. The table's secret values are wiped when it is destroyed. */
void             hub_account_store_lookup_values_async  (HubAccountStore      *self,
                                                         HubAccount           *account,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GHashTable      *hub_account_store_lookup_values_finish (HubAccountStore      *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

/* Re-check: reads the secret, verifies, updates status, checked-at, identity,
 * details and last-error, saves metadata. Returns the verify result or the
 * verify/secret error (the account's status is updated either way:
 * only REJECTED makes it "rejected"; keyring/network failures never do).
 * A check that reached the provider adds a HubCheckRecord to the account's
 * history, saved with the rest (a failed save adds none); a cancelled check,
 * or one stopped because the keyring could not give the secret (locked,
 * missing, unavailable), adds none: no check ran, and the keyring state shows
 * on the account itself. Link and relink add a "link" / "relink" record.
 * accounts.ini keeps the history as one line per account:
 *   history=<ISO 8601 UTC>|<check|link|relink>|<status>|<ms or empty>|<message>;…
 * newest first, at most HUB_ACCOUNT_HISTORY_MAX, the message URI-escaped and
 * empty on success. A history that does not parse is dropped, never a reason
 * to set the file aside. */
void             hub_account_store_check_async     (HubAccountStore      *self,
                                                    HubAccount           *account,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
HubVerifyResult *hub_account_store_check_finish    (HubAccountStore      *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

void             hub_account_store_rename_async    (HubAccountStore      *self,
                                                    HubAccount           *account,
                                                    const char           *label,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean         hub_account_store_rename_finish   (HubAccountStore      *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

/* Deletes the keyring item, confirms by search, then the metadata. If the
 * secret could not be deleted (locked, unavailable) the account is kept. */
void             hub_account_store_remove_async    (HubAccountStore      *self,
                                                    HubAccount           *account,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean         hub_account_store_remove_finish   (HubAccountStore      *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

HubSecretStore  *hub_account_store_get_secret_store (HubAccountStore     *self);
HubVerifier     *hub_account_store_get_verifier     (HubAccountStore     *self);

/* signal "problem" (const char *message): a non-fatal, user-facing problem found
 * while loading (corrupt file backed up, keyring unavailable…). */

G_END_DECLS
