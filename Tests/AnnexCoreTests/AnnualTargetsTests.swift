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
}
