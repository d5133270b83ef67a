import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexCore

/// Month on month (SPEC.md) on tables in the built-in layouts, with last month's figures given as the
/// archive's query gives them: 本月完成 = 累计完成 − last month's 累计完成, 目标任务 fixed within a year.
final class MonthOnMonthRulesTests: XCTestCase {
    /// 社会保险一's 24 value columns: five indicators of (本月完成, 累计完成, 目标任务, 占全年任务).
    static func socialInsuranceRow(_ unit: String, flow: String, total: String, target: String) -> [String] {
        [unit] + Array(repeating: [flow, total, target, "50.00"], count: 6).flatMap { $0 }.prefix(24)
    }

    static func read(_ template: String, rows: [[String]], month: String, year: String = "2023") throws -> [TableReading] {
        let library = try RulesFixture.library()
        let file = try RulesFixture.temporaryDirectory().appendingPathComponent("\(template)-\(month).csv")
        try RulesFixture.csv(RulesFixture.grid(try library.template(template), rows: rows, year: year, month: month))
            .write(to: file, atomically: true, encoding: .utf8)
        return try AnnexReader(library: library).read(file: file.path, templateID: template)
    }

    /// Last month's 累计完成 and 目标任务 of every 社会保险一 indicator for one unit.
    static func prior(_ template: String, period: String, unit: String, indicators: [String],
                      total: String, target: String? = nil) -> PriorMonths {
        var observations: [Observation] = []
        for (index, indicator) in indicators.enumerated() {
            let provenance = ["source": "archive/\(period)/\(unit).xlsx", "sheet": "社会保险一", "cell": "C\(index + 7)"]
            observations.append(Observation(template: template, period: period, unit: unit, indicator: indicator,
                                            measure: "累计完成", value: total, status: .value, extra: provenance))
            if let target {
                observations.append(Observation(template: template, period: period, unit: unit, indicator: indicator,
                                                measure: "目标任务", value: target, status: .value, extra: provenance))
            }
        }
        var prior = PriorMonths()
        prior.set(observations, template: template, period: period)
        return prior
    }

    static let socialIndicators = ["基本养老保险 / 参保人数(含离退休人数)", "城镇职工基本养老保险 / 参保人数(含离退休人数)",
                                   "城镇职工基本养老保险 / 在职参保人数", "机关事业单位养老保险 / 参保人数(含离退休人数)",
                                   "机关事业单位养老保险 / 在职参保人数", "城乡居民基本养老保险 / 参保人数"]

    func monthOnMonth(_ findings: [Finding]) -> [Finding] {
        findings.filter { $0.rule == .monthOnMonthMismatch || $0.rule == .targetChanged }
    }

    func testFlowThatIsNotTheDifferenceOfRunningTotalsIsAnErrorNamingBothFiguresAndLastMonthsSource() throws {
        let readings = try Self.read("social-insurance-1", rows: [Self.socialInsuranceRow("南昌县", flow: "12.5", total: "1012.5", target: "2000")], month: "7")
        // 1012.5 − 1000.00 = 12.5 for five indicators: exact decimals, 1000.00 equals 1000.
        var prior = Self.prior("social-insurance-1", period: "2023-06", unit: "南昌县",
                               indicators: Self.socialIndicators, total: "1000.00", target: "2000")
        XCTAssertEqual(monthOnMonth(Checker().check(readings, priorMonths: prior)), [])

        prior = Self.prior("social-insurance-1", period: "2023-06", unit: "南昌县",
                           indicators: Self.socialIndicators, total: "1002.5", target: "2000")
        let findings = monthOnMonth(Checker().check(readings, priorMonths: prior))
        XCTAssertEqual(findings.count, 6)
        let first = try XCTUnwrap(findings.first)
        XCTAssertEqual(first.rule, .monthOnMonthMismatch)
        XCTAssertEqual(first.severity, .error)
        XCTAssertEqual(first.cell, "B7")
        XCTAssertEqual(first.unit, "南昌县")
        XCTAssertEqual(first.indicator, "基本养老保险 / 参保人数(含离退休人数)")
        XCTAssertEqual(first.measure, "本月完成")
        XCTAssertEqual(first.expected, "10")
        XCTAssertEqual(first.actual, "12.5")
        XCTAssertTrue(first.message.contains("1012.5 − 上月（2023-06）累计完成 1002.5 = 10，表中为 12.5"), first.message)
        XCTAssertTrue(first.message.contains("archive/2023-06/南昌县.xlsx 社会保险一!C7"), first.message)
    }

