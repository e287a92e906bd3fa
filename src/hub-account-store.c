/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-account-store"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hub-account-store.h"
#include "hub-auth.h"
#include "hub-catalog.h"

#define ITEM_LABEL_PREFIX "Connect Hub: "
#define ITEM_LABEL_SEPARATOR " \xe2\x80\x94 "   /* " — " */

struct _HubAccountStore
{
  GObject          parent_instance;

  HubSecretStore  *secrets;
  HubVerifier     *verifier;
  char            *path;
  GPtrArray       *accounts;      /* HubAccount, in list order */

  GQueue           save_queue;    /* GTask, the head is running */
  gboolean         saving;
  char            *unreadable;    /* nullable: why the file could not be read; never overwrite it */
};

static void hub_account_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HubAccountStore, hub_account_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      hub_account_store_list_model_init))

G_DEFINE_QUARK (hub-account-error-quark, hub_account_error)

enum
{
  SIGNAL_PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- helpers ----------------------------------------------------------- */

static GHashTable *
new_string_table (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static GDateTime *
now_utc (void)
{
  /* Whole seconds: the file shows "2026-11-27T10:00:00Z". */
  return g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC);
}

static HubProvider *
lookup_provider (const char *provider_id)
{
  return hub_catalog_lookup (hub_catalog_get_default (), provider_id);
}

/* Unknown fields count as secret: never written to the file. */
static gboolean
field_is_secret (HubProvider *provider,
                 const char  *field_id)
{
  const HubField *field;

  if (provider == NULL)
    return TRUE;
  field = hub_provider_get_field (provider, field_id);
  return field == NULL || field->secret;
}

static void
split_values (HubProvider  *provider,
              GHashTable   *values,
              GHashTable  **secrets_out,
              GHashTable  **plain_out)
{
  GHashTable *secrets = hub_auth_values_new ();
  GHashTable *plain = new_string_table ();
  GHashTableIter iter;
  gpointer key, value;

  if (values != NULL)
    {
      g_hash_table_iter_init (&iter, values);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          if (key == NULL || value == NULL)
            continue;
          if (field_is_secret (provider, key))
            g_hash_table_insert (secrets, g_strdup (key), g_strdup (value));
          else
            g_hash_table_insert (plain, g_strdup (key), g_strdup (value));
        }
    }

  *secrets_out = secrets;
  *plain_out = plain;
}

static char *
make_item_label (const char *provider_id,
                 const char *name)
{
  HubProvider *provider = lookup_provider (provider_id);
  const char *provider_name = provider != NULL ? hub_provider_get_name (provider) : provider_id;

  return g_strconcat (ITEM_LABEL_PREFIX, provider_name, ITEM_LABEL_SEPARATOR,
                      name != NULL && *name != '\0' ? name : provider_name, NULL);
}

/* "Connect Hub: Humaans — Example GmbH" → "Example GmbH"; else the provider name. */
static char *
label_from_item (const HubSecretItem *item)
{
  HubProvider *provider;

  if (item->label != NULL && g_str_has_prefix (item->label, ITEM_LABEL_PREFIX))
    {
      const char *rest = strstr (item->label, ITEM_LABEL_SEPARATOR);

      if (rest != NULL && rest[strlen (ITEM_LABEL_SEPARATOR)] != '\0')
        return g_strdup (rest + strlen (ITEM_LABEL_SEPARATOR));
    }

  provider = lookup_provider (item->provider_id);
  return g_strdup (provider != NULL ? hub_provider_get_name (provider) : item->provider_id);
}

static void
account_copy_into (HubAccount *dst,
                   HubAccount *src)
{
  g_object_freeze_notify (G_OBJECT (dst));
  hub_account_set_label (dst, hub_account_get_label (src));
  hub_account_set_identity (dst, hub_account_get_identity (src));
  hub_account_set_status (dst, hub_account_get_status (src));
  hub_account_set_connected_at (dst, hub_account_get_connected_at (src));
  hub_account_set_checked_at (dst, hub_account_get_checked_at (src));
  hub_account_set_last_error (dst, hub_account_get_last_error (src));
  hub_account_set_secret_missing (dst, hub_account_get_secret_missing (src));
  hub_account_set_keyring_locked (dst, hub_account_get_keyring_locked (src));
  hub_account_set_details (dst, hub_account_get_details (src));
  hub_account_set_values (dst, hub_account_get_values (src));
  hub_account_set_history (dst, hub_account_get_history (src));
  g_object_thaw_notify (G_OBJECT (dst));
}

static HubAccount *
account_clone (HubAccount *account)
{
  HubAccount *clone = hub_account_new (hub_account_get_id (account),
                                       hub_account_get_provider_id (account));

  account_copy_into (clone, account);
  return clone;
}

static gboolean
find_index (HubAccountStore *self,
            const char      *account_id,
            guint           *index)
{
  for (guint i = 0; i < self->accounts->len; i++)
    {
      HubAccount *account = g_ptr_array_index (self->accounts, i);

      if (g_str_equal (hub_account_get_id (account), account_id))
        {
          if (index != NULL)
            *index = i;
          return TRUE;
        }
    }
  return FALSE;
}

static GError *
not_in_list_error (void)
{
  return g_error_new_literal (HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_NOT_FOUND,
                              _("This account is no longer in the list. Reload the list and "
                                "try again."));
}

static gboolean
check_owned (HubAccountStore  *self,
             HubAccount       *account,
             GError          **error)
{
  guint index;

  if (find_index (self, hub_account_get_id (account), &index)
      && g_ptr_array_index (self->accounts, index) == account)
    return TRUE;

  g_propagate_error (error, not_in_list_error ());
  return FALSE;
}

static GError *
duplicate_error (HubAccount *existing)
{
  /* Translators: %s is the account's label, e.g. "Acme Trading Ltd (NZD)". */
  return g_error_new (HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_DUPLICATE,
                      _("This account is already linked as “%s”. Relink that account instead."),
                      hub_account_get_label (existing) != NULL
                      ? hub_account_get_label (existing) : hub_account_get_id (existing));
}

static GError *
unknown_provider_error (const char *provider_id)
{
  /* Translators: %s is a provider id from the accounts file or the keyring. */
  return g_error_new (HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_UNKNOWN_PROVIDER,
                      _("Connect Hub does not know the provider “%s”. Remove this account or "
                        "update Connect Hub."),
                      provider_id);
}

/* An account of a provider this version does not know stays listed (its
 * data is not lost) and shows why it cannot be checked. */
