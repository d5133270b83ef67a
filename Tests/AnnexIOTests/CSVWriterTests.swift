import Glibc
import XCTest
@testable import AnnexIO

final class CSVWriterTests: CSVTestCase {
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    func testRFC4180QuotingCRLFAndBOMByDefault() throws {
        let p = path("out.csv")
        let writer = try CSVWriter(path: p)
        try writer.writeRow(["单位", "a,b", "say \"hi\"", "two\nlines", "cr\rx", ""])
        try writer.writeRow([.string("全市"), .number("3584"), nil, .bool(true), .date("2023-07-31"), .error("#DIV/0!")])
        try writer.close()
        let expected = "单位,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rx\",\r\n全市,3584,,TRUE,2023-07-31,#DIV/0!\r\n"
        XCTAssertEqual(try contents(p), bom + Array(expected.utf8))
        XCTAssertEqual(try fields(p), [["单位", "a,b", "say \"hi\"", "two\nlines", "cr\rx", ""],
                                       ["全市", "3584", "", "TRUE", "2023-07-31", "#DIV/0!"]])
    }

    func testWithoutBOMAndOtherDelimiter() throws {
        let p = path("plain.csv")
        let writer = try CSVWriter(path: p, options: CSVWriteOptions(bom: false, delimiter: UInt8(ascii: "\t")))
        try writer.writeRow(["template", "a\tb", "c,d"])
        try writer.close()
        XCTAssertEqual(try contents(p), Array("template\t\"a\tb\"\tc,d\r\n".utf8))
    }

    func testSingleEmptyFieldIsNotABlankLine() throws {
        // writeRow([""]) must not produce a line that reads back as a blank line (no fields).
        let p = path("empty.csv")
        let writer = try CSVWriter(path: p, options: CSVWriteOptions(bom: false))
        try writer.writeRow([""])
        try writer.writeRow([String]())
        try writer.close()
        XCTAssertEqual(try contents(p), Array("\"\"\r\n\r\n".utf8))
        XCTAssertEqual(try fields(p), [[""], []])
    }

    func testGB18030OutputBytesHaveNoBOM() throws {
        let p = path("gb.csv")
        let writer = try CSVWriter(path: p, options: CSVWriteOptions(encoding: .gb18030))
        try writer.writeRow(["单位", "𠀀"])
        try writer.writeRow(["全市", "中文", "－"])
        try writer.close()
        XCTAssertEqual(try contents(p), [0xB5, 0xA5, 0xCE, 0xBB, 0x2C, 0x95, 0x32, 0x82, 0x36, 0x0D, 0x0A,
                                         0xC8, 0xAB, 0xCA, 0xD0, 0x2C, 0xD6, 0xD0, 0xCE, 0xC4, 0x2C, 0xA3, 0xAD, 0x0D, 0x0A])
        let reader = try CSVReader(path: p)
        XCTAssertEqual(reader.encoding, .gb18030)
        XCTAssertEqual(try fields(p), [["单位", "𠀀"], ["全市", "中文", "－"]])
    }

    func testGB18030OutputLargerThanOneBlock() throws {
        let p = path("big.csv")
        let writer = try CSVWriter(path: p, options: CSVWriteOptions(encoding: .gb18030))
        let row = ["红谷滩区", String(repeating: "中文字符", count: 50), "12.5", "𠀀"]
        for _ in 0..<2000 { try writer.writeRow(row) }
        try writer.close()
        var count = 0
        try CSVReader(path: p, options: CSVReadOptions(chunkSize: 1000)).forEachRecord { _, fields in
            XCTAssertEqual(fields, row)
            count += 1
        }
        XCTAssertEqual(count, 2000)
    }

    func testGB18030TableEncoderAgreesWithIConv() {
        XCTAssertEqual(GB18030Encoder.twoByteTable, GB18030Encoder.askIConvForTwoByteTable())
    }

