public import DataIntegrity
import CanonicalJSON
import Synchronization

/// Checks `credentialStatus` entries of type `BitstringStatusListEntry` (W3C Bitstring Status List 1.0 §3.2):
/// "Revocation status" for `revocation` entries and "Suspension status" for `suspension` entries.
///
/// For each entry the status list credential is loaded (once per evaluator, however many credentials share
/// it), its proof verified, its issuer compared with the credential's (or its key found among the keys a trust
/// list gives the credential's issuer), its validity period and purpose checked, its list decoded and the
/// entry's bit read: 0 passes, 1 fails ("revoked", "suspended"). A list that cannot be had — offline, a time-out,
/// a 404 (`STATUS_RETRIEVAL_ERROR`), or outside its validity period — leaves the status unknown
/// (indeterminate), never "not revoked". Entries of other types or purposes are reported indeterminate.
public final class BitstringStatusEvaluator: StatusEvaluator {
    private let loader: any DocumentLoader
    private let listVerifier: CredentialVerifier
    private let lists = Mutex([String: Task<LoadedList, Never>]())

    /// - Parameters:
    ///   - loader: where status list credentials come from (`--status-list` files, a cache, HTTP).
    ///   - listVerifier: verifies the lists' proofs; its resolvers must resolve the issuers' keys, and its trust
    ///     evaluator may bind a list's key to the credential's issuer (a list signed by a key that a trust list
    ///     names for the issuer counts as the issuer's).
    public init(loader: any DocumentLoader, listVerifier: CredentialVerifier) {
        self.loader = loader
        var verifier = listVerifier
        verifier.statusEvaluator = NoStatusLists()
        self.listVerifier = verifier
    }

    public func evaluateStatus(of context: VerificationContext) async -> [VerificationCheck] {
        let entries: [JSONValue]
        switch context.credential["credentialStatus"] {
        case nil: return await NoStatusLists().evaluateStatus(of: context)
        case .array(let values)?: entries = values
        case let single?: entries = [single]
        }
        var checks: [VerificationCheck] = []
        for entry in entries {
            checks.append(await check(entry, of: context))
        }
        return checks.isEmpty
            ? [VerificationCheck(.status, .fail, "credentialStatus is an empty array", errorCode: .malformedValueError)]
            : checks
    }

    private func check(_ value: JSONValue, of context: VerificationContext) async -> VerificationCheck {
        guard case .object(let object) = value else {
            return VerificationCheck(.status, .fail, "a credentialStatus entry is \(value.kindDescription), not an object",
                                     errorCode: .malformedValueError)
        }
        let type = object["type"]?.stringValue ?? "(no type)"
        guard type == BitstringStatusListEntry.type else {
            return VerificationCheck(.status, .indeterminate,
                                     "a status entry of type \(type) is not supported here; its status is unknown")
        }
        let entry: BitstringStatusListEntry
        do {
            entry = try BitstringStatusListEntry(json: object)
        } catch {
            return VerificationCheck(.status, .fail, "\(error)", errorCode: .malformedValueError)
        }
        let kind: VerificationCheck.Kind
        let word: String
        switch entry.statusPurpose {
        case "revocation": (kind, word) = (.status, "revoked")
        case "suspension": (kind, word) = (.suspension, "suspended")
        default:
            return VerificationCheck(.status, .indeterminate,
                                     "status purpose \"\(entry.statusPurpose)\" is not checked here; that status is unknown")
        }
        let where_ = "list \(entry.statusListCredential), index \(entry.statusListIndex)"
            + (entry.indexWasNumber ? " (statusListIndex is a JSON number; the Recommendation asks for a string)" : "")
        switch await list(at: entry.statusListCredential, time: context.time) {
        case .unavailable(let reason, let code):
            return VerificationCheck(kind, .indeterminate, "\(reason); whether the credential is \(word) is unknown",
                                     errorCode: code)
        case .invalid(let reason, let code):
            return VerificationCheck(kind, .fail, reason, errorCode: code)
        case .loaded(let list, let issuer, let keys, let purposes, let validUntil):
            guard let credentialIssuer = context.issuer,
                  await isIssuers(listIssuer: issuer, keys: keys, credentialIssuer: credentialIssuer)
            else {
                return VerificationCheck(
                    kind, .fail, "the status list \(entry.statusListCredential) is issued by \(issuer), not by the "
                        + "credential's issuer", errorCode: .statusVerificationError)
            }
            guard purposes.contains(entry.statusPurpose) else {
                return VerificationCheck(
                    kind, .fail, "the status list \(entry.statusListCredential) is for \(purposes.joined(separator: ", ")), "
                        + "not \(entry.statusPurpose)", errorCode: .statusVerificationError)
            }
            if let validUntil, context.time >= validUntil {
                return VerificationCheck(kind, .indeterminate,
                                         "the status list expired at \(validUntil); whether the credential is \(word) is unknown")
            }
            guard entry.statusListIndex < list.count else {
                return VerificationCheck(
                    kind, .fail, "statusListIndex \(entry.statusListIndex) is beyond the list's \(list.count) entries",
                    errorCode: .statusListLengthError)
            }
            return list[entry.statusListIndex]
                ? VerificationCheck(kind, .fail, "\(word) (\(where_))")
                : VerificationCheck(kind, .pass, "not \(word) (\(where_))")
        }
    }

