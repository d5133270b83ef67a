import Glibc
import XCTest
@testable import AnnexIO

/// A fresh temporary directory per test, removed afterwards.
class CSVTestCase: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/annex-csv-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        XCTAssertNotNil(made)
        directory = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    override func tearDownWithError() throws {
        if !directory.isEmpty {
            for name in try listDirectory() { unlink(directory + "/" + name) }
            rmdir(directory)
        }
    }

    func path(_ name: String) -> String { directory + "/" + name }

    @discardableResult
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let target = path(name)
        let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        XCTAssertEqual(written, bytes.count)
        return target
    }

    @discardableResult
    func file(_ name: String, _ text: String) throws -> String {
        try file(name, Array(text.utf8))
    }

    func contents(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw AnnexError(file: path, reason: "cannot open") }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            result.append(contentsOf: chunk[..<n])
        }
        return result
    }

    func listDirectory() throws -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// All records of a file, with their line numbers.
    func records(_ path: String, _ options: CSVReadOptions = CSVReadOptions()) throws -> [(Int, [String])] {
        let reader = try CSVReader(path: path, options: options)
        var result: [(Int, [String])] = []
        try reader.forEachRecord { result.append(($0, $1)) }
        return result
    }

    func fields(_ path: String, _ options: CSVReadOptions = CSVReadOptions()) throws -> [[String]] {
        try records(path, options).map(\.1)
    }

    func assertAnnexError(_ expression: @autoclosure () throws -> Any, line expectedLine: Int? = nil,
                          containing text: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            guard let annex = error as? AnnexError else {
                return XCTFail("not an AnnexError: \(error)", file: file, line: line)
            }
            if let expectedLine {
                XCTAssertEqual(annex.location, "第 \(expectedLine) 行", "\(annex)", file: file, line: line)
            }
            if let text {
                XCTAssertTrue(annex.description.contains(text), "\(annex)", file: file, line: line)
            }
        }
    }
}

final class CSVReaderTests: CSVTestCase {
    // MARK: Records and quoting

    func testQuotedFieldsWithDelimitersQuotesAndLineBreaks() throws {
        let p = try file("q.csv", "a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\r\nline\",\"lf\nonly\",x\r\n")
        let result = try records(p)
        XCTAssertEqual(result.map(\.1), [["a", "b,c", "say \"hi\""], ["multi\r\nline", "lf\nonly", "x"]])
        XCTAssertEqual(result.map(\.0), [1, 2])
    }

    func testLineEndsCRLFLFAndLoneCR() throws {
        let p = try file("ends.csv", "a,1\r\nb,2\nc,3\rd,4")
        let result = try records(p)
        XCTAssertEqual(result.map(\.1), [["a", "1"], ["b", "2"], ["c", "3"], ["d", "4"]])
        XCTAssertEqual(result.map(\.0), [1, 2, 3, 4])
    }

    func testLastLineWithoutNewlineAndTrailingEmptyField() throws {
        XCTAssertEqual(try fields(try file("a.csv", "x,y\n1,")), [["x", "y"], ["1", ""]])
        XCTAssertEqual(try fields(try file("b.csv", "x,\"y\"")), [["x", "y"]])
        XCTAssertEqual(try fields(try file("c.csv", "")), [])
    }

    func testBlankLinesAreRecordsWithoutFieldsAndLinesAreCountedInsideQuotes() throws {
        let p = try file("blank.csv", "a\n\n\"x\r\ny\"\r\n\r\nb\n")
        let result = try records(p)
        XCTAssertEqual(result.map(\.1), [["a"], [], ["x\r\ny"], [], ["b"]])
        XCTAssertEqual(result.map(\.0), [1, 2, 3, 5, 6])
    }

    func testLenientQuotesInsideUnquotedFieldAndTextAfterClosingQuote() throws {
        XCTAssertEqual(try fields(try file("l.csv", "ab\"c,\"q\"x,d\n")), [["ab\"c", "qx", "d"]])
    }

    func testUnterminatedQuoteIsAnErrorNamingItsLine() throws {
        let p = try file("open.csv", "a,b\nc,d\ne,\"never\nclosed,\n")
        assertAnnexError(try self.records(p), line: 3, containing: "引号没有闭合")
        // The records before the error were delivered.
        let reader = try CSVReader(path: p)
        var seen: [[String]] = []
        XCTAssertThrowsError(try reader.forEachRecord { seen.append($1) })
        XCTAssertEqual(seen, [["a", "b"], ["c", "d"]])
    }

