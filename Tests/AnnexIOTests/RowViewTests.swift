import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexIO

/// Row views (`SheetSource.readRows`) and materialized cells (`readSheet`) are two faces of one read:
/// every fixture, workbook and CSV, must give the same references, kinds, texts, formulas and number
/// formats through both.
final class RowViewTests: XCTestCase {
    private struct Seen: Equatable, CustomStringConvertible {
        var reference: CellReference
        var kind: String
        var text: String
        var formula: String
        var numberFormat: String?
        var description: String { "\(reference) \(kind) \(text.debugDescription) f=\(formula) fmt=\(numberFormat ?? "-")" }
    }

    private func throughViews(_ source: SheetSource, _ index: Int) throws -> [Seen] {
        var seen: [Seen] = []
        try source.readRows(at: index) { row in
            for position in 0..<row.count {
                let cell = row[position]
                seen.append(Seen(reference: cell.reference, kind: "\(cell.kind)",
                                 text: String(decoding: cell.text, as: UTF8.self),
                                 formula: String(decoding: cell.formula, as: UTF8.self),
                                 numberFormat: row.numberFormat(of: cell)))
            }
        }
        return seen
    }

    private func throughCells(_ source: SheetSource, _ index: Int) throws -> [Seen] {
        try source.sheet(at: index).cells.map { cell in
            Seen(reference: cell.reference, kind: cell.value.typeName, text: cell.value.text,
                 formula: cell.formula ?? "", numberFormat: cell.numberFormat)
        }
    }

    func testViewsAndCellsAgreeOnEveryFixture() throws {
        var compared = 0
        for kind in ["xlsx", "xlsx-expected", "csv"] {
            for fixture in try Fixtures.of(kind: kind) {
                let source = try Spreadsheet.open(path: fixture.file.path)
                for index in source.sheetNames.indices {
                    let views = try throughViews(source, index)
                    let cells = try throughCells(source, index)
                    XCTAssertEqual(views.count, cells.count, "\(fixture.name) sheet \(index)")
                    for (view, cell) in zip(views, cells) where view != cell {
                        XCTFail("\(fixture.name) sheet \(index): view \(view) ≠ cell \(cell)")
                        break
                    }
                    compared += views.count
                }
            }
        }
        XCTAssertGreaterThan(compared, 1000, "the fixtures hold more cells than this")
    }

    /// `annex convert` and `dump --format csv` read a sheet once into a `CSVRowSpool` and write the
    /// CSV from it; `CSVWriter.write(_ sheet:)` lays out a whole sheet in memory. Every sheet of every
    /// workbook and .xls fixture must come out byte for byte the same through both, with the spool in
    /// memory and with every record spilled to its temporary file.
    func testStreamedCSVConversionEqualsTheInMemoryWriter() throws {
        var compared = 0
        let fixtures = try Fixtures.of(kind: "xlsx") + Fixtures.of(kind: "xlsx-expected") + XLSFixtures.of(kind: "xls")
        for fixture in fixtures {
            let source = try Spreadsheet.open(path: fixture.file.path)
            for index in source.sheetNames.indices {
                let whole = try csvBytes { try $0.write(try source.sheet(at: index)) }
                for threshold in [CSVRowSpool.spillThreshold, 1] {
                    let streamed = try csvBytes {
                        try GridConversion.writeCSV(source, sheet: index, to: $0, spillThreshold: threshold)
                    }
                    XCTAssertEqual(streamed, whole, "\(fixture.name) sheet \(source.sheetNames[index]), spill at \(threshold)")
                }
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 30)
    }

    /// The shapes where merges decide the CSV extent: values under a merge, a last column and a last
    /// row whose only cells are covered, an empty text as the last cell (written as no cell at all).
    /// Streamed (spool in memory and spilled) and in memory must agree.
    func testCSVLayoutWhereMergesDecideTheExtent() throws {
        func cell(_ reference: String, _ text: String) -> Cell {
            Cell(reference: CellReference(reference)!, value: .string(text))
        }
        let shapes: [(rows: [[Cell]], merged: [String], expected: String)] = [
            ([[cell("A1", "标题"), cell("C1", "被覆盖")], [cell("A2", "x"), cell("B2", "1")]], ["A1:C1"],
             "\u{FEFF}标题,\r\nx,1\r\n"),
            ([[cell("A1", "a"), cell("B1", "b")], [cell("A2", "合计"), cell("B3", "下方被覆盖")]], ["A2:B3"],
             "\u{FEFF}a,b\r\n合计,\r\n"),
            ([[cell("A1", "a")], [cell("A2", "b"), cell("C2", "")]], [],
             "\u{FEFF}a\r\nb\r\n"),
            ([[cell("A1", "a"), cell("B1", "b")], [cell("B2", "")]], ["A2:B2"],
             "\u{FEFF}a,b\r\n"),
        ]
        let folder = try TestSupport.temporaryDirectory("rowview-merges")
        for (number, shape) in shapes.enumerated() {
            let file = folder.appendingPathComponent("shape\(number).xlsx").path
            let writer = try XLSXWriter(path: file)
            try writer.beginSheet(name: "表")
            for row in shape.rows { try writer.appendRow(row) }
            try writer.endSheet(merged: shape.merged.map { CellRange($0)! })
            try writer.finish()
            let source = try Spreadsheet.open(path: file)
            let whole = try csvBytes { try $0.write(try source.sheet(at: 0)) }
            XCTAssertEqual(String(decoding: whole, as: UTF8.self), shape.expected, "shape \(number)")
            for threshold in [CSVRowSpool.spillThreshold, 1] {
                let streamed = try csvBytes { try GridConversion.writeCSV(source, sheet: 0, to: $0, spillThreshold: threshold) }
                XCTAssertEqual(String(decoding: streamed, as: UTF8.self), shape.expected, "shape \(number), spill at \(threshold)")
            }
        }
    }

    /// What a `CSVWriter` writes, through a pipe-less temporary file.
    private func csvBytes(_ body: (CSVWriter) throws -> Void) throws -> [UInt8] {
        let path = try TestSupport.temporaryDirectory("rowview-convert").appendingPathComponent("out.csv").path
        let writer = try CSVWriter(path: path)
        try body(writer)
        try writer.close()
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The kinds and texts of a hand-made CSV: plain decimals are numbers, everything else text.
    func testCSVRowViewValues() throws {
        let folder = try TestSupport.temporaryDirectory("rowview")
        let path = folder.appendingPathComponent("附件.csv").path
        try "单位,本月完成,累计\n东湖区,0012,56.245\n,-,1e3\n".write(toFile: path, atomically: true, encoding: .utf8)
        var rows: [[String]] = []
        try Spreadsheet.open(path: path).readRows(at: 0) { row in
            rows.append((0..<row.count).map { k in
                "\(row[k].reference)=\(row[k].kind):\(String(decoding: row[k].text, as: UTF8.self))"
            })
        }
        XCTAssertEqual(rows, [
            ["A1=string:单位", "B1=string:本月完成", "C1=string:累计"],
            ["A2=string:东湖区", "B2=string:0012", "C2=number:56.245"],
            ["B3=string:-", "C3=string:1e3"],
        ])
    }
}
