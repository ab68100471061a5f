/* fwr-identity.c: Ed25519 key pairs with libsodium and their key file: a GKeyFile holding the
 * public key and the secret key, in clear or sealed with an Argon2id-derived secretbox key. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "fwr-identity-private.h"

G_DEFINE_QUARK (fwr-identity-error-quark, fwr_identity_error)

#define GROUP "fwreview identity"
#define KDF_NAME "argon2id13"

struct _FwrIdentity {
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  char *public_key_text;
};

void
_fwr_sodium_init (void)
{
  static gsize done;
  if (g_once_init_enter (&done))
    {
      if (sodium_init () < 0)
        g_error ("libsodium cannot be initialised");
      g_once_init_leave (&done, 1);
    }
}

static FwrIdentity *
identity_new (const unsigned char *public_key, const unsigned char *secret_key)
{
  FwrIdentity *self = g_new0 (FwrIdentity, 1);
  memcpy (self->public_key, public_key, sizeof self->public_key);
  memcpy (self->secret_key, secret_key, sizeof self->secret_key);
  self->public_key_text = g_base64_encode (self->public_key, sizeof self->public_key);
  return self;
}

FwrIdentity *
fwr_identity_generate (void)
{
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];

  _fwr_sodium_init ();
  crypto_sign_keypair (pk, sk);
  FwrIdentity *self = identity_new (pk, sk);
  sodium_memzero (sk, sizeof sk);
  return self;
}

void
fwr_identity_free (FwrIdentity *self)
{
  if (self == NULL)
    return;
  sodium_memzero (self->secret_key, sizeof self->secret_key);
  g_free (self->public_key_text);
  g_free (self);
}

char *
fwr_identity_dup_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "fwreview", "identity.key", NULL);
}

const char *
fwr_identity_get_public_key (const FwrIdentity *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->public_key_text;
}

char *
fwr_identity_sign (const FwrIdentity *self, const void *data, gsize length)
{
  unsigned char signature[crypto_sign_BYTES];

  g_return_val_if_fail (self != NULL, NULL);
  crypto_sign_detached (signature, NULL, data, length, self->secret_key);
  return g_base64_encode (signature, sizeof signature);
}

/* Decodes base64 text that must hold exactly size bytes. */
static gboolean
decode_exact (const char *text, unsigned char *out, gsize size)
{
  if (text == NULL)
    return FALSE;
  /* g_base64_decode accepts junk silently; insist on the canonical form. */
  gsize text_len = strlen (text);
  if (text_len != ((size + 2) / 3) * 4)
    return FALSE;
  for (gsize i = 0; i < text_len; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '+' && text[i] != '/' && text[i] != '=')
      return FALSE;
  gsize decoded_len = 0;
  g_autofree guchar *decoded = g_base64_decode (text, &decoded_len);
  if (decoded_len != size)
    {
      if (decoded != NULL)
        sodium_memzero (decoded, decoded_len);
      return FALSE;
    }
  memcpy (out, decoded, size);
  sodium_memzero (decoded, decoded_len);
  g_autofree char *again = g_base64_encode (out, size);
  return g_str_equal (again, text);
}

gboolean
fwr_public_key_is_valid (const char *text)
{
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  return decode_exact (text, pk, sizeof pk);
}

gboolean
fwr_signature_verify (const char *public_key, const void *data, gsize length, const char *signature)
{
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sig[crypto_sign_BYTES];

  _fwr_sodium_init ();
  if (!decode_exact (public_key, pk, sizeof pk) || !decode_exact (signature, sig, sizeof sig))
    return FALSE;
  return crypto_sign_verify_detached (sig, data, length, pk) == 0;
}

/* Key file */