    func testRecordsSplitAcrossTinyChunks() throws {
        let text = "名称,值\r\n\"引号\"\"里,的\r\n逗号\",12.5\r\n全市,\"3584\"\r\n"
        let p = try file("tiny.csv", text)
        let expected = [["名称", "值"], ["引号\"里,的\r\n逗号", "12.5"], ["全市", "3584"]]
        for chunk in 1...12 {
            let result = try records(p, CSVReadOptions(chunkSize: chunk))
            XCTAssertEqual(result.map(\.1), expected, "chunk \(chunk)")
            XCTAssertEqual(result.map(\.0), [1, 2, 4], "chunk \(chunk)")
        }
    }

    func testChunkBoundariesNeverChangeTheResult() throws {
        // Random text over the characters that matter; every chunk size must give the same records,
        // line numbers and errors as reading in one piece.
        let alphabet = ["a", "7", ",", "\"", "\r", "\n", "\r\n", "中", "𠀀", "'", "="]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % 1_000_000)
        }
        func outcome(_ path: String, _ chunk: Int) -> String {
            do {
                return try records(path, CSVReadOptions(delimiter: UInt8(ascii: ","), chunkSize: chunk))
                    .map { "\($0.0):\($0.1)" }.joined(separator: "|")
            } catch {
                return "\(error)"
            }
        }
        for round in 0..<300 {
            let text = (0..<(next() % 60)).map { _ in alphabet[next() % alphabet.count] }.joined()
            let p = try file("fuzz\(round).csv", text)
            let whole = outcome(p, 1 << 16)
            for chunk in [1, 2, 3, 5, 8] {
                XCTAssertEqual(outcome(p, chunk), whole, "chunk \(chunk): \(text.debugDescription)")
            }
        }
    }

    // MARK: Encodings

    func testUTF8WithAndWithoutBOM() throws {
        let plain = try file("plain.csv", "单位,人数\n全市,3584\n")
        let reader = try CSVReader(path: plain)
        XCTAssertEqual(reader.encoding, .utf8)
        XCTAssertFalse(reader.hadByteOrderMark)
        XCTAssertEqual(try fields(plain), [["单位", "人数"], ["全市", "3584"]])

        let bom = try file("bom.csv", [0xEF, 0xBB, 0xBF] + Array("单位,人数\n全市,3584\n".utf8))
        let bomReader = try CSVReader(path: bom)
        XCTAssertEqual(bomReader.encoding, .utf8)
        XCTAssertTrue(bomReader.hadByteOrderMark)
        XCTAssertEqual(try fields(bom), [["单位", "人数"], ["全市", "3584"]])
    }

    func testUTF16ByteOrderMarksAreTranscoded() throws {
        let text = "单位\t𠀀\r\n全市\t1\r\n"
        let le: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for (name, bytes, encoding) in [(String, [UInt8], TextEncoding)]([("le.csv", le, TextEncoding.utf16LE), ("be.csv", be, .utf16BE)]) {
            let p = try file(name, bytes)
            let reader = try CSVReader(path: p)
            XCTAssertEqual(reader.encoding, encoding)
            XCTAssertEqual(reader.delimiter, UInt8(ascii: "\t"))
            for chunk in [3, 5, 128 * 1024] {
                XCTAssertEqual(try fields(p, CSVReadOptions(chunkSize: chunk)), [["单位", "𠀀"], ["全市", "1"]], name)
            }
        }
    }

    /// 单位,𠀀 / 全市,中文 in GB18030, 𠀀 being a four-byte sequence.
    let gbBytes: [UInt8] = [0xB5, 0xA5, 0xCE, 0xBB, 0x2C, 0x95, 0x32, 0x82, 0x36, 0x0D, 0x0A,
                            0xC8, 0xAB, 0xCA, 0xD0, 0x2C, 0xD6, 0xD0, 0xCE, 0xC4, 0x0D, 0x0A]

    func testGB18030IsDetectedAndTranscodedIncludingFourByteCharacters() throws {
        let p = try file("gb.csv", gbBytes)
        let reader = try CSVReader(path: p)
        XCTAssertEqual(reader.encoding, .gb18030)
        XCTAssertEqual(try fields(p), [["单位", "𠀀"], ["全市", "中文"]])
    }

    func testGB18030CharactersSplitAcrossEveryChunkBoundary() throws {
        let p = try file("gb.csv", gbBytes)
        // Chunk sizes 1...9 put a boundary inside every two- and four-byte character at least once.
        for chunk in 1...9 {
            XCTAssertEqual(try fields(p, CSVReadOptions(chunkSize: chunk)), [["单位", "𠀀"], ["全市", "中文"]], "chunk \(chunk)")
        }
    }

    func testFourByteGB18030AtTheEdgesOfItsRanges() throws {
        // U+0080, U+FFFF (BMP four-byte codes), U+10000 and U+10FFFF (supplementary planes).
        let bytes: [UInt8] = [0x81, 0x30, 0x81, 0x30, 0x2C, 0x84, 0x31, 0xA4, 0x39, 0x2C,
                              0x90, 0x30, 0x81, 0x30, 0x2C, 0xE3, 0x32, 0x9A, 0x35, 0x0A]
        let p = try file("four.csv", bytes)
        for chunk in [1, 2, 3, 5, 128 * 1024] {
            XCTAssertEqual(try fields(p, CSVReadOptions(encoding: .gb18030, chunkSize: chunk)),
                           [["\u{80}", "\u{FFFF}", "\u{10000}", "\u{10FFFF}"]], "chunk \(chunk)")
        }
    }

    /// The table is built with one iconv call over all codes; asking iconv about each code alone (to
    /// UTF-8) must give the same scalar, or a rejection where the table holds 0.
    func testGB18030TableEqualsIConvAskedCodeByCode() throws {
        let iconv = try XCTUnwrap(IConv(from: "GB18030", to: "UTF-8"))
        var mismatches: [String] = []
        for lead in UInt8(0x81)...0xFE {
            for trail in UInt8(0x40)...0xFE where trail != 0x7F {
                var output = [UInt8](repeating: 0, count: 8)
                let result = [lead, trail].withUnsafeBytes { source in
                    output.withUnsafeMutableBytes { iconv.convert(source.baseAddress!, 2, into: $0.baseAddress!, capacity: 8) }
                }
                var expected: UInt32 = 0
                if result.stop == .done, result.consumed == 2 {
                    let scalars = Array(String(decoding: output[..<result.produced], as: UTF8.self).unicodeScalars)
                    if scalars.count == 1, (0x80...0xFFFF).contains(scalars[0].value) { expected = scalars[0].value }
                } else {
                    iconv.reset()
                }
                let actual = UInt32(GB18030Decoder.twoByteTable[Int(lead - 0x81) * 191 + Int(trail - 0x40)])
                if actual != expected { mismatches.append(String(format: "%02X%02X: %X vs %X", lead, trail, actual, expected)) }
            }
        }
        XCTAssertEqual(mismatches.prefix(10), [], "\(mismatches.count) codes differ")
    }

    func testGB18030TableDecoderAgreesWithIConvOnEveryTwoByteCode() throws {
        var input: [UInt8] = []
        for lead in UInt8(0x81)...0xFE {
            for trail in UInt8(0x40)...0xFE where trail != 0x7F
                && GB18030Decoder.twoByteTable[Int(lead - 0x81) * 191 + Int(trail - 0x40)] != 0 {
                input += [lead, trail]
            }
        }
        XCTAssertGreaterThan(input.count, 2 * 23_000)
        let iconv = try XCTUnwrap(IConv(from: "GB18030", to: "UTF-8"))
        var expected = [UInt8](repeating: 0, count: input.count * 2)
        let reference = input.withUnsafeBytes { source in
            expected.withUnsafeMutableBytes { iconv.convert(source.baseAddress!, source.count, into: $0.baseAddress!, capacity: $0.count) }
        }
        XCTAssertEqual(reference.stop, .done)
        let decoder = try XCTUnwrap(GB18030Decoder())
        var actual = [UInt8](repeating: 0, count: GB18030Decoder.maximumOutput(input.count))
        let result = input.withUnsafeBufferPointer { source in
            actual.withUnsafeMutableBufferPointer { decoder.decode(source.baseAddress!, source.count, into: $0.baseAddress!) }
        }
        XCTAssertEqual(result.stop, .done)
        XCTAssertEqual(result.consumed, input.count)
        XCTAssertEqual(Array(actual[..<result.produced]), Array(expected[..<reference.produced]))
    }

    func testGB18030ByteOrderMarkIsSkipped() throws {
        let p = try file("gbbom.csv", [0x84, 0x31, 0x95, 0x33] + gbBytes)
        let reader = try CSVReader(path: p)
        XCTAssertEqual(reader.encoding, .gb18030)
        XCTAssertTrue(reader.hadByteOrderMark)
        XCTAssertEqual(try fields(p).first, ["单位", "𠀀"])
    }

    func testInvalidGB18030IsAnErrorNamingTheLine() throws {
        // Line 3 holds 0xFF, which starts no GB18030 character.
        let bytes = gbBytes + [0x61, 0x2C, 0xD6, 0xFF, 0x0D, 0x0A]
        let p = try file("badgb.csv", bytes)
        for chunk in [2, 3, 7, 128 * 1024] {
            assertAnnexError(try self.fields(p, CSVReadOptions(chunkSize: chunk)), line: 3, containing: "GB18030")
        }
    }

    func testIncompleteCharacterAtEndOfFileIsAnError() throws {
        let p = try file("cut.csv", gbBytes + [0x61, 0xD6])
        assertAnnexError(try self.fields(p), line: 3, containing: "不完整")
    }

    func testUTF8ValidationAgreesWithTheStandardLibrary() {
        func check(_ bytes: [UInt8], _ message: String) {
            let (valid, status) = bytes.withUnsafeBufferPointer { ByteScan.validateUTF8($0.baseAddress!, $0.count) }
            let whole = String(validating: bytes, as: UTF8.self)
            XCTAssertEqual(status == .complete, whole != nil, message)
            XCTAssertNotNil(String(validating: bytes[..<valid], as: UTF8.self), message)
            if status == .incomplete {  // what is left could still become a character
                XCTAssertLessThan(bytes.count - valid, 4, message)
            }
        }
        let edges: [[UInt8]] = [[0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0xA0, 0x80], [0xED, 0xA0, 0x80],
                                [0xED, 0x9F, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80],
                                [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
                                [0xE4, 0xB8], [0xE4, 0xB8, 0x41], [0x80], [0xFF], [0xEF, 0xBF, 0xBF]]
        for edge in edges {
            check(edge, "\(edge)")
            check(Array("单位,".utf8) + edge + Array("x".utf8), "\(edge) inside")
        }
        // Random mixtures of ASCII, valid Chinese and stray bytes.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        for round in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(next() % 40) {
                switch next() % 10 {
                case 0: bytes.append(UInt8(truncatingIfNeeded: next()))
                case 1...4: bytes += Array("中文𠀀é".utf8)[Int(next() % 12)...].prefix(Int(next() % 5))
                default: bytes.append(UInt8(ascii: "a") + UInt8(next() % 26))
                }
            }
            check(bytes, "round \(round): \(bytes)")
        }
    }

    func testForcedUTF8OnGB18030IsAnErrorNamingTheLine() throws {
        let p = try file("gb.csv", Array("ok,1\n".utf8) + gbBytes)
        assertAnnexError(try self.fields(p, CSVReadOptions(encoding: .utf8)), line: 2, containing: "UTF-8")
    }

    func testForcedGB18030ReadsWhatDetectionWouldCallUTF8() throws {
        // C3 A9 is "é" in UTF-8 and "茅" in GB18030; forcing decides.
        let p = try file("forced.csv", [0xC3, 0xA9, 0x0A])
        XCTAssertEqual(try CSVReader(path: p).encoding, .utf8)
        XCTAssertEqual(try fields(p), [["é"]])
        XCTAssertEqual(try fields(p, CSVReadOptions(encoding: .gb18030)), [["茅"]])
        let forced = try CSVReader(path: p, options: CSVReadOptions(encoding: .gb18030))
        XCTAssertEqual(forced.encoding, .gb18030)
    }

    func testUTF8ThatBreaksAfterTheDetectionWindowIsAClearError() throws {
        // 64 KiB of valid UTF-8 with Chinese text, then GB18030 bytes on a later line.
        var bytes: [UInt8] = []
        var lines = 0
        while bytes.count < CSVReader.detectionWindow + 100 {
            bytes += Array("全市,3584\n".utf8)
            lines += 1
        }
        bytes += [0xD6, 0xD0, 0x2C, 0x31, 0x0A]
        let p = try file("late.csv", bytes)
        XCTAssertEqual(try CSVReader(path: p).encoding, .utf8)
        assertAnnexError(try self.fields(p), line: lines + 1, containing: "--encoding gb18030")
    }

    /// Files over four chunks are read and decoded on a second thread: bad bytes far into such a file
    /// still name their line, in both encodings, after every record before them was delivered.
    func testBadBytesFarIntoALargeFileNameTheirLine() throws {
        var utf8: [UInt8] = []
        var gb: [UInt8] = []
        var lines = 0
        while utf8.count < 2 << 20 {
            utf8 += Array("东湖区,3584,56.25\n".utf8)
            gb += gbBytes
            lines += 1
        }
        let gbLines = lines * 2   // gbBytes holds two lines
        let badUTF8 = try file("late-bad-utf8.csv", utf8 + [0x61, 0x2C, 0xFF, 0x0A] + Array("a,b\n".utf8))
        let badGB = try file("late-bad-gb.csv", gb + [0x61, 0x2C, 0xD6, 0xFF, 0x0D, 0x0A])
        for options in [CSVReadOptions(), CSVReadOptions(chunkSize: 4096)] {
            var delivered = 0
            assertAnnexError(try CSVReader(path: badUTF8, options: options).forEachRawRecord { _, _ in delivered += 1 },
                             line: lines + 1, containing: "UTF-8")
            XCTAssertEqual(delivered, lines)
            assertAnnexError(try self.fields(badGB, options), line: gbLines + 1, containing: "GB18030")
        }
        // And the same files without the bad bytes read whole.
        XCTAssertEqual(try fields(try file("large-good.csv", utf8)).count, lines)
    }

    func testASCIIOnlyStartStaysUndecidedUntilTheFirstNonASCIIBytes() throws {
        var bytes: [UInt8] = []
        var lines = 0
        while bytes.count < CSVReader.detectionWindow + 100 {
            bytes += Array("code,3584\n".utf8)
            lines += 1
        }
        bytes += gbBytes
        let p = try file("lateGB.csv", bytes)
        let reader = try CSVReader(path: p, options: CSVReadOptions(chunkSize: 4096))
        XCTAssertEqual(reader.encoding, .utf8)
        var all: [[String]] = []
        try reader.forEachRecord { all.append($1) }
        XCTAssertEqual(reader.encoding, .gb18030)
        XCTAssertEqual(all.count, lines + 2)
        XCTAssertEqual(Array(all.suffix(2)), [["单位", "𠀀"], ["全市", "中文"]])
    }

    // MARK: Delimiters

    func testSniffsTabAndSemicolonAndComma() throws {
        XCTAssertEqual(try CSVReader(path: try file("t.tsv", "单位\t人数\n全市\t1,234\n")).delimiter, UInt8(ascii: "\t"))
        XCTAssertEqual(try CSVReader(path: try file("s.csv", "a;b;c\n1;2;3\n")).delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(try CSVReader(path: try file("c.csv", "a,b;c\n1,2;3\n1,2\n")).delimiter, UInt8(ascii: ","))
        XCTAssertEqual(try CSVReader(path: try file("one.csv", "附件1\n")).delimiter, UInt8(ascii: ","))
        // Delimiters inside quotes do not count.
        XCTAssertEqual(try CSVReader(path: try file("q.csv", "\"a;b;c\",x\n\"d;e;f\",y\n")).delimiter, UInt8(ascii: ","))
        XCTAssertEqual(try fields(path("t.tsv")), [["单位", "人数"], ["全市", "1,234"]])
        // GB18030 files are sniffed on their raw bytes.
        XCTAssertEqual(try CSVReader(path: try file("gbt.csv", gbBytes.map { $0 == 0x2C ? 0x09 : $0 })).delimiter, UInt8(ascii: "\t"))
    }

    func testDelimiterCanBeForced() throws {
        let p = try file("f.csv", "a;b,c\n")
        XCTAssertEqual(try fields(p, CSVReadOptions(delimiter: UInt8(ascii: ";"))), [["a", "b,c"]])
        assertAnnexError(try CSVReader(path: p, options: CSVReadOptions(delimiter: UInt8(ascii: "\""))), containing: "分隔符")
    }

    // MARK: Grid

    func testReadSheetMakesNumbersAndStrings() throws {
        let p = try file("附件1.csv", "单位,人数,比率,代码,负数,大数\n全市,3584,62.92,0012,-12.5,1234567890123456\n\n红谷滩区,,0,0.5,1.,-0\n")
        let sheet = try CSVGrid.readSheet(path: p)
        XCTAssertEqual(sheet.name, "附件1")
        XCTAssertEqual(sheet.merged, [])
        func value(_ ref: String) -> CellValue? { sheet.value(at: CellReference(ref)!) }
        XCTAssertEqual(value("A1"), .string("单位"))
        XCTAssertEqual(value("B2"), .number("3584"))
        XCTAssertEqual(value("C2"), .number("62.92"))
        XCTAssertEqual(value("D2"), .string("0012"))
        XCTAssertEqual(value("E2"), .number("-12.5"))
        XCTAssertEqual(value("F2"), .string("1234567890123456"))
        XCTAssertEqual(value("A4"), .string("红谷滩区"))
        XCTAssertNil(value("B4"))
        XCTAssertEqual(value("C4"), .number("0"))
        XCTAssertEqual(value("D4"), .number("0.5"))
        XCTAssertEqual(value("E4"), .string("1."))
        XCTAssertEqual(value("F4"), .number("-0"))
        XCTAssertEqual(sheet.cells.count, 17)
        XCTAssertEqual(sheet.cells.map(\.reference), sheet.cells.map(\.reference).sorted())
    }

    func testPlainDecimalRule() {
        for yes in ["0", "7", "-3", "3584", "62.92", "0.000000000000001", "123456789012345", "1.00000000000000", "-0.5"] {
            XCTAssertTrue(CSVGrid.isPlainDecimal(yes), yes)
        }
        for no in ["", "-", "00", "0012", "01.5", ".5", "5.", "1,234", "1e5", "+1", " 1", "1 ", "12%", "１２",
                   "1234567890123456", "1.234567890123456", "--1", "1.2.3", "0x10"] {
            XCTAssertFalse(CSVGrid.isPlainDecimal(no), no)
        }
    }

    func testSheetName() {
        XCTAssertEqual(CSVGrid.sheetName(forPath: "/a/b/附件1.csv"), "附件1")
        XCTAssertEqual(CSVGrid.sheetName(forPath: "x.tar.csv"), "x.tar")
        XCTAssertEqual(CSVGrid.sheetName(forPath: "noext"), "noext")
        XCTAssertEqual(CSVGrid.sheetName(forPath: ".hidden"), ".hidden")
    }

    func testMissingFileIsAnAnnexError() {
        assertAnnexError(try CSVReader(path: path("nope.csv")), containing: "文件不存在")
        assertAnnexError(try CSVReader(path: directory).forEachRecord { _, _ in }, containing: "目录")
    }

    func testRawRecordsGiveByteViews() throws {
        let p = try file("raw.csv", "'=x,,\"a\"\"b\"\n")
        let reader = try CSVReader(path: p, options: CSVReadOptions(unprotectFormulas: true))
        var seen: [[String]] = []
        try reader.forEachRawRecord { line, record in
            XCTAssertEqual(line, 1)
            XCTAssertEqual(record.count, 3)
            XCTAssertFalse(record.isEmpty(0))
            XCTAssertTrue(record.isEmpty(1))
            record.withUnsafeBytes(ofField: 2) { XCTAssertEqual(Array($0), Array("a\"b".utf8)) }
            seen.append(record.strings)
        }
        XCTAssertEqual(seen, [["=x", "", "a\"b"]])
    }

    func testEncodingNames() {
        XCTAssertEqual(TextEncoding(rawValue: "utf-8"), .utf8)
        XCTAssertEqual(TextEncoding(rawValue: "gb18030"), .gb18030)
        XCTAssertEqual(TextEncoding(name: "GBK"), .gb18030)
        XCTAssertEqual(TextEncoding(name: "UTF8"), .utf8)
        XCTAssertNil(TextEncoding(name: "latin1"))
    }

    func testRecordsCanBeReadOnlyOnce() throws {
        let reader = try CSVReader(path: try file("once.csv", "a\n"))
        try reader.forEachRecord { _, _ in }
        assertAnnexError(try reader.forEachRecord { _, _ in })
    }
}
