/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-account"

#include "config.h"

#include "hub-account.h"

struct _HubAccount
{
  GObject           parent_instance;

  char             *id;
  char             *provider_id;
  char             *label;
  char             *identity;
  HubAccountStatus  status;
  GDateTime        *connected_at;
  GDateTime        *checked_at;
  char             *last_error;
  gboolean          secret_missing;
  gboolean          keyring_locked;
  GHashTable       *details;   /* char* → char* */
  GHashTable       *values;    /* char* → char*, non-secret field values only */
  GPtrArray        *history;   /* HubCheckRecord, newest first; replaced, never changed */
};

G_DEFINE_FINAL_TYPE (HubAccount, hub_account, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_PROVIDER_ID,
  PROP_LABEL,
  PROP_IDENTITY,
  PROP_STATUS,
  PROP_CONNECTED_AT,
  PROP_CHECKED_AT,
  PROP_LAST_ERROR,
  PROP_SECRET_MISSING,
  PROP_KEYRING_LOCKED,
  PROP_DETAILS,
  PROP_VALUES,
  PROP_HISTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const status_strings[] = {
  [HUB_ACCOUNT_STATUS_UNCHECKED] = "unchecked",
  [HUB_ACCOUNT_STATUS_CONNECTED] = "connected",
  [HUB_ACCOUNT_STATUS_REJECTED] = "rejected",
  [HUB_ACCOUNT_STATUS_ERROR] = "error",
};

static const char * const kind_strings[] = {
  [HUB_CHECK_KIND_CHECK] = "check",
  [HUB_CHECK_KIND_LINK] = "link",
  [HUB_CHECK_KIND_RELINK] = "relink",
};

G_DEFINE_BOXED_TYPE (HubCheckRecord, hub_check_record, hub_check_record_ref, hub_check_record_unref)

static void
check_record_clear (HubCheckRecord *record)
{
  g_clear_pointer (&record->time, g_date_time_unref);
  g_clear_pointer (&record->message, g_free);
}

static gboolean
check_records_equal (const HubCheckRecord *a,
                     const HubCheckRecord *b)
{
  return a == b
         || (g_date_time_equal (a->time, b->time)
             && a->kind == b->kind
             && a->status == b->status
             && a->duration_ms == b->duration_ms
             && g_strcmp0 (a->message, b->message) == 0);
}

static gboolean
histories_equal (GPtrArray *a,
                 GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      if (!check_records_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
        return FALSE;
    }
  return TRUE;
}

static GPtrArray *
new_history (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) hub_check_record_unref);
}

static void
replace_history (HubAccount *self,
                 GPtrArray  *history)   /* owned */
{
  if (histories_equal (self->history, history))
    {
      g_ptr_array_unref (history);
      return;
    }

  g_ptr_array_unref (self->history);
  self->history = history;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

static GHashTable *
copy_string_table (GHashTable *table)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  if (table == NULL)
    return copy;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (key != NULL && value != NULL)
        g_hash_table_insert (copy, g_strdup (key), g_strdup (value));
    }

  return copy;
}

static gboolean
string_tables_equal (GHashTable *a,
                     GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
        return FALSE;
    }

  return TRUE;
}

static gboolean
date_times_equal (GDateTime *a,
                  GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_equal (a, b);
}

