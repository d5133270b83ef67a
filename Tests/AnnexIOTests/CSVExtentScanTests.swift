import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexIO

/// The extent scan of a CSV file's raw bytes (`CSVExtentScanner`) must agree with what reading the
/// file gives, or the rows streamed straight to a CSV writer would be padded wrongly; and the direct
/// stream must write the same bytes as the spool and the in-memory writer.
final class CSVExtentScanTests: XCTestCase {
    private let random = SeededRandom(seed: 0x2545_F491_4F6C_DD1D)

    /// Random CSV-like text: runs long enough to fill the scanner's 64-byte blocks, quotes rare in
    /// some texts and common in others, every kind of line end, trailing and leading empty fields.
    private func randomText(delimiter: UInt8) -> [UInt8] {
        let content: [[UInt8]] = [
            Array("a".utf8), Array("中".utf8), Array("12.5".utf8), Array("=SUM(A1)".utf8), Array("-".utf8),
            Array(" ".utf8), Array("东湖区企业职工基本养老保险参保人数".utf8),
        ]
        let lineEnds: [[UInt8]] = [[Byte.cr], [Byte.lf], [Byte.cr, Byte.lf]]
        let quoteOdds = [0, 3, 40][random.next(3)]
        var text: [UInt8] = []
        for _ in 0..<random.next(160) {
            if quoteOdds > 0, random.next(quoteOdds) == 0 {
                text.append(Byte.quote)
            } else if random.next(20) == 0 {
                text += lineEnds[random.next(lineEnds.count)]
            } else if random.next(2) == 0 {
                text.append(delimiter)
            } else {
                text += content[random.next(content.count)]
            }
        }
        return text
    }

    /// The extent reading gives: the last row with a non-empty field and the rightmost such field;
    /// nil when the text does not parse (an unterminated quote).
    private func parsedExtent(_ text: [UInt8], delimiter: UInt8) -> SheetExtent? {
        let parser = CSVParser(file: "t", delimiter: delimiter, unprotectFormulas: false)
        var extent = SheetExtent(lastRow: -1, lastColumn: -1)
        var row = 0
        let body = { (_: Int, record: CSVRecord) in
            for column in 0..<record.count where !record.isEmpty(column) {
                extent.lastRow = row
                extent.lastColumn = max(extent.lastColumn, column)
            }
            row += 1
        }
        do {
            try text.withUnsafeBufferPointer { bytes in
                if let base = bytes.baseAddress, bytes.count > 0 { try parser.feed(base, bytes.count, body) }
            }
            try parser.finish(body)
        } catch {
            return nil
        }
        return extent
    }

    private func scannedExtent(_ text: [UInt8], delimiter: UInt8, pieces: Int) -> SheetExtent {
        var scanner = CSVExtentScanner(delimiter: delimiter)
        text.withUnsafeBufferPointer { bytes in
            var cuts = (0..<pieces - 1).map { _ in random.next(bytes.count + 1) }.sorted()
            cuts.append(bytes.count)
            var start = 0
            for cut in cuts where cut > start {
                scanner.feed(bytes.baseAddress! + start, cut - start)
                start = cut
            }
        }
        return SheetExtent(lastRow: scanner.lastRow, lastColumn: scanner.lastColumn)
    }

    func testScannedExtentAgreesWithTheParserOnRandomText() {
        var compared = 0, withQuotes = 0, wide = 0
        for trial in 0..<20_000 {
            let delimiter = [Byte.comma, Byte.tab, Byte.semicolon][trial % 3]
            let text = randomText(delimiter: delimiter)
            guard let expected = parsedExtent(text, delimiter: delimiter) else { continue }
            // Whole, and cut at random points (line ends and quotes across the cuts).
            for pieces in [1, 2, 7] {
                XCTAssertEqual(scannedExtent(text, delimiter: delimiter, pieces: pieces), expected,
                               "\(pieces) pieces: \(String(decoding: text, as: UTF8.self).debugDescription)")
            }
            compared += 1
            if text.contains(Byte.quote) { withQuotes += 1 }
            if expected.lastColumn > 10 { wide += 1 }
        }
        XCTAssertGreaterThan(compared, 15_000)
        XCTAssertGreaterThan(withQuotes, 3_000)
        XCTAssertGreaterThan(wide, 1_000)
    }

