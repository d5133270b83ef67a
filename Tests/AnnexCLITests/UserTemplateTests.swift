import Foundation
import XCTest

/// A user adds a layout by adding a file: `--templates DIR` loads it next to the built-in ones.
final class UserTemplateTests: XCTestCase {
    func testALayoutAddedAsAFileIsListedReadAndWritten() throws {
        let dir = try CLI.temporaryDirectory()
        let templates = dir.appendingPathComponent("my-templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        // 收支预算总表-like layout the seeds name without printing: two single-level columns.
        let template = """
            {"id": "income-summary", "name": "收入汇总表", "kind": "table", "period": "year",
             "lines": [{"role": "title", "text": "{year}年收入汇总表"}, {"role": "units", "text": "单位：万元"}],
             "header": {"rows": 1, "cells": [{"range": "A1", "text": "单位"}, {"range": "B1", "text": "收入合计"},
                                              {"range": "C1", "text": "其中：财政拨款"}]},
             "keyColumns": [{"column": "A", "role": "unit"}],
             "rows": {"order": ["全市", "东湖区"], "totals": ["全市"]},
             "formats": {"default": "#,##0.00"}, "footnotes": [], "rules": {"columnTotals": true}}
            """
        try Data(template.utf8).write(to: templates.appendingPathComponent("income-summary.json"))
        let listed = try CLI.run(["templates", "--templates", templates.path])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.lines.contains("income-summary\t收入汇总表\t年度\t2 列"), listed.stdout)

        let csv = dir.appendingPathComponent("return.csv")
        try Data("2024年收入汇总表\r\n单位：万元\r\n单位,收入合计,其中：财政拨款\r\n东湖区,\"1,234.50\",1000\r\n".utf8).write(to: csv)
        let read = try CLI.run(["read", csv.path, "--templates", templates.path])
        XCTAssertEqual(read.status, 0, read.stderr)
        XCTAssertEqual(read.lines, ["template,period,unit,indicator,measure,value,status",
                                    "income-summary,2024,东湖区,收入合计,,1234.5,value",
                                    "income-summary,2024,东湖区,其中：财政拨款,,1000,value"])
        let canonical = dir.appendingPathComponent("c.csv")
        try read.stdoutData.write(to: canonical)
        let out = dir.appendingPathComponent("out.xlsx")
        let written = try CLI.run(["write", canonical.path, "--template", "income-summary", "--templates", templates.path,
                                   "-o", out.path, "--compute", "--compression", "9"])
        XCTAssertEqual(written.status, 0, written.stderr)
        let back = try CLI.run(["read", out.path, "--templates", templates.path])
        XCTAssertTrue(back.lines.contains("income-summary,2024,全市,收入合计,,1234.5,value"), back.stdout)

        let broken = templates.appendingPathComponent("broken.json")
        try Data(#"{"id": "broken", "name": "x"}"#.utf8).write(to: broken)
        let refused = try CLI.run(["templates", "--templates", templates.path])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("broken.json") && refused.stderr.contains("缺少字段"), refused.stderr)
    }
}
