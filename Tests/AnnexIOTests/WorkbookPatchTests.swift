import Foundation
import XCTest
@testable import AnnexIO

/// The pieces of the marked copy, on hand-written XML: what goes in and exactly what comes out.
final class WorkbookPatchTests: XCTestCase {
    private func patch(_ xml: String, cells: [String], drawing: String? = nil) -> String {
        // The new style says where it came from: 100 + the style the cell had.
        let whole = SheetPatcher.patch(Array(xml.utf8), cells: Set(cells.map { CellReference($0)! }),
                                       legacyDrawingID: drawing) { _, current in 100 + current }
        // Fed in chunks of every size from 1 byte, the patcher gives the same bytes.
        for size in 1...16 {
            let patcher = SheetPatcher(cells: Set(cells.map { CellReference($0)! }), legacyDrawingID: drawing) { 100 + $1 }
            var out: [UInt8] = []
            let bytes = Array(xml.utf8)
            for start in stride(from: 0, to: bytes.count, by: size) {
                out += bytes[start..<min(start + size, bytes.count)].withUnsafeBytes { patcher.feed($0) }
            }
            XCTAssertEqual(String(decoding: out + patcher.finish(), as: UTF8.self), String(decoding: whole, as: UTF8.self), "chunks of \(size)")
        }
        return String(decoding: whole, as: UTF8.self)
    }

    private let head = #"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#

    // MARK: - SheetPatcher

