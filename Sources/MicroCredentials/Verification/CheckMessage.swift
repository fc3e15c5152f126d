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
        var text = ""
        write { text += $0 }
        return text
    }

    /// Hands the message to `write` piece by piece, in order: the fixed wording and the values taken from the
    /// credential (issuer, key controller, times…) as separate pieces, so that a renderer can copy them without
    /// first joining them into one string.
    func write(_ write: (String) -> Void) {
        switch self {
        case .text(let text): write(text)
        case .credential(let issuer):
            write("a VC 2.0 credential with issuer ")
            write(issuer)
        case .proof(let type, let purpose):
            write("a ")
            write(type)
            write(" for ")
            write(purpose)
        case .key(let controller):
            write("Ed25519 key of ")
            write(controller)
        case .issuerBound(let issuer):
            write("the key belongs to the issuer ")
            write(issuer)
        case .created(let created):
            write("created ")
            write(created)
        case .validAt(let time, let from, let until):
            write("valid at ")
            write(time)
            if let from {
                write(": from ")
                write(from)
            } else {
                write(": from issuance")
            }
            if let until {
                write(" until ")
                write(until)
            } else {
                write(" with no end")
            }
        case .notChecked(let reason):
            write("not checked: ")
            write(reason)
        }
    }
}
