import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexCore

/// Each rule of `annex check` on small made-up tables: a test layout (`rules-test`, written to a
/// temporary templates folder) and the built-in budget layout, laid out as Excel exports them to CSV
/// and read through `AnnexReader`, so every finding points at a real cell.
final class RulesTests: XCTestCase {
    // MARK: markers, not-a-number, header

    func testMarkersAreStatesAndConflictsAreErrors() throws {
        let findings = try RulesFixture.check(rows: [
            ["合计", "2", "10", "100", "10.00", "1", "0", "1", "10", "50"],
            ["一区", "-", "-", "-", "-", "-", "-", "-", "-", "50"],         // all “-”: no task, nothing to report
            ["二区", "1", "无", "50", "20.00", "1", "0", "0", "0", "50"],   // “无” in 累计完成 with a figure in 占全年任务
            ["三区", "1", "10", "50", "20.00", "0", "0", "1", "10", "50"],
        ])
        let conflicts = findings.filter { $0.rule == .markerConflict }
        XCTAssertEqual(conflicts.map(\.severity), [.info, .error])
        XCTAssertEqual(conflicts[0].cell, "C6")
        XCTAssertEqual(conflicts[0].actual, "无")
        XCTAssertTrue(conflicts[0].message.contains("未开展原因"), conflicts[0].message)
        XCTAssertEqual(conflicts[1].cell, "E6")
        XCTAssertEqual(conflicts[1].expected, "无")
        XCTAssertEqual(conflicts[1].actual, "20")
        XCTAssertEqual(conflicts[1].unit, "二区")
        XCTAssertEqual(conflicts[1].indicator, "甲")
        XCTAssertEqual(conflicts[1].measure, "占全年任务")
        // A dash is neither zero-with-a-problem nor invalid; the 合计 still adds up (dashes count as 0).
        XCTAssertEqual(findings.filter { $0.severity == .error }.map(\.rule), [.markerConflict])
    }

    func testTextInAValueCellIsNotANumber() throws {
        let findings = try RulesFixture.check(rows: [
            ["合计", "3", "30", "150", "20.00", "2", "20", "1", "10", "50"],
            ["一区", "1", "十", "50", "20.00", "1", "10", "0", "0", "50"],
            ["二区", "1", "10", "50", "20.00", "1", "10", "0", "0", "50"],
            ["三区", "1", "10", "50", "20.00", "0", "0", "1", "10", "50"],
        ])
        let invalid = try XCTUnwrap(findings.first { $0.rule == .notANumber })
        XCTAssertEqual(invalid.severity, .error)
        XCTAssertEqual(invalid.cell, "C5")
        XCTAssertEqual(invalid.actual, "十")
        // Sums with an unreadable part are not judged (that would repeat the same problem).
        XCTAssertFalse(findings.contains { $0.rule == .totalMismatch && $0.cell == "C4" })
        XCTAssertFalse(findings.contains { $0.rule == .rowSumMismatch && $0.unit == "一区" })
    }

    func testRetitledHeaderCellIsAWarning() throws {
        let findings = try RulesFixture.check(rows: RulesFixture.cleanRows, header: { header in
            header[1][2] = "累计"  // C3 of the sheet: 累计完成 retitled
        })
        let header = findings.filter { $0.rule == .headerMismatch }
        XCTAssertEqual(header.count, 1)
        XCTAssertEqual(header[0].severity, .warning)
        XCTAssertEqual(header[0].cell, "C3")
        XCTAssertEqual(header[0].expected, "累计完成")
        XCTAssertEqual(header[0].actual, "累计")
    }

    func testCleanTableHasNoFindings() throws {
        let findings = try RulesFixture.check(rows: RulesFixture.cleanRows)
        XCTAssertEqual(findings, [], findings.map(FindingReport.line).joined(separator: "\n"))
    }

    // MARK: decimals

