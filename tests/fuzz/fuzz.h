/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/* One fuzz target: src/ code under test plus its invariants (g_assert).
 *
 * The same target links either with libFuzzer (clang -fsanitize=fuzzer, see
 * build-aux/fuzz), which calls LLVMFuzzerTestOneInput, or with
 * tests/fuzz/fuzz-driver.c (gcc, a regular meson test), which calls
 * hub_fuzz_one_input on every corpus file and on deterministic mutations.
 *
 * Returns TRUE when the code under test accepted the input: corpus files
 * named y_* must be accepted, n_* refused, i_* either. */
gboolean    hub_fuzz_one_input       (const guint8 *data,
                                      gsize         size);

/* Short name for messages: "json", "catalog", "cli". */
extern const char *hub_fuzz_target_name;

int         LLVMFuzzerTestOneInput   (const uint8_t *data,
                                      size_t         size);

G_END_DECLS
