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

    /// A batch whose fields the parsing thread classified (`CSVRecordBatch.classifyFields`) must give
    /// the kinds the reading thread would decide itself, formula protection removed or not.
    func testFieldsClassifiedOnTheParsingThreadAgreeWithTheReadingThread() {
        let alphabet = Array("0123456789.-'=ab".utf8) + [0xE4, 0xB8, 0xAD]
        for unprotect in [false, true] {
            let batch = CSVRecordBatch(unprotectFormulas: unprotect)
            for _ in 0..<2_000 {
                let record = (0..<random.next(12)).map { _ in random.bytes(from: alphabet, maximumLength: 9) }
                var bytes: [UInt8] = [], ends: [Int] = []
                for field in record {
                    bytes += field
                    ends.append(bytes.count)
                }
                bytes.withUnsafeBufferPointer { b in
                    ends.withUnsafeBufferPointer { e in
                        batch.append(line: 1, record: CSVRecord(bytes: b.baseAddress ?? UnsafePointer(bitPattern: 1)!,
                                                                ends: e.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                                                count: record.count, unprotectFormulas: unprotect))
                    }
                }
            }
            func kinds() -> [Bool] {
                var result: [Bool] = []
                batch.forEachRecord { _, record in
                    var start = 0
                    for field in 0..<record.count {
                        result.append(record.isPlainDecimal(field: field, valueStart: record.valueStart(start, record.ends[field])))
                        start = record.ends[field]
                    }
                }
                return result
            }
            let decidedWhenRead = kinds()
            batch.classifyFields()
            let decidedWhenParsed = kinds()
            XCTAssertEqual(decidedWhenParsed, decidedWhenRead, "unprotect \(unprotect)")
            XCTAssertGreaterThan(decidedWhenRead.count, 5_000)
            XCTAssertGreaterThan(decidedWhenRead.filter { $0 }.count, 200)
        }
    }
}