    func testMoreThanTwoDecimalsInAPercentageIsFlaggedWithItsRoundedValue() throws {
        var rows = RulesFixture.cleanRows
        rows[1][4] = "62.500"   // trailing zeros are not extra decimals (canonical 62.5)
        rows[2][4] = "56.245"   // typed with three places: 56.25 after 四舍五入, never the binary 56.24
        rows[2][2] = "28.1225"  // 累计完成 is not limited by the footnote (rule lists 占全年任务 only)
        rows[2][3] = "50"
        let findings = try RulesFixture.check(rows: rows)
        let decimals = findings.filter { $0.rule == .decimals }
        XCTAssertEqual(decimals.count, 1)
        XCTAssertEqual(decimals[0].severity, .warning)
        XCTAssertEqual(decimals[0].cell, "E6")
        XCTAssertEqual(decimals[0].expected, "56.25")
        XCTAssertEqual(decimals[0].actual, "56.245")
        // 28.1225 / 50 × 100 = 56.245 → 56.25 (half up): the printed 56.245 rounds to the same, no ratio finding.
        XCTAssertFalse(findings.contains { $0.rule == .ratioMismatch && $0.unit == "二区" })
    }

    // MARK: ratios

    func testRatioIsRecomputedExactlyAndRoundedHalfUp() throws {
        var rows = RulesFixture.cleanRows
        // 30695 / 27000 × 100 = 113.685185… → 113.69; printed 113.68 (the seed's 东湖区 slip).
        rows[1] = ["一区", "1", "30695", "27000", "113.68", "0", "0", "1", "30695", "50"]
        // 46853 / 42000 × 100 = 111.554761… → 111.55; 111.56 would be double rounding via 111.555.
        rows[2] = ["二区", "1", "46853", "42000", "111.56", "1", "46853", "0", "0", "50"]
        // 1 / 8 × 100 = 12.5: printed with fewer places is the same number.
        rows[3] = ["三区", "1", "1", "8", "12.5", "0", "0", "1", "1", "50"]
        rows[0] = ["合计", "3", "77549", "69008", "112.38", "1", "46853", "2", "30696", "50"]
        let ratios = try RulesFixture.check(rows: rows).filter { $0.rule == .ratioMismatch }
        XCTAssertEqual(ratios.map(\.cell), ["E5", "E6"])
        XCTAssertEqual(ratios.map(\.expected), ["113.69", "111.55"])
        XCTAssertEqual(ratios.map(\.actual), ["113.68", "111.56"])
        XCTAssertEqual(ratios.map(\.severity), [.error, .error])
        XCTAssertTrue(ratios[0].message.contains("30695 ÷ 目标任务 27000 × 100 = 113.69"), ratios[0].message)
    }

    func testRatioWithoutDenominatorColumnOrWithZeroTargetIsNotChecked() throws {
        var rows = RulesFixture.cleanRows
        rows[1][3] = "0"        // 目标任务 0: no share can be computed
        rows[1][4] = "12.00"
        rows[0][3] = "50"
        rows[0][4] = "60.00"
        let findings = try RulesFixture.check(rows: rows)
        XCTAssertFalse(findings.contains { $0.rule == .ratioMismatch })
        // 乙 and 丙 print 占全年任务 without 目标任务: never a ratio finding (their values are arbitrary here).
    }

    // MARK: sums and rounding tails

    func testRowSumAndTotalMismatchesWithIntegerFiguresAllowNoTail() throws {
        var rows = RulesFixture.cleanRows
        rows[3][1] = "3"        // 三区 甲 本月完成 3 ≠ 乙 0 + 丙 1 (off by 2)
        rows[0][8] = "11"       // 合计 丙 累计完成 11 ≠ 0 + 0 + 10; and so 合计 甲 累计完成 30 ≠ 20 + 11 (off by 1)
        let findings = try RulesFixture.check(rows: rows)
        let rowSums = findings.filter { $0.rule == .rowSumMismatch }
        XCTAssertEqual(rowSums.map(\.cell), ["C4", "B7"])
        XCTAssertEqual(rowSums.map(\.severity), [.error, .error])   // integers: a difference of 1 is no rounding tail
        XCTAssertEqual(rowSums.map(\.expected), ["31", "1"])
        XCTAssertEqual(rowSums.map(\.actual), ["30", "3"])
        XCTAssertEqual(rowSums[1].unit, "三区")
        XCTAssertEqual(rowSums[1].indicator, "甲")
        XCTAssertEqual(rowSums[1].measure, "本月完成")
        let totals = findings.filter { $0.rule == .totalMismatch }
        // 合计 甲 本月完成 (B4) is now 2 short of 1 + 1 + 3 = 5; 合计 丙 累计完成 (I4) 1 over.
        XCTAssertEqual(totals.map(\.cell), ["B4", "I4"])
        XCTAssertEqual(totals.map(\.severity), [.error, .error])
        XCTAssertEqual(totals.map(\.expected), ["5", "10"])
        // 占全年任务 and the single-level 比率 column are non-additive: no totals on them.
        XCTAssertFalse(findings.contains { $0.rule == .totalMismatch && ($0.measure == "占全年任务" || $0.indicator == "比率") })
    }

