/// The message of a ``VerificationCheck``, kept as the values it is written from until someone reads it.
///
/// Every verification makes about a dozen checks and most callers read only the verdict, so the messages of a
/// passing verification are stored as their parts and written out by ``text``. Rarer messages (failures) are
/// written when the check is made and stored as `.text`. The templates are those of `spec/verification.md` §3.
enum CheckMessage: Sendable {
    /// A message already written out.
    case text(String)
    /// `data-model` pass: `a VC 2.0 credential with issuer {issuer}`.
    case credential(issuer: String)
    /// `proof` pass: `a {type} for {purpose}`.
    case proof(type: String, purpose: String)
    /// `key` pass: `Ed25519 key of {controller}`.
    case key(controller: String)
    /// `issuer-binding` pass: `the key belongs to the issuer {issuer}`.
    case issuerBound(issuer: String)
    /// `proof-created` pass: `created {created}`, the time as written.
    case created(String)
    /// `validity-period` pass: `valid at {T}: {from} {until}`, each time as written.
    case validAt(String, from: String?, until: String?)
    /// A check that was not reached: `not checked: {reason}`.
    case notChecked(reason: String)

    /// The message as people read it.
    var text: String {
        switch self {
        case .text(let text): text
        case .credential(let issuer): "a VC 2.0 credential with issuer \(issuer)"
        case .proof(let type, let purpose): "a \(type) for \(purpose)"
        case .key(let controller): "Ed25519 key of \(controller)"
        case .issuerBound(let issuer): "the key belongs to the issuer \(issuer)"
        case .created(let created): "created \(created)"
        case .validAt(let time, let from, let until):
            "valid at \(time): \(from.map { "from \($0)" } ?? "from issuance") "
                + (until.map { "until \($0)" } ?? "with no end")
        case .notChecked(let reason): "not checked: \(reason)"
        }
    }
}