static void
set_date_time (HubAccount  *self,
               GDateTime  **field,
               GDateTime   *when,
               guint        prop)
{
  if (date_times_equal (*field, when))
    return;

  g_clear_pointer (field, g_date_time_unref);
  if (when != NULL)
    *field = g_date_time_ref (when);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_string (HubAccount  *self,
            char       **field,
            const char  *value,
            guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
hub_account_finalize (GObject *object)
{
  HubAccount *self = HUB_ACCOUNT (object);

  g_free (self->id);
  g_free (self->provider_id);
  g_free (self->label);
  g_free (self->identity);
  g_free (self->last_error);
  g_clear_pointer (&self->connected_at, g_date_time_unref);
  g_clear_pointer (&self->checked_at, g_date_time_unref);
  g_clear_pointer (&self->details, g_hash_table_unref);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->history, g_ptr_array_unref);

  G_OBJECT_CLASS (hub_account_parent_class)->finalize (object);
}

static void
hub_account_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  HubAccount *self = HUB_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_IDENTITY:
      g_value_set_string (value, self->identity);
      break;
    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case PROP_CONNECTED_AT:
      g_value_set_boxed (value, self->connected_at);
      break;
    case PROP_CHECKED_AT:
      g_value_set_boxed (value, self->checked_at);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_SECRET_MISSING:
      g_value_set_boolean (value, self->secret_missing);
      break;
    case PROP_KEYRING_LOCKED:
      g_value_set_boolean (value, self->keyring_locked);
      break;
    case PROP_DETAILS:
      g_value_set_boxed (value, self->details);
      break;
    case PROP_VALUES:
      g_value_set_boxed (value, self->values);
      break;
    case PROP_HISTORY:
      g_value_set_boxed (value, self->history);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hub_account_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  HubAccount *self = HUB_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      break;
    case PROP_PROVIDER_ID:
      g_free (self->provider_id);
      self->provider_id = g_value_dup_string (value);
      break;
    case PROP_LABEL:
      hub_account_set_label (self, g_value_get_string (value));
      break;
    case PROP_IDENTITY:
      hub_account_set_identity (self, g_value_get_string (value));
      break;
    case PROP_STATUS:
      hub_account_set_status (self, g_value_get_int (value));
      break;
    case PROP_CONNECTED_AT:
      hub_account_set_connected_at (self, g_value_get_boxed (value));
      break;
    case PROP_CHECKED_AT:
      hub_account_set_checked_at (self, g_value_get_boxed (value));
      break;
    case PROP_LAST_ERROR:
      hub_account_set_last_error (self, g_value_get_string (value));
      break;
    case PROP_SECRET_MISSING:
      hub_account_set_secret_missing (self, g_value_get_boolean (value));
      break;
    case PROP_KEYRING_LOCKED:
      hub_account_set_keyring_locked (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hub_account_class_init (HubAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hub_account_finalize;
  object_class->get_property = hub_account_get_property;
  object_class->set_property = hub_account_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROVIDER_ID] =
    g_param_spec_string ("provider-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDENTITY] =
    g_param_spec_string ("identity", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL,
                      HUB_ACCOUNT_STATUS_UNCHECKED, HUB_ACCOUNT_STATUS_ERROR,
                      HUB_ACCOUNT_STATUS_UNCHECKED,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTED_AT] =
    g_param_spec_boxed ("connected-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHECKED_AT] =
    g_param_spec_boxed ("checked-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRET_MISSING] =
    g_param_spec_boolean ("secret-missing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEYRING_LOCKED] =
    g_param_spec_boolean ("keyring-locked", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAILS] =
    g_param_spec_boxed ("details", NULL, NULL, G_TYPE_HASH_TABLE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUES] =
    g_param_spec_boxed ("values", NULL, NULL, G_TYPE_HASH_TABLE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HISTORY] =
    g_param_spec_boxed ("history", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hub_account_init (HubAccount *self)
{
  self->status = HUB_ACCOUNT_STATUS_UNCHECKED;
  self->details = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->history = new_history ();
}

HubCheckRecord *
hub_check_record_new (GDateTime        *time,
                      HubCheckKind      kind,
                      HubAccountStatus  status,
                      gint64            duration_ms,
                      const char       *message)
{
  HubCheckRecord *record;

  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_strings), NULL);
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_strings), NULL);

  record = g_rc_box_new0 (HubCheckRecord);
  record->time = g_date_time_to_utc (time);
  record->kind = kind;
  record->status = status;
  record->duration_ms = duration_ms < 0 ? -1 : duration_ms;
  record->message = g_strdup (message);
  return record;
}

HubCheckRecord *
hub_check_record_ref (HubCheckRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return g_rc_box_acquire (record);
}

void
hub_check_record_unref (HubCheckRecord *record)
{
  g_return_if_fail (record != NULL);
  g_rc_box_release_full (record, (GDestroyNotify) check_record_clear);
}

const char *
hub_check_kind_to_string (HubCheckKind kind)
{
  if ((guint) kind >= G_N_ELEMENTS (kind_strings))
    return NULL;
  return kind_strings[kind];
}

gboolean
hub_check_kind_from_string (const char   *string,
                            HubCheckKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (string == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (kind_strings); i++)
    {
      if (g_str_equal (string, kind_strings[i]))
        {
          *kind = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
hub_account_status_to_string (HubAccountStatus status)
{
  if ((guint) status >= G_N_ELEMENTS (status_strings))
    return NULL;
  return status_strings[status];
}

gboolean
hub_account_status_from_string (const char       *string,
                                HubAccountStatus *status)
{
  g_return_val_if_fail (status != NULL, FALSE);

  if (string == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (status_strings); i++)
    {
      if (g_str_equal (string, status_strings[i]))
        {
          *status = i;
          return TRUE;
        }
    }

  return FALSE;
}

HubAccount *
hub_account_new (const char *id,
                 const char *provider_id)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (provider_id != NULL, NULL);

  return g_object_new (HUB_TYPE_ACCOUNT,
                       "id", id,
                       "provider-id", provider_id,
                       NULL);
}

const char *
hub_account_get_id (HubAccount *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT (self), NULL);
  return self->id;
}

const char *
hub_account_get_provider_id (HubAccount *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT (self), NULL);
  return self->provider_id;
}

const char *
hub_account_get_label (HubAccount *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT (self), NULL);
  return self->label;
}

const char *
hub_account_get_identity (HubAccount *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT (self), NULL);
  return self->identity;
}

HubAccountStatus
hub_account_get_status (HubAccount *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT (self), HUB_ACCOUNT_STATUS_UNCHECKED);
  return self->status;
}