    func testDecimalFiguresAllowATailOfOneLastPlacePerItem() throws {
        var rows = RulesFixture.cleanRows
        // 乙 累计完成 with two decimals: 10.01 + 10.01 + 0 = 20.02, 合计 prints 20.00 → a tail of 0.02 ≤ 0.01 × 3.
        rows[1][6] = "10.01"
        rows[2][6] = "10.01"
        rows[0][6] = "20.00"
        // 甲 累计完成 = 乙 + 丙 per row: keep rows consistent except the tails.
        rows[1][2] = "10.01"
        rows[2][2] = "10.01"
        // 丙 本月完成 one decimal: 0.4 + 0.4 + 2.4 = 3.2 vs printed 3.6 → 0.4 > 0.1 × 3: an error.
        rows[0][7] = "3.6"
        rows[1][7] = "0.4"
        rows[2][7] = "0.4"
        rows[3][7] = "2.4"
        let findings = try RulesFixture.check(rows: rows)
        let tail = try XCTUnwrap(findings.first { $0.rule == .totalMismatch && $0.cell == "G4" })
        XCTAssertEqual(tail.severity, .info)
        XCTAssertEqual(tail.expected, "20.02")
        XCTAssertEqual(tail.actual, "20")
        XCTAssertTrue(tail.message.contains("尾差"), tail.message)
        let beyond = try XCTUnwrap(findings.first { $0.rule == .totalMismatch && $0.cell == "H4" })
        XCTAssertEqual(beyond.severity, .error)
        XCTAssertEqual(beyond.expected, "3.2")
        XCTAssertEqual(SumRules.compare(total: ExactDecimal("3.6")!, parts: [ExactDecimal("3.2")!], formatPlaces: 0).tolerance,
                       ExactDecimal("0.1")!)
    }

    func testToleranceIsZeroForIntegersAndOneLastPlacePerItemOtherwise() {
        func compare(_ total: String, _ parts: [String], places: Int = 0) -> SumRules.Comparison {
            SumRules.compare(total: ExactDecimal(total)!, parts: parts.map { ExactDecimal($0)! }, formatPlaces: places)
        }
        XCTAssertEqual(compare("2045604", ["2045000", "603"]).severity, .error)       // integers: 1 is an error
        XCTAssertEqual(compare("927.74", ["10.38", "8.33", "909.04"]).severity, .info) // 0.01 ≤ 0.03
        XCTAssertEqual(compare("927.70", ["10.38", "8.33", "909.04"]).severity, .error) // 0.05 > 0.03
        XCTAssertEqual(compare("100", ["50", "50"], places: 2).tolerance, ExactDecimal("0.02")!) // format 0.00
        XCTAssertEqual(compare("302", ["66.39", "235.61"]).tolerance, ExactDecimal("0.02")!)  // decimals of the items
        XCTAssertTrue(compare("302", ["66.39", "235.61"]).isExact)
    }

    // MARK: units

    func testUnknownAliasDuplicateAndMissingUnits() throws {
        let findings = try RulesFixture.check(rows: [
            ["合计", "3", "30", "100", "30.00", "2", "20", "1", "10", "50"],
            ["一市", "1", "10", "50", "20.00", "1", "10", "0", "0", "50"],    // a slip for 一区
            ["旧二区", "1", "10", "50", "20.00", "1", "10", "0", "0", "50"],  // the former name of 二区
            ["二区", "1", "10", "50", "20.00", "0", "0", "1", "10", "50"],
        ])
        let units = findings.filter { [.unknownUnit, .duplicateUnit, .missingUnit].contains($0.rule) }
        XCTAssertEqual(units.map(\.rule), [.unknownUnit, .unknownUnit, .duplicateUnit, .missingUnit, .missingUnit])
        XCTAssertEqual(units.map(\.severity), [.error, .info, .error, .warning, .warning])
        XCTAssertEqual(units.map(\.cell), ["A5", "A6", "A7", "", ""])
        XCTAssertEqual(units[0].actual, "一市")
        XCTAssertEqual(units[0].expected, "一区、三区")
        XCTAssertEqual(units[1].expected, "二区")
        XCTAssertEqual(units[1].actual, "旧二区")
        XCTAssertEqual(units[2].unit, "二区")
        XCTAssertEqual(units.suffix(2).map(\.unit), ["一区", "三区"])
    }

