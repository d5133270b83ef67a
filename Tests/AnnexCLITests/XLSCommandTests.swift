import Foundation
import XCTest
import AnnexTestSupport

/// Legacy BIFF `.xls` through the `annex` binary (issue 12): broken files exit 2 with one Chinese
/// line within a second, and every sample annex saved as .xls by LibreOffice reads to the same
/// observations as the .xlsx it came from.
final class XLSCommandTests: XCTestCase {
    func testBrokenXLSFilesExitTwoWithOneChineseLineWithinASecond() throws {
        let directory = try CLI.temporaryDirectory()
        try TestSupport.python(["Tests/Fixtures/make_xls_fixtures.py", directory.path])
        let manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("manifest.json"))) as? [String: Any])
        let broken = (manifest["fixtures"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "broken" }
        XCTAssertGreaterThanOrEqual(broken.count, 16)
        for fixture in broken {
            let path = directory.appendingPathComponent(fixture["file"] as? String ?? "").path
            for command in [["dump", path], ["read", path]] {
                let started = Date()
                let result = try CLI.run(command)
                let name = "\(fixture["name"] ?? "") \(command[0])"
                XCTAssertLessThan(Date().timeIntervalSince(started), 1, name)
                XCTAssertEqual(result.status, 2, "\(name): \(result.stderr)")
                XCTAssertTrue(result.stderr.hasPrefix("annex: \(path)"), "\(name): \(result.stderr)")
                XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "\(name): one line: \(result.stderr)")
                XCTAssertTrue(result.stderr.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "\(name): Chinese: \(result.stderr)")
                // `dump` streams its JSON as rows arrive, so a sheet broken after 64 KiB of output
                // leaves that output behind; `read` writes nothing before the whole file is read.
                if command[0] == "read" { XCTAssertTrue(result.stdout.isEmpty, name) }
            }
        }
    }

    func testSampleAnnexesSavedAsXLSReadToTheSameObservations() throws {
        let samples = CLI.packageRoot.appendingPathComponent("samples/annexes")
        let sources = try FileManager.default.contentsOfDirectory(atPath: samples.path).filter { $0.hasSuffix(".xlsx") }.sorted()
        XCTAssertGreaterThanOrEqual(sources.count, 11)
        let directory = try CLI.temporaryDirectory()
        let profile = try CLI.temporaryDirectory()
        let conversion = try TestSupport.run("soffice", ["-env:UserInstallation=file://" + profile.path, "--headless",
                                                         "--convert-to", "xls:MS Excel 97", "--outdir", directory.path]
                                                        + sources.map { samples.appendingPathComponent($0).path })
        XCTAssertEqual(conversion.status, 0, conversion.stderr)
        for source in sources {
            let xls = directory.appendingPathComponent(String(source.dropLast(5)) + ".xls").path
            XCTAssertTrue(FileManager.default.fileExists(atPath: xls), "soffice did not write \(xls): \(conversion.stderr)")
            // Two budget samples print no year; the period then comes from --period (the file name's prefix).
            let period = String(source.prefix { $0 != "-" })
            let fromXLSX = try CLI.run(["read", samples.appendingPathComponent(source).path, "--period", period])
            let fromXLS = try CLI.run(["read", xls, "--period", period])
            XCTAssertEqual(fromXLSX.status, 0, "\(source): \(fromXLSX.stderr)")
            XCTAssertEqual(fromXLS.status, 0, "\(source) as .xls: \(fromXLS.stderr)")
            XCTAssertGreaterThan(fromXLSX.lines.count, 1, source)
            XCTAssertEqual(fromXLS.lines, fromXLSX.lines, source)
        }
    }
}
