/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-secret-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#ifndef __SECRET_BACKEND_H__
/* secret_backend_get() is public API (0.19+), but secret.h of 0.20.5 forgets to
 * include its header, which refuses to be included on its own. */
#define __SECRET_INSIDE_HEADER__
#include <libsecret/secret-backend.h>
#undef __SECRET_INSIDE_HEADER__
#endif

#include "hub-secret-store.h"
#include "hub-auth.h"

#define DEFAULT_TIMEOUT_SECONDS 30

struct _HubSecretStore
{
  GObject  parent_instance;
  guint    timeout_seconds;
};

G_DEFINE_FINAL_TYPE (HubSecretStore, hub_secret_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (hub-secret-error-quark, hub_secret_error)

static const SecretSchema account_schema = {
  "io.github.connecthub.Account",
  SECRET_SCHEMA_NONE,
  {
    { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

typedef enum
{
  OP_GET_STATE,
  OP_UNLOCK,
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
  OP_LIST,
} OpKind;

/* One keyring operation. Owned by its GTask (task data). The task is
 * completed exactly once: by the last libsecret callback, by the timer
 * (→ UNAVAILABLE "timed out") or by the caller's cancellable; callbacks that
 * arrive later see `done` and return. */
typedef struct
{
  OpKind         kind;
  GTask         *task;              /* unowned back pointer, valid while the op lives */
  gboolean       done;
  gboolean       timed_out;
  guint          searches;          /* retried when an item vanishes meanwhile */
  GCancellable  *cancellable;       /* internal: passed to libsecret */
  GCancellable  *user_cancellable;  /* nullable */
  gulong         user_cancel_id;
  GSource       *timer;
  GSource       *cancel_idle;
  GMainContext  *context;

  char          *account_id;
  char          *provider_id;
  char          *item_label;
  char          *secret_json;       /* wiped on free */
  SecretService *service;
  GPtrArray     *list_items;        /* list over D-Bus: HubSecretItem */
  guint          list_pending;
} Op;

static void
op_free (Op *op)
{
  if (op->timer != NULL)
    {
      g_source_destroy (op->timer);
      g_source_unref (op->timer);
    }
  if (op->cancel_idle != NULL)
    {
      g_source_destroy (op->cancel_idle);
      g_source_unref (op->cancel_idle);
    }
  if (op->user_cancellable != NULL)
    {
      g_cancellable_disconnect (op->user_cancellable, op->user_cancel_id);
      g_object_unref (op->user_cancellable);
    }
  g_clear_object (&op->cancellable);
  g_clear_pointer (&op->context, g_main_context_unref);
  g_free (op->account_id);
  g_free (op->provider_id);
  g_free (op->item_label);
  hub_auth_secret_free (op->secret_json);
  g_clear_object (&op->service);
  g_clear_pointer (&op->list_items, g_ptr_array_unref);
  g_free (op);
}

static void
op_stop_sources (Op *op)
{
  if (op->timer != NULL)
    {
      g_source_destroy (op->timer);
      g_clear_pointer (&op->timer, g_source_unref);
    }
  if (op->cancel_idle != NULL)
    {
      g_source_destroy (op->cancel_idle);
      g_clear_pointer (&op->cancel_idle, g_source_unref);
    }
}

static const char *
message_for (HubSecretError code)
{
  switch (code)
    {
    case HUB_SECRET_ERROR_UNAVAILABLE:
      return _("No keyring service is running. Install or start gnome-keyring, then try again.");
    case HUB_SECRET_ERROR_LOCKED:
      return _("The keyring is locked. Unlock it (Passwords and Keys, or log in again), then try again.");
    case HUB_SECRET_ERROR_NO_COLLECTION:
      return _("There is no default keyring. Create one in Passwords and Keys (or log in again), then try again.");
    case HUB_SECRET_ERROR_NOT_FOUND:
      return _("The saved credential of this account is missing from the keyring. Link the account again.");
    case HUB_SECRET_ERROR_INVALID:
      return _("The saved credential of this account is damaged. Link the account again.");
    default:
      g_assert_not_reached ();
    }
}

static void
op_return_code (Op             *op,
                HubSecretError  code)
{
  if (op->done)
    return;
  op->done = TRUE;
  op_stop_sources (op);
  g_cancellable_cancel (op->cancellable);
  g_task_return_new_error (op->task, HUB_SECRET_ERROR, code, "%s", message_for (code));
}

static void
op_return_timed_out (Op *op)
{
  if (op->done)
    return;
  op->done = TRUE;
  op_stop_sources (op);
  g_cancellable_cancel (op->cancellable);
  g_task_return_new_error (op->task, HUB_SECRET_ERROR, HUB_SECRET_ERROR_UNAVAILABLE, "%s",
                           _("The keyring did not answer in time. Make sure gnome-keyring is "
                             "running and unlocked, then try again."));
}

static void
op_return_cancelled (Op *op)
{
  if (op->done)
    return;
  op->done = TRUE;
  op_stop_sources (op);
  g_cancellable_cancel (op->cancellable);
  g_task_return_new_error (op->task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                           "Operation was cancelled");
}

static void
op_return_boolean (Op       *op,
                   gboolean  value)
{
  if (op->done)
    return;
  op->done = TRUE;
  op_stop_sources (op);
  g_task_return_boolean (op->task, value);
}

static void
op_return_pointer (Op             *op,
                   gpointer        value,
                   GDestroyNotify  destroy)
{
  if (op->done)
    {
      destroy (value);
      return;
    }
  op->done = TRUE;
  op_stop_sources (op);
  g_task_return_pointer (op->task, value, destroy);
}

static void
op_return_int (Op     *op,
               gssize  value)
{
  if (op->done)
    return;
  op->done = TRUE;
  op_stop_sources (op);
  g_task_return_int (op->task, value);
}

/* "Object does not exist at path “/org/freedesktop/secrets/collection/login”"
 * means there is no such keyring; ".../collection/login/3" means an item went
 * away between a search and the loading of its properties. */
static gboolean
is_missing_object (const GError *error,
                   gboolean      item)
{
  const char *rest;

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT))
    return item;
  /* gnome-keyring answers UnknownMethod "No such secret item at path: …" */
  if (!g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT)
      && !g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD))
    return FALSE;

  rest = strstr (error->message, "/collection/");
  if (rest == NULL)
    return FALSE;
  rest += strlen ("/collection/");
  rest += strcspn (rest, "/\"\xe2 '");
  return (*rest == '/') == item;
}