    func testASingleDistrictReturnIsNotMissingTheOthers() throws {
        let findings = try RulesFixture.check(rows: [["二区", "1", "10", "50", "20.00", "1", "10", "0", "0", "50"]])
        XCTAssertFalse(findings.contains { $0.rule == .missingUnit })
    }

    // MARK: behind schedule

    func testBehindScheduleIsStrictlyBelowMonthOverTwelve() throws {
        XCTAssertEqual(Checker.schedule(period: "2023-07"), ExactDecimal("58.33"))
        XCTAssertEqual(Checker.schedule(period: "2023-12"), ExactDecimal("100"))
        XCTAssertEqual(Checker.schedule(period: "2023-01"), ExactDecimal("8.33"))
        XCTAssertEqual(Checker.schedule(period: "2024-05"), ExactDecimal("41.67"))
        XCTAssertNil(Checker.schedule(period: "2024"))
        var rows = RulesFixture.cleanRows
        rows[0][4] = "10.00"                  // the 合计 row is never listed
        rows[1][3] = "60000"                  // 一区 10 / 60000: 0.02
        rows[1][4] = "0.02"
        rows[2][3] = "17.15"                  // 二区 10 / 17.15 = 58.309… → 58.31 < 58.33
        rows[2][4] = "58.31"
        rows[3][3] = "17.14"                  // 三区 10 / 17.14 = 58.343… → 58.34: on schedule
        rows[3][4] = "58.34"
        let behind = try RulesFixture.check(rows: rows).filter { $0.rule == .behindSchedule }
        XCTAssertEqual(behind.map(\.unit), ["一区", "二区"])
        XCTAssertEqual(behind.map(\.cell), ["E5", "E6"])
        XCTAssertEqual(behind.map(\.indicator), ["甲", "甲"])
        XCTAssertEqual(behind.map(\.actual), ["0.02", "58.31"])
        XCTAssertEqual(behind.map(\.expected), ["58.33", "58.33"])
        XCTAssertTrue(behind.allSatisfy { $0.severity == .info })
    }

    func testExactlyOnScheduleIsNotBehind() throws {
        var rows = RulesFixture.cleanRows
        for index in 1...3 { rows[index][4] = "58.33"; rows[index][3] = "17.144" }
        let findings = try RulesFixture.check(rows: rows)
        XCTAssertFalse(findings.contains { $0.rule == .behindSchedule && $0.indicator == "甲" })
    }

    // MARK: cross-table

    func testFiguresInTwoAnnexesMustAgreeWhenCheckedTogether() throws {
        var other = RulesFixture.cleanRows
        other[2][2] = "11"   // 二区 甲 累计完成 in the second annex
        let first = try RulesFixture.read(rows: RulesFixture.cleanRows, template: "rules-test", name: "first")
        let second = try RulesFixture.read(rows: other, template: "rules-test-b", name: "second")
        XCTAssertFalse(Checker().check(first).contains { $0.rule == .crossTableMismatch }, "one file alone has nothing to compare")
        let cross = Checker().check(first + second).filter { $0.rule == .crossTableMismatch }
        XCTAssertEqual(cross.count, 1)
        XCTAssertEqual(cross[0].severity, .error)
        XCTAssertEqual(cross[0].sheet, "first")
        XCTAssertEqual(cross[0].cell, "C6")
        XCTAssertEqual(cross[0].expected, "11")
        XCTAssertEqual(cross[0].actual, "10")
        XCTAssertTrue(cross[0].message.contains("second!C6"), cross[0].message)
    }

    // MARK: budget tables: hierarchy, 合计 = 基本支出 + 项目支出, tails

