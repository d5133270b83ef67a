import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexIO

/// The fast path (SheetDataScanner inside `<sheetData>`, inflate on a second thread) must give
/// exactly what the general path (libxml2 SAX2 on every byte) gives: same cells, same merges, same
/// errors. Every fixture and a set of hand-written sheets run through both.
final class SheetDataScannerTests: XCTestCase {
    private struct Read: Equatable {
        var sheets: [[Cell]] = []
        var merged: [[CellRange]] = []
        var error: String?
    }

    private func read(_ path: String, fast: Bool) -> Read {
        var result = Read()
        do {
            let reader = try XLSXReader(path: path)
            reader.usesSheetDataScanner = fast
            for index in reader.sheets.indices {
                var cells: [Cell] = []
                result.merged.append(try reader.readSheet(at: index) { cells.append(contentsOf: $0) })
                result.sheets.append(cells)
            }
        } catch {
            result.error = "\(error)"
        }
        return result
    }

    private func assertSamePaths(_ path: String, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let fast = read(path, fast: true)
        let general = read(path, fast: false)
        XCTAssertEqual(fast.error, general.error, "\(label): errors differ", file: file, line: line)
        XCTAssertEqual(fast.merged, general.merged, "\(label): merged ranges differ", file: file, line: line)
        XCTAssertEqual(fast.sheets.count, general.sheets.count, "\(label): sheet count", file: file, line: line)
        for (a, b) in zip(fast.sheets, general.sheets) where a != b {
            let first = zip(a, b).first { $0 != $1 }
            XCTFail("\(label): cells differ (\(a.count) vs \(b.count)); first difference: \(String(describing: first))", file: file, line: line)
        }
    }

    func testEveryFixtureReadsTheSameOnBothPaths() throws {
        for kind in ["xlsx", "xlsx-expected", "broken"] {
            for fixture in try Fixtures.of(kind: kind) where fixture.file.pathExtension.lowercased().hasPrefix("xl") {
                assertSamePaths(fixture.file.path, "\(kind)/\(fixture.name)")
            }
        }
    }

    // MARK: - Hand-written sheets