static void
mark_unknown_provider (HubAccount *account)
{
  g_autoptr(GError) error = NULL;

  if (lookup_provider (hub_account_get_provider_id (account)) != NULL)
    return;
  error = unknown_provider_error (hub_account_get_provider_id (account));
  hub_account_set_status (account, HUB_ACCOUNT_STATUS_ERROR);
  hub_account_set_last_error (account, error->message);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Records what a keyring failure says about the keyring on the account's
 * runtime flags (never saved): never touches its status or last error. */
static void
note_secret_flags (HubAccount   *account,
                   const GError *error)
{
  if (g_error_matches (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_LOCKED))
    hub_account_set_keyring_locked (account, TRUE);
  else if (g_error_matches (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_NOT_FOUND)
           || g_error_matches (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_SECRET_MISSING))
    hub_account_set_secret_missing (account, TRUE);
}

/* ---- accounts.ini ------------------------------------------------------ */

static void
set_time (GKeyFile   *key_file,
          const char *group,
          const char *key,
          GDateTime  *when)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *text = NULL;

  if (when == NULL)
    return;
  utc = g_date_time_to_utc (when);
  text = g_date_time_format_iso8601 (utc);
  g_key_file_set_string (key_file, group, key, text);
}

static void
set_prefixed (GKeyFile   *key_file,
              const char *group,
              const char *prefix,
              GHashTable *table)
{
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (table), (GCompareFunc) g_strcmp0);

  for (GList *l = keys; l != NULL; l = l->next)
    {
      g_autofree char *key = g_strconcat (prefix, l->data, NULL);

      g_key_file_set_string (key_file, group, key, g_hash_table_lookup (table, l->data));
    }
}

/* history=<entry>;<entry>… newest first, each entry
 * <ISO 8601 UTC time>|<kind>|<status>|<duration ms, empty if unknown>|<message>,
 * the message URI-escaped (so it holds no '|', ';', '%' or control character)
 * and empty on success. The message is an error->message: never a secret. */
#define HISTORY_MESSAGE_ALLOWED " !\"#$&'()*+,/:<=>?@[\\]^`{}"

static void
set_history (GKeyFile   *key_file,
             const char *group,
             GPtrArray  *history)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (history == NULL || history->len == 0)
    return;

  for (guint i = 0; i < history->len; i++)
    {
      HubCheckRecord *record = g_ptr_array_index (history, i);
      g_autofree char *when = g_date_time_format_iso8601 (record->time);
      g_autofree char *message = NULL;

      if (record->message != NULL)
        message = g_uri_escape_string (record->message, HISTORY_MESSAGE_ALLOWED, TRUE);
      if (i > 0)
        g_string_append_c (text, ';');
      g_string_append_printf (text, "%s|%s|%s|", when,
                              hub_check_kind_to_string (record->kind),
                              hub_account_status_to_string (record->status));
      if (record->duration_ms >= 0)
        g_string_append_printf (text, "%" G_GINT64_FORMAT, record->duration_ms);
      g_string_append_c (text, '|');
      if (message != NULL)
        g_string_append (text, message);
    }

  g_key_file_set_string (key_file, group, "history", text->str);
}

static HubCheckRecord *
parse_check_record (const char *entry)
{
  g_auto(GStrv) parts = g_strsplit (entry, "|", -1);
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *message = NULL;
  HubAccountStatus status;
  HubCheckKind kind;
  gint64 duration_ms = -1;

  if (g_strv_length (parts) != 5)
    return NULL;

  when = g_date_time_new_from_iso8601 (parts[0], NULL);
  if (when == NULL
      || !hub_check_kind_from_string (parts[1], &kind)
      || !hub_account_status_from_string (parts[2], &status))
    return NULL;
  if (*parts[3] != '\0'
      && !g_ascii_string_to_signed (parts[3], 10, 0, G_MAXINT32, &duration_ms, NULL))
    return NULL;
  if (*parts[4] != '\0')
    {
      /* Refuses "%00" and broken escapes. */
      message = g_uri_unescape_string (parts[4], NULL);
      if (message == NULL || !g_utf8_validate (message, -1, NULL))
        return NULL;
    }

  return hub_check_record_new (when, kind, status, duration_ms, message);
}

/* A history that does not parse is dropped as a whole: it is only a log, and
 * never a reason to treat the file as damaged. */
static GPtrArray *
get_history (GKeyFile   *key_file,
             const char *group)
{
  g_autofree char *text = g_key_file_get_string (key_file, group, "history", NULL);
  g_autoptr(GPtrArray) history = NULL;
  g_auto(GStrv) entries = NULL;

  if (text == NULL || *text == '\0')
    return NULL;

  history = g_ptr_array_new_with_free_func ((GDestroyNotify) hub_check_record_unref);
  entries = g_strsplit (text, ";", -1);
  for (guint i = 0; entries[i] != NULL && history->len < HUB_ACCOUNT_HISTORY_MAX; i++)
    {
      HubCheckRecord *record = parse_check_record (entries[i]);

      if (record == NULL)
        {
          g_debug ("dropping the malformed history of account %s (entry %u)", group, i);
          return NULL;
        }
      g_ptr_array_add (history, record);
    }

  return g_steal_pointer (&history);
}

static void
write_account (GKeyFile   *key_file,
               HubAccount *account)
{
  const char *group = hub_account_get_id (account);

  g_key_file_set_string (key_file, group, "provider", hub_account_get_provider_id (account));
  if (hub_account_get_label (account) != NULL)
    g_key_file_set_string (key_file, group, "label", hub_account_get_label (account));
  if (hub_account_get_identity (account) != NULL)
    g_key_file_set_string (key_file, group, "identity", hub_account_get_identity (account));
  g_key_file_set_string (key_file, group, "status",
                         hub_account_status_to_string (hub_account_get_status (account)));
  set_time (key_file, group, "connected_at", hub_account_get_connected_at (account));
  set_time (key_file, group, "checked_at", hub_account_get_checked_at (account));
  if (hub_account_get_last_error (account) != NULL)
    g_key_file_set_string (key_file, group, "last_error", hub_account_get_last_error (account));
  set_prefixed (key_file, group, "value.", hub_account_get_values (account));
  set_prefixed (key_file, group, "detail.", hub_account_get_details (account));
  set_history (key_file, group, hub_account_get_history (account));
}

static GDateTime *
get_time (GKeyFile   *key_file,
          const char *group,
          const char *key)
{
  g_autofree char *text = g_key_file_get_string (key_file, group, key, NULL);

  if (text == NULL || *text == '\0')
    return NULL;
  return g_date_time_new_from_iso8601 (text, NULL);
}

static const char * const known_keys[] = {
  "provider", "label", "identity", "status", "connected_at", "checked_at", "last_error",
  "history", NULL
};

/* Sets *@scrubbed when the group held a key that must not be there (a secret
 * field's value, or an unknown key): the next save leaves it out. */