GDateTime *
hub_account_get_connected_at (HubAccount *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT (self), NULL);
  return self->connected_at;
}

GDateTime *
hub_account_get_checked_at (HubAccount *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT (self), NULL);
  return self->checked_at;
}

const char *
hub_account_get_last_error (HubAccount *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT (self), NULL);
  return self->last_error;
}

gboolean
hub_account_get_secret_missing (HubAccount *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT (self), FALSE);
  return self->secret_missing;
}

gboolean
hub_account_get_keyring_locked (HubAccount *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT (self), FALSE);
  return self->keyring_locked;
}

GHashTable *
hub_account_get_details (HubAccount *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT (self), NULL);
  return self->details;
}

GHashTable *
hub_account_get_values (HubAccount *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT (self), NULL);
  return self->values;
}

void
hub_account_set_label (HubAccount *self,
                       const char *label)
{
  g_return_if_fail (HUB_IS_ACCOUNT (self));
  set_string (self, &self->label, label, PROP_LABEL);
}

void
hub_account_set_identity (HubAccount *self,
                          const char *identity)
{
  g_return_if_fail (HUB_IS_ACCOUNT (self));
  set_string (self, &self->identity, identity, PROP_IDENTITY);
}

void
hub_account_set_status (HubAccount       *self,
                        HubAccountStatus  status)
{
  g_return_if_fail (HUB_IS_ACCOUNT (self));
  g_return_if_fail ((guint) status < G_N_ELEMENTS (status_strings));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

void
hub_account_set_connected_at (HubAccount *self,
                              GDateTime  *when)
{
  g_return_if_fail (HUB_IS_ACCOUNT (self));
  set_date_time (self, &self->connected_at, when, PROP_CONNECTED_AT);
}

void
hub_account_set_checked_at (HubAccount *self,
                            GDateTime  *when)
{
  g_return_if_fail (HUB_IS_ACCOUNT (self));
  set_date_time (self, &self->checked_at, when, PROP_CHECKED_AT);
}

void
hub_account_set_last_error (HubAccount *self,
                            const char *message)
{
  g_return_if_fail (HUB_IS_ACCOUNT (self));
  set_string (self, &self->last_error, message, PROP_LAST_ERROR);
}

void
hub_account_set_secret_missing (HubAccount *self,
                                gboolean    missing)
{
  g_return_if_fail (HUB_IS_ACCOUNT (self));

  missing = !!missing;
  if (self->secret_missing == missing)
    return;

  self->secret_missing = missing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECRET_MISSING]);
}

void
hub_account_set_keyring_locked (HubAccount *self,
                                gboolean    locked)
{
  g_return_if_fail (HUB_IS_ACCOUNT (self));

  locked = !!locked;
  if (self->keyring_locked == locked)
    return;

  self->keyring_locked = locked;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRING_LOCKED]);
}

void
hub_account_set_details (HubAccount *self,
                         GHashTable *details)
{
  g_autoptr(GHashTable) copy = NULL;

  g_return_if_fail (HUB_IS_ACCOUNT (self));

  copy = copy_string_table (details);
  if (string_tables_equal (self->details, copy))
    return;

  g_hash_table_unref (self->details);
  self->details = g_steal_pointer (&copy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS]);
}

void
hub_account_set_values (HubAccount *self,
                        GHashTable *values)
{
  g_autoptr(GHashTable) copy = NULL;

  g_return_if_fail (HUB_IS_ACCOUNT (self));

  copy = copy_string_table (values);
  if (string_tables_equal (self->values, copy))
    return;

  g_hash_table_unref (self->values);
  self->values = g_steal_pointer (&copy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUES]);
}

GPtrArray *
hub_account_get_history (HubAccount *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT (self), NULL);
  return self->history;
}

void
hub_account_set_history (HubAccount *self,
                         GPtrArray  *history)
{
  GPtrArray *copy;

  g_return_if_fail (HUB_IS_ACCOUNT (self));

  copy = new_history ();
  for (guint i = 0; history != NULL && i < history->len && copy->len < HUB_ACCOUNT_HISTORY_MAX;
       i++)
    {
      HubCheckRecord *record = g_ptr_array_index (history, i);

      if (record != NULL)
        g_ptr_array_add (copy, hub_check_record_ref (record));
    }
  replace_history (self, copy);
}

void
hub_account_add_history (HubAccount     *self,
                         HubCheckRecord *record)
{
  GPtrArray *copy;

  g_return_if_fail (HUB_IS_ACCOUNT (self));
  g_return_if_fail (record != NULL);

  copy = new_history ();
  g_ptr_array_add (copy, hub_check_record_ref (record));
  for (guint i = 0; i < self->history->len && copy->len < HUB_ACCOUNT_HISTORY_MAX; i++)
    g_ptr_array_add (copy, hub_check_record_ref (g_ptr_array_index (self->history, i)));
  replace_history (self, copy);
}