static gboolean
seal_secret_key (GKeyFile *file, const FwrIdentity *self, const char *passphrase, GError **error)
{
  unsigned char salt[crypto_pwhash_SALTBYTES];
  unsigned char nonce[crypto_secretbox_NONCEBYTES];
  unsigned char key[crypto_secretbox_KEYBYTES];
  unsigned char sealed[crypto_secretbox_MACBYTES + crypto_sign_SECRETKEYBYTES];
  unsigned long long opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

  randombytes_buf (salt, sizeof salt);
  randombytes_buf (nonce, sizeof nonce);
  if (crypto_pwhash (key, sizeof key, passphrase, strlen (passphrase), salt, opslimit, memlimit,
                     crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_IO,
                   "not enough memory to derive the key from the passphrase");
      return FALSE;
    }
  crypto_secretbox_easy (sealed, self->secret_key, sizeof self->secret_key, nonce, key);
  sodium_memzero (key, sizeof key);

  g_autofree char *salt_text = g_base64_encode (salt, sizeof salt);
  g_autofree char *nonce_text = g_base64_encode (nonce, sizeof nonce);
  g_autofree char *sealed_text = g_base64_encode (sealed, sizeof sealed);
  g_key_file_set_string (file, GROUP, "kdf", KDF_NAME);
  g_key_file_set_uint64 (file, GROUP, "opslimit", opslimit);
  g_key_file_set_uint64 (file, GROUP, "memlimit", memlimit);
  g_key_file_set_string (file, GROUP, "salt", salt_text);
  g_key_file_set_string (file, GROUP, "nonce", nonce_text);
  g_key_file_set_string (file, GROUP, "sealed-secret-key", sealed_text);
  return TRUE;
}

/* Creates path with mode 0600, failing if it exists, and writes contents in full. */
static gboolean
write_new_private_file (const char *path, const char *contents, gsize length, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_IO,
                   "%s: cannot create the folder: %s", dir, g_strerror (saved));
      return FALSE;
    }
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, FWR_IDENTITY_ERROR,
                   saved == EEXIST ? FWR_IDENTITY_ERROR_EXISTS : FWR_IDENTITY_ERROR_IO,
                   "%s: %s", path,
                   saved == EEXIST ? "a key file already exists; refusing to overwrite it"
                                   : g_strerror (saved));
      return FALSE;
    }
  gsize done = 0;
  while (done < length)
    {
      ssize_t n = write (fd, contents + done, length - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;
          close (fd);
          g_unlink (path);
          g_set_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_IO, "%s: cannot write: %s",
                       path, g_strerror (saved));
          return FALSE;
        }
      done += (gsize) n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved = errno;
      g_unlink (path);
      g_set_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_IO, "%s: cannot write: %s",
                   path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
fwr_identity_save (FwrIdentity *self, const char *path, const char *passphrase, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  _fwr_sodium_init ();
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_key_file_set_comment (file, NULL, NULL,
                          " fwreview signing key (Ed25519). Keep this file private: whoever holds\n"
                          " it signs approvals and audit records in your name.", NULL);
  g_key_file_set_integer (file, GROUP, "version", 1);
  g_key_file_set_string (file, GROUP, "public-key", self->public_key_text);
  if (passphrase != NULL && *passphrase != '\0')
    {
      if (!seal_secret_key (file, self, passphrase, error))
        return FALSE;
    }
  else
    {
      g_autofree char *secret = g_base64_encode (self->secret_key, sizeof self->secret_key);
      g_key_file_set_string (file, GROUP, "secret-key", secret);
      sodium_memzero (secret, strlen (secret));
    }

  gsize length = 0;
  g_autofree char *contents = g_key_file_to_data (file, &length, NULL);
  gboolean ok = write_new_private_file (path, contents, length, error);
  sodium_memzero (contents, length);
  return ok;
}

static gboolean
open_sealed_key (GKeyFile *file, const char *path, const char *passphrase,
                 unsigned char *secret_key, GError **error)
{
  unsigned char salt[crypto_pwhash_SALTBYTES];
  unsigned char nonce[crypto_secretbox_NONCEBYTES];
  unsigned char key[crypto_secretbox_KEYBYTES];
  unsigned char sealed[crypto_secretbox_MACBYTES + crypto_sign_SECRETKEYBYTES];

  g_autofree char *kdf = g_key_file_get_string (file, GROUP, "kdf", NULL);
  g_autofree char *salt_text = g_key_file_get_string (file, GROUP, "salt", NULL);
  g_autofree char *nonce_text = g_key_file_get_string (file, GROUP, "nonce", NULL);
  g_autofree char *sealed_text = g_key_file_get_string (file, GROUP, "sealed-secret-key", NULL);
  guint64 opslimit = g_key_file_get_uint64 (file, GROUP, "opslimit", NULL);
  guint64 memlimit = g_key_file_get_uint64 (file, GROUP, "memlimit", NULL);

  if (g_strcmp0 (kdf, KDF_NAME) != 0 || !decode_exact (salt_text, salt, sizeof salt) ||
      !decode_exact (nonce_text, nonce, sizeof nonce) ||
      !decode_exact (sealed_text, sealed, sizeof sealed) ||
      opslimit < crypto_pwhash_OPSLIMIT_MIN || opslimit > crypto_pwhash_OPSLIMIT_MAX ||
      memlimit < crypto_pwhash_MEMLIMIT_MIN || memlimit > G_MAXSIZE)
    {
      g_set_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_INVALID,
                   "%s: the sealed key is damaged (kdf, salt, nonce or limits)", path);
      return FALSE;
    }
  if (passphrase == NULL || *passphrase == '\0')
    {
      g_set_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_NEEDS_PASSPHRASE,
                   "%s: the key is protected by a passphrase", path);
      return FALSE;
    }
  if (crypto_pwhash (key, sizeof key, passphrase, strlen (passphrase), salt, opslimit,
                     (size_t) memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_IO,
                   "%s: not enough memory to derive the key from the passphrase", path);
      return FALSE;
    }
  int opened = crypto_secretbox_open_easy (secret_key, sealed, sizeof sealed, nonce, key);
  sodium_memzero (key, sizeof key);
  if (opened != 0)
    {
      g_set_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_BAD_PASSPHRASE,
                   "%s: wrong passphrase", path);
      return FALSE;
    }
  return TRUE;
}