/* ---- the keyring service going away ------------------------------------ */

/* libsecret 0.20.5 keeps one SecretService per process, and the backend that
 * secret_password_*() use keeps it too, with the transfer session it opened.
 * When gnome-keyring-daemon goes away, libsecret drops the first but not the
 * second (later versions do), so even once the daemon is back every call fails
 * with "The session does not exist" until the app restarts. We drop both when
 * the service's name loses its owner, or when a call finds no service. */

#define SECRET_SERVICE_BUS_NAME "org.freedesktop.secrets"

static guint    service_watch_id;
static gboolean service_owned;

static void
drop_cached_service (void)
{
  g_debug ("dropping the cached keyring service");
  secret_service_disconnect ();
  _secret_backend_uncache_instance ();
}

static void
service_appeared_cb (GDBusConnection *connection,
                     const char      *name,
                     const char      *name_owner,
                     gpointer         user_data)
{
  service_owned = TRUE;
}

static void
service_vanished_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  /* Also called at first when there is no service: nothing was cached from it. */
  if (!service_owned)
    return;
  service_owned = FALSE;
  g_debug ("the keyring service left the bus");
  drop_cached_service ();
}

/* Watches for the whole process, on the context of the first operation. */
static void
watch_service (void)
{
  if (service_watch_id != 0)
    return;
  service_watch_id = g_bus_watch_name (G_BUS_TYPE_SESSION, SECRET_SERVICE_BUS_NAME,
                                       G_BUS_NAME_WATCHER_FLAGS_NONE,
                                       service_appeared_cb, service_vanished_cb, NULL, NULL);
}

/* Maps a libsecret / D-Bus error onto HUB_SECRET_ERROR and completes the op.
 * The technical message goes to the debug log only. */
static void
op_return_gerror (Op     *op,
                  GError *error)
{
  HubSecretError code = HUB_SECRET_ERROR_UNAVAILABLE;

  if (op->done)
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (op->timed_out)
        op_return_timed_out (op);
      else
        op_return_cancelled (op);
      return;
    }

  g_debug ("keyring call failed: %s (%s %d)",
           error->message, g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    code = HUB_SECRET_ERROR_LOCKED;
  else if (is_missing_object (error, FALSE))
    code = HUB_SECRET_ERROR_NO_COLLECTION;
  else if (is_missing_object (error, TRUE))
    code = HUB_SECRET_ERROR_NOT_FOUND;   /* deleted by another program meanwhile */
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
           || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMEOUT)
           || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMED_OUT)
           || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY))
    {
      op_return_timed_out (op);
      return;
    }

  /* No service (or a dead one): the next call starts afresh, in case the
   * service comes back before the watch tells. */
  if (code == HUB_SECRET_ERROR_UNAVAILABLE)
    drop_cached_service ();

  op_return_code (op, code);
}

static gboolean
op_timeout_cb (gpointer user_data)
{
  Op *op = user_data;

  g_debug ("keyring call timed out");
  op->timed_out = TRUE;
  g_clear_pointer (&op->timer, g_source_unref);
  op_return_timed_out (op);

  return G_SOURCE_REMOVE;
}

static gboolean
op_cancel_idle_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  Op *op = user_data;

  g_clear_pointer (&op->cancel_idle, g_source_unref);
  op_return_cancelled (op);

  return G_SOURCE_REMOVE;
}

/* May run in any thread, or synchronously inside g_cancellable_connect(). */
static void
user_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  Op *op = user_data;

  g_cancellable_cancel (op->cancellable);
}

