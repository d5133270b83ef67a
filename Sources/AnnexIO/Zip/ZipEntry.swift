/// One member of a zip archive as its central directory describes it.
public struct ZipEntry: Sendable {
    /// The name with `\` turned into `/` and no leading `/` (some writers use Windows separators).
    public var name: String
    public var method: UInt16
    public var flags: UInt16
    public var crc32: UInt32
    public var compressedSize: UInt64
    public var uncompressedSize: UInt64
    public var localHeaderOffset: UInt64

    public var isEncrypted: Bool { flags & 0x0001 != 0 }
    public var isDirectory: Bool { name.hasSuffix("/") }
}

/// Limits against zip bombs: what a member may expand to, checked on the bytes actually inflated
/// (declared sizes are not trusted).
public struct ZipLimits: Sendable {
    /// The most bytes all inflated members together may produce.
    public var maxTotalUncompressed: UInt64
    /// The largest expansion ratio a member may reach once it has produced `ratioGrace` bytes.
    /// Real sheet XML compresses 10-150×; deflate's ceiling is about 1032×.
    public var maxRatio: UInt64
    public var ratioGrace: UInt64

    public init(maxTotalUncompressed: UInt64 = 8 << 30, maxRatio: UInt64 = 400, ratioGrace: UInt64 = 8 << 20) {
        self.maxTotalUncompressed = maxTotalUncompressed
        self.maxRatio = maxRatio
        self.ratioGrace = ratioGrace
    }

    /// No limits, for a user who trusts the file (`--no-zip-limits`).
    public static let unlimited = ZipLimits(maxTotalUncompressed: .max, maxRatio: .max, ratioGrace: .max)
}
