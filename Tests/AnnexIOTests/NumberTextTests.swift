import XCTest
@testable import AnnexIO

final class NumberTextTests: XCTestCase {
    func testShortDecimalsAreKeptAsWritten() {
        XCTAssertEqual(NumberText.canonical("0.1"), "0.1")
        XCTAssertEqual(NumberText.canonical("62.92"), "62.92")
        XCTAssertEqual(NumberText.canonical("3584"), "3584")
        XCTAssertEqual(NumberText.canonical("-12.50"), "-12.5")
        XCTAssertEqual(NumberText.canonical("007"), "7")
        XCTAssertEqual(NumberText.canonical("-0"), "0")
    }

    func testLongTextIsReducedToTheShortestRoundTrip() {
        // What some writers store for 0.1 + 0.2 style values: 17 digits, reprinted shortest.
        XCTAssertEqual(NumberText.canonical("0.10000000000000001"), "0.1")
        // XlsxWriter stores 79.74 as `%.16g` text; it is the same double, so it prints as 79.74.
        XCTAssertEqual(NumberText.canonical("79.739999999999995"), "79.74")
        XCTAssertEqual(NumberText.canonical("79.73999999999999"), "79.74")
        // A neighbouring double stays distinct.
        XCTAssertEqual(NumberText.canonical("79.74000000000001"), "79.74000000000001")
        XCTAssertEqual(NumberText.canonical("56.244999999999997"), "56.245")
    }

    func testExponentsBecomePlainDecimals() {
        XCTAssertEqual(NumberText.canonical("1E-5"), "0.00001")
        XCTAssertEqual(NumberText.canonical("1.5e-05"), "0.000015")
        XCTAssertEqual(NumberText.canonical("1e+16"), "10000000000000000")
        XCTAssertEqual(NumberText.canonical("-2.5E3"), "-2500")
        XCTAssertEqual(NumberText.shortest(Double.leastNonzeroMagnitude), "0." + String(repeating: "0", count: 323) + "5")
    }

    func testNonNumbersAreRejected() {
        for text in ["", "abc", "1,234", "NaN", "inf", "0x10", " 1", "1.2.3", "--1"] {
            XCTAssertNil(NumberText.canonical(text), text)
        }
    }
}

final class CellReferenceTests: XCTestCase {
    func testParsesAndPrintsA1() {
        XCTAssertEqual(CellReference("B7"), CellReference(row: 6, column: 1))
        XCTAssertEqual(CellReference("$AA$10"), CellReference(row: 9, column: 26))
        XCTAssertEqual(CellReference("xfd1048576"), CellReference(row: 1_048_575, column: 16_383))
        XCTAssertEqual(CellReference(row: 0, column: 701).description, "ZZ1")
        XCTAssertEqual(CellReference(row: 0, column: 702).description, "AAA1")
        for bad in ["", "7B", "A0", "XFE1", "A1048577", "A-1", "1"] {
            XCTAssertNil(CellReference(bad), bad)
        }
    }

    /// Letters, then digits; `$` marks are skipped wherever they stand; a collection without
    /// contiguous storage takes the same parser.
    func testParsesEveryShapeTheSameWayFromAnyCollection() {
        let accepted: [(String, Int, Int)] = [
            ("A1", 0, 0), ("a1", 0, 0), ("$A$1", 0, 0), ("A$1", 0, 0), ("$$Z9", 8, 25), ("zz1", 0, 701),
            ("AAA1", 0, 702), ("A1$", 0, 0),
        ]
        for (text, row, column) in accepted {
            XCTAssertEqual(CellReference(text), CellReference(row: row, column: column), text)
            XCTAssertEqual(CellReference(utf8: Array(text.utf8).lazy.map { $0 }), CellReference(row: row, column: column), text)
        }
        for text in ["$", "A", "1A", "A00", "A1B", "Ａ1", "A 1", "@1", "[1", "`1", "{1"] {
            XCTAssertNil(CellReference(text), text)
            XCTAssertNil(CellReference(utf8: Array(text.utf8).lazy.map { $0 }), text)
        }
    }

