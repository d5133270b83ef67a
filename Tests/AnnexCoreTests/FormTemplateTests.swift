import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexCore

/// The two form templates (项目支出绩效目标表, printed once per project, and 部门整体支出绩效目标表) read
/// their seed exactly from the printed layout as CSV, and canonical → FormRenderer → xlsx → canonical
/// gives the same observations in a workbook that passes the ECMA-376 schemas.
final class FormTemplateTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let library: TemplateLibrary = try! TemplateLibrary.load(directories: [root.appendingPathComponent("templates").path])

    // MARK: - Reading the printed layout

    func testProjectPerformanceSeedReadsExactly() throws {
        let seed = try SeedForm.parse(id: "project-performance")
        XCTAssertEqual(seed.instances.count, 16)
        XCTAssertEqual(seed.fieldCount, 128)
        XCTAssertEqual(seed.indicatorCount, 134)
        let csv = try writeCSV(seed.rows, name: "project-performance.csv")
        for templateID in [nil, "project-performance"] {
            let readings = try AnnexReader(library: Self.library).read(file: csv.path, templateID: templateID)
            XCTAssertEqual(readings.map(\.template.id), ["project-performance"])
            let reading = try XCTUnwrap(readings.first)
            XCTAssertEqual(reading.rows.count, 16, "instances")
            XCTAssertEqual(reading.period, "2024")
            let observations = reading.observations
            XCTAssertEqual(observations.filter { $0.measure.isEmpty }.count, 128, "field observations")
            XCTAssertEqual(observations.filter { $0.measure == "指标值" }.count, 134, "indicator observations")
            XCTAssertEqual(observations.count, 262)
            XCTAssertEqual(Set(observations.map(\.unit)), ["601"])
            XCTAssertEqual(Set(observations.map(\.period)), ["2024"])
            XCTAssertEqual(Set(observations.compactMap { $0.extra["instance"] }).count, 16)
            XCTAssertEqual(lines(observations), seed.expected, "observations as the seed prints them")

            // Spot checks: numbers exact, comparators and signs kept as printed.
            let 体检 = observations.filter { $0.extra["instance"] == "享受市政府特殊津贴专家体检" }
            XCTAssertEqual(体检.first { $0.indicator == "年度资金总额" }?.value, "12.8")
            XCTAssertEqual(体检.first { $0.indicator == "成本指标 / 经济成本指标 / 专家体检成本" }?.value, "≤12.8万元")
            let 经办 = observations.filter { $0.extra["instance"] == "社会保险经办业务" }
            XCTAssertEqual(经办.first { $0.indicator == "财政拨款" }?.value, "706.9")
            XCTAssertEqual(经办.first { $0.indicator == "满意度指标 / 服务对象满意度 / 参保对象满意度" }?.value, "≥95%")
            let 机构 = observations.filter { $0.extra["instance"] == "公共就业创业服务机构管理费" }
            let 用水 = try XCTUnwrap(机构.first { $0.indicator == "产出指标 / 数量指标 / 保障正常用水月份" })
            XCTAssertEqual(用水.value, "-12次")
            XCTAssertEqual(用水.status, .value)
            XCTAssertEqual(机构.first { $0.indicator == "产出指标 / 时效指标 / 2024年12月25日完成" }?.value, "-100%")
            let 运行 = observations.filter { $0.extra["instance"] == "人力资源社会保障运行经费" }
            XCTAssertEqual(运行.first { $0.indicator == "成本指标 / 经济成本指标 / 项目成本控制率" }?.value, "= 100%")
            // White space inside each path part is removed; the text of 指标值 is not touched.
            XCTAssertNotNil(observations.first { $0.indicator == "满意度指标 / 服务对象满意度 / 参保人员满意度(%)" })
            let 主管 = observations.first { $0.indicator == "主管部门及代码" && $0.extra["instance"] == "流动人员档案管理项目经费" }
            XCTAssertEqual(主管?.value, "601-南昌市人力资源和社会保障 局(部门)")
            XCTAssertEqual(主管?.unit, "601")
            XCTAssertTrue(observations.allSatisfy { $0.status == .value })
        }
    }

    func testDepartmentPerformanceSeedReadsExactly() throws {
        let seed = try SeedForm.parse(id: "department-performance")
        XCTAssertEqual(seed.instances.count, 1)
        XCTAssertEqual(seed.fieldCount, 8)
        XCTAssertEqual(seed.indicatorCount, 53)
        let csv = try writeCSV(seed.rows, name: "department-performance.csv")
        for templateID in [nil, "department-performance"] {
            let readings = try AnnexReader(library: Self.library).read(file: csv.path, templateID: templateID)
            XCTAssertEqual(readings.map(\.template.id), ["department-performance"])
            let observations = try XCTUnwrap(readings.first).observations
            XCTAssertEqual(observations.filter { $0.measure.isEmpty }.count, 8)
            XCTAssertEqual(observations.filter { $0.measure == "目标值" }.count, 53)
            // No code is printed: the unit is the department's name as printed.
            XCTAssertEqual(Set(observations.map(\.unit)), ["南昌市人力资源和社会保障局(部门)"])
            XCTAssertTrue(observations.allSatisfy { $0.extra["instance"] == nil })
            XCTAssertEqual(lines(observations), seed.expected)
            XCTAssertEqual(observations.first { $0.indicator == "收入预算合计" }?.value, "53172.94")
            XCTAssertEqual(observations.first { $0.indicator == "项目支出" }?.value, "39357.51")
            let blank = try XCTUnwrap(observations.first { $0.indicator == "产出指标 / 数量指标 / 受理创业担保贷款材料审核通过率" })
            XCTAssertEqual(blank.status, .empty)
            XCTAssertEqual(blank.value, "")
            XCTAssertEqual(observations.first { $0.indicator == "产出指标 / 成本指标 / 人均培训费用" }?.value, "≤420元/人.天")
            XCTAssertEqual(observations.first { $0.indicator == "满意度指标 / 服务对象满意度指标 / 培训人员满意度" }?.value, "≥95%")
        }
    }

    /// Returns laid out a little differently still read: a blank row between projects, the form one
    /// column to the right, blank rows between the title and the period line.
    func testShiftedLayoutWithBlankRowsReadsTheSame() throws {
        let seed = try SeedForm.parse(id: "project-performance")
        var rows: [[String]] = [["附件"]]
        for (index, row) in seed.rows.enumerated() {
            if row.first == "项目支出绩效目标表" && index > 0 { rows.append(["", ""]) }
            rows.append([""] + row)
            if row.first == "项目支出绩效目标表" { rows.append(["", ""]) }
        }
        let csv = try writeCSV(rows, name: "shifted.csv")
        let reading = try XCTUnwrap(try AnnexReader(library: Self.library).read(file: csv.path).first)
        XCTAssertEqual(reading.template.id, "project-performance")
        XCTAssertEqual(reading.header.origin.description, "B5")
        XCTAssertEqual(lines(reading.observations), seed.expected)
    }

    /// The year comes from the `(2024年度)` line; without one, from the option; without both, an error.
    func testPeriodFromLineElseOption() throws {
        let seed = try SeedForm.parse(id: "department-performance")
        let withoutPeriod = seed.rows.filter { $0.first != "(2024年度)" }
        let csv = try writeCSV(withoutPeriod, name: "no-period.csv")
        XCTAssertThrowsError(try AnnexReader(library: Self.library).read(file: csv.path))
        let reading = try AnnexReader(library: Self.library, options: .init(period: "2023")).read(file: csv.path)
        XCTAssertEqual(Set(reading.flatMap(\.observations).map(\.period)), ["2023"])
        // The printed year wins over the option.
        let printed = try writeCSV(seed.rows, name: "with-period.csv")
        let again = try AnnexReader(library: Self.library, options: .init(period: "2023")).read(file: printed.path)
        XCTAssertEqual(Set(again.flatMap(\.observations).map(\.period)), ["2024"])
    }

    /// Only a cell that is nothing but a dash is the “-” marker; `-12次` and `-100%` are values.
    func testMarkersOnlyForWholeCells() throws {
        let markers: Template.Rules.Markers? = nil
        func value(_ text: String) -> (String, Observation.Status) {
            FormReader.textValue(Cell(reference: .init(row: 0, column: 0), value: .string(text)), markers: markers)
        }
        XCTAssertEqual(value("-").1, .notAssigned)
        XCTAssertEqual(value(" － ").1, .notAssigned)
        XCTAssertEqual(value("无").1, .notCarriedOut)
        XCTAssertEqual(value("-12次").0, "-12次")
        XCTAssertEqual(value("-12次").1, .value)
        XCTAssertEqual(value("无离职").1, .value)
        XCTAssertEqual(value("= 100%").0, "= 100%")
        XCTAssertEqual(value("  ").1, .empty)
    }

    // MARK: - Rendering

    func testRenderedFormsRoundTripThroughXLSX() throws {
        let directory = try temporaryDirectory()
        for id in ["project-performance", "department-performance"] {
            let template = try Self.library.template(id)
            var observations = try SeedForm.parse(id: id).observations(template: id)
            if id == "department-performance" {
                // Marker states survive the trip as well.
                observations[9].value = "-"
                observations[9].status = .notAssigned
                observations[10].value = "无"
                observations[10].status = .notCarriedOut
            }
            let sheet = try FormRenderer.render(observations, template: template)
            XCTAssertEqual(sheet.name, template.name)
            XCTAssertEqual(sheet.layout.page?.fitToWidth, 1)
            XCTAssertNil(sheet.layout.page?.repeatRows)
            XCTAssertTrue(sheet.merged.contains(CellRange("A1:D1")!), "\(id): title merged across")
            XCTAssertTrue(sheet.merged.contains(CellRange("B3:D3")!), "\(id): first field's value merged")
            let lineTexts: Set<String> = [template.lines[0].text, "(2024年度)"]
            XCTAssertTrue(sheet.cells.filter { !$0.value.text.isEmpty && !lineTexts.contains($0.value.text) }
                .allSatisfy { $0.style?.border == .all(.thin) }, "\(id): the form is bordered")
            if id == "project-performance" {
                XCTAssertTrue(sheet.merged.contains(CellRange("A5:A8")!), "项目资金 (万元)")
                XCTAssertTrue(sheet.merged.contains(CellRange("A9:D9")!), "年度绩效目标 label")
                XCTAssertTrue(sheet.merged.contains(CellRange("A10:D10")!), "年度绩效目标 text")
                // 产出指标 over 质量/数量/时效 (rows 13-15) of the first project; the second project starts after a blank row.
                XCTAssertTrue(sheet.merged.contains(CellRange("A13:A15")!), "一级 merged down")
                XCTAssertEqual(sheet.value(at: CellReference("A19")!), nil, "blank row between projects")
                XCTAssertEqual(sheet.value(at: CellReference("A20")!)?.text, "项目支出绩效目标表")
                XCTAssertEqual(sheet.value(at: CellReference("A21")!)?.text, "(2024年度)")
            } else {
                XCTAssertTrue(sheet.merged.contains(CellRange("A4:D4")!), "当年预算情况(万元)")
                XCTAssertEqual(sheet.cells.first { $0.reference == CellReference("B5")! }?.numberFormat, "#,##0.00")
                // 产出指标 over the 36 rows of 数量/质量/时效/成本, 数量指标 over its 21.
                XCTAssertTrue(sheet.merged.contains(CellRange("A12:A47")!), "一级 merged down")
                XCTAssertTrue(sheet.merged.contains(CellRange("B12:B32")!), "二级 merged down")
            }

            let xlsx = directory.appendingPathComponent("\(id).xlsx")
            try XLSXWriter.write(Workbook(sheets: [sheet]), to: xlsx.path)
            try TestSupport.assertValidOOXML(xlsx.path)
            for templateID in [nil, id] {
                let back = try AnnexReader(library: Self.library).read(file: xlsx.path, templateID: templateID)
                XCTAssertEqual(back.map(\.template.id), [id])
                XCTAssertEqual(lines(back.first?.observations ?? []), lines(observations), "\(id): round trip")
            }

            // As CSV the layout reads back the same too.
            let csv = directory.appendingPathComponent("\(id)-rendered.csv")
            try CSVWriter.write(sheet, to: csv.path)
            let fromCSV = try AnnexReader(library: Self.library).read(file: csv.path)
            XCTAssertEqual(lines(fromCSV.first?.observations ?? []), lines(observations), "\(id): CSV round trip")
        }
    }

    func testObservationsWithoutAPlaceAreRefused() throws {
        let template = try Self.library.template("project-performance")
        var observations = try SeedForm.parse(id: "project-performance").observations(template: template.id)
        observations[0].indicator = "不存在的栏目"
        XCTAssertThrowsError(try FormRenderer.render(observations, template: template))
        observations[0].indicator = "产出指标 / 数量指标"
        observations[0].measure = "指标值"
        XCTAssertThrowsError(try FormRenderer.render(observations, template: template))
        let table = try Self.library.template("employment-training-1")
        XCTAssertThrowsError(try FormRenderer.render([], template: table))
    }

    // MARK: - Helpers

    /// Observations as comparable lines, without provenance.
    private func lines(_ observations: [Observation]) -> [String] {
        observations.map {
            [$0.template, $0.period, $0.unit, $0.extra["instance"] ?? "∅", $0.indicator, $0.measure, $0.value, $0.status.rawValue]
                .joined(separator: "|")
        }
    }

    private func writeCSV(_ rows: [[String]], name: String) throws -> URL {
        let url = try temporaryDirectory().appendingPathComponent(name)
        let text = rows.map { row in
            row.map { field in
                field.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    private func temporaryDirectory() throws -> URL {
        let url = try TestSupport.temporaryDirectory("annex-forms")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

/// The seed TSV (Tests/Fixtures/seed-tables/*-performance.tsv: 4 tab-separated fields a line, each
/// instance from its title line, indicator rows `一级⇥二级⇥三级⇥值` with 一级/二级 left empty where
/// merged from above), parsed here without the product's code, into what reading must give.
private struct SeedForm {
    struct Instance {
        var fields: [(name: String, value: String, number: Bool)] = []
        var indicators: [(path: String, value: String)] = []
    }

    var id: String
    var rows: [[String]]
    var instances: [Instance]
    var measure: String
    var unit: (Instance) -> String

    var fieldCount: Int { instances.reduce(0) { $0 + $1.fields.count } }
    var indicatorCount: Int { instances.reduce(0) { $0 + $1.indicators.count } }

    /// label → (field name, number?), per form; values are the next non-empty cell to the right,
    /// 年度绩效目标's the line below.
    static let labels: [String: [String: (String, Bool)]] = [
        "project-performance": [
            "项目名称": ("项目名称", false), "主管部门及代码": ("主管部门及代码", false), "实施单位": ("实施单位", false),
            "年度资金总额": ("年度资金总额", true), "其中：财政拨款": ("财政拨款", true), "其中:财政拨款": ("财政拨款", true),
            "其他资金": ("其他资金", true), "上年结转": ("上年结转", true),
        ],
        "department-performance": [
            "部门名称": ("部门名称", false), "收入预算合计": ("收入预算合计", true), "其中:财政拨款": ("财政拨款", true),
            "其他经费": ("其他经费", true), "支出预算合计": ("支出预算合计", true), "其中:基本支出": ("基本支出", true),
            "项目支出": ("项目支出", true), "年度总体目标": ("年度总体目标", false),
        ],
    ]

    static func parse(id: String) throws -> SeedForm {
        let url = FormTemplateTests.root.appendingPathComponent("Tests/Fixtures/seed-tables/\(id).tsv")
        let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.isEmpty }.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let title = rows[0][0]
        let labels = Self.labels[id]!
        var instances: [Instance] = []
        var inTable = false
        var goalNext = false
        var measure = ""
        var level1 = "", level2 = ""
        for row in rows {
            if row[0] == title { instances.append(Instance()); inTable = false; continue }
            if row[0] == "一级指标" { inTable = true; measure = row[3]; continue }
            if goalNext { instances[instances.count - 1].fields.append(("年度绩效目标", row[0], false)); goalNext = false; continue }
            if inTable {
                let strip = { (s: String) in s.filter { !$0.isWhitespace } }
                if !row[0].isEmpty { level1 = strip(row[0]); level2 = strip(row[1]) } else if !row[1].isEmpty { level2 = strip(row[1]) }
                instances[instances.count - 1].indicators.append(("\(level1) / \(level2) / \(strip(row[2]))", row[3]))
                continue
            }
            if row[0] == "年度绩效目标" && id == "project-performance" { goalNext = true; continue }
            for (index, cell) in row.enumerated() {
                guard let (name, number) = labels[cell], let value = row[(index + 1)...].first(where: { !$0.isEmpty }) else { continue }
                instances[instances.count - 1].fields.append((name, value, number))
            }
        }
        let unit: (Instance) -> String = id == "project-performance"
            ? { instance in String(instance.fields.first { $0.name == "主管部门及代码" }!.value.prefix { $0.isNumber }) }
            : { instance in instance.fields.first { $0.name == "部门名称" }!.value }
        return SeedForm(id: id, rows: rows, instances: instances, measure: measure, unit: unit)
    }

    /// What reading must give, in reading order (fields in the template's order, then the rows).
    var expected: [String] {
        observations(template: id).map {
            [$0.template, $0.period, $0.unit, $0.extra["instance"] ?? "∅", $0.indicator, $0.measure, $0.value, $0.status.rawValue]
                .joined(separator: "|")
        }
    }

    func observations(template: String) -> [Observation] {
        let order = id == "project-performance"
            ? ["项目名称", "主管部门及代码", "实施单位", "年度资金总额", "财政拨款", "其他资金", "上年结转", "年度绩效目标"]
            : ["部门名称", "收入预算合计", "财政拨款", "其他经费", "支出预算合计", "基本支出", "项目支出", "年度总体目标"]
        var result: [Observation] = []
        for instance in instances {
            let unit = unit(instance)
            let name = id == "project-performance" ? instance.fields.first { $0.name == "项目名称" }!.value : nil
            let extra = name.map { ["instance": $0] } ?? [:]
            for fieldName in order {
                let field = instance.fields.first { $0.name == fieldName }!
                let value = field.number ? field.value.replacingOccurrences(of: ",", with: "") : field.value
                result.append(Observation(template: template, period: "2024", unit: unit, indicator: fieldName, measure: "",
                                          value: value, status: value.isEmpty ? .empty : .value, extra: extra))
            }
            for (path, value) in instance.indicators {
                result.append(Observation(template: template, period: "2024", unit: unit, indicator: path, measure: measure,
                                          value: value, status: value.isEmpty ? .empty : .value, extra: extra))
            }
        }
        return result
    }
}