static GTask *
op_start (HubSecretStore      *self,
          OpKind               kind,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);
  op->kind = kind;
  op->task = task;
  op->cancellable = g_cancellable_new ();
  op->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  watch_service ();

  op->timer = g_timeout_source_new (self->timeout_seconds * 1000);
  g_source_set_callback (op->timer, op_timeout_cb, op, NULL);
  g_source_set_name (op->timer, "[hub] keyring timeout");
  g_source_attach (op->timer, op->context);

  if (cancellable != NULL)
    {
      op->user_cancellable = g_object_ref (cancellable);
      op->user_cancel_id = g_cancellable_connect (cancellable,
                                                  G_CALLBACK (user_cancelled_cb),
                                                  op, NULL);
      /* A prompt may not honour cancellation: complete the task ourselves. */
      op->cancel_idle = g_cancellable_source_new (cancellable);
      g_source_set_callback (op->cancel_idle, G_SOURCE_FUNC (op_cancel_idle_cb), op, NULL);
      g_source_attach (op->cancel_idle, op->context);
    }

  return task;
}

/* Each libsecret callback receives a reference to the task. */
static Op *
op_from_task (GTask *task)
{
  return g_task_get_task_data (task);
}

/* ---- the secret portal probe, off the main thread ------------------------ */

/* Inside Flatpak (or a Snap), libsecret 0.20.5 picks its backend by asking
 * the secret portal for its version with a *synchronous* D-Bus call
 * (default timeout: 25 s), made by the first secret_backend_get() or
 * secret_password_*() of the process on the calling thread, async API or
 * not. Before that first call we ask the portal the same question from a
 * worker thread, bounded by the store's timeout: once it answered (or
 * refused), libsecret's own question is answered at once too; if it did not
 * answer, libsecret is not called and the operation reports the keyring as
 * unavailable. Everything here runs on the thread that starts operations. */

#define PORTAL_BUS_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH "/org/freedesktop/portal/desktop"
#define PORTAL_SECRET_INTERFACE "org.freedesktop.portal.Secret"
#define LIBSECRET_PROBE_SECONDS 25

typedef void (*StepFunc) (GTask *task);

typedef struct
{
  GTask    *task;   /* owned */
  StepFunc  step;
} ProbeWaiter;

static gboolean portal_answered;   /* libsecret's probe will not block any more */
static gboolean probe_running;
static GQueue   probe_waiters = G_QUEUE_INIT;

static gboolean
portal_probe_needed (void)
{
  /* The condition libsecret 0.20.5 checks before it asks the portal. */
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) || g_getenv ("SNAP_NAME") != NULL;
}

static void
portal_probe_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  guint timeout_ms = GPOINTER_TO_UINT (task_data);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      /* libsecret fails the same way, at once. */
      g_debug ("no session bus for the secret portal: %s", error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }

  reply = g_dbus_connection_call_sync (bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", PORTAL_SECRET_INTERFACE, "version"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE,
                                       timeout_ms, NULL, &error);
  if (reply == NULL
      && (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
          || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY)
          || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMEOUT)
          || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMED_OUT)))
    {
      g_debug ("the secret portal did not answer: %s", error->message);
      g_task_return_boolean (task, FALSE);
      return;
    }

  if (reply == NULL)
    g_debug ("the secret portal refused: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
portal_probe_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean answered = g_task_propagate_boolean (G_TASK (result), NULL);
  ProbeWaiter *waiter;

  probe_running = FALSE;
  if (answered)
    portal_answered = TRUE;

  while ((waiter = g_queue_pop_head (&probe_waiters)) != NULL)
    {
      g_autoptr(GTask) task = waiter->task;
      Op *op = op_from_task (task);

      if (!op->done)
        {
          if (answered)
            waiter->step (task);
          else
            op_return_timed_out (op);
        }
      g_free (waiter);
    }
}

/* Runs @step (the operation's first libsecret call) once that call cannot
 * block the thread; until then the operation waits, bounded by its timer. */
static void
op_begin (GTask    *task,
          StepFunc  step)
{
  HubSecretStore *self = g_task_get_source_object (task);
  ProbeWaiter *waiter;
  g_autoptr(GTask) probe = NULL;
  guint seconds;

  if (portal_answered || !portal_probe_needed ())
    {
      step (task);
      return;
    }

  waiter = g_new0 (ProbeWaiter, 1);
  waiter->task = g_object_ref (task);
  waiter->step = step;
  g_queue_push_tail (&probe_waiters, waiter);
  if (probe_running)
    return;

  probe_running = TRUE;
  seconds = MIN (self->timeout_seconds, LIBSECRET_PROBE_SECONDS);
  g_debug ("asking the secret portal for its version (%u s at most)", seconds);
  probe = g_task_new (NULL, NULL, portal_probe_cb, NULL);
  g_task_set_source_tag (probe, op_begin);
  g_task_set_task_data (probe, GUINT_TO_POINTER (seconds * 1000), NULL);
  g_task_run_in_thread (probe, portal_probe_thread);
}