    func testRanges() throws {
        let range = try XCTUnwrap(CellRange("A4:A6"))
        XCTAssertEqual(range.rowCount, 3)
        XCTAssertTrue(range.contains(CellReference("A5")!))
        XCTAssertFalse(range.contains(CellReference("B5")!))
        XCTAssertEqual(CellRange("C3:A1")?.description, "A1:C3")
        XCTAssertTrue(CellRange("A1:B2")!.overlaps(CellRange("B2:C3")!))
        XCTAssertFalse(CellRange("A1:B2")!.overlaps(CellRange("C1:C3")!))
    }
}

final class NumberFormatTests: XCTestCase {
    func testClassifiesFormatCodes() {
        XCTAssertEqual(NumberFormats.kind(of: "General"), .general)
        XCTAssertEqual(NumberFormats.kind(of: "0.00"), .number)
        XCTAssertEqual(NumberFormats.kind(of: "#,##0.00"), .number)
        XCTAssertEqual(NumberFormats.kind(of: "0.00%"), .percent)
        XCTAssertEqual(NumberFormats.kind(of: "0.00E+00"), .number)
        XCTAssertEqual(NumberFormats.kind(of: "@"), .text)
        XCTAssertEqual(NumberFormats.kind(of: "yyyy-mm-dd"), .date)
        XCTAssertEqual(NumberFormats.kind(of: "yyyy\"年\"m\"月\"d\"日\""), .date)
        XCTAssertEqual(NumberFormats.kind(of: "[$-804]yyyy\"年\"m\"月\""), .date)
        XCTAssertEqual(NumberFormats.kind(of: "mmm-yy"), .date)
        XCTAssertEqual(NumberFormats.kind(of: "h:mm:ss"), .time)
        XCTAssertEqual(NumberFormats.kind(of: "[h]:mm:ss"), .duration)
        XCTAssertEqual(NumberFormats.kind(of: "[mm]:ss"), .duration)
        XCTAssertEqual(NumberFormats.kind(of: "[ss].00"), .duration)
        XCTAssertEqual(NumberFormats.kind(of: NumberFormats.builtIn[46]!), .duration)
        XCTAssertEqual(NumberFormats.kind(of: "mm:ss"), .time)
        XCTAssertEqual(NumberFormats.kind(of: "[Red]0.00"), .number)
        XCTAssertEqual(NumberFormats.kind(of: "\"days\" 0"), .number)
        XCTAssertEqual(NumberFormats.kind(of: NumberFormats.builtIn[31]!), .date)
        XCTAssertEqual(NumberFormats.kind(of: NumberFormats.builtIn[33]!), .time)
    }

    func testDateSerials1900() {
        XCTAssertEqual(NumberFormats.isoDate(serial: 1, date1904: false, kind: .date), "1900-01-01")
        XCTAssertEqual(NumberFormats.isoDate(serial: 59, date1904: false, kind: .date), "1900-02-28")
        // Excel's fictitious 1900-02-29 (the Lotus leap-year bug).
        XCTAssertEqual(NumberFormats.isoDate(serial: 60, date1904: false, kind: .date), "1900-02-29")
        XCTAssertEqual(NumberFormats.isoDate(serial: 61, date1904: false, kind: .date), "1900-03-01")
        XCTAssertEqual(NumberFormats.isoDate(serial: 45138, date1904: false, kind: .date), "2023-07-31")
        XCTAssertEqual(NumberFormats.isoDate(serial: 45138.5, date1904: false, kind: .date), "2023-07-31T12:00:00")
        XCTAssertEqual(NumberFormats.isoDate(serial: 0.75, date1904: false, kind: .time), "18:00:00")
        XCTAssertEqual(NumberFormats.isoDate(serial: 0.5 + 0.0005 / 86.4, date1904: false, kind: .time), "12:00:00.500")
        XCTAssertNil(NumberFormats.isoDate(serial: -1, date1904: false, kind: .date))
    }

    func testDateSerials1904() {
        XCTAssertEqual(NumberFormats.isoDate(serial: 0, date1904: true, kind: .date), "1904-01-01")
        XCTAssertEqual(NumberFormats.isoDate(serial: 43676, date1904: true, kind: .date), "2023-07-31")
    }
}
