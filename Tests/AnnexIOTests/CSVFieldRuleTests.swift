import AnnexTestSupport
import Foundation
import XCTest
@testable import AnnexIO

/// The byte-level rules of CSV fields against plain restatements of them, on random fields of every
/// length around the eight-byte boundaries of the word-at-a-time scans.
final class CSVFieldRuleTests: XCTestCase {
    private let random = SeededRandom(seed: 0x9E37_79B9_7F4A_7C15)

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?` with at most 15 significant digits, written the obvious way.
    private func referencePlainDecimal(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        var body = Substring(text)
        if body.hasPrefix("-") { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let integer = parts.first, !integer.isEmpty,
              integer.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        if integer.count > 1 && integer.hasPrefix("0") { return false }
        var digits = String(integer)
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            digits += parts[1]
        }
        let significant = digits.drop { $0 == "0" }
        return significant.count <= 15
    }

    func testPlainDecimalAgreesWithTheReference() {
        let alphabet = Array("0000123456789..--ae,".utf8) + [0xE4, 0xB8, 0xAD, 0x2F, 0x3A, 0xFF]
        var checked = 0
        for trial in 0..<40_000 {
            var bytes = random.bytes(from: alphabet, maximumLength: 22)
            if trial % 2 == 0 {   // mostly well-formed numbers, so the digit counting is exercised
                let integer = random.next(4) == 0 ? "0" : String(1 + random.next(9)) + String((0..<random.next(16)).map { _ in Character(String(random.next(10))) })
                let fraction = String((0..<random.next(18)).map { _ in Character(String(random.next(10))) })
                bytes = Array(((random.next(3) == 0 ? "-" : "") + integer + (fraction.isEmpty ? "" : "." + fraction)).utf8)
            }
            // The run sits at a random offset inside a buffer of other bytes, which must not count.
            let before = random.next(9), after = random.next(9)
            let buffer = [UInt8](repeating: UInt8(ascii: "7"), count: before) + bytes + [UInt8](repeating: UInt8(ascii: "7"), count: after)
            let result = buffer.withUnsafeBufferPointer {
                CSVGrid.isPlainDecimal(UnsafeBufferPointer(rebasing: $0[before..<(before + bytes.count)]))
            }
            XCTAssertEqual(result, referencePlainDecimal(bytes), String(decoding: bytes, as: UTF8.self))
            if result { checked += 1 }
        }
        XCTAssertGreaterThan(checked, 10_000)
    }

    /// The escaper's word scan against the rule: quoted when the field holds the delimiter, a quote,
    /// CR or LF, with quotes doubled; the delimiters asked for come first.
    /// What lets the CSV writer skip deciding a CSV field's kind (`CSVFieldEscaper.output(of:)`).
    func testNoPlainDecimalIsAFormulaTrigger() {
        let alphabet = Array("0123456789.-".utf8)
        var decimals = 0
        for _ in 0..<40_000 {
            let bytes = random.bytes(from: alphabet, maximumLength: 20)
            bytes.withUnsafeBufferPointer { field in
                guard CSVGrid.isPlainDecimal(field) else { return }
                decimals += 1
                XCTAssertFalse(FormulaProtection.needsProtection(field), String(decoding: bytes, as: UTF8.self))
            }
        }
        XCTAssertGreaterThan(decimals, 2_000)
    }

    func testFieldEscapingAgreesWithTheRule() {
        let alphabet = Array("ab1,;\"\r\n\t'=-中".utf8)
        for delimiter in [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")] {
            let escaper = CSVFieldEscaper(delimiter: delimiter, protectFormulas: false)
            var output = ByteScratch(capacity: 16)
            defer { output.deallocate() }
            for _ in 0..<20_000 {
                let field = random.bytes(from: alphabet, maximumLength: 40)
                let gap = random.next(3)
                output.count = 0
                field.withUnsafeBufferPointer { escaper.append($0, protect: false, after: gap, to: &output) }
                var expected = [UInt8](repeating: delimiter, count: gap)
                if field.contains(where: { [delimiter, 0x22, 0x0D, 0x0A].contains($0) }) {
                    expected += [0x22] + field.flatMap { $0 == 0x22 ? [0x22, 0x22] : [$0] } + [0x22]
                } else {
                    expected += field
                }
                XCTAssertEqual(Array(output.bytes), expected, String(decoding: field, as: UTF8.self))
            }
        }
    }

    /// A CSV field's kind is decided from its text only when asked (`CellView.kindFollowsText`); the CSV
    /// writer never asks, as a plain decimal needs no formula protection even as text. And a record read
    /// without a single `"` is written without looking for bytes to quote (`RowView.quoteFreeDelimiter`).
    /// Row views of a CSV written out must give the bytes of the same values written as cells whose
    /// kinds were decided at once (the general path): with protection on and off, from comma and
    /// semicolon files, read on one thread and on two; and the views' kinds must be the rule's.
    func testRowViewsOfACSVWriteAsTheSameValuesDecidedAtOnce() throws {
        let alphabet = Array("0123456789.-'=+@ab\t,;\"".utf8) + [0xE4, 0xB8, 0xAD]
        let folder = try TestSupport.temporaryDirectory("field-kinds")
        for inputDelimiter in [",", ";"] {
            let input = folder.appendingPathComponent("fields\(inputDelimiter).csv").path
            var text = ""
            for _ in 0..<3_000 {
                let record = (0..<(1 + random.next(10))).map { _ in
                    String(decoding: random.bytes(from: alphabet, maximumLength: 7), as: UTF8.self)
                }
                text += record.map { field in
                    field.contains(where: { "\t\"".contains($0) || String($0) == inputDelimiter })
                        ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
                }.joined(separator: inputDelimiter) + "\r\n"
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: input))
            let delimiter = UInt8(ascii: Unicode.Scalar(inputDelimiter)!)
            // The reference: every non-empty field's value with its kind decided at once, by the rule.
            var materialized: [CellReference: CellValue] = [:]
            var row = 0
            try CSVReader(path: input, options: CSVReadOptions(delimiter: delimiter)).forEachRecord { _, fields in
                for (column, field) in fields.enumerated() where !field.isEmpty {
                    materialized[CellReference(row: row, column: column)] = CSVGrid.isPlainDecimal(field) ? .number(field) : .string(field)
                }
                row += 1
            }
            XCTAssertEqual(row, 3_000)

            for (chunkSize, protect) in [(1 << 17, true), (1 << 17, false), (1 << 10, true)] {
                // A 1 KiB chunk makes the file large for the reader: it parses on a second thread.
                let source = try CSVSheetSource(path: input, options: CSVReadOptions(delimiter: delimiter, chunkSize: chunkSize))
                let options = CSVWriteOptions(bom: false, protectFormulas: protect)
                let viaViews = folder.appendingPathComponent("views.csv").path
                let viaCells = folder.appendingPathComponent("cells.csv").path
                let views = try CSVWriter(path: viaViews, options: options)
                let cells = try CSVWriter(path: viaCells, options: options)
                var kinds = 0, numbers = 0, quoteFree = 0
                try source.readRows(at: 0) { row in
                    var values: [CellValue?] = []
                    for position in 0..<row.count {
                        let cell = row[position]
                        XCTAssertTrue(cell.kindFollowsText)
                        XCTAssertEqual(cell.kind, materialized[cell.reference]?.kind, "\(cell.reference)")
                        kinds += 1
                        if cell.kind == .number { numbers += 1 }
                        while values.count < cell.reference.column { values.append(nil) }
                        values.append(materialized[cell.reference])
                    }
                    if let free = row.quoteFreeDelimiter {
                        XCTAssertEqual(free, delimiter)
                        quoteFree += 1
                    }
                    _ = try views.writeRow(row, lastColumn: values.count - 1)
                    try cells.writeRow(values)
                }
                try views.close()
                try cells.close()
                let context = "\(inputDelimiter) chunk \(chunkSize) protect \(protect)"
                XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: viaViews)), try Data(contentsOf: URL(fileURLWithPath: viaCells)), context)
                XCTAssertGreaterThan(kinds, 10_000, context)
                XCTAssertGreaterThan(numbers, 1_000, context)
                XCTAssertGreaterThan(quoteFree, 300, context)
                XCTAssertLessThan(quoteFree, 2_700, context)
            }
        }
    }
}
