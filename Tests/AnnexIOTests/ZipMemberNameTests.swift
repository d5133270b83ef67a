import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexIO

/// A folder of returns zipped on a Chinese Windows names its members in GBK without the UTF-8 flag;
/// the names must still read as the districts wrote them (the workbench shows them, merge finds 更正
/// in them).
final class ZipMemberNameTests: XCTestCase {
    func testGBKNamesWithoutTheUTF8FlagAreDecoded() throws {
        let folder = try TestSupport.temporaryDirectory("zip-names")
        let path = folder.appendingPathComponent("returns.zip").path
        try TestSupport.python(["-c", """
            import sys, zipfile
            class GBK(zipfile.ZipInfo):
                def _encodeFilenameFlags(self):
                    return self.filename.encode('gbk'), self.flag_bits   # no UTF-8 flag, as Windows writes
            with zipfile.ZipFile(sys.argv[1], 'w') as z:
                z.writestr(GBK('7月/青山湖区-就业培训一（更正）.xlsx'), b'x')
                z.writestr(zipfile.ZipInfo('7月/东湖区.csv'), b'y')      # Python sets the UTF-8 flag here
                z.writestr(GBK('plain.csv'), b'z')
            """, path])
        let names = try ZipReader(path: path).entries.map(\.name)
        XCTAssertEqual(names, ["7月/青山湖区-就业培训一（更正）.xlsx", "7月/东湖区.csv", "plain.csv"])
    }
}