    func testGB18030OutputOfManyCharactersMatchesIConvAndReadsBack() throws {
        // Every 7th BMP character and a sample of the other planes, except the few that glibc cannot
        // write in GB18030 (some private-use characters).
        var scalars: [Unicode.Scalar] = []
        var value: UInt32 = 0x20
        while value <= 0x10FFFF {
            if let scalar = Unicode.Scalar(value), value != 0x7F, gb18030CanEncode(scalar) { scalars.append(scalar) }
            value += value < 0x10000 ? 7 : 4099
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        let fields = stride(from: 0, to: scalars.count, by: 40).map { start in
            var field = ""
            field.unicodeScalars.append(contentsOf: scalars[start..<min(start + 40, scalars.count)])
            return field
        }
        let utf8Path = path("u.csv")
        let gbPath = path("g.csv")
        for (target, encoding) in [(utf8Path, TextEncoding.utf8), (gbPath, .gb18030)] {
            let writer = try CSVWriter(path: target, options: CSVWriteOptions(encoding: encoding, bom: false))
            for chunk in stride(from: 0, to: fields.count, by: 25) { try writer.writeRow(Array(fields[chunk..<min(chunk + 25, fields.count)])) }
            try writer.close()
        }
        // Byte for byte what iconv makes of the UTF-8 file.
        let utf8 = try contents(utf8Path)
        let iconv = try XCTUnwrap(IConv(from: "UTF-8", to: "GB18030"))
        var expected = [UInt8](repeating: 0, count: utf8.count * 2)
        let result = utf8.withUnsafeBytes { source in
            expected.withUnsafeMutableBytes { iconv.convert(source.baseAddress!, source.count, into: $0.baseAddress!, capacity: $0.count) }
        }
        XCTAssertEqual(result.stop, .done)
        XCTAssertEqual(try contents(gbPath), Array(expected[..<result.produced]))
        // And it reads back.
        var back: [String] = []
        try CSVReader(path: gbPath, options: CSVReadOptions(encoding: .gb18030, chunkSize: 777)).forEachRecord { back += $1 }
        XCTAssertEqual(back, fields.map { FormulaProtection.protect($0) })
    }

    func testCharacterGB18030CannotHoldIsAnErrorAndLeavesNoFile() throws {
        let privateUse = Unicode.Scalar(0xE790)!
        try XCTSkipIf(gb18030CanEncode(privateUse), "this glibc writes U+E790 in GB18030")
        let p = path("pua.csv")
        let writer = try CSVWriter(path: p, options: CSVWriteOptions(encoding: .gb18030))
        try writer.writeRow(["a\(privateUse)"])
        assertAnnexError(try writer.close(), containing: "U+E790")
        XCTAssertEqual(try listDirectory(), [])
    }

    private func gb18030CanEncode(_ scalar: Unicode.Scalar) -> Bool {
        guard let iconv = IConv(from: "UTF-8", to: "GB18030") else { return false }
        var input = Array(String(scalar).utf8)
        var output = [UInt8](repeating: 0, count: 16)
        let result = input.withUnsafeMutableBytes { source in
            output.withUnsafeMutableBytes { iconv.convert(source.baseAddress!, source.count, into: $0.baseAddress!, capacity: $0.count) }
        }
        return result.stop == .done
    }

    // MARK: Formula protection

    func testFormulaProtectionAndItsInverse() throws {
        let protected = ["=SUM(A1)", "+1", "@x", "-x", "\tx", "\rx", "--1", "-1+1", "'=x", "''+y"]
        let untouched = ["-12.5", "-", "－", "—", "-1,234", "-5%", "-1e3", "'", "'-5", "text", "12", "'abc", "a=b", ""]
        let p = path("formulas.csv")
        let writer = try CSVWriter(path: p, options: CSVWriteOptions(bom: false))
        try writer.writeRow(protected)
        try writer.writeRow(untouched)
        try writer.writeRow([.number("-12.5"), .string("-12.5"), .string("=1")])
        try writer.close()

        let raw = try fields(p)
        XCTAssertEqual(raw[0], protected.map { "'" + $0 })
        XCTAssertEqual(raw[1], untouched)
        XCTAssertEqual(raw[2], ["-12.5", "-12.5", "'=1"])
        XCTAssertEqual(String(decoding: try contents(p), as: UTF8.self).split(separator: "\r\n").first,
                       "'=SUM(A1),'+1,'@x,'-x,'\tx,\"'\rx\",'--1,'-1+1,''=x,'''+y")

        let back = try fields(p, CSVReadOptions(unprotectFormulas: true))
        XCTAssertEqual(back[0], protected)
        XCTAssertEqual(back[1], untouched)
        XCTAssertEqual(back[2], ["-12.5", "-12.5", "=1"])
    }

    func testRandomRowsSurviveWriteAndRead() throws {
        let pieces = ["a", "7", "-", "-1", ",", "\"", "\r", "\n", "\t", "中文", "𠀀", "'", "=", "+", "@", " ", "－", ";"]
        var state: UInt64 = 0xDEAD_BEEF_CAFE_F00D
        func next() -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % 1_000_000)
        }
        var rows: [[String]] = []
        for _ in 0..<500 {
            rows.append((0..<(1 + next() % 6)).map { _ in (0..<(next() % 5)).map { _ in pieces[next() % pieces.count] }.joined() })
        }
        for (encoding, delimiter) in [(TextEncoding.utf8, UInt8(ascii: ",")), (.gb18030, UInt8(ascii: ";")), (.utf8, UInt8(ascii: "\t"))] {
            let p = path("random-\(encoding.rawValue)-\(delimiter).csv")
            let writer = try CSVWriter(path: p, options: CSVWriteOptions(encoding: encoding, delimiter: delimiter))
            for row in rows { try writer.writeRow(row) }
            try writer.close()
            for chunk in [3, 1 << 17] {
                let back = try fields(p, CSVReadOptions(encoding: encoding, delimiter: delimiter, unprotectFormulas: true, chunkSize: chunk))
                XCTAssertEqual(back, rows, "\(encoding) \(delimiter) chunk \(chunk)")
            }
        }
    }

    func testFormulaProtectionCanBeTurnedOff() throws {
        let p = path("raw.csv")
        let writer = try CSVWriter(path: p, options: CSVWriteOptions(bom: false, protectFormulas: false))
        try writer.writeRow(["=SUM(A1)", "-x"])
        try writer.close()
        XCTAssertEqual(try contents(p), Array("=SUM(A1),-x\r\n".utf8))
    }

    func testProtectAndUnprotectAreInverse() {
        for text in ["=a", "'=a", "''=a", "-", "-x", "-1", "'", "''", "'-x", "x", "", "@", "+", "'@"] {
            XCTAssertEqual(FormulaProtection.unprotect(FormulaProtection.protect(text)), text, text)
        }
    }

    // MARK: Sheets

    func testSheetIsWrittenDenselyAndMergedCoveredValuesAreDropped() throws {
        let sheet = Sheet(name: "S", cells: [
            Cell(reference: CellReference("A1")!, value: .string("标题")),
            Cell(reference: CellReference("B1")!, value: .string("covered")),
            Cell(reference: CellReference("D2")!, value: .number("1")),
            Cell(reference: CellReference("B4")!, value: .string("=x")),
            Cell(reference: CellReference("A4")!, value: .number("-3")),
        ], merged: [CellRange("A1:C1")!])
        let p = path("sheet.csv")
        try CSVGrid.write(sheet, to: p, options: CSVWriteOptions(bom: false))
        XCTAssertEqual(String(decoding: try contents(p), as: UTF8.self),
                       "标题,,,\r\n,,,1\r\n,,,\r\n-3,'=x,,\r\n")
        let back = try CSVGrid.readSheet(path: p, options: CSVReadOptions(unprotectFormulas: true))
        XCTAssertEqual(back.name, "sheet")
        XCTAssertEqual(back.cells.map(\.reference.description), ["A1", "D2", "A4", "B4"])
        XCTAssertEqual(back.cells.map(\.value), [.string("标题"), .number("1"), .number("-3"), .string("=x")])
    }

    func testEmptySheetWritesAnEmptyFile() throws {
        let p = path("empty.csv")
        try CSVGrid.write(Sheet(name: "x"), to: p, options: CSVWriteOptions(bom: false))
        XCTAssertEqual(try contents(p), [])
    }

    func testCSVToSheetToCSVRoundTrip() throws {
        let original = "附件1,,\r\n单位,人数,比率\r\n全市,3584,62.92\r\n\"东湖区,老城\",0012,\"a\"\"b\"\r\n"
        let input = try file("in.csv", original)
        let sheet = try CSVGrid.readSheet(path: input)
        let output = path("roundtrip.csv")
        try CSVGrid.write(sheet, to: output, options: CSVWriteOptions(bom: false), refusingToOverwrite: [input])
        XCTAssertEqual(String(decoding: try contents(output), as: UTF8.self), original)
    }

    // MARK: Atomic output

    func testAbandonedWriteLeavesExistingFileAndNoTemporaryFile() throws {
        let p = try file("keep.csv", "old\r\n")
        do {
            let writer = try CSVWriter(path: p)
            try writer.writeRow(["new"])
            XCTAssertEqual(try listDirectory().count, 2)  // keep.csv and the temporary file
            writer.abandon()
        }
        XCTAssertEqual(try contents(p), Array("old\r\n".utf8))
        XCTAssertEqual(try listDirectory(), ["keep.csv"])

        do {  // dropped without close()
            let writer = try CSVWriter(path: p)
            try writer.writeRow(["new"])
        }
        XCTAssertEqual(try contents(p), Array("old\r\n".utf8))
        XCTAssertEqual(try listDirectory(), ["keep.csv"])
    }

    func testFailingWriteLeavesNoPartialOutput() throws {
        // Make write(2) fail with EFBIG after 100 KB, as a full disk would.
        let p = try file("full.csv", "old\r\n")
        var saved = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        var limit = saved
        limit.rlim_cur = 100_000
        XCTAssertEqual(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit), 0)
        var thrown: Error?
        do {
            let writer = try CSVWriter(path: p)
            for _ in 0..<10_000 { try writer.writeRow(["全市", "3584", "62.92", "一些文字一些文字"]) }
            try writer.close()
        } catch {
            thrown = error
        }
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
        signal(SIGXFSZ, previousHandler)
        XCTAssertTrue(thrown is AnnexError, "\(String(describing: thrown))")
        XCTAssertEqual(try contents(p), Array("old\r\n".utf8))
        XCTAssertEqual(try listDirectory(), ["full.csv"])
    }

    func testCommitOntoADirectoryFailsCleanly() throws {
        XCTAssertEqual(mkdir(path("dir.csv"), 0o755), 0)
        let writer = try CSVWriter(path: path("dir.csv"))
        try writer.writeRow(["x"])
        assertAnnexError(try writer.close(), containing: "目录")
        XCTAssertEqual(try listDirectory(), ["dir.csv"])
        rmdir(path("dir.csv"))
    }

    func testMissingDirectoryIsAnAnnexError() {
        assertAnnexError(try CSVWriter(path: path("no/such/dir/x.csv")), containing: "临时文件")
    }

    func testRefusesToOverwriteAnInput() throws {
        let input = try file("input.csv", "a,b\r\n")
        XCTAssertEqual(symlink(input, path("link.csv")), 0)
        XCTAssertEqual(link(input, path("hard.csv")), 0)
        for output in [input, directory + "/./input.csv", path("link.csv"), path("hard.csv")] {
            assertAnnexError(try CSVWriter(path: output, refusingToOverwrite: [input]), containing: "同一个文件")
        }
        assertAnnexError(try AtomicOutput(path: input, refusingToOverwrite: ["./nonexistent", input]), containing: "拒绝覆盖")
        XCTAssertEqual(try contents(input), Array("a,b\r\n".utf8))
        XCTAssertEqual(try listDirectory(), ["hard.csv", "input.csv", "link.csv"])
        // A different file is fine.
        let writer = try CSVWriter(path: path("other.csv"), refusingToOverwrite: [input])
        try writer.close()
    }

    func testReplacingAFileThroughASymbolicLinkKeepsTheLink() throws {
        let target = try file("target.csv", "old\r\n")
        XCTAssertEqual(symlink(target, path("alias.csv")), 0)
        let writer = try CSVWriter(path: path("alias.csv"), options: CSVWriteOptions(bom: false))
        try writer.writeRow(["new"])
        try writer.close()
        XCTAssertEqual(try contents(target), Array("new\r\n".utf8))
        var info = stat()
        XCTAssertEqual(lstat(path("alias.csv"), &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFLNK)
    }

    func testNewFileGetsTheUsualPermissions() throws {
        let p = path("mode.csv")
        let output = try AtomicOutput(path: p)
        try output.write("x")
        try output.commit()
        var info = stat()
        XCTAssertEqual(stat(p, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o666 & ~AtomicOutput.processUmask)
        XCTAssertEqual(try contents(p), Array("x".utf8))
    }

    func testAtomicOutputLargeWritesAndDoubleCommit() throws {
        let p = path("large.bin")
        let output = try AtomicOutput(path: p, bufferSize: 4096)
        let block = [UInt8](repeating: 7, count: 10_000)
        for _ in 0..<10 { try output.write(block) }
        try output.write([1, 2, 3])
        try output.commit()
        assertAnnexError(try output.commit())
        let written = try contents(p)
        XCTAssertEqual(written.count, 100_003)
        XCTAssertEqual(Array(written.suffix(4)), [7, 1, 2, 3])
    }

    func testWritesToAFileDescriptor() throws {
        let p = path("fd.csv")
        let fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(fd) }
        let writer = try CSVWriter(fileDescriptor: fd, name: "fd", options: CSVWriteOptions(bom: false))
        try writer.writeRow(["a", "b"])
        try writer.close()
        XCTAssertEqual(try contents(p), Array("a,b\r\n".utf8))
    }

    func testRejectsUTF16AndBadDelimiters() {
        assertAnnexError(try CSVWriter(path: path("x.csv"), options: CSVWriteOptions(encoding: .utf16LE)))
        assertAnnexError(try CSVWriter(path: path("x.csv"), options: CSVWriteOptions(delimiter: UInt8(ascii: "\n"))))
        XCTAssertEqual(try? listDirectory(), [])
    }
}
