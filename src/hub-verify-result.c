/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-verify-result"

#include "config.h"

#include "hub-verify-result.h"

struct _HubVerifyResult
{
  GObject     parent_instance;
  char       *provider_id;
  char       *identity;
  GHashTable *captures;        /* char* → char* */
  GStrv       granted_scopes;  /* nullable */
  GStrv       missing_scopes;  /* nullable */
};

G_DEFINE_FINAL_TYPE (HubVerifyResult, hub_verify_result, G_TYPE_OBJECT)

static void
hub_verify_result_finalize (GObject *object)
{
  HubVerifyResult *self = HUB_VERIFY_RESULT (object);

  g_free (self->provider_id);
  g_free (self->identity);
  g_hash_table_unref (self->captures);
  g_strfreev (self->granted_scopes);
  g_strfreev (self->missing_scopes);

  G_OBJECT_CLASS (hub_verify_result_parent_class)->finalize (object);
}

static void
hub_verify_result_class_init (HubVerifyResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hub_verify_result_finalize;
}

static void
hub_verify_result_init (HubVerifyResult *self)
{
  self->captures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

HubVerifyResult *
hub_verify_result_new (const char         *provider_id,
                       const char         *identity,
                       GHashTable         *captures,
                       const char * const *granted_scopes,
                       const char * const *missing_scopes)
{
  HubVerifyResult *self;

  g_return_val_if_fail (provider_id != NULL, NULL);
  g_return_val_if_fail (identity != NULL, NULL);

  self = g_object_new (HUB_TYPE_VERIFY_RESULT, NULL);
  self->provider_id = g_strdup (provider_id);
  self->identity = g_strdup (identity);
  if (captures != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, captures);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (self->captures, g_strdup (key), g_strdup (value));
    }
  self->granted_scopes = g_strdupv ((char **) granted_scopes);
  self->missing_scopes = g_strdupv ((char **) missing_scopes);
  return self;
}

const char *
hub_verify_result_get_provider_id (HubVerifyResult *self)
{
  g_return_val_if_fail (HUB_IS_VERIFY_RESULT (self), NULL);

  return self->provider_id;
}

const char *
hub_verify_result_get_identity (HubVerifyResult *self)
{
  g_return_val_if_fail (HUB_IS_VERIFY_RESULT (self), NULL);

  return self->identity;
}

GHashTable *
hub_verify_result_get_captures (HubVerifyResult *self)
{
  g_return_val_if_fail (HUB_IS_VERIFY_RESULT (self), NULL);

  return self->captures;
}

const char *
hub_verify_result_get_capture (HubVerifyResult *self,
                               const char      *var)
{
  g_return_val_if_fail (HUB_IS_VERIFY_RESULT (self), NULL);
  g_return_val_if_fail (var != NULL, NULL);

  return g_hash_table_lookup (self->captures, var);
}

const char * const *
hub_verify_result_get_granted_scopes (HubVerifyResult *self)
{
  g_return_val_if_fail (HUB_IS_VERIFY_RESULT (self), NULL);

  return (const char * const *) self->granted_scopes;
}

const char * const *
hub_verify_result_get_missing_scopes (HubVerifyResult *self)
{
  g_return_val_if_fail (HUB_IS_VERIFY_RESULT (self), NULL);

  return (const char * const *) self->missing_scopes;
}
