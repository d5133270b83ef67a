import Foundation
import XCTest
@testable import AnnexCore

/// Annual targets: matched by unit and folded indicator path, turned into 占全年任务 by the renderer's
/// compute and checked by the rules, exactly and rounded half up.
final class AnnualTargetsTests: XCTestCase {
    static let library = JobsFixture.library
    static let pension = "机关事业单位养老保险 / 参保人数(含离退休人数)"

    private func target(_ unit: String, _ indicator: String, _ value: String, status: Observation.Status = .value) -> Observation {
        Observation(template: "social-insurance-1", period: "2023-07", unit: unit, indicator: indicator, measure: "目标任务",
                    value: value, status: status)
    }

    private func figure(_ unit: String, _ measure: String, _ value: String) -> Observation {
        Observation(template: "social-insurance-2", period: "2023-08", unit: unit, indicator: Self.pension, measure: measure,
                    value: value, status: .value)
    }

    func testTargetsMatchFoldedWordingAndKeepTheFirstFile() {
        var targets = AnnualTargets()
        targets.add([target("南昌县", "机关事业单位养老保险 / 参保人数（含离退休 人数）", "23040"),
                     target("新建区", Self.pension, "-", status: .notAssigned),
                     Observation(template: "social-insurance-1", period: "2023-07", unit: "南昌县", indicator: Self.pension,
                                 measure: "累计完成", value: "23155", status: .value)], source: "a.xlsx")
        targets.add([target("南昌县", Self.pension, "99999")], source: "b.xlsx")
        XCTAssertEqual(targets.target(unit: "南昌县", indicator: Self.pension)?.value, ExactDecimal("23040"))
        XCTAssertEqual(targets.target(unit: "南昌县", indicator: Self.pension)?.source, "a.xlsx")
        XCTAssertNil(targets.target(unit: "新建区", indicator: Self.pension))
        XCTAssertEqual(targets.units, ["南昌县"])
        // 23155 ÷ 23040 × 100 = 100.49913… → 100.50
        XCTAssertEqual(targets.ratio(unit: "南昌县", indicator: Self.pension, cumulative: ExactDecimal("23155")!)?.0,
                       ExactDecimal("100.50"))
        XCTAssertTrue(AnnualTargets.isTargetMeasure("目标任务(参考)"))
        XCTAssertFalse(AnnualTargets.isTargetMeasure("累计完成"))
    }

    func testComputeFillsTheCityAndUnitRatiosWithoutATargetColumn() throws {
        let template = try Self.library.template("social-insurance-2")
        var targets = AnnualTargets()
        targets.add([target("全市", Self.pension, "39640"), target("南昌县", Self.pension, "23040"),
                     target("南昌市", Self.pension, "1")], source: "社会保险一.xlsx")
        XCTAssertEqual(targets.unknownUnits(for: template), ["南昌市"])
        XCTAssertEqual(AnnualTargets.unknownUnitMessage("南昌市", rowsName: "单位行", rows: template.rows?.order ?? []),
                       "目标任务中的单位“南昌市”不在单位行中，其目标任务未使用（是否为“南昌县”的误写？）。")
        let observations = [figure("南昌县", "累计完成", "23155"), figure("新建区", "累计完成", "16627"),
                            figure("新建区", "占全年任务", "100.16")]
        let sheet = try TableRenderer.render(observations, template: template, options: .init(compute: true, targets: targets))
        let reading = try TableReader.read(sheet, file: "附件4.xlsx", template: template, library: Self.library,
                                           options: .init(period: "2023-08"))
        func ratio(_ unit: String) -> String? {
            reading.observations.first { $0.unit == unit && $0.indicator == Self.pension && $0.measure == "占全年任务" }?.value
        }
        XCTAssertEqual(ratio("全市"), "100.36")   // (23155 + 16627) ÷ 39640 × 100 = 100.358…
        XCTAssertEqual(ratio("南昌县"), "100.5")
        XCTAssertEqual(ratio("新建区"), "100.16")  // printed: kept
        XCTAssertEqual(ratio("东湖区"), "")        // no figure, no target

        // The checker holds the printed ratios against the targets.
        XCTAssertTrue(Checker().check([reading], targets: targets).filter { $0.rule == .ratioMismatch }.isEmpty)
        var wrong = AnnualTargets()
        wrong.add([target("全市", Self.pension, "40000")], source: "t.csv")
        let findings = Checker().check([reading], targets: wrong).filter { $0.rule == .ratioMismatch }
        XCTAssertEqual(findings.map(\.unit), ["全市"])
        XCTAssertEqual(findings.first?.expected, "99.46")  // 39782 ÷ 40000 × 100 = 99.455 → 99.46 (half up)
        XCTAssertEqual(findings.first?.actual, "100.36")
    }