    func testScannedExtentOfKnownShapes() {
        let shapes: [(String, SheetExtent)] = [
            ("", SheetExtent(lastRow: -1, lastColumn: -1)),
            ("\r\n\n,,\r\n", SheetExtent(lastRow: -1, lastColumn: -1)),
            ("a,b,,\r\n,,,,,\r\n\r\n", SheetExtent(lastRow: 0, lastColumn: 1)),
            ("a\r\n\r\n,,c", SheetExtent(lastRow: 2, lastColumn: 2)),
            ("\"\",\"\"\"\"\n", SheetExtent(lastRow: 0, lastColumn: 1)),           // `""` is empty, `""""` is `"`
            ("\"a\r\nb\",\n\"\"x\n", SheetExtent(lastRow: 1, lastColumn: 0)),     // a line end inside quotes
            ("a\rb\r\r\nc,d", SheetExtent(lastRow: 3, lastColumn: 1)),             // lone CRs end lines
            ("x,y\"z,\"w\"\n", SheetExtent(lastRow: 0, lastColumn: 2)),           // a quote inside a field
            (String(repeating: "东湖区,", count: 40) + "\n", SheetExtent(lastRow: 0, lastColumn: 39)),
        ]
        for (text, expected) in shapes {
            let bytes = Array(text.utf8)
            XCTAssertEqual(parsedExtent(bytes, delimiter: Byte.comma), expected, "parser: \(text.debugDescription)")
            XCTAssertEqual(scannedExtent(bytes, delimiter: Byte.comma, pieces: 1), expected, "scan: \(text.debugDescription)")
        }
    }