static HubAccount *
read_account (GKeyFile   *key_file,
              const char *group,
              gboolean   *scrubbed)
{
  g_autofree char *provider_id = g_key_file_get_string (key_file, group, "provider", NULL);
  g_autofree char *label = NULL;
  g_autofree char *identity = NULL;
  g_autofree char *status_text = NULL;
  g_autofree char *last_error = NULL;
  g_autoptr(GDateTime) connected_at = NULL;
  g_autoptr(GDateTime) checked_at = NULL;
  g_autoptr(GHashTable) values = new_string_table ();
  g_autoptr(GHashTable) details = new_string_table ();
  g_autoptr(GPtrArray) history = NULL;
  g_auto(GStrv) keys = NULL;
  HubAccountStatus status = HUB_ACCOUNT_STATUS_UNCHECKED;
  HubProvider *provider;
  HubAccount *account;

  if (provider_id == NULL || *provider_id == '\0' || !g_utf8_validate (group, -1, NULL))
    {
      g_debug ("skipping a group without a provider in the accounts file");
      return NULL;
    }

  label = g_key_file_get_string (key_file, group, "label", NULL);
  identity = g_key_file_get_string (key_file, group, "identity", NULL);
  status_text = g_key_file_get_string (key_file, group, "status", NULL);
  last_error = g_key_file_get_string (key_file, group, "last_error", NULL);
  connected_at = get_time (key_file, group, "connected_at");
  checked_at = get_time (key_file, group, "checked_at");
  history = get_history (key_file, group);
  if (!hub_account_status_from_string (status_text, &status))
    status = HUB_ACCOUNT_STATUS_UNCHECKED;

  provider = lookup_provider (provider_id);
  keys = g_key_file_get_keys (key_file, group, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      GHashTable *table = NULL;
      const char *name = NULL;
      char *value;

      if (g_str_has_prefix (keys[i], "value."))
        {
          table = values;
          name = keys[i] + strlen ("value.");
        }
      else if (g_str_has_prefix (keys[i], "detail."))
        {
          table = details;
          name = keys[i] + strlen ("detail.");
        }
      if (table == NULL || *name == '\0')
        {
          if (!g_strv_contains (known_keys, keys[i]))
            {
              g_debug ("dropping the unknown key %s of account %s", keys[i], group);
              *scrubbed = TRUE;
            }
          continue;
        }
      /* Only the keyring holds secrets: a secret value found here (an older
       * version, a hand edit) is never loaded and is left out of the next
       * save. Unknown providers' fields count as secret. */
      if (table == values && field_is_secret (provider, name))
        {
          g_debug ("dropping the value of secret field %s of account %s", name, group);
          *scrubbed = TRUE;
          continue;
        }

      value = g_key_file_get_string (key_file, group, keys[i], NULL);
      if (value != NULL)
        g_hash_table_insert (table, g_strdup (name), value);
    }

  account = hub_account_new (group, provider_id);
  hub_account_set_label (account, label);
  hub_account_set_identity (account, identity);
  hub_account_set_status (account, status);
  hub_account_set_connected_at (account, connected_at);
  hub_account_set_checked_at (account, checked_at);
  hub_account_set_last_error (account, last_error);
  hub_account_set_values (account, values);
  hub_account_set_details (account, details);
  hub_account_set_history (account, history);
  mark_unknown_provider (account);

  return account;
}

/* ---- saving: one write at a time, in a worker thread -------------------- */

/* Applies a pending change to a copy of the live account. */
typedef void (*ApplyFunc) (HubAccount *account,
                           gpointer    user_data);

typedef struct
{
  HubAccount *upsert;      /* nullable: replaces the account with its id, or is appended */
  char       *remove_id;   /* nullable */
  char       *update_id;   /* nullable: @apply runs on a copy of this account as the write starts */
  ApplyFunc   apply;
  gpointer    apply_data;  /* owned by the caller's task, which outlives the save */
  char       *data;        /* serialized when the write starts */
  char       *reason;      /* the system's reason when the write failed */
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->upsert);
  g_free (data->remove_id);
  g_free (data->update_id);
  g_free (data->data);
  g_free (data->reason);
  g_free (data);
}

static char *
serialize (HubAccountStore *self,
           SaveData        *data)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  gboolean upserted = FALSE;

  for (guint i = 0; i < self->accounts->len; i++)
    {
      HubAccount *account = g_ptr_array_index (self->accounts, i);
      const char *id = hub_account_get_id (account);

      if (data->remove_id != NULL && g_str_equal (id, data->remove_id))
        continue;
      if (data->upsert != NULL && g_str_equal (id, hub_account_get_id (data->upsert)))
        {
          write_account (key_file, data->upsert);
          upserted = TRUE;
          continue;
        }
      write_account (key_file, account);
    }
  if (data->upsert != NULL && !upserted)
    write_account (key_file, data->upsert);

  return g_key_file_to_data (key_file, NULL, NULL);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  HubAccountStore *self = source_object;
  SaveData *data = task_data;
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_debug ("creating %s failed: %s", dir, g_strerror (saved_errno));
      data->reason = g_strdup (g_strerror (saved_errno));
      /* Translators: %s is a folder; the second %s the system's reason. */
      g_task_return_new_error (task, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_STORAGE,
                               _("The list of accounts could not be saved: the folder %s "
                                 "could not be created (%s). Check its permissions, then try "
                                 "again."),
                               dir, g_strerror (saved_errno));
      return;
    }
  /* g_mkdir_with_parents leaves an existing folder as it is: the list of accounts
   * names the user's services, so keep it private even if the folder was made by
   * someone else (an older version, a backup restore). */
  if (g_chmod (dir, 0700) != 0)
    g_debug ("making %s private failed: %s", dir, g_strerror (errno));

  if (!g_file_set_contents_full (self->path, data->data, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error))
    {
      g_debug ("writing the accounts file failed: %s", error->message);
      data->reason = g_strdup (error->message);
      /* Translators: %s is the system's reason, naming the file. */
      g_task_return_new_error (task, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_STORAGE,
                               _("The list of accounts could not be saved (%s). Check that "
                                 "the disk has free space and the folder is writable, then "
                                 "try again."),
                               error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void save_start_next (HubAccountStore *self);

static void
save_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HubAccountStore *self = HUB_ACCOUNT_STORE (object);
  g_autoptr(GTask) task = user_data;   /* the queued save task */
  SaveData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      self->saving = FALSE;
      save_start_next (self);
      return;
    }

  /* Now that the file says so, the model says so too. */
  if (data->remove_id != NULL)
    {
      guint index;

      if (find_index (self, data->remove_id, &index))
        {
          g_ptr_array_remove_index (self->accounts, index);
          g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
        }
    }
  if (data->upsert != NULL)
    {
      guint index;

      if (find_index (self, hub_account_get_id (data->upsert), &index))
        {
          account_copy_into (g_ptr_array_index (self->accounts, index), data->upsert);
        }
      else
        {
          g_ptr_array_add (self->accounts, g_object_ref (data->upsert));
          g_list_model_items_changed (G_LIST_MODEL (self), self->accounts->len - 1, 0, 1);
        }
    }

  g_task_return_boolean (task, TRUE);
  self->saving = FALSE;
  save_start_next (self);
}

