#!/usr/bin/env python3
"""Validate mcred micro-credentials (and mcred input files) against JSON Schema, offline.

Usage:
  python3 spec/tools/validate_examples.py CREDENTIAL.json [--vectors DIR] [--with-dummy-proof]
  python3 spec/tools/validate_examples.py COURSE.json --kind course
  python3 spec/tools/validate_examples.py LEARNER.json --kind learner
  python3 spec/tools/validate_examples.py --self-test [--vectors DIR]

A credential is checked against
  (a) the 1EdTech Open Badges 3.0 AchievementCredential schema, JSON-LD (array-compacted)
      variant, draft 2019-09:
      <vectors>/educredentials-obv3-examples/schemas/ob_v3p0_achievementcredential_schema.json
      (`proof`, `type`, `credentialSchema`, ... must be arrays there), and
  (b) the mcred micro-credential extension schema:
      spec/schemas/mcred-microcredential-extension.schema.json
An input file is checked against spec/schemas/course.schema.json or learner.schema.json.

<vectors> is, in order of precedence: --vectors DIR, the environment variable
MCRED_VECTORS, or ../shared/vectors relative to the repository root.

Nothing is fetched: every $ref is resolved from the local files only; any other
reference is an error.

--with-dummy-proof adds, in memory, a syntactically valid DataIntegrityProof array
(eddsa-jcs-2022) when the credential has no `proof`, so that an unsigned credential can
be checked against (a), which describes a secured credential.

--self-test validates the example files in spec/examples/ and checks that a list of
broken variants of the example credential and inputs is rejected by the expected schema.

Exit status: 0 valid (or all self-tests passed), 1 invalid (errors printed, one per
line), 2 usage error or missing/unreadable file.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable

try:
    from jsonschema import Draft201909Validator
    from referencing import Registry, Resource
    from referencing.exceptions import NoSuchResource
    from referencing.jsonschema import DRAFT201909
except ImportError as exc:  # pragma: no cover
    sys.stderr.write(f"error: needs the Python packages jsonschema (>= 4.18) and referencing: {exc}\n")
    sys.exit(2)

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = REPO_ROOT / "spec"
SCHEMA_DIR = SPEC_DIR / "schemas"
EXAMPLES_DIR = SPEC_DIR / "examples"
DEFAULT_VECTORS = REPO_ROOT.parent / "shared" / "vectors"
OB_SCHEMA_REL = Path("educredentials-obv3-examples/schemas/ob_v3p0_achievementcredential_schema.json")

EXT_SCHEMA_FILE = SCHEMA_DIR / "mcred-microcredential-extension.schema.json"
COURSE_SCHEMA_FILE = SCHEMA_DIR / "course.schema.json"
LEARNER_SCHEMA_FILE = SCHEMA_DIR / "learner.schema.json"

OB_LABEL = "ob-3.0"
EXT_LABEL = "mcred-ext"


class UsageError(Exception):
    pass


def load_json(path: Path) -> Any:
    try:
        with path.open("r", encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise UsageError(f"file not found: {path}")
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {path} as JSON: {exc}")


def resolve_vectors(arg: str | None) -> Path:
    if arg:
        return Path(arg).expanduser().resolve()
    env = os.environ.get("MCRED_VECTORS")
    if env:
        return Path(env).expanduser().resolve()
    return DEFAULT_VECTORS.resolve()


def _no_network(uri: str) -> Resource:
    # Called only for URIs that are not in the registry: refuse instead of fetching.
    raise NoSuchResource(ref=uri)


class Schemas:
    """All schemas loaded from local files, registered under their $id (offline registry)."""

    def __init__(self, vectors: Path | None, need_ob: bool = True):
        files = {"ext": EXT_SCHEMA_FILE, "course": COURSE_SCHEMA_FILE, "learner": LEARNER_SCHEMA_FILE}
        if need_ob:
            if vectors is None:
                raise UsageError("no vectors directory")
            ob_file = vectors / OB_SCHEMA_REL
            if not ob_file.is_file():
                raise UsageError(
                    f"OB 3.0 schema not found at {ob_file} (set --vectors DIR or MCRED_VECTORS)"
                )
            files["ob"] = ob_file
        self.schemas: dict[str, Any] = {}
        resources = []
        for key, path in files.items():
            schema = load_json(path)
            Draft201909Validator.check_schema(schema)
            self.schemas[key] = schema
            resources.append((schema["$id"], DRAFT201909.create_resource(schema)))
        self.registry = Registry(retrieve=_no_network).with_resources(resources)

    def validator(self, key: str) -> Draft201909Validator:
        return Draft201909Validator(
            self.schemas[key],
            registry=self.registry,
            format_checker=Draft201909Validator.FORMAT_CHECKER,
        )


def _path(error) -> str:
    parts = [str(p) for p in error.absolute_path]
    return "/" + "/".join(parts) if parts else "(root)"


def _message(error) -> str:
    msg = error.message
    if len(msg) > 300:
        msg = msg[:297] + "..."
    return msg


def errors_for(schemas: Schemas, key: str, label: str, instance: Any) -> list[str]:
    validator = schemas.validator(key)
    out = []
    for err in sorted(validator.iter_errors(instance), key=lambda e: (_path(e), e.message)):
        out.append(f"[{label}] {_path(err)}: {_message(err)}")
        # Show the most relevant sub-errors of anyOf/oneOf failures (one level).
        for sub in sorted(err.context or [], key=lambda e: (_path(e), e.message))[:6]:
            out.append(f"    [{label}] {_path(sub)}: {_message(sub)}")
    return out


def dummy_proof(credential: dict) -> list[dict]:
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str) or not issuer_id.startswith("did:key:"):
        issuer_id = "did:key:z6MkksCikHnH7dDBXSkrc1opb5WySJPUgCfaMtf4QxzAGSLZ"
    fragment = issuer_id[len("did:key:"):]
    return [
        {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-jcs-2022",
            "created": "2025-06-30T00:00:00Z",
            "verificationMethod": f"{issuer_id}#{fragment}",
            "proofPurpose": "assertionMethod",
            "proofValue": "z" + "1" * 86,
        }
    ]


def validate_credential(schemas: Schemas, credential: Any, with_dummy_proof: bool) -> list[str]:
    if with_dummy_proof and isinstance(credential, dict) and "proof" not in credential:
        credential = dict(credential)
        credential["proof"] = dummy_proof(credential)
    return errors_for(schemas, "ob", OB_LABEL, credential) + errors_for(
        schemas, "ext", EXT_LABEL, credential
    )


def validate_input(schemas: Schemas, kind: str, instance: Any) -> list[str]:
    return errors_for(schemas, kind, f"{kind}-input", instance)


# --------------------------------------------------------------------------- self-test

Mutation = Callable[[dict], None]


def _del(*path: str) -> Mutation:
    def f(doc: dict) -> None:
        node = doc
        for p in path[:-1]:
            node = node[p]
        del node[path[-1]]

    return f


def _set(value: Any, *path: Any) -> Mutation:
    def f(doc: dict) -> None:
        node = doc
        for p in path[:-1]:
            node = node[p]
        node[path[-1]] = value

    return f


def _chain(*fs: Mutation) -> Mutation:
    def f(doc: dict) -> None:
        for g in fs:
            g(doc)

    return f


ACH = ("credentialSubject", "achievement")

# (description, mutation, which schemas must reject it: subset of {"ob", "ext"})
CREDENTIAL_CASES: list[tuple[str, Mutation, set[str]]] = [
    ("achievementType removed", _del(*ACH, "achievementType"), {"ext"}),
    ("achievementType not MicroCredential", _set("Certificate", *ACH, "achievementType"), {"ext"}),
    ("learningOutcomes removed", _del(*ACH, "learningOutcomes"), {"ext"}),
    ("learningOutcomes empty", _set([], *ACH, "learningOutcomes"), {"ext"}),
    ("learning outcome blank", _set(["  "], *ACH, "learningOutcomes"), {"ext"}),
    ("achievement name blank", _set(" ", *ACH, "name"), {"ext"}),
    ("issuer address removed", _del("issuer", "address"), {"ext"}),
    ("country code not alpha-2", _set("IRL", "issuer", "address", "addressCountryCode"), {"ext"}),
    ("country code lower case", _set("ie", "issuer", "address", "addressCountryCode"), {"ext"}),
    ("issuer only a string", _set("did:key:z6MkksCikHnH7dDBXSkrc1opb5WySJPUgCfaMtf4QxzAGSLZ", "issuer"), {"ext"}),
    ("issuer name removed", _del("issuer", "name"), {"ext"}),
    (
        "no workload at all",
        _chain(_del(*ACH, "creditsAvailable"), _del(*ACH, "creditSystem"), _del(*ACH, "workloadHours")),
        {"ext"},
    ),
    ("creditsAvailable without creditSystem", _del(*ACH, "creditSystem"), {"ext"}),
    ("workload hours zero", _set(0, *ACH, "workloadHours"), {"ext"}),
    ("EQF alignment to a non-EQF URL", _set("http://data.europa.eu/snb/eqf/9", *ACH, "alignment", 0, "targetUrl"), {"ext"}),
    ("qfEheaCycle unknown", _set("https://mcred.example/vocab/qf-ehea-cycle/fourth", *ACH, "qfEheaCycle"), {"ext"}),
    ("assessmentType removed", _del(*ACH, "assessmentType"), {"ext"}),
    ("assessmentType not an IRI", _set("project", *ACH, "assessmentType"), {"ext"}),
    ("participationMode removed", _del(*ACH, "participationMode"), {"ext"}),
    (
        "quality assurance removed",
        _chain(_del(*ACH, "qualityAssuranceType"), _del(*ACH, "qualityAssuranceDescription")),
        {"ext"},
    ),
    ("stackableTowards with standalone", _set("https://mcred.example/vocab/stackability/standalone", *ACH, "stackability"), {"ext"}),
    ("co-awarding body without country", _del(*ACH, "coAwardingBodies", 0, "address"), {"ext"}),
    ("supervision not an IRI", _set("supervised online", "credentialSubject", "supervisionAndVerification"), {"ext"}),
    (
        "no learner identification",
        _chain(_del("credentialSubject", "id"), _set([], "credentialSubject", "identifier")),
        {"ext"},
    ),
    ("extension context missing", _set(["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"], "@context"), {"ext"}),
    ("extension credentialSchema missing", _set([{"id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json", "type": "1EdTechJsonSchemaValidator2019"}], "credentialSchema"), {"ext"}),
    ("validFrom removed", _del("validFrom"), {"ob", "ext"}),
    ("validFrom without offset", _set("2025-06-30T00:00:00", "validFrom"), {"ext"}),
    ("type lacks OpenBadgeCredential", _set(["VerifiableCredential"], "type"), {"ob"}),
    ("context order wrong", _set(["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "https://www.w3.org/ns/credentials/v2", "https://mcred.example/ns/microcredential/v1"], "@context"), {"ob"}),
    ("achievement criteria removed", _del(*ACH, "criteria"), {"ob"}),
    ("achievement description removed", _del(*ACH, "description"), {"ob"}),
    ("alignment targetType without ext: prefix", _set("EQFLevel", *ACH, "alignment", 0, "targetType"), {"ob"}),
    ("identity object with extra property", _set("x", "credentialSubject", "identifier", 0, "note"), {"ob"}),
    ("resultDescription without resultType", _del(*ACH, "resultDescription", 0, "resultType"), {"ob"}),
    ("proof as a single object", lambda d: d.__setitem__("proof", dummy_proof(d)[0]), {"ob"}),
]

COURSE_CASES: list[tuple[str, Mutation]] = [
    ("title removed", _del("title")),
    ("unknown field", _set("x", "titel")),
    ("no learning outcomes", _set([], "learningOutcomes")),
    ("empty workload", _set({}, "workload")),
    ("EQF level 9", _set({"eqf": 9}, "level")),
    ("participation mode not controlled", _set({"mode": "hybrid"}, "participation")),
    ("assessment type neither term nor IRI", _set({"type": "exam"}, "assessment")),
    ("quality assurance empty", _set({"body": "QQI"}, "qualityAssurance")),
    ("country not alpha-2", _set("Ireland", "awardingBody", "country")),
    ("towards with standalone", _set({"type": "standalone", "towards": "x"}, "stackability")),
    ("co-awarding body without id or url", _set([{"name": "X", "country": "BE"}], "additionalAwardingBodies")),
    ("ESCO skill not an ESCO skill URI", _set("https://example.org/skill/1", "learningOutcomes", 0, "escoSkill")),
]

LEARNER_CASES: list[tuple[str, Mutation]] = [
    ("name removed", _del("name")),
    ("awardedDate not a date", _set("30/06/2025", "awardedDate")),
    ("awardedDate impossible", _set("2025-02-30", "awardedDate")),
    ("salt without hashed", _del("identifier", "hashed")),
    ("supervision type unknown", _set({"type": "proctored"}, "supervision")),
    ("identityVerified contradicts type", _set({"type": "supervised-no-id", "identityVerified": True}, "supervision")),
    ("identityVerified contradicts type (2)", _set({"type": "supervised-onsite-with-id", "identityVerified": False}, "supervision")),
]


def self_test(schemas: Schemas) -> int:
    passed = failed = 0

    def report(ok: bool, text: str) -> None:
        nonlocal passed, failed
        if ok:
            passed += 1
            print(f"ok    {text}")
        else:
            failed += 1
            print(f"FAIL  {text}")

    credential = load_json(EXAMPLES_DIR / "credential-unsigned.json")
    course = load_json(EXAMPLES_DIR / "course.json")
    learner = load_json(EXAMPLES_DIR / "learner.json")

    signed_like = copy.deepcopy(credential)
    signed_like["proof"] = dummy_proof(signed_like)

    errs_ob = errors_for(schemas, "ob", OB_LABEL, signed_like)
    errs_ext = errors_for(schemas, "ext", EXT_LABEL, signed_like)
    report(not errs_ob, "example credential + dummy proof valid against OB 3.0 schema")
    report(not errs_ext, "example credential + dummy proof valid against mcred extension schema")
    for e in errs_ob + errs_ext:
        print("      " + e)
    # The OB schema does not require `proof`; it only requires it to be an array when present.
    report(not validate_credential(schemas, credential, with_dummy_proof=False),
           "example credential without proof also valid against both schemas")
    for name, doc in (("course", course), ("learner", learner)):
        errs = validate_input(schemas, name, doc)
        report(not errs, f"example {name}.json valid against {name}.schema.json")
        for e in errs:
            print("      " + e)

    for text, mutate, expected in CREDENTIAL_CASES:
        doc = copy.deepcopy(signed_like)
        mutate(doc)
        rejected = {k for k, label in (("ob", OB_LABEL), ("ext", EXT_LABEL)) if errors_for(schemas, k, label, doc)}
        ok = expected <= rejected
        report(ok, f"credential: {text} -> rejected by {sorted(rejected) or 'nobody'} (expected {sorted(expected)})")

    for kind, base, cases in (("course", course, COURSE_CASES), ("learner", learner, LEARNER_CASES)):
        for text, mutate in cases:
            doc = copy.deepcopy(base)
            mutate(doc)
            report(bool(validate_input(schemas, kind, doc)), f"{kind}: {text} -> rejected")

    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description="Validate an mcred micro-credential (or an input file) against the OB 3.0 and mcred schemas, offline."
    )
    parser.add_argument("file", nargs="?", help="credential (or --kind course/learner input) JSON file")
    parser.add_argument("--vectors", help="test-vector directory (default: $MCRED_VECTORS or ../shared/vectors from the repo root)")
    parser.add_argument("--kind", choices=["credential", "course", "learner"], default="credential")
    parser.add_argument("--with-dummy-proof", action="store_true",
                        help="add a syntactically valid DataIntegrityProof array in memory if the credential has no proof")
    parser.add_argument("--self-test", action="store_true", help="validate spec/examples and the built-in negative cases")
    args = parser.parse_args(argv)

    try:
        if args.self_test:
            schemas = Schemas(resolve_vectors(args.vectors), need_ob=True)
            return self_test(schemas)
        if not args.file:
            parser.error("a FILE is required (or --self-test)")
        instance = load_json(Path(args.file))
        if args.kind == "credential":
            schemas = Schemas(resolve_vectors(args.vectors), need_ob=True)
            errors = validate_credential(schemas, instance, args.with_dummy_proof)
        else:
            schemas = Schemas(None, need_ob=False)
            errors = validate_input(schemas, args.kind, instance)
    except UsageError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2

    if errors:
        for line in errors:
            print(line)
        print(f"INVALID: {args.file} ({sum(1 for l in errors if not l.startswith('    '))} error(s))")
        return 1
    print(f"VALID: {args.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