static GHashTable *
new_attributes (const char *account_id,
                const char *provider_id)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  if (account_id != NULL)
    g_hash_table_insert (attributes, (gpointer) "account-id", (gpointer) account_id);
  if (provider_id != NULL)
    g_hash_table_insert (attributes, (gpointer) "provider", (gpointer) provider_id);

  return attributes;
}

static gboolean
any_item_locked (GList *items)
{
  for (GList *l = items; l != NULL; l = l->next)
    {
      if (SECRET_IS_ITEM (l->data) && secret_item_get_locked (l->data))
        return TRUE;
    }
  return FALSE;
}

static void
free_items (GList *items)
{
  g_list_free_full (items, g_object_unref);
}

/* ---- JSON secret encoding ---------------------------------------------- */

/* Rewrites every JSON escape as \uXXXX (still RFC 8259 JSON). gnome-keyring
 * keeps a keyring without a password as plain text and, when it re-reads that
 * file, collapses "\\" into "\" and would turn "\n" into a real newline
 * (measured on 42.1: a secret with a backslash came back changed); "\u" is
 * left alone. The result is sized up front so that no partial copy of the
 * secret is left behind by a reallocation. */
static char *
escape_as_unicode (const char *json,
                   gsize       length)
{
  GString *out = g_string_sized_new (length * 6 + 1);

  for (gsize i = 0; i < length; i++)
    {
      char c = json[i];
      guint code = 0;

      if (c != '\\' || i + 1 >= length)
        {
          g_string_append_c (out, c);
          continue;
        }

      c = json[++i];
      switch (c)
        {
        case '"': code = 0x22; break;
        case '\\': code = 0x5c; break;
        case '/': code = 0x2f; break;
        case 'b': code = 0x08; break;
        case 'f': code = 0x0c; break;
        case 'n': code = 0x0a; break;
        case 'r': code = 0x0d; break;
        case 't': code = 0x09; break;
        default:
          /* Already \uXXXX. */
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
          continue;
        }
      g_string_append_printf (out, "\\u%04x", code);
    }

  return g_string_free (out, FALSE);
}

static char *
encode_secrets (GHashTable *secrets)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  char *generated;
  char *encoded;
  gsize length = 0;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) keys = NULL;

  keys = g_list_sort (g_hash_table_get_keys (secrets), (GCompareFunc) g_strcmp0);

  json_builder_begin_object (builder);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, g_hash_table_lookup (secrets, l->data));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  generated = json_generator_to_data (generator, &length);
  encoded = escape_as_unicode (generated, length);
  explicit_bzero (generated, length);
  g_free (generated);

  return encoded;
}

static GHashTable *
decode_secrets (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) table = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, json, -1, &error))
    {
      g_debug ("stored secret is not JSON (%s)", error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("stored secret is not a JSON object");
      return NULL;
    }

  object = json_node_get_object (root);
  table = hub_auth_values_new ();
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_debug ("stored secret member is not a string");
          return NULL;
        }
      g_hash_table_insert (table, g_strdup (l->data), g_strdup (json_node_get_string (node)));
    }

  return g_steal_pointer (&table);
}

/* ---- state ------------------------------------------------------------- */

typedef void (*StateFunc) (GTask           *task,
                           HubKeyringState  state);

static void state_continue (GTask *task, HubKeyringState state);

static void
state_collection_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = op_from_task (task);
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;

  collection = secret_collection_for_alias_finish (result, &error);
  if (op->done)
    return;

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          op_return_gerror (op, error);
          return;
        }
      g_debug ("reading the default collection failed: %s", error->message);
      if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT))
        state_continue (task, HUB_KEYRING_STATE_NO_COLLECTION);
      else
        state_continue (task, HUB_KEYRING_STATE_UNAVAILABLE);
      return;
    }

  if (collection == NULL)
    state_continue (task, HUB_KEYRING_STATE_NO_COLLECTION);
  else if (secret_collection_get_locked (collection))
    state_continue (task, HUB_KEYRING_STATE_LOCKED);
  else
    state_continue (task, HUB_KEYRING_STATE_UNLOCKED);
}

static void
state_backend_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = op_from_task (task);
  SecretBackend *backend;
  g_autoptr(GError) error = NULL;

  /* Not unreferenced on purpose: libsecret 0.20.5 caches the instance it
   * creates first without a reference of its own, so dropping ours would
   * leave its cache dangling (measured: a crash in the next call). */
  backend = secret_backend_get_finish (result, &error);
  if (op->done)
    return;

  if (backend == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          op_return_gerror (op, error);
          return;
        }
      g_debug ("connecting to the keyring failed: %s", error->message);
      state_continue (task, HUB_KEYRING_STATE_UNAVAILABLE);
      return;
    }

  if (!SECRET_IS_SERVICE (backend))
    {
      /* libsecret's file backend (Flatpak's secret portal, or SECRET_BACKEND=file):
       * opened with the portal's key, it has no lock and no collections. */
      g_debug ("using libsecret's file backend");
      state_continue (task, HUB_KEYRING_STATE_UNLOCKED);
      return;
    }

  g_set_object (&op->service, SECRET_SERVICE (backend));
  secret_collection_for_alias (op->service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                               op->cancellable, state_collection_cb, g_object_ref (task));
}