static void
save_start_next (HubAccountStore *self)
{
  g_autoptr(GTask) worker = NULL;
  GTask *task;
  SaveData *data;

  if (self->saving)
    return;

  task = g_queue_pop_head (&self->save_queue);
  if (task == NULL)
    return;

  if (self->unreadable != NULL)
    {
      /* Writing now would replace every account the file holds with what is
       * in memory (nothing, or only what was added since). */
      g_task_return_new_error (task, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_STORAGE,
                               /* Translators: %s is the system's reason, naming the file. */
                               _("The list of accounts could not be read (%s), so it is "
                                 "not changed. Make the file readable, then restart "
                                 "Connect Hub."),
                               self->unreadable);
      g_object_unref (task);
      save_start_next (self);
      return;
    }

  self->saving = TRUE;
  data = g_task_get_task_data (task);
  if (data->update_id != NULL)
    {
      guint index;

      /* The change lands on the account as it is now, so saves queued
       * meanwhile (a rename during a check) are not undone. An account
       * removed meanwhile stays removed. */
      if (find_index (self, data->update_id, &index))
        {
          data->upsert = account_clone (g_ptr_array_index (self->accounts, index));
          data->apply (data->upsert, data->apply_data);
        }
    }
  data->data = serialize (self, data);

  /* The worker holds no secret: the file never does. */
  worker = g_task_new (self, NULL, save_written_cb, task);
  g_task_set_source_tag (worker, save_start_next);
  g_task_set_task_data (worker, data, NULL);
  g_task_run_in_thread (worker, write_thread);
}

/* Writes the current list with @upsert replacing (or appended to) its
 * account and without @remove_id; applies the change to the model only
 * once the file is written. Saves run one after another. */
static void
save_async (HubAccountStore     *self,
            HubAccount          *upsert,
            const char          *remove_id,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  SaveData *data = g_new0 (SaveData, 1);

  g_task_set_source_tag (task, save_async);
  data->upsert = upsert != NULL ? g_object_ref (upsert) : NULL;
  data->remove_id = g_strdup (remove_id);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);

  g_queue_push_tail (&self->save_queue, task);
  save_start_next (self);
}

/* Like save_async, but the change is @apply run on a copy of the account
 * @account_id as the write starts; the live account gets it only once the
 * file says so. @apply_data must live until the callback runs. */
static void
save_update_async (HubAccountStore     *self,
                   const char          *account_id,
                   ApplyFunc            apply,
                   gpointer             apply_data,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  SaveData *data = g_new0 (SaveData, 1);

  g_task_set_source_tag (task, save_async);
  data->update_id = g_strdup (account_id);
  data->apply = apply;
  data->apply_data = apply_data;
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);

  g_queue_push_tail (&self->save_queue, task);
  save_start_next (self);
}

static gboolean
save_finish (HubAccountStore  *self,
             GAsyncResult     *result,
             GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The system's reason a failed save gives, for messages that say more. */
static const char *
save_failure_reason (GAsyncResult *result)
{
  SaveData *data = g_task_get_task_data (G_TASK (result));

  return data->reason != NULL ? data->reason : _("unknown reason");
}

/* ---- load -------------------------------------------------------------- */

typedef struct
{
  GKeyFile *key_file;
  char     *backup_path;   /* set when a damaged file was moved aside */
  gboolean  changed;       /* adopted items or a rebuild: save */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_pointer (&data->key_file, g_key_file_unref);
  g_free (data->backup_path);
  g_free (data);
}

static gboolean
has_content (const char *contents,
             gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isspace (contents[i]))
        return TRUE;
    }
  return FALSE;
}

static gsize
count_groups (GKeyFile *key_file)
{
  g_auto(GStrv) groups = NULL;
  gsize n_groups = 0;

  groups = g_key_file_get_groups (key_file, &n_groups);
  return n_groups;
}

static char *
move_aside (const char  *path,
            GError     **error)
{
  g_autoptr(GDateTime) now = now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *backup = g_strdup_printf ("%s.corrupt-%s", path, stamp);

  for (guint n = 1; g_file_test (backup, G_FILE_TEST_EXISTS); n++)
    {
      g_free (backup);
      backup = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, n);
    }

  if (g_rename (path, backup) != 0)
    {
      int saved_errno = errno;

      /* Translators: %s is the system's reason. */
      g_set_error (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_STORAGE,
                   _("The list of accounts is damaged and could not be moved aside (%s). "
                     "Check the permissions of its folder, then try again."),
                   g_strerror (saved_errno));
      return NULL;
    }

  return g_steal_pointer (&backup);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  HubAccountStore *self = source_object;
  LoadData *data = task_data;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  data->key_file = g_key_file_new ();

  if (!g_file_get_contents (self->path, &contents, &length, &error))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
          || g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
      g_debug ("reading the accounts file failed: %s", error->message);
      /* Translators: %s is the system's reason, naming the file. */
      g_task_return_new_error (task, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_STORAGE,
                               _("The list of accounts could not be read (%s). Check the "
                                 "file's permissions, then try again."),
                               error->message);
      return;
    }

  /* GKeyFile accepts an all-NUL file as one with no groups. */
  if (!g_key_file_load_from_data (data->key_file, contents, length, G_KEY_FILE_NONE, &error)
      || (has_content (contents, length) && count_groups (data->key_file) == 0))
    {
      GError *move_error = NULL;

      g_debug ("the accounts file is damaged (%s)",
               error != NULL ? error->message : "no groups");
      data->backup_path = move_aside (self->path, &move_error);
      if (data->backup_path == NULL)
        {
          g_task_return_error (task, move_error);
          return;
        }
      g_clear_pointer (&data->key_file, g_key_file_unref);
      data->key_file = g_key_file_new ();
      data->changed = TRUE;
    }

  g_task_return_boolean (task, TRUE);
}

static void
load_reconciled (GTask *task)
{
  g_task_return_boolean (task, TRUE);
}

static void
load_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  HubAccountStore *self = HUB_ACCOUNT_STORE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!save_finish (self, result, &error))
    g_signal_emit (self, signals[SIGNAL_PROBLEM], 0, error->message);

  load_reconciled (task);
}

static void
load_listed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HubAccountStore *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) by_id = NULL;
  g_autoptr(GError) error = NULL;
  guint old_len = self->accounts->len;

  items = hub_secret_store_list_finish (HUB_SECRET_STORE (object), result, &error);
  if (items == NULL)
    {
      if (is_cancelled (error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* Translators: %s is a sentence about the keyring that says what to do. */
      {
        g_autofree char *message =
          g_strdup_printf (_("The saved credentials could not be checked. %s"), error->message);

        g_signal_emit (self, signals[SIGNAL_PROBLEM], 0, message);
      }
      if (data->changed)
        save_async (self, NULL, NULL, load_saved_cb, g_steal_pointer (&task));
      else
        load_reconciled (task);
      return;
    }

  by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < items->len; i++)
    {
      HubSecretItem *item = g_ptr_array_index (items, i);

      g_hash_table_insert (by_id, item->account_id, item);
    }

  for (guint i = 0; i < self->accounts->len; i++)
    {
      HubAccount *account = g_ptr_array_index (self->accounts, i);
      HubSecretItem *item = g_hash_table_lookup (by_id, hub_account_get_id (account));

      hub_account_set_secret_missing (account, item == NULL);
      hub_account_set_keyring_locked (account, item != NULL && item->locked);
      if (item != NULL)
        g_hash_table_remove (by_id, item->account_id);
    }

  /* What is left has a secret but no metadata (a crash between the two
   * writes, or a damaged file): adopt it as unchecked. */
  for (guint i = 0; i < items->len; i++)
    {
      HubSecretItem *item = g_ptr_array_index (items, i);
      g_autoptr(HubAccount) account = NULL;
      g_autofree char *label = NULL;

      if (!g_hash_table_contains (by_id, item->account_id))
        continue;
      g_hash_table_remove (by_id, item->account_id);

      g_debug ("adopting keyring item of account %s (%s)", item->account_id, item->provider_id);
      label = label_from_item (item);
      account = hub_account_new (item->account_id, item->provider_id);
      hub_account_set_label (account, label);
      hub_account_set_status (account, HUB_ACCOUNT_STATUS_UNCHECKED);
      hub_account_set_keyring_locked (account, item->locked);
      mark_unknown_provider (account);
      g_ptr_array_add (self->accounts, g_steal_pointer (&account));
      data->changed = TRUE;
    }

  if (self->accounts->len > old_len)
    g_list_model_items_changed (G_LIST_MODEL (self), old_len, 0, self->accounts->len - old_len);

  if (data->changed)
    save_async (self, NULL, NULL, load_saved_cb, g_steal_pointer (&task));
  else
    load_reconciled (task);
}