    private static let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let rns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// A one-sheet workbook whose worksheet part is `sheetXML`, with shared strings and a 0.00 style.
    private func workbook(_ sheetXML: String, name: String) throws -> String {
        let folder = try TestSupport.temporaryDirectory("scanner")
        let path = folder.appendingPathComponent(name + ".xlsx").path
        var bytes: [UInt8] = []
        let zip = ZipWriter(level: 1) { bytes.append(contentsOf: $0) }
        try zip.addEntry("[Content_Types].xml", Array("""
            <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>
            """.utf8))
        try zip.addEntry("_rels/.rels", Array("""
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """.utf8))
        try zip.addEntry("xl/workbook.xml", Array("""
            <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="\(Self.ns)" xmlns:r="\(Self.rns)"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>
            """.utf8))
        try zip.addEntry("xl/_rels/workbook.xml.rels", Array("""
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
            """.utf8))
        try zip.addEntry("xl/sharedStrings.xml", Array("""
            <?xml version="1.0" encoding="UTF-8"?><sst xmlns="\(Self.ns)"><si><t>东湖区</t></si><si><t xml:space="preserve"> a b </t></si></sst>
            """.utf8))
        try zip.addEntry("xl/styles.xml", Array("""
            <?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="\(Self.ns)"><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="2"/><xf numFmtId="14"/></cellXfs></styleSheet>
            """.utf8))
        try zip.addEntry("xl/worksheets/sheet1.xml", Array(sheetXML.utf8))
        try zip.finish()
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    private func sheet(_ cells: String, prefix: String = "", declaration: Bool = true, after: String = "") -> String {
        let p = prefix.isEmpty ? "" : prefix + ":"
        let xmlns = prefix.isEmpty ? "xmlns=\"\(Self.ns)\"" : "xmlns:\(prefix)=\"\(Self.ns)\""
        return (declaration ? #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n" : "")
            + "<\(p)worksheet \(xmlns) xmlns:r=\"\(Self.rns)\" xmlns:x14ac=\"http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac\">"
            + "<\(p)dimension ref=\"A1:C3\"/><\(p)sheetData>" + cells + "</\(p)sheetData>" + after + "</\(p)worksheet>"
    }

    func testHandWrittenShapesReadTheSameOnBothPaths() throws {
        let rows = """
            <row r="1" spans="1:3" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>810.0599999999999</v></c><c r="C1"><v>3584.0</v></c></row>
            <row r="2"><c r="A2" t="inlineStr"><is><r><rPr><b/><sz val="11"/></rPr><t xml:space="preserve">a &amp; b &lt;c&gt; &#x41;&#66; </t></r><r><t>东</t></r><rPh sb="0" eb="1"><t>dong</t></rPh></is></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#DIV/0!</v></c></row>
            <row r='3'><c r='A3' s='2'><v>45138</v></c><c t="str"><f>A1&amp;"x"</f><v>x</v></c><c><f t="shared" ref="C3:C4" si="0"/><v>1E-5</v></c></row>
            <row><c t="s"><v>1</v></c><c r="B4" t="d"><v>2023-07-31T00:00:00</v></c><c r="C4"/><c r="D4" t="n"><v>-0.50</v></c></row>
            """
        let shapes: [(String, String)] = [
            ("plain", sheet(rows)),
            ("prefixed", sheet(rows.replacingOccurrences(of: "<", with: "<x:").replacingOccurrences(of: "<x:/", with: "</x:"), prefix: "x")),
            ("no-declaration", sheet(rows, declaration: false)),
            ("merges-after", sheet(rows, after: #"<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>"#)),
            ("comment-in-cells", sheet(rows + "<!-- a comment --><row r=\"9\"><c r=\"A9\"><v>9</v></c></row>")),
            ("cdata", sheet("<row r=\"1\"><c r=\"A1\" t=\"str\"><v><![CDATA[<x>]]></v></c></row>")),
            ("entity", sheet("<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&nbsp;</v></c></row>")),
            ("cr-in-text", sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a\r\nb</t></is></c></row>")),
            ("char-ref-cr", sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a&#13;&#10;b</t></is></c></row>")),
            ("mismatched", sheet("<row r=\"1\"><c r=\"A1\"><v>1</c></v></row>")),
            ("unclosed", sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c>")),
            ("bad-number", sheet("<row r=\"1\"><c r=\"A1\"><v>12abc</v></c></row>")),
            ("bad-shared-index", sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row>")),
            ("text-outside-values", sheet("<row r=\"1\">x<c r=\"A1\"><v>1</v></c></row>")),
            ("undeclared-attribute-prefix", sheet("<row r=\"1\" q:x=\"1\"><c r=\"A1\"><v>1</v></c></row>")),
            ("duplicate-attribute", sheet("<row r=\"1\"><c r=\"A1\" r=\"B1\"><v>1</v></c></row>")),
            ("namespace-redeclared", sheet("<row r=\"1\" xmlns:y=\"urn:y\"><c r=\"A1\"><v>1</v></c></row>")),
            ("other-prefix-element", sheet("<row r=\"1\"><y:c xmlns:y=\"urn:y\" r=\"A1\"><v>1</v></y:c></row>")),
            ("whitespace-in-attribute", sheet("<row r=\"1\"><c r=\"A1\" t=\"s\n\"><v>1</v></c></row>")),
            ("empty-sheetData", sheet("").replacingOccurrences(of: "<sheetData></sheetData>", with: "<sheetData/>")),
            ("doctype", "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY e \"x\">]>" + sheet(rows, declaration: false)),
            ("latin1-declared", sheet(rows).replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"ISO-8859-1\"")),
            // Cells near the one-pass shape (SheetDataScanner.plainCell): each must read as the general path does.
            ("cell-attribute-orders", sheet("<row r=\"1\"><c s=\"1\" r=\"A1\"><v>2.5</v></c><c t=\"s\" r=\"B1\"><v>0</v></c><c t=\"n\" s=\"2\" r=\"C1\"><v>45138</v></c><c r=\"D1\" s=\"1\"/><c r=\"E1\" s=\"1\" /></row>")),
            ("cell-odd-spacing", sheet("<row r=\"1\"><c r=\"A1\"  s=\"1\"><v>1</v></c><c r=\"B1\" s=\"1\" ><v>2</v></c><c  r=\"C1\"><v>3</v></c><c r=\"D1\"s=\"1\"><v>4</v></c></row>")),
            ("cell-quotes-and-values", sheet("<row r=\"1\"><c r='A1' s=\"1\"><v>1</v></c><c r=\"B1\" t=\"str\"><v>a&amp;b</v></c><c r=\"C1\" t=\"str\"><v>a\tb\nc</v></c><c r=\"D1\" t=\"str\"><v>东湖区</v></c><c r=\"E1\"><v></v></c><c r=\"F1\"></c></row>")),
            ("cell-formula-and-other-attributes", sheet("<row r=\"1\"><c r=\"A1\"><v>1</v><f>B1</f></c><c r=\"B1\" cm=\"1\"><v>2</v></c><c r=\"C1\" s=\"1\" s=\"2\"><v>3</v></c></row>")),
            ("cell-bad-values", sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>9</v></c></row>")),
            ("cell-bad-reference", sheet("<row r=\"1\"><c r=\"1A\"><v>1</v></c><c r=\"B1\"><v>2</v></c></row>")),
            ("spaces-in-tags", sheet("<row  r = \"1\" ><c\nr=\"A1\"\ts=\"1\" ><v >2.5</v ></c ></row >")),
            // A text run longer than the scanner's token bound is handed to libxml2 (linear) instead of
            // being rescanned chunk after chunk.
            ("long-whitespace-run", sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>" + String(repeating: " ", count: 3 << 20)
                + "<row r=\"2\"><c r=\"A2\"><v>2</v></c></row>")),
            ("long-inline-text", sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>" + String(repeating: "长", count: 1 << 19)
                + "</t></is></c></row>")),
        ]
        for (name, xml) in shapes {
            assertSamePaths(try workbook(xml, name: name), name)
        }
    }

    /// Shared formula groups (`<f t="shared" si>`): the attributes in any order and quoting, empty and
    /// self-closing dependents, a dependent with text of its own, a group without an anchor, `si`
    /// values the scanner leaves to libxml2.
    func testSharedFormulaShapesReadTheSameOnBothPaths() throws {
        let rows = """
            <row r="1"><c r="A1"><f t="shared" ref="A1:B3" si="0">C1*2+$D$1</f><v>1</v></c><c r="B1"><f si='0' t='shared'/><v>2</v></c><c r="C1" t="str"><f ref="C1:C3" si="1" t="shared">"x&amp;"&amp;A1</f><v>x</v></c></row>
            <row r="2"><c r="B2"><f t="shared" si="0"></f><v>3</v></c><c r="A2" s="1"><f t="shared" si="0"/></c><c r="C2" t="str"><f t="shared"  si="1" /><v>x</v></c></row>
            <row r="3"><c r="A3"><f t="shared" si="0">Z9</f><v>5</v></c><c r="B3"><f t="shared" si="7"/><v>6</v></c><c r="C3"><f t="shared">A1</f><v>7</v></c></row>
            """
        let prefixed = rows.replacingOccurrences(of: "<", with: "<x:").replacingOccurrences(of: "<x:/", with: "</x:")
        let shapes: [(String, String)] = [
            ("shared-formulas", sheet(rows)),
            ("shared-formulas-prefixed", sheet(prefixed, prefix: "x")),
            ("shared-formula-si-with-space", sheet(rows.replacingOccurrences(of: "si=\"1\" t=", with: "si=\" 1\" t="))),
            ("shared-formula-si-reference", sheet(rows.replacingOccurrences(of: "si=\"1\" t=", with: "si=\"&#49;\" t="))),
        ]
        for (name, xml) in shapes {
            let path = try workbook(xml, name: name)
            assertSamePaths(path, name)
            let formulas = Dictionary(uniqueKeysWithValues: (read(path, fast: true).sheets.first ?? []).map { ($0.reference.description, $0.formula) })
            XCTAssertEqual(formulas["A1"], "C1*2+$D$1", name)
            XCTAssertEqual(formulas["B2"], "D2*2+$D$1", name)
            XCTAssertEqual(formulas["A2"], "C2*2+$D$1", name)
            XCTAssertEqual(formulas["A3"], "C3*2+$D$1", "\(name): the anchor's formula overrides a later cell's own")
            XCTAssertEqual(formulas["B3"], .some(nil), "\(name): a group without an anchor")
            XCTAssertEqual(formulas["C3"], "A1", "\(name): t=\"shared\" without si is a formula of its own")
            if name != "shared-formula-si-with-space" {
                XCTAssertEqual(formulas["C2"], #""x&"&A2"#, name)
            }
        }
    }

    /// A fallback to libxml2 after a group's anchor: the general path reads the part again from the
    /// start, so the cells after the fallback still find their anchor.
    func testSharedFormulasAcrossAFallback() throws {
        var rows = ""
        for r in 1...6 {
            let f = r == 1 ? #"<f t="shared" ref="B1:B6" si="0">A1*2+$A$1</f>"# : #"<f t="shared" si="0"/>"#
            rows += "<row r=\"\(r)\"><c r=\"A\(r)\"><v>\(r)</v></c><c r=\"B\(r)\">\(f)<v>0</v></c></row>"
            if r == 3 { rows += "<!-- from here on libxml2 reads -->" }
        }
        let path = try workbook(sheet(rows), name: "shared-fallback")
        assertSamePaths(path, "shared-fallback")
        let formulas = read(path, fast: true).sheets.first?.filter { $0.reference.column == 1 }.map(\.formula)
        XCTAssertEqual(formulas, (1...6).map { "A\($0)*2+$A$1" })
    }

    /// A sheet big enough for several inflate chunks and the second thread, with a construct the
    /// scanner leaves to libxml2 far into the cells: the fallback must skip exactly the rows delivered.
    func testFallbackAfterManyRowsSkipsTheRowsAlreadyDelivered() throws {
        var rows = ""
        for r in 1...30_000 {
            rows += "<row r=\"\(r)\"><c r=\"A\(r)\" t=\"s\"><v>\(r % 2)</v></c><c r=\"B\(r)\" s=\"1\"><v>\(Double(r) / 100 + 0.001)</v></c>"
                + "<c r=\"C\(r)\"><v>\(r * 7919 % 100_000)</v></c></row>\n"
            if r == 20_000 { rows += "<!-- from here on libxml2 reads -->" }
        }
        let path = try workbook(sheet(rows), name: "big")
        assertSamePaths(path, "big")
        let fast = read(path, fast: true)
        XCTAssertNil(fast.error)
        XCTAssertEqual(fast.sheets.first?.count, 90_000)
    }

    func testBigPlainSheetTakesTheFastPathAndMatches() throws {
        var rows = ""
        for r in 1...30_000 {
            rows += "<row r=\"\(r)\"><c r=\"A\(r)\" t=\"s\"><v>\(r % 2)</v></c><c r=\"B\(r)\" s=\"1\"><v>\(Double(r) * 1.01)</v></c><c r=\"C\(r)\" t=\"inlineStr\"><is><t>无&amp;\(r)</t></is></c></row>"
        }
        assertSamePaths(try workbook(sheet(rows, after: #"<mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells>"#), name: "big-plain"), "big-plain")
    }

    /// The byte-level writer of binary doubles (BIFF) against `shortest` (Swift's shortest digits).
    func testShortestDoubleFastPathMatchesTheGeneralOne() {
        var generator = SeededRandom(seed: 0x646f75626c65)
        var samples: [Double] = [0, -0.0, 1, -1, 0.1, 0.05, -0.05, 0.5, 810.06, 79.74, 79.73999999999999, 0.30000000000000004,
                                 1e-5, 12.5, 1234.5678, 9007199254740992, 9007199254740994, 1e16, 1e22, -3584, 2251799813685.25,
                                 0.0001, 0.00011, 123456789.1234, 45138.395833333336, .ulpOfOne, .leastNormalMagnitude, .greatestFiniteMagnitude]
        for _ in 0..<50_000 {
            samples.append(Double(Int.random(in: -1_000_000_000...1_000_000_000, using: &generator)) / [1, 10, 100, 1000, 10000, 3][Int.random(in: 0...5, using: &generator)])
            samples.append(Double.random(in: -1e6...1e6, using: &generator))
            samples.append(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator)))
        }
        for value in samples where value.isFinite {
            var out = ByteScratch()
            defer { out.deallocate() }
            NumberText.appendShortest(value, to: &out)
            XCTAssertEqual(String(decoding: out.bytes, as: UTF8.self), NumberText.shortest(value), "\(value)")
        }
    }

    /// The byte-level number fast path against the String one (strtod + shortest description).
    func testCanonicalNumberFastPathMatchesTheGeneralOne() {
        var generator = SeededRandom(seed: 0x6e756d62)
        var samples = ["0", "-0", "0.0", "00.5", ".5", "-.5", "5.", "3584.0", "79.73999999999999", "810.0599999999999",
                       "1E-5", "1e+16", "0.1", "0.30000000000000004", "123456789012345", "1234567890123456",
                       "12345678901234567", "9007199254740993", "-0.000001", "1.000000000000001", "99999.99000000001",
                       "4050.3", "-12.50", "0.1000000000000000055511151231257827", "abc", "1.2.3", "-", "", " 1"]
        for _ in 0..<20_000 {
            let cents = Int.random(in: 0..<1_000_000_000, using: &generator)
            let value = Double(cents) / 100
            samples.append(String(format: "%.16g", value))
            samples.append(String(format: "%.17g", value))
            samples.append(String(format: "%.15g", Double.random(in: -1e6...1e6, using: &generator)))
            samples.append(String(format: "%.17g", Double.random(in: 0...1, using: &generator)))
        }
        for text in samples {
            let fast = Array(text.utf8).withUnsafeBufferPointer { bytes -> String? in
                var out = ByteScratch()
                defer { out.deallocate() }
                return NumberText.appendCanonical(bytes: bytes, to: &out) ? String(decoding: out.bytes, as: UTF8.self) : nil
            }
            XCTAssertEqual(fast, NumberText.canonical(text), "number text \(text)")
        }
    }
}