static void
state_get_backend (GTask *task)
{
  Op *op = op_from_task (task);

  secret_backend_get (SECRET_BACKEND_NONE, op->cancellable, state_backend_cb,
                      g_object_ref (task));
}

/* First step of get_state, store and unlock: never prompts. */
static void
state_start (GTask *task)
{
  op_begin (task, state_get_backend);
}

/* ---- store ------------------------------------------------------------- */

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = op_from_task (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      op_return_gerror (op, error);
      return;
    }

  g_debug ("stored the secret of account %s", op->account_id);
  op_return_boolean (op, TRUE);
}

static void
store_continue (GTask           *task,
                HubKeyringState  state)
{
  Op *op = op_from_task (task);
  g_autoptr(GHashTable) attributes = NULL;

  switch (state)
    {
    case HUB_KEYRING_STATE_LOCKED:
      op_return_code (op, HUB_SECRET_ERROR_LOCKED);
      return;
    case HUB_KEYRING_STATE_NO_COLLECTION:
      op_return_code (op, HUB_SECRET_ERROR_NO_COLLECTION);
      return;
    case HUB_KEYRING_STATE_UNAVAILABLE:
    case HUB_KEYRING_STATE_UNKNOWN:
      op_return_code (op, HUB_SECRET_ERROR_UNAVAILABLE);
      return;
    case HUB_KEYRING_STATE_UNLOCKED:
    default:
      break;
    }

  attributes = new_attributes (op->account_id, op->provider_id);
  secret_password_storev (&account_schema, attributes, SECRET_COLLECTION_DEFAULT,
                          op->item_label, op->secret_json, op->cancellable,
                          store_cb, g_object_ref (task));
  /* libsecret copied the secret into its own (wiping) buffer. */
  g_clear_pointer (&op->secret_json, hub_auth_secret_free);
}

/* ---- lookup and clear: search first ------------------------------------ */

static void search_for_account (GTask *task, GAsyncReadyCallback callback);
static gboolean search_again (GTask *task, const GError *error, GAsyncReadyCallback callback);

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = op_from_task (task);
  g_autoptr(GError) error = NULL;
  GHashTable *table;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      op_return_gerror (op, error);
      return;
    }
  if (password == NULL)
    {
      /* Deleted (or locked) since the search. */
      op_return_code (op, HUB_SECRET_ERROR_NOT_FOUND);
      return;
    }

  table = decode_secrets (password);
  secret_password_free (password);

  if (table == NULL)
    {
      op_return_code (op, HUB_SECRET_ERROR_INVALID);
      return;
    }

  op_return_pointer (op, table, (GDestroyNotify) g_hash_table_unref);
}

/* Reads the search that lookup and clear run first. TRUE: the account's item
 * exists and is unlocked, go on. FALSE: the operation was answered (not found,
 * locked, error) or the search was started again with @retry_cb. */
static gboolean
item_found_unlocked (GTask               *task,
                     GAsyncResult        *result,
                     GAsyncReadyCallback  retry_cb)
{
  Op *op = op_from_task (task);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (op->done)
    {
      free_items (items);
      return FALSE;
    }
  if (error != NULL && search_again (task, error, retry_cb))
    return FALSE;
  if (error != NULL)
    {
      op_return_gerror (op, error);
      return FALSE;
    }
  if (items == NULL)
    {
      op_return_code (op, HUB_SECRET_ERROR_NOT_FOUND);
      return FALSE;
    }
  if (any_item_locked (items))
    {
      free_items (items);
      op_return_code (op, HUB_SECRET_ERROR_LOCKED);
      return FALSE;
    }
  free_items (items);
  return TRUE;
}

static void
lookup_search_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = op_from_task (task);
  g_autoptr(GHashTable) attributes = NULL;

  if (!item_found_unlocked (task, result, lookup_search_cb))
    return;

  attributes = new_attributes (op->account_id, NULL);
  secret_password_lookupv (&account_schema, attributes, op->cancellable,
                           lookup_cb, g_object_ref (task));
}

static void
clear_confirm_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = op_from_task (task);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (op->done)
    {
      free_items (items);
      return;
    }
  if (error != NULL && search_again (task, error, clear_confirm_cb))
    return;
  if (error != NULL)
    {
      op_return_gerror (op, error);
      return;
    }
  if (items != NULL)
    {
      gboolean locked = any_item_locked (items);

      free_items (items);
      g_debug ("the item of account %s is still there after clear", op->account_id);
      op_return_code (op, locked ? HUB_SECRET_ERROR_LOCKED : HUB_SECRET_ERROR_UNAVAILABLE);
      return;
    }

  g_debug ("cleared the secret of account %s", op->account_id);
  op_return_boolean (op, TRUE);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = op_from_task (task);
  g_autoptr(GError) error = NULL;

  /* FALSE without an error when nothing was deleted (e.g. locked): the
   * confirming search decides. */
  secret_password_clear_finish (result, &error);
  if (op->done)
    return;
  if (error != NULL)
    {
      op_return_gerror (op, error);
      return;
    }

  search_for_account (task, clear_confirm_cb);
}

