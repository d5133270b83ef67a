import Foundation
import XCTest
@testable import AnnexCore
import AnnexIO

/// The shortcuts layout recognition takes to stay cheap when a batch matches thousands of sheets
/// against every template: each must give what the plain definition gives.
final class RecognitionTests: XCTestCase {
    /// Every Unicode scalar: the white-space test without a property lookup for ASCII and CJK, and
    /// the match key built with it, against the definitions by Unicode properties alone.
    func testFoldingShortcutsAgreeWithUnicodeProperties() {
        func referenceMatchKey(_ text: String) -> String {
            var scalars = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                var value = scalar.value
                if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }
                if value == 0x3000 || scalar.properties.isWhitespace { continue }
                switch value {
                case 0x201C, 0x201D: value = 0x22
                case 0x2018, 0x2019: value = 0x27
                case 0x3010: value = 0x5B
                case 0x3011: value = 0x5D
                case 0x41...0x5A: value += 0x20
                default:
                    if value >= 0x80, scalar.properties.changesWhenLowercased {
                        scalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                        continue
                    }
                }
                scalars.append(Unicode.Scalar(value)!)
            }
            return String(scalars)
        }
        let all = (0...0x10FFFF).compactMap(Unicode.Scalar.init(_:))
        for scalar in all where TextFolding.isWhitespace(scalar) != (scalar.properties.isWhitespace || scalar.value == 0x3000) {
            XCTFail("U+\(String(scalar.value, radix: 16, uppercase: true))")
        }
        for start in stride(from: 0, to: all.count, by: 4096) {
            var text = String.UnicodeScalarView()
            text.append(contentsOf: all[start..<min(all.count, start + 4096)])
            let chunk = String(text)
            XCTAssertEqual(TextFolding.matchKey(chunk).unicodeScalars.map(\.value), referenceMatchKey(chunk).unicodeScalars.map(\.value),
                           "scalars from U+\(String(all[start].value, radix: 16, uppercase: true))")
            XCTAssertEqual(TextFolding.removingWhitespace(chunk).unicodeScalars.map(\.value),
                           chunk.unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "\u{3000}" }.map(\.value))
        }
    }

    /// A `{year}` header cell is matched by its literal parts and four ASCII digits, as the regular
    /// expression `^part([0-9]{4})part$` over the folded text did.
    func testYearPlaceholderMatchesAsItsRegularExpression() throws {
        let templates = ["{year}年预算数", "合计（{year}年）", "{year}", "{year}-{year}年", "本年预算"]
        let sheets = ["2024年预算数", "２０２４年预算数", "2024 年预算数", "202年预算数", "20245年预算数", "x2024年预算数",
                      "合计(2023年)", "合计（2023年）", "2023", "2023-2024年", "2023-24年", "本年预算", "本年預算", "", "٢٠٢٤年预算数"]
        for template in templates {
            let header = HeaderText(template: template)
            let pattern = NSRegularExpression.escapedPattern(for: header.key).replacingOccurrences(of: "\\{year\\}", with: "([0-9]{4})")
            let regex = try NSRegularExpression(pattern: "^" + pattern + "$")
            for text in sheets {
                let key = TextFolding.matchKey(text)
                let found = regex.firstMatch(in: key, range: NSRange(key.startIndex..., in: key))
                let expected: String?? = found.map { found in
                    found.numberOfRanges > 1 ? Range(found.range(at: 1), in: key).map { String(key[$0]) } : nil
                }
                XCTAssertEqual(header.match(key: key), expected, "\(template) against \(text)")
            }
        }
    }

    /// The grid numbers the keys of the first rows and columns (an empty cell is 0, equal keys share
    /// a number) and folds the text of cells further out when asked.
    func testGridNumbersTheKeysWhereHeadersAreSearched() throws {
        func cell(_ reference: String, _ text: String) throws -> Cell {
            Cell(reference: try XCTUnwrap(CellReference(reference)), value: .string(text))
        }
        let sheet = Sheet(name: "表", cells: [
            try cell("A1", "项 目"), try cell("C1", "项目"), try cell("B2", "本月完成"),
            try cell("A100", "累计\n完成"), try cell("IW3", "Ｘ"),
        ])
        let grid = GridIndex(sheet)
        let a1 = try XCTUnwrap(grid.keyNumber(0, 0))
        XCTAssertEqual(grid.keyNumber(0, 2), a1)
        XCTAssertEqual(grid.key(number: a1), "项目")
        XCTAssertEqual(grid.keyNumber(of: "本月完成"), grid.keyNumber(1, 1))
        XCTAssertEqual(grid.keyNumber(0, 1), 0)
        XCTAssertEqual(grid.keyNumber(70, 3), 0)
        XCTAssertNil(grid.keyNumber(of: "累计完成"))
        XCTAssertNil(grid.keyNumber(99, 0))
        XCTAssertEqual(grid.matchKey(99, 0), "累计完成")
        XCTAssertNil(grid.keyNumber(2, 256))
        XCTAssertEqual(grid.matchKey(2, 256), "x")
        XCTAssertNil(grid.keyNumber(-1, 0))
        XCTAssertEqual(grid.matchKey(-1, 0), "")
    }
}