static void
load_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  HubAccountStore *self = HUB_ACCOUNT_STORE (object);
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_auto(GStrv) groups = NULL;
  GCancellable *cancellable;
  guint old_len;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_free (self->unreadable);
          self->unreadable = g_strdup (error->message);
          g_signal_emit (self, signals[SIGNAL_PROBLEM], 0, error->message);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&self->unreadable, g_free);
  loaded = g_ptr_array_new_with_free_func (g_object_unref);
  groups = g_key_file_get_groups (data->key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      HubAccount *account = read_account (data->key_file, groups[i], &data->changed);

      if (account != NULL)
        g_ptr_array_add (loaded, account);
    }

  old_len = self->accounts->len;
  g_ptr_array_unref (self->accounts);
  self->accounts = g_steal_pointer (&loaded);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->accounts->len);

  if (data->backup_path != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the path of the damaged file's copy. */
      message = g_strdup_printf (_("The list of accounts was damaged. It was kept as %s and "
                                   "the accounts were restored from the keyring; check them "
                                   "again."),
                                 data->backup_path);
      g_signal_emit (self, signals[SIGNAL_PROBLEM], 0, message);
    }

  cancellable = g_task_get_cancellable (task);
  hub_secret_store_list_async (self->secrets, cancellable, load_listed_cb,
                               g_steal_pointer (&task));
}

/* ---- add ---------------------------------------------------------------- */

typedef struct
{
  HubAccount      *account;     /* new or clone with the pending change */
  GHashTable      *secrets;     /* wiping */
  GHashTable      *previous;    /* update: the secret to restore on failure (wiping), nullable */
  char            *item_label;
  GError          *error;       /* kept while rolling back */
  /* update: the change, applied to the account as it is when the write starts */
  GHashTable      *plain;
  HubVerifyResult *verified;
  GDateTime       *linked_at;
} ChangeData;

static void
change_data_free (ChangeData *data)
{
  g_clear_object (&data->account);
  g_clear_pointer (&data->secrets, g_hash_table_unref);
  g_clear_pointer (&data->previous, g_hash_table_unref);
  g_free (data->item_label);
  g_clear_error (&data->error);
  g_clear_pointer (&data->plain, g_hash_table_unref);
  g_clear_object (&data->verified);
  g_clear_pointer (&data->linked_at, g_date_time_unref);
  g_free (data);
}

static void
rollback_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ChangeData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (data->previous != NULL)
    ok = hub_secret_store_store_finish (HUB_SECRET_STORE (object), result, &error);
  else
    ok = hub_secret_store_clear_finish (HUB_SECRET_STORE (object), result, &error);

  if (!ok)
    g_debug ("rolling back the keyring item of account %s failed: %s",
             hub_account_get_id (data->account), error->message);

  g_task_return_error (task, g_steal_pointer (&data->error));
}

/* The metadata write failed (or the caller cancelled) after the secret was
 * written: put the keyring back as it was, then report @error. */
static void
rollback (GTask  *task,
          GError *error)
{
  HubAccountStore *self = g_task_get_source_object (task);
  ChangeData *data = g_task_get_task_data (task);
  const char *account_id = hub_account_get_id (data->account);

  data->error = error;
  if (data->previous != NULL)
    hub_secret_store_store_async (self->secrets, account_id,
                                  hub_account_get_provider_id (data->account),
                                  data->item_label, data->previous, NULL,
                                  rollback_done_cb, task);
  else
    hub_secret_store_clear_async (self->secrets, account_id, NULL, rollback_done_cb, task);
}

static void
change_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HubAccountStore *self = HUB_ACCOUNT_STORE (object);
  g_autoptr(GTask) task = user_data;
  ChangeData *data = g_task_get_task_data (task);
  GError *error = NULL;
  guint index;

  if (!save_finish (self, result, &error))
    {
      rollback (g_steal_pointer (&task), error);
      return;
    }

  if (g_task_get_source_tag (task) == hub_account_store_update_async
      && !find_index (self, hub_account_get_id (data->account), NULL))
    {
      /* Removed during the relink: the removal wins, so the secret just
       * stored must not outlive it (it would come back as an orphan). */
      g_clear_pointer (&data->previous, g_hash_table_unref);
      rollback (g_steal_pointer (&task), not_in_list_error ());
      return;
    }

  if (g_task_get_source_tag (task) == hub_account_store_add_async
      && find_index (self, hub_account_get_id (data->account), &index))
    g_task_return_pointer (task, g_object_ref (g_ptr_array_index (self->accounts, index)),
                           g_object_unref);
  else
    g_task_return_boolean (task, TRUE);
}

static void relink_apply (HubAccount *account,
                          gpointer    user_data);