static void
clear_search_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = op_from_task (task);
  g_autoptr(GHashTable) attributes = NULL;

  if (!item_found_unlocked (task, result, clear_search_cb))
    return;

  attributes = new_attributes (op->account_id, NULL);
  secret_password_clearv (&account_schema, attributes, op->cancellable,
                          clear_cb, g_object_ref (task));
}

/* Lists locked items too, loads no secret and never prompts. */
static void
search_for_account (GTask               *task,
                    GAsyncReadyCallback  callback)
{
  Op *op = op_from_task (task);
  g_autoptr(GHashTable) attributes = new_attributes (op->account_id, NULL);

  op->searches++;
  secret_password_searchv (&account_schema, attributes, SECRET_SEARCH_ALL,
                           op->cancellable, callback, g_object_ref (task));
}

/* Another program deleted an item while libsecret loaded the search results:
 * search again (a few times) instead of failing. */
static gboolean
search_again (GTask               *task,
              const GError        *error,
              GAsyncReadyCallback  callback)
{
  Op *op = op_from_task (task);

  if (op->searches >= 4 || !is_missing_object (error, TRUE))
    return FALSE;

  g_debug ("an item went away during the search; searching again");
  search_for_account (task, callback);
  return TRUE;
}

static void
lookup_start (GTask *task)
{
  search_for_account (task, lookup_search_cb);
}

static void
clear_start (GTask *task)
{
  search_for_account (task, clear_search_cb);
}

/* ---- list -------------------------------------------------------------- */

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = op_from_task (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) array = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (op->done)
    {
      free_items (items);
      return;
    }
  if (error != NULL && search_again (task, error, list_cb))
    return;
  if (error != NULL)
    {
      op_return_gerror (op, error);
      return;
    }

  array = g_ptr_array_new_with_free_func ((GDestroyNotify) hub_secret_item_free);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *account_id = g_hash_table_lookup (attributes, "account-id");
      const char *provider_id = g_hash_table_lookup (attributes, "provider");
      HubSecretItem *item;

      if (account_id == NULL || *account_id == '\0' || provider_id == NULL || *provider_id == '\0')
        continue;

      item = g_new0 (HubSecretItem, 1);
      item->account_id = g_strdup (account_id);
      item->provider_id = g_strdup (provider_id);
      item->label = secret_retrievable_get_label (l->data);
      item->locked = SECRET_IS_ITEM (l->data) && secret_item_get_locked (l->data);
      g_ptr_array_add (array, item);
    }
  free_items (items);

  op_return_pointer (op, g_steal_pointer (&array), (GDestroyNotify) g_ptr_array_unref);
}

/* libsecret 0.20.5 fails a whole search, and returns its task twice (a
 * critical), when an item is deleted while it loads the results; other
 * programs may delete items at any time. So on the Secret Service the list
 * asks for the paths (SearchItems) and then each item's properties, and
 * skips an item that went away. */
static void
list_item_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = op_from_task (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) properties = NULL;
  g_autoptr(GVariant) attributes = NULL;
  g_autoptr(GError) error = NULL;
  const char *account_id = NULL;
  const char *provider_id = NULL;
  const char *label = NULL;
  gboolean locked = FALSE;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  op->list_pending--;
  if (op->done)
    return;

  if (reply == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          op_return_gerror (op, error);
          return;
        }
      g_debug ("skipping a keyring item that could not be read: %s", error->message);
    }
  else
    {
      properties = g_variant_get_child_value (reply, 0);
      attributes = g_variant_lookup_value (properties, "Attributes", G_VARIANT_TYPE ("a{ss}"));
      g_variant_lookup (properties, "Label", "&s", &label);
      g_variant_lookup (properties, "Locked", "b", &locked);
      if (attributes != NULL)
        {
          g_variant_lookup (attributes, "account-id", "&s", &account_id);
          g_variant_lookup (attributes, "provider", "&s", &provider_id);
        }
      if (account_id != NULL && *account_id != '\0' && provider_id != NULL && *provider_id != '\0')
        {
          HubSecretItem *item = g_new0 (HubSecretItem, 1);

          item->account_id = g_strdup (account_id);
          item->provider_id = g_strdup (provider_id);
          item->label = g_strdup (label);
          item->locked = locked;
          g_ptr_array_add (op->list_items, item);
        }
    }

  if (op->list_pending == 0)
    op_return_pointer (op, g_steal_pointer (&op->list_items),
                       (GDestroyNotify) g_ptr_array_unref);
}