    func testBudgetHierarchyAndRowSumsWithTailsAsInfo() throws {
        let rows: [[String]] = [
            ["", "合计", "1,000.01", "600.01", "400.00"],        // 205 + 208 = 1000.00: a tail of 0.01 ≤ 0.01 × 2
            ["205", "教育支出", "300.00", "300.00", ""],
            ["02", "普通教育", "300.00", "300.00", ""],            // 100.00 + 200.05 = 300.05: 0.05 > 0.02, an error
            ["2050201", "学前教育", "100.00", "100.00", ""],
            ["2050202", "小学教育", "200.05", "200.05", ""],
            ["208", "社会保障和就业支出", "700.00", "300.00", "400.00"],
            ["01", "人力资源和社会保障管理事务", "700.00", "300.00", "400.00"],
            ["2080101", "行政运行", "250.00", "250.00", ""],
            ["2080102", "一般行政管理事务", "449.99", "50.00", "399.99"], // 250 + 449.99 = 699.99 vs 700.00: a tail
        ]
        let findings = try RulesFixture.check(rows: rows, template: "budget-expenditure",
                                              lines: ["部门支出总表", "填报单位[601]南昌市人力资源和社会保障局", "单位: 万元"],
                                              period: "2024")
        XCTAssertTrue(findings.allSatisfy { $0.rule != .unknownUnit && $0.rule != .missingUnit })
        let hierarchy = findings.filter { $0.rule == .hierarchyMismatch }
        XCTAssertEqual(hierarchy.map(\.unit), ["20502", "20502", "20801", "20801"])
        XCTAssertEqual(hierarchy.map(\.cell), ["C9", "D9", "C13", "E13"])
        XCTAssertEqual(hierarchy.map(\.indicator), ["合计", "基本支出", "合计", "项目支出"])
        XCTAssertEqual(hierarchy.map(\.measure), ["", "", "", ""])
        XCTAssertEqual(hierarchy.map(\.expected), ["300.05", "300.05", "699.99", "399.99"])
        XCTAssertEqual(hierarchy.map(\.actual), ["300", "300", "700", "400"])
        XCTAssertEqual(hierarchy.map(\.severity), [.error, .error, .info, .info])
        XCTAssertTrue(hierarchy[2].message.contains("2080101 250.00 + 2080102 449.99 = 699.99"), hierarchy[2].message)
        let totals = findings.filter { $0.rule == .totalMismatch }
        XCTAssertEqual(totals.map(\.cell), ["C7", "D7"])
        XCTAssertEqual(totals.map(\.severity), [.info, .info])
        XCTAssertEqual(totals.map(\.expected), ["1000", "600"])
        XCTAssertEqual(totals.map(\.actual), ["1000.01", "600.01"])
        XCTAssertFalse(findings.contains { $0.rule == .rowSumMismatch }, "合计 = 基本支出 + 项目支出 holds on every row")
        XCTAssertEqual(findings.count, 6, findings.map(FindingReport.line).joined(separator: "\n"))
    }
}