static void
change_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  HubAccountStore *self;
  g_autoptr(GTask) task = user_data;
  ChangeData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  HubAccount *existing;

  self = g_task_get_source_object (task);
  g_clear_pointer (&data->secrets, g_hash_table_unref);

  if (!hub_secret_store_store_finish (HUB_SECRET_STORE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      /* Nothing may stay behind from a cancelled link. */
      g_task_set_check_cancellable (task, FALSE);
      rollback (g_steal_pointer (&task),
                g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled"));
      return;
    }

  /* The identity might have been linked meanwhile. */
  existing = hub_account_store_find_identity (self,
                                              hub_account_get_provider_id (data->account),
                                              hub_account_get_identity (data->account));
  if (existing != NULL && !g_str_equal (hub_account_get_id (existing),
                                        hub_account_get_id (data->account)))
    {
      rollback (g_steal_pointer (&task), duplicate_error (existing));
      return;
    }

  /* From here on the change is applied as soon as it is written: report what
   * happened, not a cancel that came too late to stop it. */
  g_task_set_check_cancellable (task, FALSE);

  if (g_task_get_source_tag (task) == hub_account_store_update_async)
    save_update_async (self, hub_account_get_id (data->account), relink_apply, data,
                       change_saved_cb, g_steal_pointer (&task));
  else
    save_async (self, data->account, NULL, change_saved_cb, g_steal_pointer (&task));
}

static void
change_store_secret (GTask *task)
{
  HubAccountStore *self = g_task_get_source_object (task);
  ChangeData *data = g_task_get_task_data (task);

  hub_secret_store_store_async (self->secrets,
                                hub_account_get_id (data->account),
                                hub_account_get_provider_id (data->account),
                                data->item_label, data->secrets,
                                NULL, change_stored_cb, task);
}

static void
apply_verified (HubAccount      *account,
                HubVerifyResult *verified)
{
  g_autoptr(GDateTime) now = now_utc ();

  hub_account_set_identity (account, hub_verify_result_get_identity (verified));
  hub_account_set_details (account, hub_verify_result_get_captures (verified));
  hub_account_set_status (account, HUB_ACCOUNT_STATUS_CONNECTED);
  hub_account_set_checked_at (account, now);
  hub_account_set_last_error (account, NULL);
  hub_account_set_secret_missing (account, FALSE);
  hub_account_set_keyring_locked (account, FALSE);
}

/* The verification ran before the store saw it, so its duration is unknown. */
static void
add_link_record (HubAccount   *account,
                 HubCheckKind  kind,
                 GDateTime    *when)
{
  g_autoptr(HubCheckRecord) record = NULL;

  record = hub_check_record_new (when, kind, HUB_ACCOUNT_STATUS_CONNECTED, -1, NULL);
  hub_account_add_history (account, record);
}

/* ---- update ------------------------------------------------------------ */

/* The relink, applied to a copy of the account as the write starts
 * (save_update_async): a rename or check saved during the relink stays. */
static void
relink_apply (HubAccount *account,
              gpointer    user_data)
{
  ChangeData *data = user_data;

  g_object_freeze_notify (G_OBJECT (account));
  hub_account_set_values (account, data->plain);
  apply_verified (account, data->verified);
  hub_account_set_connected_at (account, data->linked_at);
  add_link_record (account, HUB_CHECK_KIND_RELINK, data->linked_at);
  g_object_thaw_notify (G_OBJECT (account));
}

static void
update_previous_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ChangeData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->previous = hub_secret_store_lookup_finish (HUB_SECRET_STORE (object), result, &error);
  if (data->previous == NULL
      && !g_error_matches (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_NOT_FOUND)
      && !g_error_matches (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_INVALID))
    {
      /* Locked or unavailable: the store would fail too; change nothing. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_hash_table_size (data->secrets) == 0 && data->previous != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      /* Only non-secret values changed: keep the stored secret. */
      g_hash_table_iter_init (&iter, data->previous);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (data->secrets, g_strdup (key), g_strdup (value));
    }

  change_store_secret (g_steal_pointer (&task));
}

/* ---- lookup values and check -------------------------------------------- */

typedef struct
{
  HubAccount      *account;
  HubProvider     *provider;    /* borrowed from the catalog */
  GHashTable      *values;      /* wiping */
  HubVerifyResult *result;
  GError          *error;
  GDateTime       *checked_at;  /* set once the verification ran */
  gint64           started;     /* monotonic µs, as the verification started */
  gint64           duration_ms;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_object (&data->account);
  g_clear_pointer (&data->values, g_hash_table_unref);
  g_clear_object (&data->result);
  g_clear_error (&data->error);
  g_clear_pointer (&data->checked_at, g_date_time_unref);
  g_free (data);
}

static void
lookup_values_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HubAccount *account = g_task_get_task_data (task);
  g_autoptr(GHashTable) secrets = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *values;
  GHashTableIter iter;
  gpointer key, value;

  secrets = hub_secret_store_lookup_finish (HUB_SECRET_STORE (object), result, &error);
  if (secrets == NULL)
    {
      if (g_error_matches (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_LOCKED))
        hub_account_set_keyring_locked (account, TRUE);
      if (g_error_matches (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_NOT_FOUND))
        {
          hub_account_set_secret_missing (account, TRUE);
          g_task_return_new_error (task, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_SECRET_MISSING,
                                   "%s", error->message);
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  hub_account_set_secret_missing (account, FALSE);
  hub_account_set_keyring_locked (account, FALSE);

  values = hub_auth_values_new ();
  g_hash_table_iter_init (&iter, hub_account_get_values (account));
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (values, g_strdup (key), g_strdup (value));
  g_hash_table_iter_init (&iter, secrets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (values, g_strdup (key), g_strdup (value));

  g_task_return_pointer (task, values, (GDestroyNotify) g_hash_table_unref);
}

/* The outcome of a check, applied to a copy of the account (save_update_async). */
static void
check_apply (HubAccount *account,
             gpointer    user_data)
{
  CheckData *data = user_data;

  g_object_freeze_notify (G_OBJECT (account));
  if (data->result != NULL)
    {
      hub_account_set_identity (account, hub_verify_result_get_identity (data->result));
      hub_account_set_details (account, hub_verify_result_get_captures (data->result));
      hub_account_set_status (account, HUB_ACCOUNT_STATUS_CONNECTED);
      hub_account_set_last_error (account, NULL);
    }
  else if (data->checked_at != NULL)
    {
      if (g_error_matches (data->error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_REJECTED))
        hub_account_set_status (account, HUB_ACCOUNT_STATUS_REJECTED);
      else
        hub_account_set_status (account, HUB_ACCOUNT_STATUS_ERROR);
      hub_account_set_last_error (account, data->error->message);
    }
  else
    {
      /* A keyring failure never changes the status or checked-at. */
      hub_account_set_last_error (account, data->error->message);
    }
  if (data->checked_at != NULL)
    {
      g_autoptr(HubCheckRecord) record = NULL;

      /* Only a check that reached the verification is history; a keyring
       * that could not be read is not (the page shows the keyring state). */
      record = hub_check_record_new (data->checked_at, HUB_CHECK_KIND_CHECK,
                                     hub_account_get_status (account), data->duration_ms,
                                     data->result != NULL ? NULL : data->error->message);
      hub_account_add_history (account, record);
      hub_account_set_checked_at (account, data->checked_at);
      hub_account_set_secret_missing (account, FALSE);
      hub_account_set_keyring_locked (account, FALSE);
    }
  g_object_thaw_notify (G_OBJECT (account));
}

static const char *
check_outcome (CheckData *data)
{
  if (data->result != NULL)
    return _("connected");
  if (g_error_matches (data->error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_REJECTED))
    return _("rejected");
  return _("error");
}

static void
check_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  HubAccountStore *self = HUB_ACCOUNT_STORE (object);
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The check's outcome is reported even when the cancellable fired meanwhile. */
  g_task_set_check_cancellable (task, FALSE);

  if (!save_finish (self, result, &error) && data->checked_at != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self->path);

      /* Nothing was applied: the account still shows what the file says. */
      g_task_return_new_error (task, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_STORAGE,
                               /* Translators: the first %s is the outcome ("connected",
                                * "rejected" or "error"), the second the system's reason,
                                * the third a folder. */
                               _("The check ran (%s), but the list of accounts could not be "
                                 "saved (%s). Check that %s is writable, then check again."),
                               check_outcome (data), save_failure_reason (result), dir);
      return;
    }
  if (error != NULL)
    g_debug ("saving the keyring error of a check failed: %s", error->message);

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&data->result), g_object_unref);
}

