/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A provider emulator: a real SoupServer on 127.0.0.1 (port 0) that speaks the
 * verification endpoints of all five providers, each under its own prefix:
 *   <url>/leapsome        → GET /token?secret=…, GET /employees?pageSize=1
 *   <url>/unleashed       → GET /Companies (checks api-auth-id, api-auth-signature over
 *                            the exact query string, client-type), GET /Currencies
 *   <url>/sesame          → GET /core/v3/info   (Bearer)
 *   <url>/smartrecruiters → GET /users/me, GET /configuration/company (X-SmartToken)
 *   <url>/humaans         → GET /token-info, GET /me, GET /companies/{id}  (Bearer)
 * so a test sets CONNECT_HUB_BASE_URL_<ID>=hub_emulator_get_base_url (emu, "<id>").
 * Runs on the thread-default main context of the caller. */

/* Good test credentials (made up, never real). */
#define HUB_EMU_LEAPSOME_SECRET        "LStestSecret0123456789"
#define HUB_EMU_LEAPSOME_JWT           "eyJhbGciOiJIUzI1NiJ9.eyJ0ZXN0Ijp0cnVlfQ.c2lnbmF0dXJl"
#define HUB_EMU_UNLEASHED_API_ID       "0f3a2b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b"
#define HUB_EMU_UNLEASHED_API_KEY      "MADE-UP-TEST-KEY/NotReal+0123456789abcdefABCDEF=="
#define HUB_EMU_SESAME_TOKEN           "sesame-test-token-0123456789abcdef"
#define HUB_EMU_SESAME_REGION          "eu1"
#define HUB_EMU_SMARTRECRUITERS_KEY    "DCRA1-0123456789abcdef0123456789ab"
#define HUB_EMU_HUMAANS_TOKEN          "HumaansTestToken0123456789abcdef"

/* What the emulator answers with good credentials. */
#define HUB_EMU_LEAPSOME_EMAIL         "ada.lovelace@leapsome-example.test"
#define HUB_EMU_LEAPSOME_TOTAL         42
#define HUB_EMU_UNLEASHED_COMPANY      "Acme Trading Ltd"
#define HUB_EMU_UNLEASHED_CURRENCY     "NZD"
#define HUB_EMU_SESAME_COMPANY         "Sesame Example SL"
#define HUB_EMU_SMARTRECRUITERS_COMPANY "Smart Example Inc"
#define HUB_EMU_SMARTRECRUITERS_EMAIL  "recruiter@smart-example.test"
#define HUB_EMU_HUMAANS_COMPANY        "Example GmbH"
#define HUB_EMU_HUMAANS_EMAIL          "people@example-gmbh.test"
#define HUB_EMU_HUMAANS_COMPANY_ID     "cmp_4f2a9c"

