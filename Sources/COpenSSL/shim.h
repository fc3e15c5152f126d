// Includes for the parts of OpenSSL 3 libcrypto that Ed25519OpenSSL uses. No logic lives here.
#pragma once
#include <openssl/opensslv.h>
#if OPENSSL_VERSION_NUMBER < 0x30000000L
#error "COpenSSL needs OpenSSL 3 headers (Debian/Ubuntu: apt-get install libssl-dev)"
#endif
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/core_names.h>

// Function-like macros cannot be called from Swift; these inline wrappers expose them.
static inline long mcred_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}