    /// Through the reader: past a byte-order mark, in GB18030 (whose four-byte characters end in digits),
    /// and declined where the raw bytes cannot be scanned.
    func testReaderScansOnlyWhereTheBytesAllowIt() throws {
        let folder = try TestSupport.temporaryDirectory("extent-scan")
        func file(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
        let utf8 = try file("bom.csv", [0xEF, 0xBB, 0xBF] + Array("a,b\r\n,,,c\r\n,,\r\n".utf8))
        XCTAssertEqual(try CSVReader(path: utf8).scanExtent(), SheetExtent(lastRow: 1, lastColumn: 3))

        // 𠀀 is 95 32 82 36 in GB18030; 中 is D6 D0.
        let gb18030 = try file("gb.csv", [0x95, 0x32, 0x82, 0x36, 0x2C, 0xD6, 0xD0, 0x0D, 0x0A, 0x2C, 0x2C, 0x95, 0x32, 0x82, 0x36])
        let reader = try CSVReader(path: gb18030)
        XCTAssertEqual(reader.encoding, .gb18030)
        XCTAssertEqual(try reader.scanExtent(), SheetExtent(lastRow: 1, lastColumn: 2))
        // A digit as the delimiter can be a byte of a GB18030 character: no scan.
        XCTAssertNil(try CSVReader(path: gb18030, options: CSVReadOptions(delimiter: UInt8(ascii: "2"))).scanExtent())
        // In UTF-8 any ASCII delimiter is safe.
        XCTAssertEqual(try CSVReader(path: utf8, options: CSVReadOptions(delimiter: UInt8(ascii: "b"))).scanExtent(),
                       SheetExtent(lastRow: 2, lastColumn: 0))

        let utf16 = try file("utf16.csv", [0xFF, 0xFE] + Array("a,b\r\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        XCTAssertNil(try CSVReader(path: utf16).scanExtent())

        // A named pipe is read once, by the reader: no scan opens it.
        let fifo = folder.appendingPathComponent("管道.csv").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertNil(try CSVSheetSource(path: fifo).extentScan(sheet: 0))

        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        defer { close(ends[0]) }
        _ = "a,b\n".withCString { write(ends[1], $0, 4) }
        close(ends[1])
        XCTAssertNil(try CSVReader(fileDescriptor: ends[0], name: "管道").scanExtent())
    }

    /// A CSV source with another extent scan: none (every row through the spool), or a given one that
    /// ends before the first row is read (the rows wait `rowDelay`) or after the last (the scan waits
    /// `scanDelay`). Microseconds.
    private final class ScannedSource: SheetSource {
        let csv: CSVSheetSource
        let scan: (@Sendable () throws -> SheetExtent?)?
        let rowDelay: UInt32
        var path: String { csv.path }
        var sheetNames: [String] { csv.sheetNames }

        init(_ csv: CSVSheetSource, scan: (@Sendable () throws -> SheetExtent?)?, rowDelay: UInt32 = 0, scanDelay: UInt32 = 0) {
            self.csv = csv
            if let scan {
                self.scan = { @Sendable () throws -> SheetExtent? in
                    usleep(scanDelay)
                    return try scan()
                }
            } else {
                self.scan = nil
            }
            self.rowDelay = rowDelay
        }

        func readRows(at index: Int, onRow: @escaping (RowView) throws -> Void) throws -> [CellRange] {
            usleep(rowDelay)
            return try csv.readRows(at: index, onRow: onRow)
        }

        func extentScan(sheet index: Int) -> (@Sendable () throws -> SheetExtent?)? { scan }
    }

    /// CSV → CSV with the scanned extent (known before the rows, after them, or whenever the scan ends)
    /// against every row through the spool and against the in-memory writer, on the CSV fixtures and
    /// on random files, with and without formula protection.
    func testCSVStreamWithTheScannedExtentEqualsTheSpoolAndTheInMemoryWriter() throws {
        let folder = try TestSupport.temporaryDirectory("extent-stream")
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths = try Fixtures.of(kind: "csv").map(\.file.path)
        for number in 0..<50 {
            let path = folder.appendingPathComponent("random\(number).csv").path
            try Data(randomText(delimiter: Byte.comma)).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        var compared = 0
        for path in paths {
            let csv = try CSVSheetSource(path: path)
            let scan = csv.extentScan(sheet: 0)
            XCTAssertNotNil(scan)
            let sources: [(String, SheetSource)] = [
                ("as it comes", csv),
                ("spool only", ScannedSource(csv, scan: nil)),
                ("extent first", ScannedSource(csv, scan: scan, rowDelay: 3_000)),
                ("extent last", ScannedSource(csv, scan: scan, scanDelay: 3_000)),
            ]
            for options in [CSVWriteOptions(), CSVWriteOptions(bom: false, protectFormulas: false)] {
                let whole: [UInt8]
                do {
                    whole = try csvBytes(options) { try $0.write(try csv.sheet(at: 0)) }
                } catch {
                    continue   // an unterminated quote: no sheet to compare
                }
                for (name, source) in sources {
                    let streamed = try csvBytes(options) { try GridConversion.writeCSV(source, sheet: 0, to: $0) }
                    XCTAssertEqual(streamed, whole, "\(name): \(path)")
                }
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 80)
    }

    /// A file that grows between the scan and the read (a row past the extent, or a wider row) is an
    /// error naming the file, not a ragged CSV, whether the extent came before the rows or after.
    func testARowBeyondTheScannedExtentIsAnError() throws {
        let path = try TestSupport.temporaryDirectory("extent-changed").appendingPathComponent("附件.csv").path
        try "a,b\nc,d,e\n".write(toFile: path, atomically: true, encoding: .utf8)
        let csv = try CSVSheetSource(path: path)
        for (rowDelay, scanDelay) in [(UInt32(3_000), UInt32(0)), (0, 3_000)] {
            for extent in [SheetExtent(lastRow: 0, lastColumn: 2), SheetExtent(lastRow: 1, lastColumn: 1),
                           SheetExtent(lastRow: 2, lastColumn: 2)] {
                let source = ScannedSource(csv, scan: { extent }, rowDelay: rowDelay, scanDelay: scanDelay)
                XCTAssertThrowsError(try csvBytes(CSVWriteOptions()) { try GridConversion.writeCSV(source, sheet: 0, to: $0) }) { error in
                    XCTAssertEqual((error as? AnnexError)?.file, path)
                    XCTAssertTrue("\(error)".contains("改动"), "\(error)")
                }
            }
            let source = ScannedSource(csv, scan: { SheetExtent(lastRow: 1, lastColumn: 2) }, rowDelay: rowDelay, scanDelay: scanDelay)
            let fitting = try csvBytes(CSVWriteOptions(bom: false)) { try GridConversion.writeCSV(source, sheet: 0, to: $0) }
            XCTAssertEqual(String(decoding: fitting, as: UTF8.self), "a,b,\r\nc,d,e\r\n")
        }
    }

    /// One folder per test for the written files, removed afterwards.
    private var outputFolder: URL?

    override func tearDown() {
        if let outputFolder { try? FileManager.default.removeItem(at: outputFolder) }
        super.tearDown()
    }

    private func csvBytes(_ options: CSVWriteOptions, _ body: (CSVWriter) throws -> Void) throws -> [UInt8] {
        let folder = try outputFolder ?? TestSupport.temporaryDirectory("extent-out")
        outputFolder = folder
        let path = folder.appendingPathComponent("out.csv").path
        let writer = try CSVWriter(path: path, options: options)
        do {
            try body(writer)
            try writer.close()
        } catch {
            writer.abandon()
            throw error
        }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