    func testAFlaggedCellGetsANewStyleAndNothingElseChanges() {
        let xml = head + #"<sheetData><row r="1" spans="1:3"><c r="A1" s="4" t="s"><v>0</v></c><c r='B1' t="n"><v>2</v></c><c r="C1" s="7"/></row></sheetData></worksheet>"#
        XCTAssertEqual(patch(xml, cells: ["A1", "B1"]),
                       head + #"<sheetData><row r="1" spans="1:3"><c r="A1" s="104" t="s"><v>0</v></c><c s="100" r='B1' t="n"><v>2</v></c><c r="C1" s="7"/></row></sheetData></worksheet>"#)
        XCTAssertEqual(patch(xml, cells: []), xml)
    }

    func testAnEmptyCellIsInsertedInColumnOrderWithItsRowsStyle() {
        let xml = head + #"<sheetData><row r="2" s="3" customFormat="1"><c r="B2" s="1"><v>1</v></c><c r="D2"><v>2</v></c></row></sheetData></worksheet>"#
        XCTAssertEqual(patch(xml, cells: ["A2", "C2", "F2"]),
                       head + #"<sheetData><row r="2" s="3" customFormat="1"><c r="A2" s="103"/><c r="B2" s="1"><v>1</v></c><c r="C2" s="103"/><c r="D2"><v>2</v></c><c r="F2" s="103"/></row></sheetData></worksheet>"#)
    }

    func testMissingRowsAreInsertedInOrderAndEmptyRowsAndSheetDataOpened() {
        let xml = head + #"<cols><col min="2" max="3" width="9" style="5" customWidth="1"/></cols><sheetData><row r="2"/><row r="4"><c r="A4"><v>1</v></c></row></sheetData></worksheet>"#
        XCTAssertEqual(patch(xml, cells: ["B1", "A2", "C3", "A6"]),
                       head + #"<cols><col min="2" max="3" width="9" style="5" customWidth="1"/></cols><sheetData><row r="1"><c r="B1" s="105"/></row><row r="2"><c r="A2" s="100"/></row><row r="3"><c r="C3" s="105"/></row><row r="4"><c r="A4"><v>1</v></c></row><row r="6"><c r="A6" s="100"/></row></sheetData></worksheet>"#)
        XCTAssertEqual(patch(head + "<sheetData/></worksheet>", cells: ["A1"]),
                       head + #"<sheetData><row r="1"><c r="A1" s="100"/></row></sheetData></worksheet>"#)
    }

    func testCommentsCDATAAndInstructionsPassThrough() {
        let xml = head + #"<!-- <c r="A1"/> --><?annex x?><sheetData><row r="1"><c r="A1" t="str"><f><![CDATA[<c r="A1"/>]]></f><v>x</v></c></row></sheetData></worksheet>"#
        XCTAssertEqual(patch(xml, cells: ["A1"]),
                       head + #"<!-- <c r="A1"/> --><?annex x?><sheetData><row r="1"><c s="100" r="A1" t="str"><f><![CDATA[<c r="A1"/>]]></f><v>x</v></c></row></sheetData></worksheet>"#)
    }

    func testCellsWithoutReferencesAndPrefixedElements() {
        let xml = #"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row><x:c><x:v>1</x:v></x:c><x:c s="2"><x:v>2</x:v></x:c></x:row><x:row><x:c/></x:row></x:sheetData></x:worksheet>"#
        XCTAssertEqual(patch(xml, cells: ["B1", "A2", "C2"]),
                       #"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row><x:c><x:v>1</x:v></x:c><x:c s="102"><x:v>2</x:v></x:c></x:row><x:row><x:c s="100"/><x:c r="C2" s="100"/></x:row></x:sheetData></x:worksheet>"#)
    }

    func testLegacyDrawingGoesWhereTheSchemaSequencePutsIt() {
        let reference = #"<legacyDrawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rIdAnnex1"/>"#
        let beforeTables = head + #"<sheetData/><pageMargins left="0.7"/><drawing r:id="rId1"/><tableParts count="0"/></worksheet>"#
        XCTAssertEqual(patch(beforeTables, cells: [], drawing: "rIdAnnex1"),
                       head + #"<sheetData/><pageMargins left="0.7"/><drawing r:id="rId1"/>"# + reference + #"<tableParts count="0"/></worksheet>"#)
        let atEnd = head + #"<sheetData/><pageSetup orientation="landscape"/></worksheet>"#
        XCTAssertEqual(patch(atEnd, cells: [], drawing: "rIdAnnex1"),
                       head + #"<sheetData/><pageSetup orientation="landscape"/>"# + reference + "</worksheet>")
        let controls = head + #"<sheetData/><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="x14"><controls/></mc:Choice></mc:AlternateContent></worksheet>"#
        XCTAssertEqual(patch(controls, cells: [], drawing: "rIdAnnex1"),
                       head + "<sheetData/>" + reference + #"<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="x14"><controls/></mc:Choice></mc:AlternateContent></worksheet>"#)
        let existing = head + #"<sheetData/><legacyDrawing r:id="rId9"/></worksheet>"#
        let survey = SheetPatcher(cells: []) { $1 }
        XCTAssertEqual(SheetPatcher.patch(Array(existing.utf8), cells: [], legacyDrawingID: "rIdAnnex1") { $1 }, Array(existing.utf8))
        _ = Array(existing.utf8).withUnsafeBytes { survey.feed($0) }
        XCTAssertEqual(survey.existingLegacyDrawingID, "rId9")
    }

    // MARK: - StylesPatcher

    func testStylesAreAppendedNeverRenumbered() throws {
        let xml = #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/><xf numFmtId="3" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"><alignment horizontal="center"/></xf></cellXfs></styleSheet>"#
        var styles = try StylesPatcher(Array(xml.utf8))
        let red = styles.solidFill("FFFFC7CE")
        XCTAssertEqual(red, 2)
        XCTAssertEqual(styles.solidFill("FFFFC7CE"), 2)
        XCTAssertEqual(styles.withFill(red, derivedFrom: 1), 2)
        XCTAssertEqual(styles.withFill(red, derivedFrom: 1), 2)
        XCTAssertEqual(styles.withFill(red, derivedFrom: 0), 3)
        XCTAssertEqual(String(decoding: styles.render(), as: UTF8.self),
                       #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="1"><border/></borders><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/><xf numFmtId="3" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"><alignment horizontal="center"/></xf><xf numFmtId="3" fontId="0" fillId="2" borderId="0" applyNumberFormat="1" applyFill="1"><alignment horizontal="center"/></xf><xf numFmtId="0" fontId="0" fillId="2" borderId="0" applyFill="1"/></cellXfs></styleSheet>"#)
    }

    func testStylesWithoutCellFormatsAreLeftToTheRebuild() {
        XCTAssertThrowsError(try StylesPatcher(Array("<styleSheet><fonts/></styleSheet>".utf8)))
    }

    // MARK: - Comments

    func testNotesJoinExistingCommentsAndAnExistingCommentGainsTheText() {
        let xml = #"<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>张三</author></authors><commentList><comment ref="B2" authorId="0"><text><t>请核对</t></text></comment></commentList></comments>"#
        let notes = [XLSXComment(cell: CellReference("B2")!, text: "甲"), XLSXComment(cell: CellReference("C3")!, text: "乙")]
        let merged = CommentsPatcher.merge(notes, into: Array(xml.utf8))
        XCTAssertEqual(merged.added.map(\.cell.description), ["C3"])
        XCTAssertEqual(String(decoding: merged.comments, as: UTF8.self),
                       #"<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>张三</author><author>annex</author></authors><commentList><comment ref="B2" authorId="0"><text><t>请核对</t>"#
                       + XLSXCommentParts.runs(notes[0], continuing: true) + #"</text></comment><comment ref="C3" authorId="1"><text>"#
                       + XLSXCommentParts.runs(notes[1]) + "</text></comment></commentList></comments>")
    }

    func testANoteACommentAlreadyHoldsIsNotRepeated() {
        let note = XLSXComment(cell: CellReference("B2")!, text: "甲 < 乙")
        let once = CommentsPatcher.merge([note], into: Array(#"<comments><authors/><commentList/></comments>"#.utf8)).comments
        let twice = CommentsPatcher.merge([note], into: once)
        XCTAssertEqual(twice.comments, once)
        XCTAssertEqual(twice.added, [])
    }

    func testEmptyAuthorsAndCommentListsAreOpened() {
        let xml = #"<x:comments xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:authors/><x:commentList/></x:comments>"#
        let note = XLSXComment(cell: CellReference("A1")!, text: "甲")
        XCTAssertEqual(String(decoding: CommentsPatcher.merge([note], into: Array(xml.utf8)).comments, as: UTF8.self),
                       #"<x:comments xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:authors><x:author>annex</x:author></x:authors><x:commentList><x:comment ref="A1" authorId="0"><x:text>"#
                       + XLSXCommentParts.runs(note, prefix: "x:") + "</x:text></x:comment></x:commentList></x:comments>")
    }

    func testNoteShapesContinueAfterTheDrawingsLargestId() {
        let vml = #"<xml xmlns:v="urn:schemas-microsoft-com:vml"><v:shapetype id="_x0000_t202"/><v:shape id="_x0000_s1025"/></xml>"#
        let note = XLSXComment(cell: CellReference("C3")!, text: "乙")
        XCTAssertEqual(String(decoding: CommentsPatcher.mergeShapes([note], into: Array(vml.utf8)), as: UTF8.self),
                       #"<xml xmlns:v="urn:schemas-microsoft-com:vml"><v:shapetype id="_x0000_t202"/><v:shape id="_x0000_s1025"/>"#
                       + XLSXCommentParts.vmlShape(note, id: 1026, zIndex: 1026) + "</xml>")
    }

    // MARK: - Package parts

    func testRelationshipsContentTypesAndTheSheetList() {
        var relationships = PackagePatcher.Relationships(existing: Array(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdAnnex1" Type="t" Target="x"/></Relationships>"#.utf8))
        XCTAssertEqual(relationships.add(kind: "comments", target: "../comments1.xml"), "rIdAnnex2")
        XCTAssertTrue(String(decoding: relationships.bytes, as: UTF8.self).hasSuffix(#"<Relationship Id="rIdAnnex2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="../comments1.xml"/></Relationships>"#))
        XCTAssertEqual(PackagePatcher.relativeTarget("xl/comments1.xml", from: "xl/worksheets"), "../comments1.xml")
        XCTAssertEqual(PackagePatcher.relativeTarget("xl/worksheets/sheet3.xml", from: "xl"), "worksheets/sheet3.xml")

        var types = PackagePatcher.ContentTypes(bytes: Array(#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="VML" ContentType="v"/></Types>"#.utf8))
        let before = types.bytes
        types.defaultType(extension: "vml", contentType: "v")
        XCTAssertEqual(types.bytes, before)

        let workbook = #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="4" rel:id="rId1"/></sheets></workbook>"#
        XCTAssertEqual(PackagePatcher.addSheet(named: "校验结果", relationshipID: "rIdAnnex1", to: Array(workbook.utf8)).map { String(decoding: $0, as: UTF8.self) },
                       #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="4" rel:id="rId1"/><sheet name="校验结果" sheetId="5" rel:id="rIdAnnex1"/></sheets></workbook>"#)
    }
}
