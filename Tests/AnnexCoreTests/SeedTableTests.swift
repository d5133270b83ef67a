import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexCore

/// Every table template reads its seed's figures exactly, from the annex as Excel exports it to CSV
/// (UTF-8 with BOM and GB18030), and writes them back as a workbook that reads to the same
/// observations and passes the ECMA-376 schemas.
final class SeedTableTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let library: TemplateLibrary = try! TemplateLibrary.load(directories: [root.appendingPathComponent("templates").path])

    /// Tables with seed rows; 部门支出总表 and 三公 print no year, so their period is given.
    static let tables: [(id: String, period: String?)] = [
        ("employment-training-1", nil), ("employment-training-2", nil), ("social-insurance-1", nil),
        ("social-insurance-2", nil), ("employment-targets", nil), ("budget-expenditure", "2024"),
        ("budget-general-expenditure", nil), ("budget-basic-expenditure", nil), ("budget-three-public", "2024"),
    ]

    func testSeedFiguresReadBackExactlyAndRoundTripThroughXLSX() throws {
        let directory = try TestSupport.temporaryDirectory("annex-seed")
        for (id, period) in Self.tables {
            for encoding in ["utf-8-sig", "gb18030"] {
                let csv = directory.appendingPathComponent("\(id)-\(encoding).csv")
                try TestSupport.python(["Tests/Fixtures/seed_export.py", id, csv.path, "--encoding", encoding])
                let reader = AnnexReader(library: Self.library, options: .init(period: period))
                // Recognised from the header (and title) alone.
                let readings = try reader.read(file: csv.path)
                XCTAssertEqual(readings.map(\.template.id), [id], "\(id) \(encoding): recognised as")
                guard let reading = readings.first else { continue }
                try assertMatchesSeed(reading, id: id)
                if encoding == "gb18030" { continue }

                // canonical → annex → canonical gives the same observations.
                let template = try Self.library.template(id)
                // 社会保险一 prints 南昌市 where every other annex lists 南昌县 (a slip `annex check`
                // reports); the writer refuses a unit the layout has no row for, so correct it first.
                let observations = reading.observations.map { observation -> Observation in
                    var corrected = observation
                    if corrected.unit == "南昌市" { corrected.unit = "南昌县" }
                    return corrected
                }
                let sheet = try TableRenderer.render(observations, template: template)
                let xlsx = directory.appendingPathComponent("\(id).xlsx")
                try XLSXWriter.write(Workbook(sheets: [sheet]), to: xlsx.path)
                try TestSupport.assertValidOOXML(xlsx.path)
                let back = try reader.read(file: xlsx.path)
                XCTAssertEqual(back.map(\.template.id), [id])
                XCTAssertEqual(canonical(back.first?.observations ?? []), canonical(observations), "\(id): round trip")
            }
        }
    }

    /// The written annex reproduces the template cell for cell: its lines merged across the table,
    /// every header cell's text at its place and merged over its span, the corner cell's diagonal,
    /// the rows in the template's order, the footnotes under the table; and LibreOffice opens it
    /// with the same values.
    func testWrittenLayoutMatchesTheTemplateCellForCell() throws {
        let directory = try TestSupport.temporaryDirectory("annex-seed")
        var written: [(String, URL, Sheet)] = []
        for (id, period) in Self.tables {
            let csv = directory.appendingPathComponent("\(id).csv")
            try TestSupport.python(["Tests/Fixtures/seed_export.py", id, csv.path])
            let reader = AnnexReader(library: Self.library, options: .init(period: period))
            let reading = try XCTUnwrap(try reader.read(file: csv.path, templateID: id).first)
            let observations = reading.observations.filter { $0.unit != "南昌市" }
            let template = reading.template
            let sheet = try TableRenderer.render(observations, template: template)
            let header = try XCTUnwrap(template.header)
            let top = template.lines.count
            let width = template.headerWidth
            let text = { (row: Int, column: Int) in sheet.value(at: CellReference(row: row, column: column))?.text ?? "" }
            for (index, line) in template.lines.enumerated() where width > 1 {
                XCTAssertTrue(sheet.merged.contains(CellRange(first: .init(row: index, column: 0), last: .init(row: index, column: width - 1))),
                              "\(id): line \(line.role) merged across")
            }
            for cell in header.cells {
                let range = try XCTUnwrap(CellRange(cell.range))
                let first = CellReference(row: top + range.first.row, column: range.first.column)
                let last = CellReference(row: top + range.last.row, column: range.last.column)
                XCTAssertEqual(text(first.row, first.column), cell.text.replacingOccurrences(of: "{year}", with: reading.period), "\(id) \(first)")
                if first != last { XCTAssertTrue(sheet.merged.contains(CellRange(first: first, last: last)), "\(id): \(cell.range) merged") }
                if cell.corner == true {
                    let style = sheet.cells.first { $0.reference == first }?.style
                    XCTAssertEqual(style?.border.diagonalDown, .thin, "\(id): diagonal corner")
                }
            }
            let dataTop = top + header.rows + (header.numberRow == nil ? 0 : 1)
            if let order = template.rows?.order {
                XCTAssertEqual((0..<order.count).map { text(dataTop + $0, 0) }, order, "\(id): rows in template order")
            }
            for (index, footnote) in template.footnotes.enumerated() {
                let row = (sheet.cells.last?.reference.row ?? 0) - (template.footnotes.count - 1 - index)
                XCTAssertEqual(text(row, 0), footnote, "\(id): footnote")
            }
            XCTAssertEqual(sheet.layout.page?.fitToWidth, 1)
            XCTAssertEqual(sheet.layout.page?.orientation, .landscape)
            let xlsx = directory.appendingPathComponent("\(id).xlsx")
            try XLSXWriter.write(Workbook(sheets: [sheet]), to: xlsx.path)
            written.append((id, xlsx, sheet))
        }
        // LibreOffice reads every written workbook: its CSV export shows our values in our places.
        let profile = directory.appendingPathComponent("lo-profile")
        let out = directory.appendingPathComponent("lo")
        try TestSupport.run("soffice", ["-env:UserInstallation=file://\(profile.path)", "--headless",
                                        "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", out.path] + written.map { $0.1.path })
        for (id, _, sheet) in written {
            var rows: [[String]] = []
            try CSVReader(path: out.appendingPathComponent("\(id).csv").path).forEachRecord { _, fields in rows.append(fields) }
            for cell in sheet.cells where !cell.value.text.isEmpty {
                let (row, column) = (cell.reference.row, cell.reference.column)
                let shown = row < rows.count && column < rows[row].count ? rows[row][column] : ""
                switch cell.value {
                case .number(let stored):
                    // LibreOffice shows the formatted number (100.92%, 53,172.94): the same value.
                    var digits = shown.replacingOccurrences(of: ",", with: "")
                    let percent = digits.hasSuffix("%")
                    if percent { digits.removeLast() }
                    let value = ExactDecimal(stored).map { percent ? $0.shifted(by: 2) : $0 }
                    XCTAssertEqual(ExactDecimal(digits), value, "\(id) \(cell.reference): LibreOffice shows \(shown)")
                default:
                    XCTAssertEqual(shown, cell.value.text, "\(id) \(cell.reference)")
                }
            }
        }
    }

    /// 政府性基金预算支出表 and 国有资本经营预算支出表 are printed empty in the seed: made-up rows (a code
    /// hierarchy with its total) render in their layout and read back the same.
    func testTablesPrintedEmptyInTheSeedRoundTrip() throws {
        let directory = try TestSupport.temporaryDirectory("annex-seed")
        for id in ["budget-fund-expenditure", "budget-capital-expenditure"] {
            let template = try Self.library.template(id)
            let rows: [(String, String, [String])] = [
                ("合计", "合计", ["120.5", "20", "100.5"]), ("208", "社会保障和就业支出", ["120.5", "20", "100.5"]),
                ("20808", "抚恤", ["120.5", "20", "100.5"]), ("2080801", "死亡抚恤", ["120.5", "20", "100.5"]),
            ]
            var observations: [Observation] = []
            for (unit, name, values) in rows {
                for (column, value) in zip(template.valueColumns, values) {
                    observations.append(Observation(template: id, period: "2024", unit: unit,
                                                    indicator: TableReader.fill(column.indicator, period: "2024"),
                                                    measure: column.measure, value: value, status: .value,
                                                    extra: ["unit_name": name, "department": "601", "department_name": "南昌市人力资源和社会保障局"]))
                }
            }
            let xlsx = directory.appendingPathComponent("\(id).xlsx")
            try XLSXWriter.write(Workbook(sheets: [try TableRenderer.render(observations, template: template)]), to: xlsx.path)
            let back = try XCTUnwrap(try AnnexReader(library: Self.library).read(file: xlsx.path).first)
            XCTAssertEqual(back.template.id, id, "recognised by its title among layouts with the same header")
            XCTAssertEqual(canonical(back.observations), canonical(observations), id)
            // The department travels through the `[601]…` line where the layout prints one (国有资本 does,
            // 政府性基金 does not).
            let printsDepartment = template.lines.contains { $0.role == "department" }
            XCTAssertEqual(Set(back.observations.compactMap { $0.extra["department"] }), printsDepartment ? ["601"] : [], id)
        }
    }

    /// Compares each value cell with the seed text, interpreted independently of CellInterpretation.
    private func assertMatchesSeed(_ reading: TableReading, id: String) throws {
        let template = reading.template
        let columns = template.valueColumns
        let tsv = try String(contentsOf: Self.root.appendingPathComponent("Tests/Fixtures/seed-tables/\(id).tsv"), encoding: .utf8)
        let rows = tsv.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(reading.observations.count, rows.count * columns.count, "\(id): observation count")
        for (r, fields) in rows.enumerated() {
            for (c, column) in columns.enumerated() {
                let printed = column.column < fields.count ? fields[column.column] : ""
                let index = r * columns.count + c
                guard index < reading.observations.count else { return }
                let observation = reading.observations[index]
                let (value, status) = expected(printed)
                XCTAssertEqual("\(observation.value)|\(observation.status.rawValue)", "\(value)|\(status)",
                               "\(id) row \(r + 1) \(column.indicator) / \(column.measure): printed “\(printed)”")
            }
        }
    }

    private func expected(_ printed: String) -> (String, String) {
        let text = printed.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return ("", "empty") }
        if ["-", "－", "—"].contains(text) { return ("-", "not_assigned") }
        if text == "无" { return ("无", "not_carried_out") }
        var number = text.replacingOccurrences(of: ",", with: "")
        if number.hasSuffix("%") { number.removeLast() }
        if number.contains(".") {
            while number.hasSuffix("0") { number.removeLast() }
            if number.hasSuffix(".") { number.removeLast() }
        }
        return (number, "value")
    }

    private func canonical(_ observations: [Observation]) -> [String] {
        observations.map { "\($0.unit)|\($0.indicator)|\($0.measure)|\($0.value)|\($0.status.rawValue)|\($0.extra["unit_name"] ?? "")" }
    }
}
