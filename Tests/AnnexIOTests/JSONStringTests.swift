import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexIO

/// `annex dump` escapes cell text through `JSONString.append(utf8:to: ByteScratch)`, which checks eight
/// bytes at a time; everything else goes through the byte-by-byte path. Both must give the same
/// literal, and that literal must be JSON that reads back as the text.
final class JSONStringTests: XCTestCase {
    func testWordAtATimeEscapingEqualsTheByteByByteOne() throws {
        var generator = SeededRandom(seed: 0x4a534f4e)
        // Bytes that must be escaped, bytes next to them in value, and ordinary ASCII and UTF-8.
        let alphabet: [[UInt8]] = [[0x00], [0x01], [0x09], [0x0A], [0x0D], [0x1F], [0x20], [0x21], [0x22], [0x23],
                                   [0x5B], [0x5C], [0x5D], [0x7F], Array("a".utf8), Array("9".utf8),
                                   Array("无".utf8), Array("—".utf8), Array("𠀀".utf8)]
        for trial in 0..<20_000 {
            var text: [UInt8] = []
            for _ in 0..<(trial % 41) { text += alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            var scratch = ByteScratch(capacity: 16)
            defer { scratch.deallocate() }
            var array: [UInt8] = []
            text.withUnsafeBufferPointer { bytes in
                JSONString.append(utf8: bytes, to: &scratch)
                JSONString.append(utf8: bytes, to: &array)
            }
            XCTAssertEqual(Array(scratch.bytes), array, "\(text)")
            let decoded = try JSONSerialization.jsonObject(with: Data(array), options: .fragmentsAllowed) as? String
            XCTAssertEqual(decoded.map { Array($0.utf8) }, text, "\(text)")
        }
    }

    func testEscapes() {
        XCTAssertEqual(JSONString.quoted("a\"b\\c\n\r\t\u{01}无"), #""a\"b\\c\n\r\t\u0001无""#)
        XCTAssertEqual(JSONString.quoted(""), #""""#)
    }

    /// References as `annex dump` writes them, past one and two letters and on many rows.
    func testDumpReferences() throws {
        let path = try TestSupport.temporaryDirectory("json-refs").appendingPathComponent("wide.csv").path
        let wide = (0..<800).map { "v\($0)" }.joined(separator: ",")
        try (wide + "\n" + String(repeating: "\n", count: 9) + "x\n").write(toFile: path, atomically: true, encoding: .utf8)
        final class Capture: ByteOutput {
            var bytes: [UInt8] = []
            func write(_ chunk: UnsafeRawBufferPointer) throws { bytes += chunk }
        }
        let capture = Capture()
        try GridDump.writeJSON(try Spreadsheet.open(path: path), displayName: "wide.csv", to: capture)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(capture.bytes)) as? [String: Any])
        let cells = try XCTUnwrap((document["sheets"] as? [[String: Any]])?.first?["cells"] as? [[String: Any]])
        let references = cells.compactMap { $0["ref"] as? String }
        XCTAssertEqual(references.count, 801)
        XCTAssertEqual(references[0], "A1")
        XCTAssertEqual(references[25], "Z1")
        XCTAssertEqual(references[26], "AA1")
        XCTAssertEqual(references[701], "ZZ1")
        XCTAssertEqual(references[702], "AAA1")
        XCTAssertEqual(references[799], "ADT1")
        XCTAssertEqual(references[800], "A11")
        XCTAssertEqual(cells[799]["value"] as? String, "v799")
    }
}
