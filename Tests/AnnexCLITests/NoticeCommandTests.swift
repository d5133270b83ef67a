import Foundation
import XCTest
import AnnexTestSupport

/// `annex notice` and `annex check --notice` on the four annexes of seed 000: the draft as .docx
/// opened by LibreOffice (pdftotext reads the text back), .md and .txt; the seed's own notice as
/// Markdown and as a .docx that LibreOffice made from it.
final class NoticeCommandTests: XCTestCase {
    static let annexes = ["就业培训一", "就业培训二", "社会保险一", "社会保险二"].map {
        CLI.packageRoot.appendingPathComponent("samples/annexes/2023-07-\($0).xlsx").path
    }
    static let seedNotice = CLI.packageRoot.appendingPathComponent("samples/notices/2023-07-通报.md").path

    /// The rules of the findings about `notice`, from `check --format json`, and the exit status.
    func noticeFindings(_ notice: String) throws -> (rules: [String], status: Int32) {
        let result = try CLI.run(["check", "--notice", notice, "--format", "json"] + Self.annexes)
        let findings = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: String]], result.stderr)
        return (findings.filter { $0["file"] == notice }.map { "\($0["rule"]!) \($0["unit"]!) \($0["indicator"]!)" }, result.status)
    }

    /// LibreOffice's rendering of `file` as PDF, in `directory`.
    func pdf(_ file: String, in directory: URL) throws -> String {
        let profile = directory.appendingPathComponent("lo-profile")
        let result = try TestSupport.run("soffice", ["-env:UserInstallation=file://\(profile.path)", "--headless",
                                                     "--convert-to", "pdf", "--outdir", directory.path, file])
        let pdf = directory.appendingPathComponent(URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent + ".pdf").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: pdf), "LibreOffice could not open \(file): \(result.stdout)\(result.stderr)")
        return pdf
    }

    /// White space and markdown marks removed: pdftotext breaks lines where the page does.
    func folded(_ text: String) -> String {
        String(text.filter { !$0.isWhitespace && $0 != "#" && $0 != "*" })
    }

    func testDocxDraftOpensInLibreOfficeWithTheDraftsText() throws {
        let directory = try CLI.temporaryDirectory()
        let docx = directory.appendingPathComponent("通报.docx").path
        let markdown = directory.appendingPathComponent("通报.md").path
        for output in [docx, markdown] {
            let result = try CLI.run(["notice"] + Self.annexes + ["-o", output])
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        let pdf = try pdf(docx, in: directory)
        let rendered = try TestSupport.run("pdftotext", ["-enc", "UTF-8", pdf, "-"]).stdout
        let draft = try String(contentsOfFile: markdown, encoding: .utf8)
        // Every paragraph of the draft, in order, and the page numbers the footer adds (— 1 — … — 4 —).
        var text = folded(rendered)
        for page in 1...4 {
            XCTAssertTrue(text.contains("—\(page)—"), "page \(page): \(rendered)")
            text = text.replacingOccurrences(of: "—\(page)—", with: "")
        }
        XCTAssertEqual(text, folded(draft))
        XCTAssertTrue(draft.contains("\n\n**（一）城镇新增就业人数：**南昌县 56.24%、"), draft)

        let info = try TestSupport.run("pdfinfo", [pdf]).stdout
        XCTAssertTrue(info.contains("(A4)"), info)

        // The package: 公文 margins, first-line indent of two characters, the fonts, a PAGE field.
        let parts = try TestSupport.python(["-c", """
            import sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            for name in ["word/document.xml", "word/styles.xml", "word/footer1.xml", "word/fontTable.xml"]:
                print(z.read(name).decode())
            """, docx]).stdout
        for expected in [#"<w:pgSz w:w="11906" w:h="16838"/>"#, #"w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#,
                         #"w:firstLineChars="200""#, #"w:eastAsia="仿宋_GB2312""#, #"w:eastAsia="黑体""#,
                         "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>", #"<w:altName w:val="宋体"/>"#,
                         #"<w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">（一）城镇新增就业人数：</w:t></w:r>"#] {
            XCTAssertTrue(parts.contains(expected), expected)
        }
    }

    func testTheDraftChecksCleanInEveryFormat() throws {
        let directory = try CLI.temporaryDirectory()
        for name in ["通报.docx", "通报.md", "通报.txt"] {
            let output = directory.appendingPathComponent(name).path
            XCTAssertEqual(try CLI.run(["notice"] + Self.annexes + ["-o", output]).status, 0)
            XCTAssertEqual(try noticeFindings(output).rules, [], name)
        }
        let text = try String(contentsOfFile: directory.appendingPathComponent("通报.txt").path, encoding: .utf8)
        XCTAssertTrue(text.contains("\n\n\u{3000}\u{3000}全市城镇新增就业人数 37123 人，完成全年指标任务的 62.92%。"), text)
    }

    static let seedSlips = [
        "notice-rounding 全市 新增创业担保贷款",
        "notice-mismatch 全市 创业培训人数",
        "notice-rounding 全市 机关事业单位养老保险 / 在职参保人数",
        "notice-mismatch 青山湖区 城镇人数新增就业",
        "notice-mismatch 湾里管理局 扶持小微企业贷款比例争取达到30%",
        "notice-mismatch 新建区 创业培训人数",
    ]

    func testSeedNoticeAsMarkdownAndAsDocx() throws {
        let markdown = try noticeFindings(Self.seedNotice)
        XCTAssertEqual(markdown.rules, Self.seedSlips)
        XCTAssertEqual(markdown.status, 1)

        // The same notice as Word saves it: LibreOffice turns the text into a .docx.
        let directory = try CLI.temporaryDirectory()
        let text = directory.appendingPathComponent("2023-07-通报.txt")
        try FileManager.default.copyItem(atPath: Self.seedNotice, toPath: text.path)
        let profile = directory.appendingPathComponent("lo-profile")
        try TestSupport.run("soffice", ["-env:UserInstallation=file://\(profile.path)", "--headless",
                                        "--infilter=Text (encoded):UTF8,LF,,,", "--convert-to", "docx:MS Word 2007 XML",
                                        "--outdir", directory.path, text.path])
        let docx = directory.appendingPathComponent("2023-07-通报.docx").path
        XCTAssertEqual(try noticeFindings(docx).rules, Self.seedSlips)

        let report = try CLI.run(["check", "--notice", Self.seedNotice] + Self.annexes).stdout
        XCTAssertTrue(report.contains("文件 \(Self.seedNotice)：4 个错误、2 个警告、0 条提示"), report)
        XCTAssertTrue(report.contains("“城镇新增就业人数”的列表把青山湖区列了两次"), report)
    }

    /// A notice from some of the annexes: drafted and checked for those, the others named on stderr.
    func testAnnexesLeftOutAreNamed() throws {
        let directory = try CLI.temporaryDirectory()
        let output = directory.appendingPathComponent("通报.md").path
        let result = try CLI.run(["notice", Self.annexes[0], "-o", output])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("没有给出就业培训二、社会保险一、社会保险二的附件"), result.stderr)
        let draft = try String(contentsOfFile: output, encoding: .utf8)
        XCTAssertTrue(draft.contains("## 三、存在的问题"), draft)
        XCTAssertFalse(draft.contains("养老保险"), draft)
    }

    func testNoticeOutputMustBeDocxMarkdownOrText() throws {
        let directory = try CLI.temporaryDirectory()
        let result = try CLI.run(["notice"] + Self.annexes + ["-o", directory.appendingPathComponent("通报.pdf").path])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("输出文件须以 .docx、.md 或 .txt 结尾"), result.stderr)
    }

    func testHelpInChinese() throws {
        XCTAssertTrue(try CLI.run(["notice", "--help"]).stdout.contains("存在的问题"))
        XCTAssertTrue(try CLI.run(["check", "--help"]).stdout.contains("--notice"))
        XCTAssertTrue(try CLI.run(["--help"]).stdout.contains("notice"))
    }
}
