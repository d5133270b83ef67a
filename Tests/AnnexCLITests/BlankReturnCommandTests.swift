import AnnexTestSupport
import Foundation
import XCTest

/// `annex write --blank`: the return a district fills. Its data cells are unlocked and validated, the
/// rest protected; filled with openpyxl, and that copy saved again by LibreOffice, it reads back as
/// the typed values.
final class BlankReturnCommandTests: XCTestCase {
    func testBlankReturnForTwoUnitsIsProtectedValidatedAndReadsBackFilled() throws {
        let directory = try CLI.temporaryDirectory()
        let blank = directory.appendingPathComponent("空白-社会保险二.xlsx").path
        let result = try CLI.run(["write", "--blank", "--template", "social-insurance-2", "--period", "2023-08",
                                  "--unit", "南昌县", "--unit", "红谷滩新区", "-o", blank])
        XCTAssertEqual(result.status, 0, result.stderr)
        try TestSupport.assertValidOOXML(blank)

        // What a district's spreadsheet sees: the layout, two unit rows, protection, validation.
        let inspected = try TestSupport.python(["-c", """
            import json, openpyxl, sys
            sheet = openpyxl.load_workbook(sys.argv[1]).active
            rules = sheet.data_validations.dataValidation
            print(json.dumps({
                "title": sheet["A1"].value, "units": [sheet["A7"].value, sheet["A8"].value, sheet["A9"].value],
                "protected": sheet.protection.sheet, "password": sheet.protection.password,
                "headerLocked": sheet["B4"].protection.locked, "unitLocked": sheet["A7"].protection.locked,
                "dataLocked": [sheet["B7"].protection.locked, sheet["N8"].protection.locked],
                "data": [sheet.cell(row, column).value for row in (7, 8) for column in range(2, 15)],
                "ratioFormat": sheet["D7"].number_format,
                "validations": [[str(rule.sqref), rule.type, rule.formula1, rule.allow_blank, rule.prompt, rule.error]
                                for rule in rules],
                "paper": [str(sheet.page_setup.paperSize), sheet.page_setup.orientation],
            }, ensure_ascii=False))
            """, blank])
        let layout = try XCTUnwrap(JSONSerialization.jsonObject(with: inspected.stdoutData) as? [String: Any])
        XCTAssertEqual(layout["title"] as? String, "2023年8月南昌市“民生工程”人力资源和社会保障工作目标任务完成情况统计表（社会保险二）")
        let units = try XCTUnwrap(layout["units"] as? [String])
        XCTAssertEqual(Array(units.prefix(2)), ["南昌县", "红谷滩区"])
        XCTAssertTrue(units[2].hasPrefix("说明"), units[2])  // the footnote right under the two rows
        XCTAssertEqual(layout["protected"] as? Bool, true)
        XCTAssertTrue(layout["password"] is NSNull)
        XCTAssertEqual(layout["headerLocked"] as? Bool, true)
        XCTAssertEqual(layout["unitLocked"] as? Bool, true)
        XCTAssertEqual(layout["dataLocked"] as? [Bool], [false, false])
        XCTAssertEqual((layout["data"] as? [Any])?.count, 26)
        XCTAssertTrue((layout["data"] as? [Any])?.allSatisfy { $0 is NSNull } == true)
        XCTAssertEqual(layout["ratioFormat"] as? String, "0.00%")
        let validations = try XCTUnwrap(layout["validations"] as? [[Any]])
        XCTAssertEqual(validations.count, 1)
        XCTAssertEqual(validations[0][0] as? String, "B7:N8")
        XCTAssertEqual(validations[0][1] as? String, "custom")
        XCTAssertEqual(validations[0][2] as? String, #"OR(ISNUMBER(B7),B7="-",B7="无")"#)
        XCTAssertEqual(validations[0][3] as? Bool, true)
        XCTAssertTrue((validations[0][4] as? String)?.contains("未安排任务填“-”") == true)
        XCTAssertTrue((validations[0][5] as? String)?.contains("只能填数字") == true)
        XCTAssertEqual(layout["paper"] as? [String], ["9", "landscape"])

        // 南昌县 fills its row in openpyxl: figures, a percentage, “-” and “无”.
        let filled = directory.appendingPathComponent("南昌县-社会保险二.xlsx").path
        try TestSupport.python(["-c", """
            import openpyxl, sys
            book = openpyxl.load_workbook(sys.argv[1])
            sheet = book.active
            for column, value in zip("BCDEFGHIJ", [13, 23168, 1.0056, "-", "无", 1.0019, 526, 95635, 0.9962]):
                sheet[column + "7"] = value
            book.save(sys.argv[2])
            """, blank, filled])
        let expected = [
            "南昌县|机关事业单位养老保险 / 参保人数(含离退休人数)|本月完成": "13|value|2023-08",
            "南昌县|机关事业单位养老保险 / 参保人数(含离退休人数)|累计完成": "23168|value|2023-08",
            "南昌县|机关事业单位养老保险 / 参保人数(含离退休人数)|占全年任务": "100.56|value|2023-08",
            "南昌县|机关事业单位养老保险 / 在职参保人数|本月完成": "-|not_assigned|2023-08",
            "南昌县|机关事业单位养老保险 / 在职参保人数|累计完成": "无|not_carried_out|2023-08",
            "南昌县|机关事业单位养老保险 / 在职参保人数|占全年任务": "100.19|value|2023-08",
            "南昌县|失业保险参保人数|本月完成": "526|value|2023-08",
            "南昌县|失业保险参保人数|累计完成": "95635|value|2023-08",
            "南昌县|失业保险参保人数|占全年任务": "99.62|value|2023-08",
            "南昌县|工伤保险参保人数|本月完成": "|empty|2023-08",
            "红谷滩区|失业保险参保人数|累计完成": "|empty|2023-08",
        ]
        let fromOpenpyxl = try CLI.readBack(filled, withPeriod: true)
        for (key, value) in expected { XCTAssertEqual(fromOpenpyxl[key], value, key) }

        // The same copy saved again by LibreOffice reads back the same.
        let profile = try CLI.temporaryDirectory()
        let resaved = directory.appendingPathComponent("libreoffice")
        let conversion = try TestSupport.run("soffice", ["-env:UserInstallation=file://" + profile.path, "--headless",
                                                         "--convert-to", "xlsx", "--outdir", resaved.path, filled])
        XCTAssertEqual(conversion.status, 0, conversion.stderr)
        let fromLibreOffice = try CLI.readBack(resaved.appendingPathComponent("南昌县-社会保险二.xlsx").path, withPeriod: true)
        XCTAssertEqual(fromLibreOffice, fromOpenpyxl)
    }

    func testBlankReturnWithAllUnitsAndCommandLineProblems() throws {
        let directory = try CLI.temporaryDirectory()
        let blank = directory.appendingPathComponent("空白.xlsx").path
        let result = try CLI.run(["write", "--blank", "--template", "employment-training-1", "--period", "2023-08", "-o", blank])
        XCTAssertEqual(result.status, 0, result.stderr)
        try TestSupport.assertValidOOXML(blank)
        let cells = try CLI.readBack(blank, withPeriod: true)
        XCTAssertEqual(Set(cells.keys.map { String($0.split(separator: "|")[0]) }).count, 14)
        XCTAssertTrue(cells.values.allSatisfy { $0 == "|empty|2023-08" })

        let unknown = try CLI.run(["write", "--blank", "--template", "social-insurance-2", "--period", "2023-08",
                                   "--unit", "南昌市", "-o", blank])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("南昌市") && unknown.stderr.contains("南昌县"), unknown.stderr)
        let noPeriod = try CLI.run(["write", "--blank", "--template", "social-insurance-2", "-o", blank])
        XCTAssertEqual(noPeriod.status, 2)
        XCTAssertTrue(noPeriod.stderr.contains("--period"), noPeriod.stderr)
        let yearOnly = try CLI.run(["write", "--blank", "--template", "social-insurance-2", "--period", "2023", "-o", blank])
        XCTAssertEqual(yearOnly.status, 2)
        XCTAssertTrue(yearOnly.stderr.contains("月报"), yearOnly.stderr)
        let form = try CLI.run(["write", "--blank", "--template", "project-performance", "--period", "2024", "-o", blank])
        XCTAssertEqual(form.status, 2)
        XCTAssertTrue(form.stderr.contains("没有固定的单位行"), form.stderr)
    }
}
