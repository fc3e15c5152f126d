/// Why a CSV file cannot be read as a table.
public struct CSVError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The row (1 is the header) where reading stopped.
    public let row: Int
    /// What is wrong there.
    public let reason: String

    public var description: String { "\(row): \(reason)" }
}

/// The records of a CSV file as RFC 4180 defines them, read strictly: a header row, then one record per row.
///
/// - Fields are separated by commas; records by CRLF or LF (a lone CR ends nothing and is kept in the field).
/// - A field in double quotes may hold commas, line breaks and doubled quotes (`""` is one `"`); a quote in an
///   unquoted field, text after a closing quote, or a quote that is never closed is an error.
/// - The text is UTF-8; a byte order mark at the start is skipped. Rows that are entirely empty are skipped
///   (exports often end with one or more), but still counted.
/// - Rows are numbered as a spreadsheet numbers them: the header is row 1, a record's number is that of the row
///   it starts on, and a quoted line break does not start a new row.
public struct CSVRecords: Sendable {
    /// One record: its row number and its fields.
    public struct Record: Hashable, Sendable {
        public let row: Int
        public let fields: [String]
    }

    /// The header's field names.
    public let header: [String]
    /// The records after the header, in order. Their field counts are not checked against the header here.
    public let records: [Record]

    /// Limits against untrusted files: fields per record and bytes per field.
    public static let maximumFields = 256
    public static let maximumFieldBytes = 64 * 1024

    /// Reads `bytes` as CSV.
    /// - Throws: ``CSVError`` for text that is not UTF-8, malformed quoting, a record or field over the limits,
    ///   or a file without a header row.
    public init(parsing bytes: [UInt8]) throws(CSVError) {
        var rows: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var row = 1, recordRow = 1
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var quoted = false  // inside a quoted field
        var fieldWasQuoted = false
        // Every field of a file that is UTF-8 as a whole is UTF-8 (the separators are ASCII), and checking the file
        // once costs less than checking its fields one by one; a file that is not is checked field by field,
        // to name the field at fault.
        let isUTF8 = (try? UTF8Span(validating: bytes.span)) != nil

        func endField() throws(CSVError) {
            if isUTF8 {
                fields.append(String(decoding: field, as: UTF8.self))
            } else if let text = String(validating: field, as: UTF8.self) {
                fields.append(text)
            } else {
                throw CSVError(row: recordRow, reason: "field \(fields.count + 1) is not UTF-8 text; save the file as UTF-8")
            }
            guard fields.count <= Self.maximumFields else {
                throw CSVError(row: recordRow, reason: "more than \(Self.maximumFields) fields")
            }
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() throws(CSVError) {
            try endField()
            let isEmptyRow = fields.count == 1 && fields[0].isEmpty
            if !isEmptyRow { rows.append(Record(row: recordRow, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == 0x22 {  // "
                    if index < bytes.count && bytes[index] == 0x22 {
                        field.append(0x22)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    // This byte and the ones after it up to the next quote.
                    let end = bytes[index...].firstIndex(of: 0x22) ?? bytes.count
                    field.append(contentsOf: bytes[(index - 1)..<end])
                    index = end
                }
            } else if byte == 0x2C {  // ,
                try endField()
            } else if byte == 0x0A || (byte == 0x0D && index < bytes.count && bytes[index] == 0x0A) {
                if byte == 0x0D { index += 1 }
                try endRecord()
                row += 1
                recordRow = row
            } else if fieldWasQuoted {
                throw CSVError(row: recordRow, reason: "text after the closing quote of field \(fields.count + 1); "
                    + "a quoted field ends at its closing quote")
            } else if byte == 0x22 {
                guard field.isEmpty else {
                    throw CSVError(row: recordRow, reason: "a quote inside unquoted field \(fields.count + 1); "
                        + "put the field in quotes and double the quote (\"\")")
                }
                quoted = true
                fieldWasQuoted = true
            } else {
                // This byte and the ones after it up to the next comma, line break or quote.
                let end = bytes[index...].firstIndex { $0 == 0x2C || $0 == 0x0A || $0 == 0x0D || $0 == 0x22 }
                    ?? bytes.count
                field.append(contentsOf: bytes[(index - 1)..<end])
                index = end
            }
            guard field.count <= Self.maximumFieldBytes else {
                throw CSVError(row: recordRow, reason: "field \(fields.count + 1) is over \(Self.maximumFieldBytes) bytes")
            }
        }
        if quoted {
            throw CSVError(row: recordRow, reason: "a quoted field is never closed (a missing \")")
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { try endRecord() }
        guard let first = rows.first, first.row == 1 else {
            throw CSVError(row: 1, reason: "the first row must be the header (the column names)")
        }
        header = first.fields
        records = Array(rows.dropFirst())
    }
}
