#!/usr/bin/env python3
"""Verify eddsa-jcs-2022 and eddsa-rdfc-2022 proofs with independent implementations: pyld (JSON-LD expansion to RDF
and URDNA2015, which is RDFC-1.0 with SHA-256), the rfc8785 package (JCS) and pyca/cryptography (Ed25519).

Usage:
  python3 spec/tools/independent_verify.py CONTEXTS FILE...

CONTEXTS is a folder holding `index.json` ({"<context URL>": "<file name>", ...}) and the context documents it
names; nothing is fetched. Each FILE is one credential whose issuer key is a did:key (the verification method's
fragment is the Multikey). Every proof of either cryptosuite is verified as W3C vc-di-eddsa §3.2 / §3.3 say:
hash(proof configuration) ‖ hash(document without proof), the proof configuration carrying the document's
@context; proof sets only (no previousProof). One line per proof: `VALID FILE #N SUITE` or `INVALID FILE #N
SUITE: reason`.

Needs pyld, rfc8785 and cryptography (pip install pyld rfc8785 cryptography). Exit status: 0 every proof valid and
at least one checked, 1 a proof invalid or none found, 2 usage error, unreadable file or missing module.
"""
from __future__ import annotations

import hashlib
import json
import pathlib
import sys

try:
    import rfc8785
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from pyld import jsonld
except ImportError as error:
    print(f"independent_verify: needs pyld, rfc8785 and cryptography: {error}", file=sys.stderr)
    sys.exit(2)

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc(text: str) -> bytes:
    number = 0
    for character in text:
        number = number * 58 + BASE58.index(character)
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def ed25519_key(verification_method: str) -> Ed25519PublicKey:
    multikey = verification_method.split("#", 1)[1]
    raw = base58btc(multikey[1:])  # "z" multibase prefix, then the 0xed01 multicodec header
    if not multikey.startswith("z6Mk") or raw[:2] != b"\xed\x01" or len(raw) != 34:
        raise ValueError(f"not an Ed25519 Multikey: {multikey}")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def canonical_rdf(document: dict) -> bytes:
    return jsonld.normalize(document, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                       "safe": True}).encode("utf-8")


def verify(document: dict, proof: dict) -> None:
    configuration = {key: value for key, value in proof.items() if key != "proofValue"}
    suite = proof.get("cryptosuite")
    if suite == "eddsa-jcs-2022":
        if "@context" in configuration and configuration["@context"] != document.get("@context"):
            raise ValueError("the proof's @context differs from the document's")
        hashed = hashlib.sha256(rfc8785.dumps(configuration)).digest() + hashlib.sha256(rfc8785.dumps(document)).digest()
    else:
        configuration["@context"] = document["@context"]
        hashed = hashlib.sha256(canonical_rdf(configuration)).digest() + hashlib.sha256(canonical_rdf(document)).digest()
    signature = base58btc(proof["proofValue"][1:])
    ed25519_key(proof["verificationMethod"]).verify(signature, hashed)  # raises InvalidSignature


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    contexts = pathlib.Path(sys.argv[1])
    try:
        index = json.loads((contexts / "index.json").read_text(encoding="utf-8"))
        documents = {url: json.loads((contexts / name).read_text(encoding="utf-8")) for url, name in index.items()}
        credentials = [(path, json.loads(pathlib.Path(path).read_text(encoding="utf-8"))) for path in sys.argv[2:]]
    except (OSError, ValueError) as error:
        print(f"independent_verify: {error}", file=sys.stderr)
        return 2

    def loader(url, options=None):
        if url not in documents:
            raise jsonld.JsonLdError(f"unknown context {url}", "loading document failed")
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": documents[url]}

    jsonld.set_document_loader(loader)
    checked, failed = 0, 0
    for path, credential in credentials:
        proofs = credential.pop("proof", [])
        for number, proof in enumerate(proofs if isinstance(proofs, list) else [proofs]):
            suite = proof.get("cryptosuite")
            if suite not in ("eddsa-jcs-2022", "eddsa-rdfc-2022"):
                continue
            checked += 1
            try:
                verify(credential, proof)
                print(f"VALID {path} #{number} {suite}")
            except Exception as error:  # noqa: BLE001 — any failure is a negative verdict, reported
                failed += 1
                print(f"INVALID {path} #{number} {suite}: {type(error).__name__} {error}")
    return 0 if checked and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
