import XCTest
@testable import AnnexCore

final class ExactDecimalTests: XCTestCase {
    func testParsesAndPrintsExactly() throws {
        XCTAssertEqual(ExactDecimal("56.245")?.description, "56.245")
        XCTAssertEqual(ExactDecimal("-0.5")?.description, "-0.5")
        XCTAssertEqual(ExactDecimal(".5")?.description, "0.5")
        XCTAssertEqual(ExactDecimal("12.50")?.normalized.description, "12.5")
        XCTAssertEqual(ExactDecimal("100.00")?.normalized.description, "100")
        XCTAssertEqual(ExactDecimal("12.50")?.decimalPlaces, 1)
        for bad in ["", "-", "1e5", "1,000", "1.2.3", "abc", "--1"] { XCTAssertNil(ExactDecimal(bad), bad) }
    }

    func testRoundsHalfUpNotBinary() throws {
        // 56.245 is 56.24499999999999744 as a double: binary rounding gives 56.24; the footnote wants 56.25.
        XCTAssertEqual(ExactDecimal("56.245")!.formatted(places: 2), "56.25")
        XCTAssertEqual(ExactDecimal("113.685")!.formatted(places: 2), "113.69")
        XCTAssertEqual(ExactDecimal("-0.125")!.formatted(places: 2), "-0.13")
        XCTAssertEqual(ExactDecimal("57.5")!.formatted(places: 2), "57.50")
        XCTAssertEqual(ExactDecimal("0.004")!.formatted(places: 2), "0.00")
    }

    func testArithmeticIsExact() throws {
        let sum = ["0.1", "0.2"].compactMap { ExactDecimal($0) }.reduce(.zero, +)
        XCTAssertEqual(sum, ExactDecimal("0.3"))
        XCTAssertEqual((ExactDecimal("651")! + ExactDecimal("900")!).description, "1551")
        XCTAssertEqual(ExactDecimal("1.0092")!.shifted(by: 2).description, "100.92")
        XCTAssertEqual(ExactDecimal("100.92")!.shifted(by: -2).description, "1.0092")
        XCTAssertEqual(ExactDecimal("3")!.shifted(by: 2).description, "300")
    }

    func testDivisionRoundsOnceHalfUp() throws {
        // 占全年任务 = 累计完成 / 目标任务 × 100: 东湖区 30695 / 27000 = 113.685185… → 113.69.
        let ratio = (ExactDecimal("30695")! * ExactDecimal(100)).divided(by: ExactDecimal("27000")!, places: 2)
        XCTAssertEqual(ratio?.description, "113.69")
        XCTAssertEqual(ExactDecimal("1")!.divided(by: ExactDecimal("8")!, places: 2)?.description, "0.13")
        XCTAssertEqual(ExactDecimal("-1")!.divided(by: ExactDecimal("8")!, places: 2)?.description, "-0.13")
        XCTAssertEqual(ExactDecimal("2")!.divided(by: ExactDecimal("3")!, places: 4)?.description, "0.6667")
        XCTAssertNil(ExactDecimal("1")!.divided(by: .zero, places: 2))
        XCTAssertEqual(ExactDecimal("42681")!.times100(over: "42560"), "100.28")
    }
}

private extension ExactDecimal {
    func times100(over denominator: String) -> String? {
        (self * ExactDecimal(100)).divided(by: ExactDecimal(denominator)!, places: 2)?.description
    }
}
