/* fwr-identity.h: a person's Ed25519 signing key, kept in a private file, optionally sealed
 * with a passphrase; public keys and signatures travel as base64 text. */
#pragma once

#include "fwr-macros.h"

G_BEGIN_DECLS

#define FWR_IDENTITY_ERROR (fwr_identity_error_quark ())
typedef enum {
  FWR_IDENTITY_ERROR_IO,                  /* the key file cannot be read or written */
  FWR_IDENTITY_ERROR_INVALID,             /* not a key file, or a damaged one */
  FWR_IDENTITY_ERROR_EXISTS,              /* refusing to overwrite a key */
  FWR_IDENTITY_ERROR_NEEDS_PASSPHRASE,    /* the key is sealed and no passphrase was given */
  FWR_IDENTITY_ERROR_BAD_PASSPHRASE,
} FwrIdentityError;
FWR_PUBLIC GQuark fwr_identity_error_quark (void);

typedef struct _FwrIdentity FwrIdentity;

/* (transfer full) A fresh random key pair. */
FWR_PUBLIC FwrIdentity *fwr_identity_generate         (void);
/* (transfer full) (nullable) passphrase is needed only for a sealed key file. */
FWR_PUBLIC FwrIdentity *fwr_identity_load             (const char *path, const char *passphrase,
                                                       GError **error);
/* Writes a new key file with mode 0600 (creating its folder 0700); never overwrites.
 * A non-empty passphrase seals the secret key with Argon2id and XSalsa20-Poly1305. */
FWR_PUBLIC gboolean     fwr_identity_save             (FwrIdentity *self, const char *path,
                                                       const char *passphrase, GError **error);
FWR_PUBLIC void         fwr_identity_free             (FwrIdentity *self);
/* (transfer full) $XDG_CONFIG_HOME/fwreview/identity.key */
FWR_PUBLIC char        *fwr_identity_dup_default_path (void);

/* (transfer full) The public key of a key file, read without its passphrase: who the file's
 * holder is, before they unlock it to sign. */
FWR_PUBLIC char        *fwr_identity_dup_public_key_from_file (const char *path, GError **error);
/* Base64 of the 32-byte Ed25519 public key. */
FWR_PUBLIC const char  *fwr_identity_get_public_key   (const FwrIdentity *self);
/* (transfer full) Base64 of the detached 64-byte signature of data. */
FWR_PUBLIC char        *fwr_identity_sign             (const FwrIdentity *self, const void *data,
                                                       gsize length);

/* TRUE when text is the base64 form of a 32-byte public key. */
FWR_PUBLIC gboolean     fwr_public_key_is_valid       (const char *text);
/* TRUE when signature is a valid signature of data by public_key (all base64). */
FWR_PUBLIC gboolean     fwr_signature_verify          (const char *public_key, const void *data,
                                                       gsize length, const char *signature);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrIdentity, fwr_identity_free)

G_END_DECLS