    // MARK: The employment-targets table (年度全省就业工作目标任务分解表) as targets

    static let employmentTargets = JobsFixture.root.appendingPathComponent("samples/annexes/2021-年度全省就业工作目标任务分解表.xlsx").path

    /// Its 南昌 row is the whole city, 全市 of the monthly annexes; its 万人 figures are targets in 人
    /// (×10000 exactly), its 万元 ones stay 万元; columns no monthly layout prints with 占全年任务
    /// (就业困难人员, rates, 农村劳动力转移) state no target.
    func testEmploymentTargetsTableStatesTheCityTargetsInTheLayoutsUnits() throws {
        let targets = try AnnualTargets.load([Self.employmentTargets], reader: AnnexReader(library: Self.library))
        func target(_ indicator: String) -> String? {
            targets.target(unit: "全市", indicator: indicator)?.value.normalized.description
        }
        XCTAssertEqual(target("城镇人数新增就业"), "58500")        // 5.85 万人
        XCTAssertEqual(target("城镇失业人员再就业人数"), "20100")   // 2.01 万人
        XCTAssertEqual(target("创业培训人数"), "17000")            // 1.7 万人次
        XCTAssertEqual(target("新增创业担保贷款"), "110000")        // 万元
        XCTAssertEqual(target("创业贷款新增担保基金"), "750")        // 万元
        XCTAssertEqual(target("青年见习人数"), "2000")              // 0.2 万人
        XCTAssertEqual(target("失业保险参保人数"), "663900")        // 66.39 万人
        XCTAssertNil(target("“4050”人员再就业人数"))
        XCTAssertNil(target("零就业家庭就业安置率"))
        XCTAssertNil(target("城镇新增就业人数(万人)"))
        XCTAssertEqual(targets.target(unit: "全市", indicator: "城镇人数新增就业")?.location, "\(Self.employmentTargets) B4")
        XCTAssertNil(targets.target(unit: "南昌", indicator: "城镇人数新增就业"))
        XCTAssertEqual(targets.target(unit: "九江", indicator: "城镇人数新增就业")?.value, ExactDecimal("45400"))

        // The other cities and 全省 are no rows of the districts' layouts: ignored.
        let training1 = try Self.library.template("employment-training-1")
        XCTAssertEqual(targets.unknownUnits(for: training1),
                       ["上饶", "九江", "全省", "吉安", "宜春", "抚州", "新余", "景德镇", "萍乡", "赣州", "鹰潭"])
        // Other cities are no misprints of a district: no hint.
        XCTAssertEqual(AnnualTargets.unknownUnitMessage("九江", rowsName: "单位行", rows: training1.rows?.order ?? []),
                       "目标任务中的单位“九江”不在单位行中，其目标任务未使用。")
        XCTAssertTrue(targets.disagreements.isEmpty)
    }

    func testOneCharacterAwayIsAMisprint() {
        XCTAssertTrue(AnnualTargets.differByOneCharacter("南昌市", "南昌县"))   // replaced
        XCTAssertTrue(AnnualTargets.differByOneCharacter("新建", "新建区"))      // added
        XCTAssertTrue(AnnualTargets.differByOneCharacter("红谷滩区", "红谷区"))  // removed
        XCTAssertFalse(AnnualTargets.differByOneCharacter("南昌县", "南昌县"))
        XCTAssertFalse(AnnualTargets.differByOneCharacter("九江", "进贤县"))
        XCTAssertFalse(AnnualTargets.differByOneCharacter("东湖区", "西湖"))     // two apart
        XCTAssertFalse(AnnualTargets.differByOneCharacter("", "全市区"))
    }