static void
list_paths_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = op_from_task (task);
  GDBusConnection *connection = G_DBUS_CONNECTION (object);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **unlocked = NULL;
  g_autofree const char **locked = NULL;
  const char *bus_name;

  reply = g_dbus_connection_call_finish (connection, result, &error);
  if (op->done)
    return;
  if (reply == NULL)
    {
      op_return_gerror (op, error);
      return;
    }

  op->list_items = g_ptr_array_new_with_free_func ((GDestroyNotify) hub_secret_item_free);
  g_variant_get (reply, "(^a&o^a&o)", &unlocked, &locked);
  bus_name = g_dbus_proxy_get_name (G_DBUS_PROXY (op->service));

  for (guint pass = 0; pass < 2; pass++)
    {
      const char **paths = pass == 0 ? unlocked : locked;

      for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
        {
          op->list_pending++;
          g_dbus_connection_call (connection, bus_name, paths[i],
                                  "org.freedesktop.DBus.Properties", "GetAll",
                                  g_variant_new ("(s)", "org.freedesktop.Secret.Item"),
                                  G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NONE, -1,
                                  op->cancellable, list_item_cb, g_object_ref (task));
        }
    }

  if (op->list_pending == 0)
    op_return_pointer (op, g_steal_pointer (&op->list_items),
                       (GDestroyNotify) g_ptr_array_unref);
}

static void
list_backend_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = op_from_task (task);
  g_autoptr(GError) error = NULL;
  g_auto(GVariantBuilder) attributes = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  SecretBackend *backend;

  /* Kept referenced on purpose, see state_backend_cb(). */
  backend = secret_backend_get_finish (result, &error);
  if (op->done)
    return;
  if (backend == NULL)
    {
      op_return_gerror (op, error);
      return;
    }

  if (!SECRET_IS_SERVICE (backend))
    {
      /* The file backend: one process, nothing deletes behind our back. */
      search_for_account (task, list_cb);
      return;
    }

  g_set_object (&op->service, SECRET_SERVICE (backend));
  g_variant_builder_add (&attributes, "{ss}", "xdg:schema", account_schema.name);
  g_dbus_connection_call (g_dbus_proxy_get_connection (G_DBUS_PROXY (op->service)),
                          g_dbus_proxy_get_name (G_DBUS_PROXY (op->service)),
                          g_dbus_proxy_get_object_path (G_DBUS_PROXY (op->service)),
                          "org.freedesktop.Secret.Service", "SearchItems",
                          g_variant_new ("(a{ss})", &attributes),
                          G_VARIANT_TYPE ("(aoao)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          op->cancellable, list_paths_cb, g_object_ref (task));
}

static void
list_start (GTask *task)
{
  secret_backend_get (SECRET_BACKEND_NONE, op_from_task (task)->cancellable, list_backend_cb,
                      g_object_ref (task));
}

/* ---- unlock ------------------------------------------------------------ */

static void
unlock_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = op_from_task (task);
  g_autoptr(GError) error = NULL;
  GList *unlocked = NULL;
  int count;

  count = secret_service_unlock_finish (SECRET_SERVICE (object), result, &unlocked, &error);
  g_list_free_full (unlocked, g_object_unref);
  if (op->done)
    return;
  if (error != NULL)
    {
      op_return_gerror (op, error);
      return;
    }
  if (count <= 0)
    {
      /* The user dismissed the prompt. */
      op_return_code (op, HUB_SECRET_ERROR_LOCKED);
      return;
    }

  op_return_boolean (op, TRUE);
}

static void
unlock_collection_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = op_from_task (task);
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  GList objects = { NULL, NULL, NULL };

  collection = secret_collection_for_alias_finish (result, &error);
  if (op->done)
    return;
  if (error != NULL)
    {
      op_return_gerror (op, error);
      return;
    }
  if (collection == NULL)
    {
      op_return_code (op, HUB_SECRET_ERROR_NO_COLLECTION);
      return;
    }
  if (!secret_collection_get_locked (collection))
    {
      op_return_boolean (op, TRUE);
      return;
    }

  objects.data = collection;
  secret_service_unlock (op->service, &objects, op->cancellable, unlock_cb,
                         g_object_ref (task));
}

static void
unlock_continue (GTask           *task,
                 HubKeyringState  state)
{
  Op *op = op_from_task (task);

  switch (state)
    {
    case HUB_KEYRING_STATE_UNLOCKED:
      op_return_boolean (op, TRUE);
      return;
    case HUB_KEYRING_STATE_NO_COLLECTION:
      op_return_code (op, HUB_SECRET_ERROR_NO_COLLECTION);
      return;
    case HUB_KEYRING_STATE_LOCKED:
      /* op->service is set: the state came from the Secret Service. */
      secret_collection_for_alias (op->service, SECRET_COLLECTION_DEFAULT,
                                   SECRET_COLLECTION_NONE, op->cancellable,
                                   unlock_collection_cb, g_object_ref (task));
      return;
    case HUB_KEYRING_STATE_UNAVAILABLE:
    case HUB_KEYRING_STATE_UNKNOWN:
    default:
      op_return_code (op, HUB_SECRET_ERROR_UNAVAILABLE);
      return;
    }
}

