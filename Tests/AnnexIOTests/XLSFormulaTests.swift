import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexIO

/// Formulas of legacy .xls cells come back as the text the xlsx reader gives for the same workbook
/// (FormulaText decompiles MS-XLS 2.5.198 tokens), and a formula that cannot be shown exactly has
/// no text rather than a wrong one.
final class XLSFormulaTests: XCTestCase {
    /// The formula texts of a dump by `sheet!ref`.
    private static func formulas(_ path: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for sheet in try FixtureDumpTests.dump(path)["sheets"] as? [[String: Any]] ?? [] {
            for cell in sheet["cells"] as? [[String: Any]] ?? [] {
                if let formula = cell["formula"] as? String { result["\(sheet["name"] ?? "")!\(cell["ref"] ?? "")"] = formula }
            }
        }
        return result
    }

    // MARK: - Workbooks written by LibreOffice and xlwt

    /// Every formula of an openpyxl workbook, converted by LibreOffice, reads back from the .xls as
    /// the xlsx has it: the shared formulas LibreOffice writes for filled-down cells adjusted to each
    /// cell, an array formula in its first cell only (as xlsx keeps it), and no text elsewhere.
    func testLibreOfficeXLSFormulasAreTheTextsOfTheXLSX() throws {
        let fixture = try XLSFixtures.named("libreoffice-formula-texts")
        let twin = try XLSFixtures.directory.appendingPathComponent(try XCTUnwrap(fixture.raw["formulas_twin"] as? String)).path
        let expected = try Self.formulas(twin)
        let actual = try Self.formulas(fixture.file.path)
        XCTAssertEqual(expected.count, 139, "column D's formulas, two filled-down columns of 30, two arrays, two on 社保 (一)")
        for (cell, text) in expected.sorted(by: { $0.key < $1.key }) where actual[cell] != text {
            XCTFail("\(cell): expected \(text), got \(actual[cell] ?? "no formula")")
        }
        XCTAssertEqual(Set(actual.keys), Set(expected.keys), "a formula text where the xlsx has none")
        XCTAssertEqual(actual["汇总!F30"], "B30*$A$1+SUM(A$1:A30)")
        XCTAssertEqual(actual["汇总!G30"], "F30-'社保 (一)'!A30")
        XCTAssertEqual(actual["汇总!I1"], "A1:A3*2")
        XCTAssertNil(actual["汇总!I2"])
        XCTAssertEqual(actual["社保 (一)!D1"], "LOCALNAME+1", "a local name on its own sheet")
    }

    /// The same workbook with the filled-down columns F and G as Excel writes them in xlsx, shared
    /// formula groups with the text in the first cell only: every cell reads back with the text the
    /// .xls gives it (LibreOffice moved the references for its SHRFMLA records, annex for the xlsx).
    func testExcelStyleSharedFormulasGiveTheTextsOfTheXLS() throws {
        let fixture = try XLSFixtures.named("libreoffice-formula-texts")
        let shared = try XLSFixtures.directory.appendingPathComponent(try XCTUnwrap(fixture.raw["shared_formulas_twin"] as? String)).path
        let expected = try Self.formulas(fixture.file.path)
        let actual = try Self.formulas(shared)
        XCTAssertEqual(expected.count, 139)
        for (cell, text) in expected.sorted(by: { $0.key < $1.key }) where actual[cell] != text {
            XCTFail("\(cell): the .xls gives \(text), the shared xlsx \(actual[cell] ?? "no formula")")
        }
        XCTAssertEqual(Set(actual.keys), Set(expected.keys))
        XCTAssertEqual(actual["汇总!F30"], "B30*$A$1+SUM(A$1:A30)")
        XCTAssertEqual(actual["汇总!G17"], "F17-'社保 (一)'!A17")
    }

