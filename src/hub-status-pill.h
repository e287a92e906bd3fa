/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hub-account.h"

G_BEGIN_DECLS

/* A small pill showing an account's status as icon + text (never colour alone). */
#define HUB_TYPE_STATUS_PILL (hub_status_pill_get_type ())
G_DECLARE_FINAL_TYPE (HubStatusPill, hub_status_pill, HUB, STATUS_PILL, GtkBox)

GtkWidget  *hub_status_pill_new         (void);
HubAccount *hub_status_pill_get_account (HubStatusPill *self);
void        hub_status_pill_set_account (HubStatusPill *self,
                                         HubAccount    *account);
/* The text shown, e.g. "Connected" (borrowed). */
const char *hub_status_pill_get_text    (HubStatusPill *self);

G_END_DECLS