/// Builds annex-layout CSVs the way Excel exports them: the template's lines, the header block with a
/// merged cell's text in its first cell only, the column-number row of budget tables, the data rows,
/// the footnotes. Shared by the rules tests.
enum RulesFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A consistent table in the `rules-test` layout: 甲 = 乙 + 丙 per row, 合计 = the sum of the units,
    /// 占全年任务 = 累计完成 / 目标任务 × 100, nobody behind the July schedule.
    static let cleanRows: [[String]] = [
        ["合计", "3", "30", "50", "60.00", "2", "20", "1", "10", "50"],
        ["一区", "1", "10", "16", "62.50", "1", "10", "0", "0", "50"],
        ["二区", "1", "10", "17", "58.82", "1", "10", "0", "0", "50"],
        ["三区", "1", "10", "17", "58.82", "0", "0", "1", "10", "50"],
    ]

    /// `rules-test`: 甲 (本月完成, 累计完成, 目标任务, 占全年任务), 乙 and 丙 (本月完成, 累计完成), 比率.
    /// 甲 = 乙 + 丙 (本月完成, 累计完成); `rules-test-b` is the same layout, named as the other annex.
    static func template(id: String, crossTable: Bool) -> String {
        """
        {"id": "\(id)", "name": "\(id == "rules-test" ? "测试表一" : "测试表二")", "kind": "table", "period": "month",
         "lines": [{"role": "title", "text": "{year}年{month}月测试\(id == "rules-test" ? "一" : "二")"}],
         "header": {"rows": 2, "cells": [
           {"range": "A1:A2", "text": "单位", "corner": true},
           {"range": "B1:E1", "text": "甲"}, {"range": "B2", "text": "本月完成"}, {"range": "C2", "text": "累计完成"},
           {"range": "D2", "text": "目标任务"}, {"range": "E2", "text": "占全年任务"},
           {"range": "F1:G1", "text": "乙"}, {"range": "F2", "text": "本月完成"}, {"range": "G2", "text": "累计完成"},
           {"range": "H1:I1", "text": "丙"}, {"range": "H2", "text": "本月完成"}, {"range": "I2", "text": "累计完成"},
           {"range": "J1:J2", "text": "比率"}]},
         "keyColumns": [{"column": "A", "role": "unit"}],
         "rows": {"registry": "rules-test-units", "order": ["合计", "一区", "二区", "三区"], "totals": ["合计"]},
         "formats": {"default": "0", "byMeasure": {"占全年任务": "0.00"}},
         "footnotes": ["说明：测试。"],
         "rules": {
           "markers": {"notAssigned": ["-"], "notCarriedOut": ["无"]},
           "decimals": {"places": 2, "measures": ["占全年任务"]},
           "ratios": [{"result": "占全年任务", "numerator": "累计完成", "denominator": "目标任务", "scale": 100}],
           "rowSums": [{"total": "甲", "parts": ["乙", "丙"], "measures": ["本月完成", "累计完成"]}],
           "columnTotals": true,
           "nonAdditive": {"measures": ["占全年任务"], "indicators": ["比率"]},
           "behindSchedule": {"measure": "占全年任务"}\(crossTable ? #", "crossTable": [{"template": "rules-test-b", "indicator": "甲", "measures": ["累计完成"]}]"# : "")
         }}
        """
    }

    static let registry = """
        {"id": "rules-test-units", "units": [{"name": "合计"}, {"name": "一区"}, {"name": "二区", "aliases": ["旧二区"]}, {"name": "三区"}]}
        """

    /// The built-in templates plus the test layouts.
    static func library() throws -> TemplateLibrary {
        let folder = try temporaryDirectory()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("registries"), withIntermediateDirectories: true)
        try template(id: "rules-test", crossTable: true).write(to: folder.appendingPathComponent("rules-test.json"), atomically: true, encoding: .utf8)
        try template(id: "rules-test-b", crossTable: false).write(to: folder.appendingPathComponent("rules-test-b.json"), atomically: true, encoding: .utf8)
        try registry.write(to: folder.appendingPathComponent("registries/rules-test-units.json"), atomically: true, encoding: .utf8)
        return try TemplateLibrary.load(directories: [root.appendingPathComponent("templates").path, folder.path])
    }

    static func temporaryDirectory() throws -> URL {
        try TestSupport.temporaryDirectory("annex-rules")
    }

    /// The CSV grid of a table in a template's layout. `lines` replaces the template's filled lines.
    static func grid(_ template: Template, rows: [[String]], year: String = "2023", month: String = "7",
                     lines: [String]? = nil, header edit: ((inout [[String]]) -> Void)? = nil) -> [[String]] {
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "{year}", with: year).replacingOccurrences(of: "{month}", with: month)
                .replacingOccurrences(of: "{deptCode}", with: "601").replacingOccurrences(of: "{deptName}", with: "南昌市人力资源和社会保障局")
        }
        var grid = (lines ?? template.lines.map { fill($0.text) }).map { [$0] }
        let header = template.header!
        var block = Array(repeating: Array(repeating: "", count: template.headerWidth), count: header.rows)
        for cell in header.cells {
            let range = CellRange(cell.range)!
            block[range.first.row][range.first.column] = fill(cell.text)
        }
        edit?(&block)
        grid += block
        if let numbers = header.numberRow { grid.append(numbers) }
        grid += rows
        grid += template.footnotes.map { [$0] }
        return grid
    }

    static func csv(_ grid: [[String]]) -> String {
        grid.map { row in
            row.map { field in
                field.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
    }

    static func read(rows: [[String]], template id: String = "rules-test", name: String? = nil, year: String = "2023",
                     lines: [String]? = nil, period: String? = nil, library: TemplateLibrary? = nil,
                     header edit: ((inout [[String]]) -> Void)? = nil) throws -> [TableReading] {
        let library = try library ?? Self.library()
        let template = try library.template(id)
        let file = try temporaryDirectory().appendingPathComponent("\(name ?? id).csv")
        try csv(grid(template, rows: rows, year: year, lines: lines, header: edit)).write(to: file, atomically: true, encoding: .utf8)
        return try AnnexReader(library: library, options: .init(period: period)).read(file: file.path, templateID: id)
    }

    static func check(rows: [[String]], template id: String = "rules-test", lines: [String]? = nil, period: String? = nil,
                      header edit: ((inout [[String]]) -> Void)? = nil) throws -> [Finding] {
        Checker().check(try read(rows: rows, template: id, lines: lines, period: period, header: edit))
    }
}