typedef enum
{
  HUB_EMU_FAULT_NONE,
  HUB_EMU_FAULT_401,
  HUB_EMU_FAULT_403,
  HUB_EMU_FAULT_429,              /* Retry-After: see hub_emulator_set_retry_after */
  HUB_EMU_FAULT_500,
  HUB_EMU_FAULT_STALL,            /* headers sent, then no body until the client gives up */
  HUB_EMU_FAULT_TRICKLE,          /* valid body, one byte per second */
  HUB_EMU_FAULT_MALFORMED_JSON,   /* 200 with "{\"Items\": [" */
  HUB_EMU_FAULT_HTML,             /* 200 text/html page */
  HUB_EMU_FAULT_EMPTY,            /* 200 with an empty body */
  HUB_EMU_FAULT_NULL,             /* 200 with "null" */
  HUB_EMU_FAULT_WRONG_TYPE,       /* 200 JSON where the identity value is a number/missing */
  HUB_EMU_FAULT_DEEP_JSON,        /* 200 with 100000 '[' */
  HUB_EMU_FAULT_BAD_UTF8,         /* 200 JSON with invalid UTF-8 inside a string */
  HUB_EMU_FAULT_OVERSIZED,        /* 200 with Content-Length 2 MiB (and that body) */
  HUB_EMU_FAULT_OVERSIZED_GZIP,   /* 200 gzip-encoded, chunked, 10 MiB when decoded */
  HUB_EMU_FAULT_REDIRECT,         /* 302 to the second server (another host: "localhost") */
  HUB_EMU_FAULT_REDIRECT_SAME,    /* 302 to the same server */
  HUB_EMU_FAULT_NO_TOKEN_INFO,    /* humaans: /token-info answers 404 (others unaffected) */
  HUB_EMU_FAULT_MISSING_SCOPES,   /* humaans: token-info lists only public:read */
  HUB_EMU_FAULT_SLOW_STEPS,       /* every answer: headers at once, the good body after a
                                   * delay (hub_emulator_set_step_delay, default 1000 ms) */
  HUB_EMU_FAULT_MISSING_CAPTURE,  /* 200 JSON without the members that hold an identity value */
  HUB_EMU_FAULT_NUL_IN_BODY,      /* 200 JSON with a NUL byte inside an identity value */
  HUB_EMU_FAULT_HUGE_NUMBER,      /* leapsome: meta.totalCount is hub_emulator_set_huge_number's
                                   * literal (default "1e400"); others unaffected */
  HUB_EMU_N_FAULTS
} HubEmuFault;

typedef struct _HubEmulator HubEmulator;

/* Starts listening on 127.0.0.1, port 0, and a second "redirect target"
 * server. Never fails silently: aborts the test on error. */
HubEmulator *hub_emulator_new                 (void);
void         hub_emulator_free                (HubEmulator *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HubEmulator, hub_emulator_free)

/* "http://127.0.0.1:PORT" */
const char  *hub_emulator_get_url             (HubEmulator *self);
/* "http://127.0.0.1:PORT/<provider_id>" (static per emulator; owned) */
const char  *hub_emulator_get_base_url        (HubEmulator *self,
                                               const char  *provider_id);
/* Sets CONNECT_HUB_BASE_URL_<ID> for all five providers in this process. */
void         hub_emulator_setenv              (HubEmulator *self);

/* @provider_id NULL = every provider. */
void         hub_emulator_set_fault           (HubEmulator *self,
                                               const char  *provider_id,
                                               HubEmuFault  fault);
/* Value of the Retry-After header for FAULT_429, e.g. "120", a HTTP date, or "garbage". */
void         hub_emulator_set_retry_after     (HubEmulator *self,
                                               const char  *value);

/* Milliseconds each answer's body waits under FAULT_SLOW_STEPS. */
void         hub_emulator_set_step_delay      (HubEmulator *self,
                                               guint        delay_ms);

/* The JSON number literal FAULT_HUGE_NUMBER writes, e.g. "9223372036854775808". */
void         hub_emulator_set_huge_number     (HubEmulator *self,
                                               const char  *literal);

/* Requests received by the main server for a provider (NULL = all). */
guint        hub_emulator_get_hits            (HubEmulator *self,
                                               const char  *provider_id);
/* Requests received by the redirect target, and how many of those carried a
 * credential (Authorization, X-SmartToken, api-auth-*, or a secret in the query). */
guint        hub_emulator_get_redirect_hits   (HubEmulator *self);
guint        hub_emulator_get_redirect_credential_hits (HubEmulator *self);
void         hub_emulator_reset_counters      (HubEmulator *self);

/* Stalled or trickling responses still open (0 once every client has gone). */
guint        hub_emulator_get_n_streams       (HubEmulator *self);

/* Names as in the enum, lower case with '-': "401", "stall", "malformed-json", …;
 * an unknown name gives HUB_EMU_N_FAULTS. */
HubEmuFault  hub_emu_fault_from_string        (const char  *name);  /* "401", "stall", … */
const char  *hub_emu_fault_to_string          (HubEmuFault  fault);

G_END_DECLS
