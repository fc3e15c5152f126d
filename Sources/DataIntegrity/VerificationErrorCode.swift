/// Error codes of the W3C Recommendations: VC Data Model 2.0 §7.2, VC Data Integrity 1.0 §4.7,
/// Controlled Identifiers 1.0 §3.3, VC Data Integrity §2.4 (data loss) and Bitstring Status List 1.0 §3.2.
public enum VerificationErrorCode: String, Hashable, Sendable {
    case parsingError = "PARSING_ERROR"
    case cryptographicSecurityError = "CRYPTOGRAPHIC_SECURITY_ERROR"
    case malformedValueError = "MALFORMED_VALUE_ERROR"
    case rangeError = "RANGE_ERROR"
    case proofVerificationError = "PROOF_VERIFICATION_ERROR"
    case invalidVerificationMethodURL = "INVALID_VERIFICATION_METHOD_URL"
    case invalidVerificationMethod = "INVALID_VERIFICATION_METHOD"
    case statusRetrievalError = "STATUS_RETRIEVAL_ERROR"
    case statusVerificationError = "STATUS_VERIFICATION_ERROR"
    case statusListLengthError = "STATUS_LIST_LENGTH_ERROR"
    /// VC Data Integrity 1.0 §2.4: JSON-LD processing would drop data (an undefined term).
    case dataLossDetectionError = "DATA_LOSS_DETECTION_ERROR"

    /// The RFC 9457 problem `type` URL the Recommendation defines for the code.
    public var typeURL: String {
        switch self {
        case .parsingError, .cryptographicSecurityError, .malformedValueError, .rangeError:
            "https://www.w3.org/TR/vc-data-model#" + rawValue
        case .proofVerificationError, .invalidVerificationMethodURL, .invalidVerificationMethod, .dataLossDetectionError:
            "https://w3id.org/security#" + rawValue
        case .statusRetrievalError, .statusVerificationError, .statusListLengthError:
            "https://www.w3.org/ns/credentials/status-list#" + rawValue
        }
    }
}