/* (transfer full) (nullable) The key file at path; IO when it cannot be read, INVALID when it
 * is no key file. */
static GKeyFile *
load_key_file (const char *path, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GKeyFile) file = g_key_file_new ();
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      gboolean io = local_error->domain == G_FILE_ERROR;
      g_set_error (error, FWR_IDENTITY_ERROR,
                   io ? FWR_IDENTITY_ERROR_IO : FWR_IDENTITY_ERROR_INVALID, "%s: %s%s", path,
                   io ? "" : "not a key file: ", local_error->message);
      return NULL;
    }
  return g_steal_pointer (&file);
}

FwrIdentity *
fwr_identity_load (const char *path, const char *passphrase, GError **error)
{
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];

  g_return_val_if_fail (path != NULL, NULL);
  _fwr_sodium_init ();

  g_autoptr (GKeyFile) file = load_key_file (path, error);
  if (file == NULL)
    return NULL;
  if (g_key_file_get_integer (file, GROUP, "version", NULL) != 1)
    {
      g_set_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_INVALID,
                   "%s: not an fwreview key file (version 1 expected)", path);
      return NULL;
    }
  g_autofree char *public_text = g_key_file_get_string (file, GROUP, "public-key", NULL);
  g_autofree char *secret_text = g_key_file_get_string (file, GROUP, "secret-key", NULL);
  if (!decode_exact (public_text, pk, sizeof pk))
    {
      g_set_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_INVALID,
                   "%s: the public key is damaged", path);
      return NULL;
    }
  gboolean have_secret;
  if (secret_text != NULL)
    {
      have_secret = decode_exact (secret_text, sk, sizeof sk);
      sodium_memzero (secret_text, strlen (secret_text));
      if (!have_secret)
        g_set_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_INVALID,
                     "%s: the secret key is damaged", path);
    }
  else
    have_secret = open_sealed_key (file, path, passphrase, sk, error);
  if (!have_secret)
    return NULL;

  /* An Ed25519 secret key carries its public half: both must agree. */
  if (sodium_memcmp (sk + crypto_sign_SEEDBYTES, pk, sizeof pk) != 0)
    {
      sodium_memzero (sk, sizeof sk);
      g_set_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_INVALID,
                   "%s: the public and secret keys do not belong together", path);
      return NULL;
    }
  FwrIdentity *self = identity_new (pk, sk);
  sodium_memzero (sk, sizeof sk);
  return self;
}

char *
fwr_identity_dup_public_key_from_file (const char *path, GError **error)
{
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];

  g_return_val_if_fail (path != NULL, NULL);
  g_autoptr (GKeyFile) file = load_key_file (path, error);
  if (file == NULL)
    return NULL;
  g_autofree char *public_text = g_key_file_get_string (file, GROUP, "public-key", NULL);
  if (g_key_file_get_integer (file, GROUP, "version", NULL) != 1 ||
      !decode_exact (public_text, pk, sizeof pk))
    {
      g_set_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_INVALID,
                   "%s: not an fwreview key file, or its public key is damaged", path);
      return NULL;
    }
  return g_steal_pointer (&public_text);
}
