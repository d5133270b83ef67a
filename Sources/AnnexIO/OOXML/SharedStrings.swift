/// The shared string table (`xl/sharedStrings.xml`): each `<si>` is plain text `<t>` or rich-text
/// runs `<r><t>` concatenated exactly (spaces kept); phonetic guides `<rPh>` (furigana/pinyin) are skipped.
final class SharedStringsReader: SAXHandler {
    private(set) var strings: [String] = []
    private var text: [UInt8] = []
    private var capturing = false
    private var inPhonetic = false

    static func read(_ entry: ZipEntry, in zip: ZipReader) throws -> [String] {
        let reader = SharedStringsReader()
        try SAXParser.parse(entry, in: zip, handler: reader)
        return reader.strings
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
