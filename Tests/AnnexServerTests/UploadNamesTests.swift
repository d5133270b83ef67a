@testable import AnnexServer
import Hummingbird
import XCTest

final class UploadNamesTests: XCTestCase {
    func testBaseNameDropsEveryDirectoryPartAndUnsafeCharacter() {
        XCTAssertEqual(UploadNames.baseName("../../etc/passwd"), "passwd")
        XCTAssertEqual(UploadNames.baseName("/abs/青山湖区-就业培训一（更正）.xlsx"), "青山湖区-就业培训一（更正）.xlsx")
        XCTAssertEqual(UploadNames.baseName(#"C:\Users\a\报表.xlsx"#), "报表.xlsx")
        XCTAssertEqual(UploadNames.baseName("a\u{0}b\u{1F}c.csv"), "abc.csv")
        XCTAssertEqual(UploadNames.baseName(".hidden.xlsx"), "hidden.xlsx")
        XCTAssertEqual(UploadNames.baseName(".."), "上传文件")
        XCTAssertEqual(UploadNames.baseName(""), "上传文件")
    }

    func testClaimKeepsNamesDistinctAndTheExtension() {
        var names = UploadNames()
        XCTAssertEqual(names.claim("报表.xlsx"), "报表.xlsx")
        XCTAssertEqual(names.claim("报表.xlsx"), "报表 (2).xlsx")
        XCTAssertEqual(names.claim("报表.XLSX"), "报表 (3).XLSX")
        XCTAssertEqual(names.claim("说明"), "说明")
        XCTAssertEqual(names.claim("说明"), "说明 (2)")
    }

    func testZipMemberPathsStayInside() {
        XCTAssertEqual(UploadNames.relativePath("七月/../../a.xlsx"), ["七月", "a.xlsx"])
        XCTAssertEqual(UploadNames.relativePath("/abs/b.csv"), ["abs", "b.csv"])
        XCTAssertEqual(UploadNames.relativePath(#"dir\c.xlsx"#), ["dir", "c.xlsx"])
        XCTAssertNil(UploadNames.relativePath("七月/"))
        XCTAssertNil(UploadNames.relativePath("__MACOSX/._a.xlsx"))
        XCTAssertNil(UploadNames.relativePath("七月/.DS_Store"))
    }

    func testTokensCompareInConstantTime() {
        typealias Access = AccessMiddleware<Hummingbird.BasicRequestContext>
        XCTAssertTrue(Access.constantTimeEqual("abc", "abc"))
        XCTAssertFalse(Access.constantTimeEqual("abd", "abc"))
        XCTAssertFalse(Access.constantTimeEqual("ab", "abc"))
        XCTAssertFalse(Access.constantTimeEqual("abcd", "abc"))
        XCTAssertTrue(Access.sameOrigin("http://127.0.0.1:8080", host: "127.0.0.1:8080"))
        XCTAssertFalse(Access.sameOrigin("http://127.0.0.1:8081", host: "127.0.0.1:8080"))
        XCTAssertFalse(Access.sameOrigin("null", host: "127.0.0.1:8080"))
    }
}