static void
check_verified_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HubAccountStore *self = g_task_get_source_object (task);
  CheckData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->result = hub_verifier_verify_finish (HUB_VERIFIER (object), result, &error);
  g_clear_pointer (&data->values, g_hash_table_unref);

  if (data->result == NULL && is_cancelled (error))
    {
      g_task_return_error (task, error);
      return;
    }

  data->error = error;
  data->checked_at = now_utc ();
  data->duration_ms = (g_get_monotonic_time () - data->started) / 1000;
  save_update_async (self, hub_account_get_id (data->account), check_apply, data,
                     check_saved_cb, g_steal_pointer (&task));
}

static void
check_values_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HubAccountStore *self = HUB_ACCOUNT_STORE (object);
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;

  data->values = hub_account_store_lookup_values_finish (self, result, &error);
  if (data->values == NULL)
    {
      if (is_cancelled (error))
        {
          g_task_return_error (task, error);
          return;
        }
      /* The flags say what the keyring is like now (never saved); the
       * message is saved like any other change. */
      note_secret_flags (data->account, error);
      data->error = error;
      save_update_async (self, hub_account_get_id (data->account), check_apply, data,
                         check_saved_cb, g_steal_pointer (&task));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  data->started = g_get_monotonic_time ();
  hub_verifier_verify_async (self->verifier, data->provider, data->values, cancellable,
                             check_verified_cb, g_steal_pointer (&task));
}

/* ---- rename and remove -------------------------------------------------- */

static void
simple_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!save_finish (HUB_ACCOUNT_STORE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
rename_apply (HubAccount *account,
              gpointer    user_data)
{
  hub_account_set_label (account, user_data);
}

static void
remove_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HubAccountStore *self = HUB_ACCOUNT_STORE (object);
  g_autoptr(GTask) task = user_data;
  HubAccount *account = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  HubProvider *provider;

  if (save_finish (self, result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  dir = g_path_get_dirname (self->path);
  provider = lookup_provider (hub_account_get_provider_id (account));
  g_task_return_new_error (task, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_STORAGE,
                           /* Translators: the first %s is a provider name, the second the
                            * system's reason, the third a folder. */
                           _("The %s credential was deleted from the keyring, but the list of "
                             "accounts could not be saved (%s). Make %s writable, then remove "
                             "the account again."),
                           provider != NULL ? hub_provider_get_name (provider)
                                            : hub_account_get_provider_id (account),
                           save_failure_reason (result), dir);
}

static void
remove_cleared_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HubAccountStore *self = g_task_get_source_object (task);
  HubAccount *account = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!hub_secret_store_clear_finish (HUB_SECRET_STORE (object), result, &error)
      && !g_error_matches (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_NOT_FOUND))
    {
      /* Not deleted: the account stays, as saved; only the runtime flags
       * say what the keyring is like now. */
      if (!is_cancelled (error))
        note_secret_flags (account, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The secret is gone (that is the truth, whatever the file says next):
   * from here on the metadata is removed, cancelled or not. */
  g_task_set_check_cancellable (task, FALSE);
  hub_account_set_secret_missing (account, TRUE);
  hub_account_set_keyring_locked (account, FALSE);
  save_async (self, NULL, hub_account_get_id (account), remove_saved_cb,
              g_steal_pointer (&task));
}

/* ---- GObject and GListModel -------------------------------------------- */

static GType
hub_account_store_get_item_type (GListModel *model)
{
  return HUB_TYPE_ACCOUNT;
}

static guint
hub_account_store_get_n_items (GListModel *model)
{
  return HUB_ACCOUNT_STORE (model)->accounts->len;
}

static gpointer
hub_account_store_get_item (GListModel *model,
                            guint       position)
{
  HubAccountStore *self = HUB_ACCOUNT_STORE (model);

  if (position >= self->accounts->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->accounts, position));
}

static void
hub_account_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = hub_account_store_get_item_type;
  iface->get_n_items = hub_account_store_get_n_items;
  iface->get_item = hub_account_store_get_item;
}

static void
hub_account_store_dispose (GObject *object)
{
  HubAccountStore *self = HUB_ACCOUNT_STORE (object);

  g_clear_object (&self->secrets);
  g_clear_object (&self->verifier);
  if (self->accounts != NULL)
    g_ptr_array_set_size (self->accounts, 0);

  G_OBJECT_CLASS (hub_account_store_parent_class)->dispose (object);
}

static void
hub_account_store_finalize (GObject *object)
{
  HubAccountStore *self = HUB_ACCOUNT_STORE (object);

  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_free (self->path);
  g_free (self->unreadable);

  G_OBJECT_CLASS (hub_account_store_parent_class)->finalize (object);
}

static void
hub_account_store_class_init (HubAccountStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hub_account_store_dispose;
  object_class->finalize = hub_account_store_finalize;

  signals[SIGNAL_PROBLEM] =
    g_signal_new ("problem",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
hub_account_store_init (HubAccountStore *self)
{
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_init (&self->save_queue);
}

/* ---- public ------------------------------------------------------------ */

HubAccountStore *
hub_account_store_new (HubSecretStore *secrets,
                       HubVerifier    *verifier,
                       const char     *metadata_path)
{
  HubAccountStore *self;

  g_return_val_if_fail (HUB_IS_SECRET_STORE (secrets), NULL);
  g_return_val_if_fail (verifier == NULL || HUB_IS_VERIFIER (verifier), NULL);

  self = g_object_new (HUB_TYPE_ACCOUNT_STORE, NULL);
  self->secrets = g_object_ref (secrets);
  self->verifier = verifier != NULL ? g_object_ref (verifier) : NULL;
  if (metadata_path != NULL)
    self->path = g_strdup (metadata_path);
  else
    self->path = g_build_filename (g_get_user_data_dir (), "connect-hub", "accounts.ini", NULL);

  return self;
}

HubSecretStore *
hub_account_store_get_secret_store (HubAccountStore *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT_STORE (self), NULL);
  return self->secrets;
}

HubVerifier *
hub_account_store_get_verifier (HubAccountStore *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT_STORE (self), NULL);
  return self->verifier;
}

void
hub_account_store_load_async (HubAccountStore     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) reader = NULL;

  g_return_if_fail (HUB_IS_ACCOUNT_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hub_account_store_load_async);
  g_task_set_task_data (task, g_new0 (LoadData, 1), (GDestroyNotify) load_data_free);

  reader = g_task_new (self, NULL, load_read_cb, g_object_ref (task));
  g_task_set_source_tag (reader, load_read_cb);
  g_task_set_task_data (reader, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (reader, read_thread);
}