    func testXlwtFormulas() throws {
        let fixture = try XLSFixtures.named("xlwt-formulas")
        let expected = try XCTUnwrap(fixture.raw["formulas"] as? [String: String])
        let actual = try Self.formulas(fixture.file.path)
        XCTAssertEqual(expected.count, 25)
        for (ref, text) in expected.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(actual["公式!\(ref)"], text, ref)
        }
    }

    // MARK: - Tokens written by hand (BIFF8)

    /// Sheets 汇总, 社保 (一), Data, It's; names TOTAL, LOCAL (local to 社保 (一)), a built-in one,
    /// two `_xlfn.` functions; this workbook, an add-in and another workbook as supporting books.
    private static let links: FormulaLinks = {
        var links = FormulaLinks()
        links.sheetNames = ["汇总", "社保 (一)", "Data", "It's"]
        links.definedNames = [.init(name: "TOTAL", sheet: nil), .init(name: "LOCAL", sheet: 1), nil,
                              .init(name: "_xlfn.IFERROR", sheet: nil), .init(name: "_xlfn.STDEV.S", sheet: nil)]
        links.books = [.own, .addIn(names: ["EOMONTH", nil]), .external]
        links.externSheets = [.init(book: 0, firstSheet: 0, lastSheet: 0), .init(book: 0, firstSheet: 1, lastSheet: 2),
                              .init(book: 0, firstSheet: -1, lastSheet: -1), .init(book: 1, firstSheet: -2, lastSheet: -2),
                              .init(book: 2, firstSheet: 0, lastSheet: 0), .init(book: 0, firstSheet: 3, lastSheet: 3)]
        return links
    }()

    private func text(_ tokens: [UInt8], extra: [UInt8] = [], at cell: String = "C5", biff8: Bool = true,
                      codePage: Int = 1252, sheet: Int = 0) -> String? {
        FormulaText(text: TextDecoding(biff8: biff8, codePage: codePage), links: Self.links, sheet: sheet)
            .decompile(tokens: tokens, extra: extra, at: CellReference(cell)!)
    }

    private static func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
    private static func le32(_ value: Int) -> [UInt8] { le16(value & 0xFFFF) + le16(value >> 16 & 0xFFFF) }
    private static func double(_ value: Double) -> [UInt8] { (0..<8).map { UInt8(value.bitPattern >> (8 * $0) & 0xFF) } }

    /// A BIFF8 RgceLoc body for `$A$1`-style text: row, then column with the relative flags.
    private static func location(_ a1: String) -> [UInt8] {
        let cell = CellReference(a1)!
        let columnRelative = !a1.hasPrefix("$")
        let rowRelative = !a1.dropFirst().contains("$")
        return le16(cell.row) + le16(cell.column | (columnRelative ? 0x4000 : 0) | (rowRelative ? 0x8000 : 0))
    }

    private static func ref(_ a1: String) -> [UInt8] { [0x24] + location(a1) }
    private static func area(_ first: String, _ last: String) -> [UInt8] {
        let a = location(first), b = location(last)
        let rows: [UInt8] = Array(a[0..<2]) + Array(b[0..<2])
        let columns: [UInt8] = Array(a[2..<4]) + Array(b[2..<4])
        return [0x25] + rows + columns
    }
    private static func int(_ value: Int) -> [UInt8] { [0x1E] + le16(value) }
    private static func str(_ value: String) -> [UInt8] { [0x17, UInt8(value.utf16.count), 0x01] + value.utf16.flatMap { le16(Int($0)) } }
    private static func funcVar(_ count: Int, _ tab: Int) -> [UInt8] { [0x22, UInt8(count)] + le16(tab) }
    private static func attr(_ flags: UInt8, _ data: Int) -> [UInt8] { [0x19, flags] + le16(data) }
    private static let add: [UInt8] = [0x03]

    func testOperatorsConstantsAndFunctions() {
        typealias T = XLSFormulaTests
        XCTAssertEqual(text(T.ref("A1") + T.ref("$B$2") + T.add), "A1+$B$2")
        XCTAssertEqual(text(T.ref("A1") + [0x13, 0x14]), "-A1%")
        XCTAssertEqual(text(T.ref("A1") + [0x12, 0x15]), "(+A1)")
        XCTAssertEqual(text(T.int(2) + T.int(3) + [0x07] + T.str("个") + [0x08]), "2^3&\"个\"")
        XCTAssertEqual(text(T.str("say \"hi\"")), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(text([0x17, 3, 0x00] + Array("abc".utf8)), "\"abc\"", "a compressed string")
        XCTAssertEqual(text([0x1D, 1]), "TRUE")
        XCTAssertEqual(text([0x1D, 0]), "FALSE")
        for (code, shown) in [(0x00, "#NULL!"), (0x07, "#DIV/0!"), (0x0F, "#VALUE!"), (0x17, "#REF!"), (0x1D, "#NAME?"),
                              (0x24, "#NUM!"), (0x2A, "#N/A")] as [(UInt8, String)] {
            XCTAssertEqual(text([0x1C, code]), shown)
        }
        XCTAssertNil(text([0x1C, 0x99]), "an error code BErr does not define")
        XCTAssertEqual(text(T.ref("A1") + [0x16] + T.int(1) + T.funcVar(3, 1)), "IF(A1,,1)", "PtgMissArg")
        XCTAssertEqual(text(T.ref("A1") + T.int(2) + [0x21] + T.le16(27)), "ROUND(A1,2)", "PtgFunc, fixed count")
        XCTAssertEqual(text([0x21] + T.le16(74)), "NOW()")
        XCTAssertEqual(text(T.area("A1", "B2") + T.attr(0x10, 0)), "SUM(A1:B2)", "PtgAttrSum")
        XCTAssertEqual(text(T.ref("A1") + T.ref("B1") + T.funcVar(2, 4)), "SUM(A1,B1)")
        XCTAssertEqual(text([0x1F] + T.double(0.1)), "0.1")
        XCTAssertEqual(text(T.area("A1", "B3") + T.area("B2", "C4") + [0x0F]), "A1:B3 B2:C4", "intersection")
        XCTAssertEqual(text(T.ref("A1") + T.ref("B1") + [0x10, 0x15] + T.funcVar(1, 4)), "SUM((A1,B1))", "union")
    }

    /// PtgAttrIf, PtgAttrChoose (with its jump table), PtgAttrGoto and PtgAttrSemi show nothing.
    func testJumpAttributesAreSkipped() {
        typealias T = XLSFormulaTests
        let choose = T.int(2) + T.attr(0x04, 2) + T.le16(8) + T.le16(14) + T.le16(20) + T.str("a") + T.attr(0x08, 9)
            + T.str("b") + T.attr(0x08, 3) + T.funcVar(3, 100)
        XCTAssertEqual(text(choose), "CHOOSE(2,\"a\",\"b\")")
        XCTAssertEqual(text(T.ref("A1") + T.attr(0x02, 7) + T.int(1) + T.attr(0x08, 7) + T.int(0) + T.attr(0x08, 3) + T.funcVar(3, 1)),
                       "IF(A1,1,0)")
        XCTAssertEqual(text(T.attr(0x01, 0) + [0x21] + T.le16(221)), "TODAY()")
    }

    /// PtgAttrSpace: spaces and line breaks before the next token, before `(` and before `)`.
    func testSpacesAreKeptWhereTheFormulaHadThem() {
        typealias T = XLSFormulaTests
        XCTAssertEqual(text(T.ref("A1") + T.attr(0x40, 0x0100) + T.ref("B1") + T.attr(0x40, 0x0200) + T.add), "A1  + B1")
        XCTAssertEqual(text(T.ref("A1") + T.attr(0x40, 0x0101) + T.ref("B1") + T.add), "A1+\nB1")
        XCTAssertEqual(text(T.ref("A1") + T.attr(0x40, 0x0102) + T.attr(0x40, 0x0204) + [0x15]), " (A1  )")
        XCTAssertEqual(text(T.ref("A1") + T.attr(0x40, 0x0104) + T.funcVar(1, 4)), "SUM(A1 )")
        XCTAssertEqual(text(T.attr(0x40, 0x0106) + T.ref("A1")), "A1", "spaces before the `=`, which the text leaves out")
        XCTAssertNil(text(T.attr(0x40, 0x0107) + T.ref("A1")), "a space type MS-XLS does not define")
    }

    func testReferences() {
        typealias T = XLSFormulaTests
        XCTAssertEqual(text(T.ref("$A1") + T.ref("A$1") + T.add), "$A1+A$1")
        XCTAssertEqual(text([0x25] + T.le16(0) + T.le16(0xFFFF) + T.le16(0xC000) + T.le16(0xC001)), "A:B", "whole columns")
        XCTAssertEqual(text([0x25] + T.le16(0) + T.le16(0xFFFF) + T.le16(0) + T.le16(0)), "$A:$A")
        XCTAssertEqual(text([0x25] + T.le16(0) + T.le16(2) + T.le16(0xC000) + T.le16(0xC0FF)), "1:3", "whole rows")
        XCTAssertEqual(text([0x25] + T.le16(4) + T.le16(4) + T.le16(0) + T.le16(0xFF)), "$5:$5")
        XCTAssertEqual(text([0x2A, 0, 0, 0, 0]), "#REF!", "PtgRefErr")
        XCTAssertEqual(text([0x2B] + [UInt8](repeating: 0, count: 8) + T.attr(0x10, 0)), "SUM(#REF!)", "PtgAreaErr")
        // Operand classes (reference 0x20, value 0x40, array 0x60) do not change the text.
        XCTAssertEqual(text([0x44] + T.location("B2") + [0x64] + T.location("C3") + T.add), "B2+C3")
    }

    /// PtgRefN and PtgAreaN (shared formulas): relative parts are offsets from the cell, wrapping at
    /// the sheet's edge (MS-XLS 2.5.198.111); absolute parts are coordinates.
    func testRelativeReferencesOfSharedFormulas() {
        typealias T = XLSFormulaTests
        let above = [0x2C] + T.le16(-1 & 0xFFFF) + T.le16(0xC000 | (-2 & 0xFF))
        XCTAssertEqual(text(above, at: "C5"), "A4")
        XCTAssertEqual(text(above, at: "Z100"), "X99")
        XCTAssertEqual(text(above, at: "A1"), "IU65536", "wraps around the sheet")
        XCTAssertEqual(text([0x2C] + T.le16(0) + T.le16(0x4000 | (-1 & 0xFF)), at: "C5"), "B$1", "absolute row")
        XCTAssertEqual(text([0x2D] + T.le16(0) + T.le16(0) + T.le16(0xC000 | (-5 & 0xFF)) + T.le16(0xC000 | (-4 & 0xFF)), at: "F7"),
                       "A7:B7")
    }

    func testSheetReferences() {
        typealias T = XLSFormulaTests
        XCTAssertEqual(text([0x3A] + T.le16(0) + T.location("A1")), "汇总!A1")
        XCTAssertEqual(text([0x3A] + T.le16(1) + T.location("$A$1")), "'社保 (一):Data'!$A$1", "two sheets, one pair of quotes")
        XCTAssertEqual(text([0x3B] + T.le16(5) + T.area("A1", "B2").dropFirst()), "'It''s'!A1:B2")
        XCTAssertEqual(text([0x3C] + T.le16(0) + [0, 0, 0, 0]), "汇总!#REF!", "PtgRefErr3d")
        XCTAssertEqual(text([0x3D] + T.le16(5) + [UInt8](repeating: 0, count: 8)), "'It''s'!#REF!", "PtgAreaErr3d")
        XCTAssertNil(text([0x3A] + T.le16(2) + T.location("A1")), "a deleted sheet")
        XCTAssertNil(text([0x3A] + T.le16(4) + T.location("A1")), "another workbook")
        XCTAssertNil(text([0x3A] + T.le16(99) + T.location("A1")), "no such EXTERNSHEET entry")
    }

    func testNamesAndUserDefinedFunctions() {
        typealias T = XLSFormulaTests
        XCTAssertEqual(text([0x23] + T.le32(1) + T.int(2) + [0x05]), "TOTAL*2")
        XCTAssertEqual(text([0x23] + T.le32(2)), "'社保 (一)'!LOCAL", "a name local to another sheet")
        XCTAssertEqual(text([0x23] + T.le32(2), sheet: 1), "LOCAL", "on its own sheet")
        XCTAssertNil(text([0x23] + T.le32(3)), "a built-in name")
        XCTAssertNil(text([0x23] + T.le32(0)))
        XCTAssertNil(text([0x23] + T.le32(6)))
        // Excel 2007's functions are `_xlfn.` names in .xls, plain names in xlsx; later ones keep the prefix.
        XCTAssertEqual(text([0x23] + T.le32(4) + T.ref("A1") + T.int(0) + T.funcVar(3, 255)), "IFERROR(A1,0)")
        XCTAssertEqual(text([0x23] + T.le32(5) + T.area("A1", "A9") + T.funcVar(2, 255)), "_xlfn.STDEV.S(A1:A9)")
        // An add-in function: PtgNameX into the add-in book's EXTERNNAMEs.
        let eomonth: [UInt8] = [0x39] + T.le16(3) + T.le16(1) + T.le16(0)
        XCTAssertEqual(text(eomonth + T.ref("A1") + T.int(1) + T.funcVar(3, 255)), "EOMONTH(A1,1)")
        XCTAssertNil(text([0x39] + T.le16(3) + T.le16(2) + T.le16(0) + T.funcVar(1, 255)), "an unreadable EXTERNNAME")
        XCTAssertNil(text([0x39] + T.le16(4) + T.le16(1) + T.le16(0)), "a name in another workbook")
        XCTAssertEqual(text([0x39] + T.le16(0) + T.le16(1) + T.le16(0)), "TOTAL", "PtgNameX into this workbook")
        XCTAssertNil(text(T.funcVar(0, 255)), "a user-defined call without its name")
    }

    /// Array constants (PtgArray, values in the bytes after the tokens), in token order after the
    /// ranges of a PtgMemArea; PtgMemFunc's subexpression gives the text.
    func testArrayConstantsAndSubexpressions() {
        typealias T = XLSFormulaTests
        let values: [UInt8] = [0x01, 0x01, 0x00] + [0x02] + T.le16(1) + [0x00, 0x61] + [0x04, 1] + [UInt8](repeating: 0, count: 7)
            + [0x10, 0x2A] + [UInt8](repeating: 0, count: 7) + [0x01] + T.double(-1.5)
        let array: [UInt8] = [0x60] + [UInt8](repeating: 0, count: 7)
        XCTAssertEqual(text(array, extra: values), "{\"a\",TRUE;#N/A,-1.5}")
        XCTAssertNil(text(array, extra: [0x00, 0x00, 0x00, 0x00] + [UInt8](repeating: 0, count: 8)), "an empty value has no text")
        XCTAssertNil(text(array, extra: [0xFF, 0xFF, 0xFF, 0x01]), "more values than bytes")
        XCTAssertNil(text(array), "no values at all")
        let memArea: [UInt8] = [0x26, 0, 0, 0, 0] + T.le16(11) + T.ref("A1") + T.ref("B2") + [0x11]
        let memExtra: [UInt8] = T.le16(1) + [UInt8](repeating: 0, count: 8)
        XCTAssertEqual(text(memArea + array + [0x10], extra: memExtra + values), "A1:B2,{\"a\",TRUE;#N/A,-1.5}")
        XCTAssertEqual(text([0x29] + T.le16(22) + T.ref("A1") + T.area("A1", "A19") + T.int(3) + T.funcVar(2, 29) + [0x11]
                            + T.funcVar(1, 4)), "SUM(A1:INDEX(A1:A19,3))")
    }

    /// Anything not understood leaves the cell without a formula text: never a guess, never a crash.
    func testUnknownOrBrokenFormulasHaveNoText() {
        typealias T = XLSFormulaTests
        XCTAssertNil(text([]))
        XCTAssertNil(text([0x01, 0, 0, 0, 0]), "PtgExp outside a cell's own formula")
        XCTAssertNil(text([0x02, 0, 0, 0, 0]), "PtgTbl: xlsx writes data tables without a text")
        XCTAssertNil(text([0x18, 0x01, 0, 0, 0, 0]), "an extended token (PtgElf…)")
        XCTAssertNil(text([0x80]))
        XCTAssertNil(text(T.int(1) + T.int(2)), "two operands, no operator")
        XCTAssertNil(text(T.add), "an operator without operands")
        XCTAssertNil(text(T.ref("A1") + [0x21] + T.le16(4)), "PtgFunc of a function without a fixed count")
        XCTAssertNil(text(T.funcVar(0, 0x00CA)), "an index the table leaves unassigned")
        XCTAssertNil(text(T.funcVar(0, 0x0400)), "past the table")
        XCTAssertNil(text(T.funcVar(0, 0x8000 | 4)), "a macro command (fCeFunc)")
        XCTAssertNil(text([0x1F] + T.double(.nan)))
        let whole = T.ref("A1") + T.attr(0x40, 0x0100) + T.str("社保") + [0x08] + [0x3B] + T.le16(1) + T.area("A1", "B2").dropFirst()
            + T.attr(0x10, 0) + [0x08]
        XCTAssertEqual(text(whole), "A1& \"社保\"&SUM('社保 (一):Data'!A1:B2)")
        // Cut anywhere: the bytes read so far are checked, whatever the cut leaves.
        for length in 0..<whole.count {
            _ = text(Array(whole.prefix(length)))
        }
        XCTAssertNil(text(Array(whole.prefix(whole.count - 1))), "two operands left")
    }

    /// BIFF5/7 layouts: rows carry the relative flags and columns are one byte; strings are in the
    /// code page; a 3D reference names its sheets itself (a negative book index: this workbook).
    func testBIFF5Tokens() {
        typealias T = XLSFormulaTests
        let a1: [UInt8] = [0x24] + T.le16(0xC000) + [0]
        XCTAssertEqual(text(a1 + [0x24] + T.le16(1) + [1] + T.add, biff8: false), "A1+$B$2")
        XCTAssertEqual(text([0x25] + T.le16(0xC000) + T.le16(0xC002) + [0, 1], biff8: false), "A1:B3")
        XCTAssertEqual(text([0x25] + T.le16(0) + T.le16(0x3FFF) + [2, 2], biff8: false), "$C:$C", "a whole column of 16,384 rows")
        XCTAssertEqual(text([0x2C] + T.le16(0xC000 | 0x3FFF) + [0xFE], at: "C5", biff8: false), "A4")
        XCTAssertEqual(text([0x17, 4, 0xB2, 0xE2, 0xCA, 0xD4], biff8: false, codePage: 936), "\"测试\"")
        let own3d: [UInt8] = [0x3A] + T.le16(0xFFFF) + [UInt8](repeating: 0, count: 8) + T.le16(1) + T.le16(2) + T.le16(0xC000) + [0]
        XCTAssertEqual(text(own3d, biff8: false), "'社保 (一):Data'!A1")
        XCTAssertNil(text([0x3A] + T.le16(1) + [UInt8](repeating: 0, count: 8) + T.le16(1) + T.le16(1) + T.le16(0) + [0], biff8: false),
                     "another workbook")
        XCTAssertEqual(text([0x23] + T.le16(1) + [UInt8](repeating: 0, count: 12), biff8: false), "TOTAL")
        XCTAssertEqual(text(a1 + T.funcVar(1, 4), biff8: false), "SUM(A1)")
        XCTAssertNil(text([0x39] + [UInt8](repeating: 0, count: 24), biff8: false), "BIFF5 external names are not resolved")
        let array: [UInt8] = [0x20] + [UInt8](repeating: 0, count: 7)
        XCTAssertEqual(text(array, extra: [0x01, 0x00, 0x00, 0x02, 0x02, 0xC4, 0xE3, 0x01] + T.double(2), biff8: false, codePage: 936),
                       "{\"你\",2}")
    }

    func testSheetNamesAreQuotedAsExcelQuotesThem() {
        for name in ["Sheet1", "汇总", "社保一", "Data_2", "a.b", "Rate", "ABCD1", "XFE1"] {
            XCTAssertEqual(FormulaText.quotedSheetName(name), name)
        }
        for (name, quoted) in [("社保 (一)", "'社保 (一)'"), ("2023年", "'2023年'"), ("It's", "'It''s'"), ("A1", "'A1'"),
                               ("xfd1048576", "'xfd1048576'"), ("R1C1", "'R1C1'"), ("R", "'R'"), ("c12", "'c12'"), ("RC", "'RC'"),
                               (".x", "'.x'"), ("a-b", "'a-b'"), ("", "''")] {
            XCTAssertEqual(FormulaText.quotedSheetName(name), quoted)
        }
    }

    func testNumbersAreWrittenAsExcelWritesThem() {
        for (value, shown) in [(0.1, "0.1"), (0.0, "0"), (3584.0, "3584"), (0.000001, "0.000001"), (123456789012345.0, "123456789012345"),
                               (1.5e20, "1.5E+20"), (1e15, "1E+15"), (1e-20, "1E-20"), (1.25e-16, "1.25E-16"), (1e100, "1E+100"),
                               (0.1234567890123456, "0.1234567890123456"), (1e-14, "0.00000000000001"), (1e-15, "1E-15"),
                               (-2.5e300, "-2.5E+300")] {
            XCTAssertEqual(FormulaText.numberText(value), shown)
        }
    }
}
