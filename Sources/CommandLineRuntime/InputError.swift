/// Input that cannot be used. The CLI prints the message as one line on stderr and exits with status 2.
package struct InputError: Error, CustomStringConvertible, Sendable {
    package let description: String
    package init(_ description: String) { self.description = description }
}