/* ---- dispatch after the state check ------------------------------------ */

static void
state_continue (GTask           *task,
                HubKeyringState  state)
{
  Op *op = op_from_task (task);

  switch (op->kind)
    {
    case OP_GET_STATE:
      op_return_int (op, state);
      break;
    case OP_STORE:
      store_continue (task, state);
      break;
    case OP_UNLOCK:
      unlock_continue (task, state);
      break;
    case OP_LOOKUP:
    case OP_CLEAR:
    case OP_LIST:
    default:
      g_assert_not_reached ();
    }
}

/* ---- GObject ----------------------------------------------------------- */

static void
hub_secret_store_class_init (HubSecretStoreClass *klass)
{
}

static void
hub_secret_store_init (HubSecretStore *self)
{
  self->timeout_seconds = DEFAULT_TIMEOUT_SECONDS;
}

/* ---- public ------------------------------------------------------------ */

void
hub_secret_item_free (HubSecretItem *item)
{
  if (item == NULL)
    return;
  g_free (item->account_id);
  g_free (item->provider_id);
  g_free (item->label);
  g_free (item);
}

HubSecretStore *
hub_secret_store_new (void)
{
  return g_object_new (HUB_TYPE_SECRET_STORE, NULL);
}

void
hub_secret_store_set_timeout (HubSecretStore *self,
                              guint           seconds)
{
  g_return_if_fail (HUB_IS_SECRET_STORE (self));

  self->timeout_seconds = seconds > 0 ? seconds : DEFAULT_TIMEOUT_SECONDS;
}

void
hub_secret_store_get_state_async (HubSecretStore      *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HUB_IS_SECRET_STORE (self));

  task = op_start (self, OP_GET_STATE, hub_secret_store_get_state_async,
                   cancellable, callback, user_data);
  state_start (task);
}

/* UNLOCKED, LOCKED, NO_COLLECTION and UNAVAILABLE (a timeout included) are
 * answers, not errors; only cancellation sets @error (and returns UNKNOWN). */
HubKeyringState
hub_secret_store_get_state_finish (HubSecretStore  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize state;

  g_return_val_if_fail (g_task_is_valid (result, self), HUB_KEYRING_STATE_UNKNOWN);

  state = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      if (g_error_matches (local_error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_UNAVAILABLE))
        return HUB_KEYRING_STATE_UNAVAILABLE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return HUB_KEYRING_STATE_UNKNOWN;
    }

  return state;
}

void
hub_secret_store_unlock_async (HubSecretStore      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HUB_IS_SECRET_STORE (self));

  task = op_start (self, OP_UNLOCK, hub_secret_store_unlock_async,
                   cancellable, callback, user_data);
  state_start (task);
}

gboolean
hub_secret_store_unlock_finish (HubSecretStore  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hub_secret_store_store_async (HubSecretStore      *self,
                              const char          *account_id,
                              const char          *provider_id,
                              const char          *item_label,
                              GHashTable          *secrets,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (HUB_IS_SECRET_STORE (self));
  g_return_if_fail (account_id != NULL);
  g_return_if_fail (provider_id != NULL);
  g_return_if_fail (secrets != NULL);

  task = op_start (self, OP_STORE, hub_secret_store_store_async,
                   cancellable, callback, user_data);
  op = op_from_task (task);
  op->account_id = g_strdup (account_id);
  op->provider_id = g_strdup (provider_id);
  op->item_label = g_strdup (item_label != NULL ? item_label : "Connect Hub");
  op->secret_json = encode_secrets (secrets);

  g_debug ("storing the secret of account %s (%s)", account_id, provider_id);
  state_start (task);
}

gboolean
hub_secret_store_store_finish (HubSecretStore  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hub_secret_store_lookup_async (HubSecretStore      *self,
                               const char          *account_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (HUB_IS_SECRET_STORE (self));
  g_return_if_fail (account_id != NULL);

  task = op_start (self, OP_LOOKUP, hub_secret_store_lookup_async,
                   cancellable, callback, user_data);
  op = op_from_task (task);
  op->account_id = g_strdup (account_id);
  op_begin (task, lookup_start);
}

GHashTable *
hub_secret_store_lookup_finish (HubSecretStore  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hub_secret_store_clear_async (HubSecretStore      *self,
                              const char          *account_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (HUB_IS_SECRET_STORE (self));
  g_return_if_fail (account_id != NULL);

  task = op_start (self, OP_CLEAR, hub_secret_store_clear_async,
                   cancellable, callback, user_data);
  op = op_from_task (task);
  op->account_id = g_strdup (account_id);
  op_begin (task, clear_start);
}

gboolean
hub_secret_store_clear_finish (HubSecretStore  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hub_secret_store_list_async (HubSecretStore      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HUB_IS_SECRET_STORE (self));

  task = op_start (self, OP_LIST, hub_secret_store_list_async,
                   cancellable, callback, user_data);
  op_begin (task, list_start);
}

GPtrArray *
hub_secret_store_list_finish (HubSecretStore  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
