/// The custom document properties of an OLE2 file: the user-defined section of its
/// `\u{5}DocumentSummaryInformation` stream (MS-OLEPS 2.21 PropertySetStream, 3.2 the User Defined
/// Property Set), as text by name — what `docProps/custom.xml` gives for an xlsx. Excel and
/// LibreOffice keep a workbook's custom properties there when they save it as .xls, so the
/// `annex.period` that `annex write` recorded survives the round trip.
///
/// Every offset and length is checked against the stream; a property set that does not add up is
/// ignored (no properties), never an error, since the workbook itself may be fine.
enum UserDefinedProperties {
    static let streamName = "\u{5}DocumentSummaryInformation"
    /// Larger streams are not property sets anyone wrote by hand; the xlsx reader caps custom.xml alike.
    static let maximumSize = 1 << 20

    /// FMTID_UserDefinedProperties, D5CDD505-2E9C-101B-9397-08002B2CF9AE, as stored (little-endian fields).
    static let formatID: [UInt8] = [0x05, 0xD5, 0xCD, 0xD5, 0x9C, 0x2E, 0x1B, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2B, 0x2C, 0xF9, 0xAE]

    static func read(in container: CompoundFile) -> [String: String] {
        guard let entry = container.rootStream(named: streamName), entry.size <= maximumSize,
              let stream = try? container.open(entry) else { return [:] }
        var bytes = [UInt8](repeating: 0, count: stream.size)
        guard (try? bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.isEmpty ? true : try stream.read(buffer.count, into: buffer.baseAddress!)
        }) == true else { return [:] }
        return (try? parse(bytes)) ?? [:]
    }

    struct Malformed: Error {}

    /// PropertySetStream: byte order, version, system, CLSID, then the number of sections and, for
    /// each, its FMTID and offset. The user-defined section is the second of this stream.
    static func parse(_ bytes: [UInt8]) throws -> [String: String] {
        let stream = Bytes(bytes: bytes)
        guard try stream.uint16(at: 0) == 0xFFFE else { throw Malformed() }
        let sections = Int(try stream.uint32(at: 24))
        for index in 0..<min(sections, 2) {
            let header = 28 + 20 * index
            guard try stream.slice(at: header, count: 16).elementsEqual(formatID) else { continue }
            return try section(stream, at: Int(try stream.uint32(at: header + 16)))
        }
        return [:]
    }

    /// PropertySet (MS-OLEPS 2.20): size, count, then (identifier, offset from the section) pairs.
    /// Identifier 0 is the dictionary of names (2.17), 1 the code page of its 8-bit strings.
    private static func section(_ stream: Bytes, at start: Int) throws -> [String: String] {
        let size = Int(try stream.uint32(at: start))
        let section = Bytes(bytes: Array(try stream.slice(at: start, count: size)))
        let count = Int(try section.uint32(at: 4))
        guard count <= (size - 8) / 8 else { throw Malformed() }
        var offsets: [UInt32: Int] = [:]
        for k in 0..<count {
            offsets[try section.uint32(at: 8 + 8 * k)] = Int(try section.uint32(at: 12 + 8 * k))
        }
        // VT_I2 holding the code page, read unsigned (65001 is stored as -535).
        var codePage = 1252
        if let offset = offsets[1], try section.uint16(at: offset) == 0x0002 {
            codePage = Int(try section.uint16(at: offset + 4))
        }
        guard let dictionary = offsets[0] else { return [:] }
        var properties: [String: String] = [:]
        for (identifier, name) in try names(section, at: dictionary, codePage: codePage) {
            guard let offset = offsets[identifier], let value = try value(section, at: offset, codePage: codePage) else { continue }
            properties[name] = value
        }
        return properties
    }

    /// Dictionary (MS-OLEPS 2.17): a count, then identifier, length and name; in code page 1200 the
    /// length counts UTF-16 units and each name is padded to 4 bytes, else it counts bytes.
    private static func names(_ section: Bytes, at start: Int, codePage: Int) throws -> [(UInt32, String)] {
        let count = Int(try section.uint32(at: start))
        guard count <= section.bytes.count / 8 else { throw Malformed() }
        var names: [(UInt32, String)] = []
        var position = start + 4
        for _ in 0..<count {
            let identifier = try section.uint32(at: position)
            let length = Int(try section.uint32(at: position + 4))
            position += 8
            let byteCount = codePage == 1200 ? 2 * length : length
            names.append((identifier, text(try section.slice(at: position, count: byteCount), codePage: codePage)))
            position += codePage == 1200 ? (byteCount + 3) / 4 * 4 : byteCount
        }
        return names
    }

    /// TypedPropertyValue (MS-OLEPS 2.15): a type, 2 bytes of padding, then the value. The types a
    /// custom property takes in Excel (text, number, yes/no, date) are read, as the xlsx reader gives
    /// the text of vt:lpwstr, vt:i4, vt:r8, vt:bool and vt:filetime; nil for any other.
    private static func value(_ section: Bytes, at offset: Int, codePage: Int) throws -> String? {
        let value = offset + 4
        switch try section.uint16(at: offset) {
        case 0x001E:                                        // VT_LPSTR: byte count, then the code page's bytes
            return text(try section.slice(at: value + 4, count: Int(try section.uint32(at: value))), codePage: codePage)
        case 0x001F:                                        // VT_LPWSTR: UTF-16 unit count, then the units
            return text(try section.slice(at: value + 4, count: 2 * Int(try section.uint32(at: value))), codePage: 1200)
        case 0x0002:                                        // VT_I2
            return String(Int16(bitPattern: try section.uint16(at: value)))
        case 0x0003:                                        // VT_I4
            return String(Int32(bitPattern: try section.uint32(at: value)))
        case 0x0005:                                        // VT_R8
            let bits = UInt64(try section.uint32(at: value + 4)) << 32 | UInt64(try section.uint32(at: value))
            let number = Double(bitPattern: bits)
            return number.isFinite ? NumberText.shortest(number) : nil
        case 0x000B:                                        // VT_BOOL: 0xFFFF true, 0 false
            return try section.uint16(at: value) == 0 ? "false" : "true"
        case 0x0040:                                        // VT_FILETIME: 100 ns since 1601-01-01 UTC
            let ticks = UInt64(try section.uint32(at: value + 4)) << 32 | UInt64(try section.uint32(at: value))
            return fileTime(ticks)
        default:
            return nil
        }
    }

    /// `2023-07-31T09:30:00Z`, as vt:filetime writes a date.
    static func fileTime(_ ticks: UInt64) -> String? {
        let seconds = Int(ticks / 10_000_000)
        let (year, month, day) = NumberFormats.civilFromDays(NumberFormats.daysFromCivil(1601, 1, 1) + seconds / 86_400)
        guard year <= 9999 else { return nil }
        let time = seconds % 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(year)-\(two(month))-\(two(day))T\(two(time / 3600)):\(two(time / 60 % 60)):\(two(time % 60))Z"
    }

    /// A string of the property set, its terminating NULs dropped.
    private static func text(_ bytes: ArraySlice<UInt8>, codePage: Int) -> String {
        var decoded: String
        if codePage == 1200 {
            let units = stride(from: bytes.startIndex, to: bytes.endIndex - 1, by: 2).map {
                UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8
            }
            decoded = String(decoding: units, as: UTF16.self)
        } else {
            decoded = TextDecoding(biff8: false, codePage: codePage).decode(bytes)
        }
        while decoded.last == "\0" { decoded.removeLast() }
        return decoded
    }

    /// Little-endian reads that check every offset against the bytes.
    struct Bytes {
        let bytes: [UInt8]

        func slice(at offset: Int, count: Int) throws -> ArraySlice<UInt8> {
            guard offset >= 0, count >= 0, count <= bytes.count, offset <= bytes.count - count else { throw Malformed() }
            return bytes[offset..<(offset + count)]
        }

        func uint16(at offset: Int) throws -> UInt16 {
            _ = try slice(at: offset, count: 2)
            return UInt16(littleEndianBytes: bytes, at: offset)
        }

        func uint32(at offset: Int) throws -> UInt32 {
            _ = try slice(at: offset, count: 4)
            return UInt32(littleEndianBytes: bytes, at: offset)
        }
    }
}