gboolean
hub_account_store_load_finish (HubAccountStore  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

HubAccount *
hub_account_store_lookup (HubAccountStore *self,
                          const char      *account_id)
{
  guint index;

  g_return_val_if_fail (HUB_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  if (!find_index (self, account_id, &index))
    return NULL;
  return g_ptr_array_index (self->accounts, index);
}

HubAccount *
hub_account_store_find_identity (HubAccountStore *self,
                                 const char      *provider_id,
                                 const char      *identity)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT_STORE (self), NULL);

  if (provider_id == NULL || identity == NULL || *identity == '\0')
    return NULL;

  for (guint i = 0; i < self->accounts->len; i++)
    {
      HubAccount *account = g_ptr_array_index (self->accounts, i);

      if (g_strcmp0 (hub_account_get_provider_id (account), provider_id) == 0
          && g_strcmp0 (hub_account_get_identity (account), identity) == 0)
        return account;
    }
  return NULL;
}

void
hub_account_store_add_async (HubAccountStore     *self,
                             HubProvider         *provider,
                             GHashTable          *values,
                             HubVerifyResult     *verified,
                             const char          *label,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) plain = NULL;
  g_autoptr(GDateTime) now = now_utc ();
  g_autofree char *account_id = NULL;
  const char *identity;
  HubAccount *existing;
  ChangeData *data;

  g_return_if_fail (HUB_IS_ACCOUNT_STORE (self));
  g_return_if_fail (HUB_IS_PROVIDER (provider));
  g_return_if_fail (values != NULL);
  g_return_if_fail (HUB_IS_VERIFY_RESULT (verified));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hub_account_store_add_async);

  identity = hub_verify_result_get_identity (verified);
  existing = hub_account_store_find_identity (self, hub_provider_get_id (provider), identity);
  if (existing != NULL)
    {
      g_task_return_error (task, duplicate_error (existing));
      return;
    }

  data = g_new0 (ChangeData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) change_data_free);

  account_id = g_uuid_string_random ();
  data->account = hub_account_new (account_id, hub_provider_get_id (provider));
  split_values (provider, values, &data->secrets, &plain);
  hub_account_set_values (data->account, plain);
  hub_account_set_label (data->account, label != NULL && *label != '\0' ? label : identity);
  apply_verified (data->account, verified);
  hub_account_set_connected_at (data->account, now);
  hub_account_set_checked_at (data->account, now);
  add_link_record (data->account, HUB_CHECK_KIND_LINK, now);
  data->item_label = make_item_label (hub_provider_get_id (provider),
                                      hub_account_get_label (data->account));

  g_debug ("linking account %s (%s)", account_id, hub_provider_get_id (provider));
  change_store_secret (g_steal_pointer (&task));
}

HubAccount *
hub_account_store_add_finish (HubAccountStore  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hub_account_store_update_async (HubAccountStore     *self,
                                HubAccount          *account,
                                GHashTable          *values,
                                HubVerifyResult     *verified,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) plain = NULL;
  g_autoptr(GDateTime) now = now_utc ();
  GError *error = NULL;
  HubProvider *provider;
  HubAccount *existing;
  ChangeData *data;

  g_return_if_fail (HUB_IS_ACCOUNT_STORE (self));
  g_return_if_fail (HUB_IS_ACCOUNT (account));
  g_return_if_fail (values != NULL);
  g_return_if_fail (HUB_IS_VERIFY_RESULT (verified));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hub_account_store_update_async);

  if (!check_owned (self, account, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  existing = hub_account_store_find_identity (self, hub_account_get_provider_id (account),
                                              hub_verify_result_get_identity (verified));
  if (existing != NULL && existing != account)
    {
      g_task_return_error (task, duplicate_error (existing));
      return;
    }

  provider = lookup_provider (hub_account_get_provider_id (account));
  data = g_new0 (ChangeData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) change_data_free);

  /* data->account (its id and new identity) is only for the keyring and the
   * duplicate check: what is saved is relink_apply on the account as the
   * write starts. */
  data->account = account_clone (account);
  split_values (provider, values, &data->secrets, &plain);
  data->plain = g_hash_table_ref (plain);
  data->verified = g_object_ref (verified);
  data->linked_at = g_date_time_ref (now);
  relink_apply (data->account, data);
  data->item_label = make_item_label (hub_account_get_provider_id (account),
                                      hub_account_get_label (account) != NULL
                                      ? hub_account_get_label (account)
                                      : hub_verify_result_get_identity (verified));

  g_debug ("relinking account %s", hub_account_get_id (account));
  /* Keep the old secret at hand: a failed metadata write puts it back. */
  hub_secret_store_lookup_async (self->secrets, hub_account_get_id (account), NULL,
                                 update_previous_cb, g_steal_pointer (&task));
}

gboolean
hub_account_store_update_finish (HubAccountStore  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hub_account_store_lookup_values_async (HubAccountStore     *self,
                                       HubAccount          *account,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HUB_IS_ACCOUNT_STORE (self));
  g_return_if_fail (HUB_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hub_account_store_lookup_values_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  hub_secret_store_lookup_async (self->secrets, hub_account_get_id (account), cancellable,
                                 lookup_values_cb, g_steal_pointer (&task));
}

GHashTable *
hub_account_store_lookup_values_finish (HubAccountStore  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hub_account_store_check_async (HubAccountStore     *self,
                               HubAccount          *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  CheckData *data;

  g_return_if_fail (HUB_IS_ACCOUNT_STORE (self));
  g_return_if_fail (HUB_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hub_account_store_check_async);

  if (!check_owned (self, account, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (CheckData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  data->account = g_object_ref (account);
  data->provider = lookup_provider (hub_account_get_provider_id (account));
  if (data->provider == NULL)
    {
      /* Nothing is verified, so nothing can make it "rejected". */
      g_task_return_error (task, unknown_provider_error (hub_account_get_provider_id (account)));
      return;
    }
  if (self->verifier == NULL)
    self->verifier = g_object_ref (hub_verifier_get_default ());

  g_debug ("checking account %s", hub_account_get_id (account));
  hub_account_store_lookup_values_async (self, account, cancellable, check_values_cb,
                                         g_steal_pointer (&task));
}

HubVerifyResult *
hub_account_store_check_finish (HubAccountStore  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hub_account_store_rename_async (HubAccountStore     *self,
                                HubAccount          *account,
                                const char          *label,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  char *new_label;

  g_return_if_fail (HUB_IS_ACCOUNT_STORE (self));
  g_return_if_fail (HUB_IS_ACCOUNT (account));
  g_return_if_fail (label != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hub_account_store_rename_async);

  if (!check_owned (self, account, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  new_label = g_strdup (label);
  g_task_set_task_data (task, new_label, g_free);
  save_update_async (self, hub_account_get_id (account), rename_apply, new_label,
                     simple_saved_cb, g_steal_pointer (&task));
}

gboolean
hub_account_store_rename_finish (HubAccountStore  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hub_account_store_remove_async (HubAccountStore     *self,
                                HubAccount          *account,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (HUB_IS_ACCOUNT_STORE (self));
  g_return_if_fail (HUB_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hub_account_store_remove_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  if (!check_owned (self, account, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_debug ("removing account %s", hub_account_get_id (account));
  hub_secret_store_clear_async (self->secrets, hub_account_get_id (account), cancellable,
                                remove_cleared_cb, g_steal_pointer (&task));
}

gboolean
hub_account_store_remove_finish (HubAccountStore  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