    /// The factor is applied to the figure as printed, in exact decimals (no binary rounding).
    func testTargetTableScalesExactly() throws {
        let table = try XCTUnwrap(Self.library.template("employment-targets").annualTargets)
        func restated(_ unit: String, _ indicator: String, _ value: String) -> Observation? {
            table.target(Observation(template: "employment-targets", period: "2023", unit: unit, indicator: indicator,
                                     measure: "", value: value, status: .value, extra: ["cell": "B4"]))
        }
        let city = try XCTUnwrap(restated("南昌", "城镇新增就业人数(万人)", "5.8500000000000001"))
        XCTAssertEqual(city.value, "58500.000000000001")
        XCTAssertEqual(city.unit, "全市")
        XCTAssertEqual(city.indicator, "城镇人数新增就业")
        XCTAssertEqual(city.measure, "目标任务")
        XCTAssertEqual(city.template, "employment-training-1")
        XCTAssertEqual(city.extra["cell"], "B4")
        XCTAssertEqual(restated("九江", "青年见习人数(万人)", "0.11")?.value, "1100")
        XCTAssertEqual(restated("南昌", "贷款发放任务(万元)", "110000.5")?.value, "110000.5")
        XCTAssertEqual(restated("南昌", "青年见习人数（万人）", "0.2")?.indicator, "青年见习人数")  // wording folded
        XCTAssertNil(restated("南昌", "就业困难人员就业人数(万人)", "0.52"))
        XCTAssertNil(restated("南昌", "城镇登记失业率(≤%)", "4.5"))
    }

    /// Two files stating different targets for one unit and indicator: the first given is used and
    /// the disagreement kept, naming both; the same figure twice is nothing to say. Only those a
    /// layout would use matter to it.
    func testDisagreeingTargetsKeepTheFirstAndSaySo() throws {
        let training1 = try Self.library.template("employment-training-1")
        let observation = { (unit: String, indicator: String, value: String, cell: String) in
            Observation(template: "employment-training-1", period: "2023", unit: unit, indicator: indicator, measure: "目标任务",
                        value: value, status: .value, extra: ["cell": cell])
        }
        var targets = AnnualTargets()
        targets.add([observation("全市", "城镇人数新增就业", "59000", "B4"), observation("全市", "青年见习人数", "1657", "K4"),
                     observation("九江", "城镇人数新增就业", "45400", "B5"),
                     observation("全市", "“4050”人员再就业人数", "6900", "D4")], source: "2023.xlsx")
        targets.add([observation("全市", "城镇人数新增就业", "58500.00", "B4"), observation("全市", "青年见习人数", "1657.0", "K4"),
                     observation("九江", "城镇人数新增就业", "1", "B5"),
                     observation("全市", "“4050”人员再就业人数 ", "5200", "D4")], source: "2021.xlsx")
        XCTAssertEqual(targets.target(unit: "全市", indicator: "城镇人数新增就业")?.value, ExactDecimal("59000"))
        XCTAssertEqual(targets.disagreements.map(\.unit), ["全市", "九江", "全市"])

        let relevant = targets.disagreements(for: training1)
        XCTAssertEqual(relevant.map(\.indicator), ["城镇人数新增就业", "“4050”人员再就业人数 "])
        let first = try XCTUnwrap(relevant.first)
        XCTAssertEqual(first.used.location, "2023.xlsx B4")
        XCTAssertEqual(first.ignored.location, "2021.xlsx B4")
        XCTAssertEqual(first.message, "全市 城镇人数新增就业 的目标任务在 --targets 中不一致：2023.xlsx B4 为 59000，"
                       + "2021.xlsx B4 为 58500；采用先给出的 2023.xlsx B4（59000）。")
        // 社会保险二 prints neither indicator.
        XCTAssertTrue(targets.disagreements(for: try Self.library.template("social-insurance-2")).isEmpty)
    }
}