    func testTargetChangedWithinTheYearIsAWarning() throws {
        let readings = try Self.read("social-insurance-1", rows: [Self.socialInsuranceRow("南昌县", flow: "10", total: "1010", target: "2100")], month: "7")
        let prior = Self.prior("social-insurance-1", period: "2023-06", unit: "南昌县",
                               indicators: Self.socialIndicators, total: "1000", target: "2000")
        let findings = monthOnMonth(Checker().check(readings, priorMonths: prior))
        // 目标任务 of five indicators and 目标任务(参考) of the sixth.
        XCTAssertEqual(findings.map(\.rule), Array(repeating: .targetChanged, count: 5))
        XCTAssertEqual(findings.map(\.severity), Array(repeating: .warning, count: 5))
        XCTAssertEqual(findings[0].cell, "D7")
        XCTAssertEqual(findings[0].expected, "2000")
        XCTAssertEqual(findings[0].actual, "2100")
    }

    func testJanuaryOfAStockComparesWithDecemberAndIgnoresTheNewYearsTarget() throws {
        let readings = try Self.read("social-insurance-1", rows: [Self.socialInsuranceRow("南昌县", flow: "-5", total: "995", target: "3000")],
                                     month: "1", year: "2024")
        XCTAssertEqual(PriorMonths.needed(for: readings).map { "\($0.template) \($0.period)" }, ["social-insurance-1 2023-12"])
        let prior = Self.prior("social-insurance-1", period: "2023-12", unit: "南昌县",
                               indicators: Self.socialIndicators, total: "1000", target: "2000")
        XCTAssertEqual(monthOnMonth(Checker().check(readings, priorMonths: prior)), [])
    }

    func testJanuaryOfAYearlyRunningTotalNeedsNoArchive() throws {
        var row = ["南昌县"] + Array(repeating: "", count: 19)
        row[1] = "300"; row[2] = "300"      // 城镇人数新增就业: 本月完成 = 累计完成
        row[4] = "20"; row[5] = "25"        // 城镇失业人员再就业人数: 20 ≠ 25
        let readings = try Self.read("employment-training-1", rows: [row], month: "1", year: "2024")
        XCTAssertTrue(PriorMonths.needed(for: readings).isEmpty)
        let findings = monthOnMonth(Checker().check(readings, priorMonths: PriorMonths()))
        XCTAssertEqual(findings.map(\.cell), ["E6"])
        XCTAssertEqual(findings.first?.expected, "25")
        XCTAssertEqual(findings.first?.actual, "20")
    }

    func testLastMonthNotArchivedIsSaidOnceNotPerCell() throws {
        let readings = try Self.read("social-insurance-1", rows: [
            Self.socialInsuranceRow("南昌县", flow: "10", total: "1010", target: "2000"),
            Self.socialInsuranceRow("新建区", flow: "10", total: "1010", target: "2000"),
        ], month: "7")
        let none = monthOnMonth(Checker().check(readings, priorMonths: PriorMonths()))
        XCTAssertEqual(none.map(\.severity), [.info])
        XCTAssertEqual(none.first?.cell, "")
        XCTAssertTrue(none.first?.message.contains("档案库中没有 2023-06 的社会保险一") == true, none.first?.message ?? "")

        // June archived for 南昌县 only: 新建区 is named once.
        let prior = Self.prior("social-insurance-1", period: "2023-06", unit: "南昌县",
                               indicators: Self.socialIndicators, total: "1000", target: "2000")
        let some = monthOnMonth(Checker().check(readings, priorMonths: prior))
        XCTAssertEqual(some.map(\.severity), [.info])
        XCTAssertTrue(some.first?.message.contains("档案库中没有 新建区 2023-06") == true, some.first?.message ?? "")
    }

    func testWithoutPriorMonthsNothingIsCompared() throws {
        let readings = try Self.read("social-insurance-1", rows: [Self.socialInsuranceRow("南昌县", flow: "1", total: "1010", target: "2000")], month: "7")
        XCTAssertEqual(monthOnMonth(Checker().check(readings)), [])
    }
}
