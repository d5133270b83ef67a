import XCTest
@testable import AnnexIO

/// The text a cell of a shared formula group gets: its anchor's formula with relative references
/// moved by the cell's offset, as Excel shows it. Expected texts worked out by hand.
final class FormulaShiftTests: XCTestCase {
    private func moved(_ formula: String, rows: Int, columns: Int = 0) -> String {
        var out = ByteScratch(capacity: 4)
        defer { out.deallocate() }
        Array(formula.utf8).withUnsafeBufferPointer { FormulaShift.append($0, rows: rows, columns: columns, to: &out) }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    func testRelativePartsMoveAbsolutePartsStay() {
        XCTAssertEqual(moved("A1+$B$2+B$1+$C1", rows: 2, columns: 1), "B3+$B$2+C$1+$C3")
        XCTAssertEqual(moved("SUM(B7:B19)", rows: 1), "SUM(B8:B20)")
        XCTAssertEqual(moved("SUM(A$1:A1)*$A$1:$B$2", rows: 29), "SUM(A$1:A30)*$A$1:$B$2")
        XCTAssertEqual(moved("a1+xfc1", rows: 1, columns: 1), "B2+XFD2", "lower-case references are references")
        XCTAssertEqual(moved("Z1+AZ1+ZZ1", rows: 0, columns: 1), "AA1+BA1+AAA1")
        XCTAssertEqual(moved("SUM( A1 , B2 ) + @C3", rows: 1), "SUM( A2 , B3 ) + @C4")
        XCTAssertEqual(moved("A1:B2 B1:C3", rows: 1), "A2:B3 B2:C4", "intersection")
        XCTAssertEqual(moved("A1:B2:C3", rows: 1), "A2:B3:C4")
        XCTAssertEqual(moved("A1#+1", rows: 1), "A2#+1", "a spill reference")
    }

    func testWholeColumnsAndRows() {
        XCTAssertEqual(moved("SUM(A:A)+SUM(1:1)+COUNT($B:C)+COUNT($2:3)", rows: 1, columns: 1),
                       "SUM(B:B)+SUM(2:2)+COUNT($B:D)+COUNT($2:4)")
        XCTAssertEqual(moved("SUM(Data!A:C)+SUM('社保 一'!$1:2)", rows: 2, columns: 2), "SUM(Data!C:E)+SUM('社保 一'!$1:4)")
    }

    func testReferencesOnOtherSheetsMoveAndSheetNamesDoNot() {
        XCTAssertEqual(moved("'社保 一'!B7+Sheet2!B7:C9", rows: 1), "'社保 一'!B8+Sheet2!B8:C10")
        XCTAssertEqual(moved("'It''s'!A1+'A1'!B2+'R1C1'!C3", rows: 1), "'It''s'!A2+'A1'!B3+'R1C1'!C4")
        XCTAssertEqual(moved("汇总!A1+2023年!A1+_数据.1!A1", rows: 1), "汇总!A2+2023年!A2+_数据.1!A2")
        XCTAssertEqual(moved("SUM(Jan:Mar!B2)+SUM('Jan 1:Mar'!B2)+SUM(A:B!C1)", rows: 1),
                       "SUM(Jan:Mar!B3)+SUM('Jan 1:Mar'!B3)+SUM(A:B!C2)", "sheets of a 3-D reference")
        XCTAssertEqual(moved("[1]Sheet1!A1+'[2]社保 一'!$A1", rows: 1), "[1]Sheet1!A2+'[2]社保 一'!$A2", "other workbooks")
    }

    func testStringsFunctionsNamesAndNumbersAreNotReferences() {
        XCTAssertEqual(moved(#""A1"&"say ""B2"""&C3&""""&"$D$4"#, rows: 1), #""A1"&"say ""B2"""&C4&""""&"$D$4"#)
        XCTAssertEqual(moved("LOG10(A1)+ATAN2(B1,1)+DAYS360(C1,D1)+_xlfn.STDEV.S(E1:E2)", rows: 1),
                       "LOG10(A2)+ATAN2(B2,1)+DAYS360(C2,D2)+_xlfn.STDEV.S(E2:E3)")
        XCTAssertEqual(moved("LOG10+TAX2023+FY1", rows: 1), "LOG11+TAX2024+FY2", "without `(`, cell references")
        XCTAssertEqual(moved("TOTAL+ABCD1+XFE1+A0+A01+R1C1+A1B2+_A1+Q1_2023+A1.B+\\A1", rows: 1),
                       "TOTAL+ABCD1+XFE1+A0+A01+R1C1+A1B2+_A1+Q1_2023+A1.B+\\A1", "names")
        XCTAssertEqual(moved("TRUE+FALSE+1E+5+1.5E-3*B2+.5*C3+{1,2;3,4}", rows: 1), "TRUE+FALSE+1E+5+1.5E-3*B3+.5*C4+{1,2;3,4}")
        XCTAssertEqual(moved("#REF!+#N/A+#DIV/0!+#NAME?+Data!#REF!+A1", rows: 1), "#REF!+#N/A+#DIV/0!+#NAME?+Data!#REF!+A2")
    }

    func testStructuredReferencesAreUntouched() {
        XCTAssertEqual(moved("Table1[Col]+Table1[[#This Row],[A1]]+[@B2]+SUM(表1[金额])+A1", rows: 1),
                       "Table1[Col]+Table1[[#This Row],[A1]]+[@B2]+SUM(表1[金额])+A2")
        XCTAssertEqual(moved("Table1[Col']A1]+B1", rows: 1), "Table1[Col']A1]+B2", "an escaped bracket in a column name")
    }

    /// Excel shows `#REF!` where a moved reference leaves the sheet: the whole area when one corner does,
    /// after the reference's sheet.
    func testReferencesMovedOffTheSheetAreRefErrors() {
        XCTAssertEqual(moved("A1+$A1+B1+C$1", rows: 0, columns: -2), "#REF!+$A1+#REF!+A$1")
        XCTAssertEqual(moved("A2+A$1", rows: -2), "#REF!+A$1")
        XCTAssertEqual(moved("A1048575+SUM(B1048575:B1048576)+SUM(1048576:1048576)+A$1048576", rows: 1),
                       "A1048576+SUM(#REF!)+SUM(#REF!)+A$1048576")
        XCTAssertEqual(moved("XFD1+XFC$1+$XFD1+SUM(Sheet2!XFC1:XFD2)+COUNT(XFD:XFD)", rows: 0, columns: 1),
                       "#REF!+XFD$1+$XFD1+SUM(Sheet2!#REF!)+COUNT(#REF!)")
        XCTAssertEqual(moved("SUM('社保 一'!A1:B2)", rows: -1), "SUM('社保 一'!#REF!)")
    }

    func testUnfinishedTextIsCopied() {
        for text in [#""A1"#, "'Sheet", "Table1[[A1]", "#", "$", "'", ""] {
            XCTAssertEqual(moved(text, rows: 1), text)
        }
        XCTAssertEqual(moved("A1:", rows: 1), "A2:")
    }
}
