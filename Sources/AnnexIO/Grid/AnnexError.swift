/// Why an input or a command line cannot be used. Every case names where: the file, and inside it the
/// part, sheet or cell, so that a person can find the problem. Messages are in Chinese (SPEC.md).
public struct AnnexError: Error, Sendable, CustomStringConvertible {
    public var file: String
    /// The zip member, sheet name or line, when known.
    public var location: String?
    /// A cell reference or field, when known.
    public var cell: String?
    public var reason: String

    public init(file: String, location: String? = nil, cell: String? = nil, reason: String) {
        self.file = file
        self.location = location
        self.cell = cell
        self.reason = reason
    }

    public var description: String {
        var place = file
        if let location { place += "，\(location)" }
        if let cell { place += "，\(cell)" }
        return "\(place)：\(reason)"
    }
}
