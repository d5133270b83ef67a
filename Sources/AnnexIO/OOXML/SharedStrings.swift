/// The shared string table (`xl/sharedStrings.xml`), held twice: as Strings, which materialized cells
/// share, and as one UTF-8 arena, which row views point into without a String per cell.
@usableFromInline
final class SharedStringTable {
    let strings: [String]
    private var arena = ByteScratch(capacity: 4096)
    /// String `i` is `arena[offsets[i] ..< offsets[i + 1]]`.
    private let offsets: UnsafeMutablePointer<Int>

    init(_ strings: [String]) {
        self.strings = strings
        offsets = .allocate(capacity: strings.count + 1)
        offsets[0] = 0
        for (index, string) in strings.enumerated() {
            arena.append(string)
            offsets[index + 1] = arena.count
        }
    }

    deinit {
        arena.deallocate()
        offsets.deallocate()
    }

    var count: Int { strings.count }

    /// The table's bytes, valid while the table lives.
    @usableFromInline
    struct Bytes {
        @usableFromInline let arena: UnsafePointer<UInt8>
        @usableFromInline let offsets: UnsafePointer<Int>

        @inlinable
        subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: arena + offsets[index], count: offsets[index + 1] - offsets[index])
        }
    }

    var rawBytes: Bytes { Bytes(arena: arena.base, offsets: offsets) }
}

/// Reads the shared string table: each `<si>` is plain text `<t>` or rich-text runs `<r><t>`
/// concatenated exactly (spaces kept); phonetic guides `<rPh>` (furigana/pinyin) are skipped.
final class SharedStringsReader: SAXHandler {
    private(set) var strings: [String] = []
    private var text: [UInt8] = []
    private var capturing = false
    private var inPhonetic = false

    static func read(_ entry: ZipEntry, in zip: ZipReader) throws -> SharedStringTable {
        let reader = SharedStringsReader()
        try SAXParser.parse(entry, in: zip, handler: reader)
        return SharedStringTable(reader.strings)
    }

    func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
        if name.is("si") {
            text.removeAll(keepingCapacity: true)
        } else if name.is("t") {
            capturing = !inPhonetic
        } else if name.is("rPh") {
            inPhonetic = true
        } else if name.is("sst"), strings.isEmpty, let count = attributes.string("uniqueCount").flatMap({ Int($0) }) {
            strings.reserveCapacity(min(count, 1 << 20))
        }
    }

    func endElement(_ name: XMLName) throws {
        if name.is("si") {
            strings.append(TextEscapes.decode(text))
        } else if name.is("t") {
            capturing = false
        } else if name.is("rPh") {
            inPhonetic = false
        }
    }

    func characters(_ bytes: UnsafeRawBufferPointer) throws {
        if capturing { text.append(contentsOf: bytes) }
    }
}