    /// Whether a list issued by `listIssuer` with proofs by `keys` speaks for `credentialIssuer`: the same issuer,
    /// or a key that the trust evaluator lists for the credential's issuer.
    private func isIssuers(listIssuer: String, keys: [ResolvedVerificationMethod], credentialIssuer: String) async -> Bool {
        if listIssuer.isExactly(credentialIssuer) { return true }
        for key in keys where await listVerifier.trustEvaluator.keyListing(for: key, issuer: credentialIssuer) != nil {
            return true
        }
        return false
    }

    /// A status list credential, loaded and checked.
    enum LoadedList: Sendable {
        case loaded(BitstringStatusList, issuer: String, keys: [ResolvedVerificationMethod], purposes: [String],
                    validUntil: DateTimeStamp?)
        /// The list cannot be had: the status is unknown; with `STATUS_RETRIEVAL_ERROR` when retrieving it failed.
        case unavailable(String, VerificationErrorCode?)
        /// The list is not one to rely on.
        case invalid(String, VerificationErrorCode)
    }

    /// The list at `url`, loaded and checked once and shared by every entry that names it.
    private func list(at url: String, time: DateTimeStamp) async -> LoadedList {
        let task = lists.withLock { tasks in
            if let task = tasks[url] { return task }
            let task = Task { await self.load(url, time: time) }
            tasks[url] = task
            return task
        }
        return await task.value
    }

    private func load(_ url: String, time: DateTimeStamp) async -> LoadedList {
        let bytes: [UInt8]
        do {
            guard let loaded = try await loader.load(url) else {
                return .unavailable("the status list \(url) is not available here (offline, and no local copy was given)",
                                    .statusRetrievalError)
            }
            bytes = loaded
        } catch {
            return .unavailable("the status list \(error)", .statusRetrievalError)
        }
        guard case .object(let credential)? = try? JSONValue(parsing: bytes, limits: listVerifier.policy.limits) else {
            return .unavailable("the status list \(url) is not a JSON object", .statusRetrievalError)
        }
        let report = await listVerifier.verify(.object(credential), at: time)
        if let failure = report.firstAuthenticityProblem {
            if failure.status == .indeterminate {
                return .unavailable("the status list's key could not be had (\(failure.message))", nil)
            }
            return .invalid("the status list \(url) does not verify: \(failure.kind.name): \(failure.message)",
                            .statusVerificationError)
        }
        guard case .array(let types)? = credential["type"], types.contains(.string(BitstringStatusListCredential.type)),
              case .object(let subject)? = credential["credentialSubject"],
              let encoded = subject["encodedList"]?.stringValue
        else {
            return .invalid("\(url) is not a BitstringStatusListCredential with an encodedList", .statusVerificationError)
        }
        let purposes: [String] = switch subject["statusPurpose"] {
        case .string(let purpose)?: [purpose]
        case .array(let values)?: values.compactMap(\.stringValue)
        default: []
        }
        if let from = credential["validFrom"]?.stringValue.flatMap(DateTimeStamp.init), time < from {
            return .unavailable("the status list \(url) is not valid until \(from)", nil)
        }
        let list: BitstringStatusList
        do {
            list = try BitstringStatusList(encodedList: encoded)
        } catch .tooShort(let count) {
            return .invalid(StatusListError.tooShort(count: count).description, .statusListLengthError)
        } catch {
            return .invalid("the status list \(url): \(error)", .statusVerificationError)
        }
        return .loaded(list, issuer: report.issuer ?? "?", keys: report.verifiedProofs.map(\.verificationMethod),
                       purposes: purposes,
                       validUntil: credential["validUntil"]?.stringValue.flatMap(DateTimeStamp.init))
    }
}
