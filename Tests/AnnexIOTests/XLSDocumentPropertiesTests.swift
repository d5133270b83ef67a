import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexIO

/// Custom document properties of legacy .xls files come from the user-defined section of
/// DocumentSummaryInformation (MS-OLEPS) as docProps/custom.xml gives them for an xlsx; a property
/// set that does not add up gives none and never stops the workbook from being read.
final class XLSDocumentPropertiesTests: XCTestCase {
    /// The custom properties LibreOffice keeps when it saves an xlsx as .xls (plus its own
    /// AppVersion), and those of hand-made property sets; a broken set gives none.
    func testCustomDocumentProperties() throws {
        var checked = 0
        for fixture in try XLSFixtures.of(kind: "xls") {
            guard let expected = fixture.raw["properties"] as? [String: String] else { continue }
            let properties = try XLSReader(path: fixture.file.path).documentProperties
            if fixture.maker == "libreoffice" {
                XCTAssertEqual(properties.filter { expected[$0.key] != nil }, expected, fixture.name)
            } else {
                XCTAssertEqual(properties, expected, fixture.name)
            }
            checked += 1
        }
        XCTAssertEqual(checked, 3)
        XCTAssertEqual(try XLSReader(path: try XLSFixtures.named("handmade-biff8").file.path).documentProperties, [:],
                       "a workbook without DocumentSummaryInformation")
    }

    /// Every truncation and every single corrupted byte of a property set: no crash, and at most
    /// the properties the set held.
    func testCorruptPropertySetsAreIgnored() throws {
        let container = try CompoundFile(path: try XLSFixtures.named("handmade-properties-utf16").file.path)
        let entry = try XCTUnwrap(container.rootStream(named: UserDefinedProperties.streamName))
        let stream = try container.open(entry)
        var bytes = [UInt8](repeating: 0, count: stream.size)
        XCTAssertTrue(try bytes.withUnsafeMutableBufferPointer { try stream.read($0.count, into: $0.baseAddress!) })
        let whole = try UserDefinedProperties.parse(bytes)
        XCTAssertEqual(whole["单位"], "南昌")
        for length in 0..<bytes.count {
            if let properties = try? UserDefinedProperties.parse(Array(bytes.prefix(length))) {
                XCTAssertLessThanOrEqual(properties.count, whole.count)
            }
        }
        for position in bytes.indices {
            for value: UInt8 in [0x00, 0x7F, 0xFF] {
                var corrupted = bytes
                corrupted[position] = value
                _ = try? UserDefinedProperties.parse(corrupted)
            }
        }
        XCTAssertEqual(UserDefinedProperties.fileTime(133_352_694_000_000_000), "2023-07-31T09:30:00Z")
        XCTAssertNil(UserDefinedProperties.fileTime(.max), "past year 9999")
    }
}
