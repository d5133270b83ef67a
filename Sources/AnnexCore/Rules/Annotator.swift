import Foundation

/// `annex check --annotate DIR`: for each input, a workbook copy in DIR with every flagged cell filled
/// (red for errors, yellow for warnings; info gets a note only) and a note (comment) on it, plus a
/// sheet 校验结果 listing the file's findings with links to their cells.
///
/// An .xlsx input keeps its workbook: `WorkbookPatcher` copies every part unchanged and rewrites only
/// what the marks need, so fonts, borders, widths, print setup, theme and the other sheets stay as the
/// district sent them. Other inputs (CSV, .xls, and an .xlsx the patcher does not edit, such as Strict
/// conformance) get a copy rebuilt from the grid (`Spreadsheet.open`): values, formulas' cached
/// results, number formats and merged ranges are kept, the rest of the styling is not. Inputs are never
/// written to; each copy appears atomically (a refused or failed write leaves nothing behind).
public enum Annotator {
    public static let errorFill = "FFFFC7CE"
    public static let warningFill = "FFFFEB9C"
    public static let resultsSheet = "校验结果"

    /// Writes one annotated copy per file; returns their paths in input order. `notice` hears of an
    /// .xlsx whose copy had to be rebuilt (and so lost its formatting), with the reason.
    @discardableResult
    public static func annotate(files: [String], findings: [Finding], into directory: String,
                                csv: CSVReadOptions = CSVReadOptions(), zipLimits: ZipLimits = ZipLimits(),
                                notice: (String) -> Void = { _ in }) throws -> [String] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw AnnexError(file: directory, reason: "--annotate 需要一个目录，这是一个文件") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw AnnexError(file: directory, reason: "无法创建目录（\(error.localizedDescription)）")
            }
        }
        var used: Set<String> = []
        var outputs: [String] = []
        for file in files {
            // `<name>.xlsx` in DIR; `<name>-校验.xlsx` when that would be an input (DIR is the inputs' folder).
            // A macro-enabled workbook keeps `.xlsm`: its copy keeps the macros, which Excel refuses in an `.xlsx`.
            let url = URL(fileURLWithPath: file)
            let stem = url.deletingPathExtension().lastPathComponent
            let ext = url.pathExtension.lowercased() == "xlsm" && SpreadsheetFormat.sniff(path: file) == .zip ? ".xlsm" : ".xlsx"
            var name = stem + ext
            var counter = 1
            func path(_ name: String) -> String { URL(fileURLWithPath: directory).appendingPathComponent(name).path }
            while used.contains(name) || (try? AtomicOutput.refuseOverwriting(output: path(name), inputs: files)) == nil {
                name = counter == 1 ? "\(stem)-校验\(ext)" : "\(stem)-校验\(counter)\(ext)"
                counter += 1
            }
            used.insert(name)
            let output = path(name)
            try annotate(file: file, findings: findings.filter { $0.file == file }, to: output, inputs: files,
                         csv: csv, zipLimits: zipLimits, notice: notice)
            outputs.append(output)
        }
        return outputs
    }

    /// One annotated copy of `file` at `output`.
    public static func annotate(file: String, findings: [Finding], to output: String, inputs: [String] = [],
                                csv: CSVReadOptions = CSVReadOptions(), zipLimits: ZipLimits = ZipLimits(),
                                notice: (String) -> Void = { _ in }) throws {
        try AtomicOutput.refuseOverwriting(output: output, inputs: inputs + [file])
        if SpreadsheetFormat.sniff(path: file) == .zip {
            do {
                return try patch(file: file, findings: findings, to: output, inputs: inputs, zipLimits: zipLimits)
            } catch let unsupported as WorkbookPatcher.Unsupported {
                notice("\(file)：无法在原工作簿上标注（\(unsupported.reason)），副本按数据重建，不保留原格式")
            }
        }
        try rebuild(file: file, findings: findings, to: output, inputs: inputs, csv: csv, zipLimits: zipLimits)
    }

    /// The workbook as sent, with the marks added (`WorkbookPatcher`).
    static func patch(file: String, findings: [Finding], to output: String, inputs: [String],
                      zipLimits: ZipLimits) throws {
        let sheetNames = try XLSXReader(path: file, limits: zipLimits).sheets.map(\.name)
        var marks: [String: [CellReference: WorkbookPatch.Mark]] = [:]
        for (sheet, byCell) in flaggedCells(findings) {
            for (cell, flagged) in byCell {
                marks[sheet, default: [:]][cell] = WorkbookPatch.Mark(fill: fill(for: flagged), note: note(for: flagged))
            }
        }
        var taken = Set(sheetNames.map { $0.lowercased() })
        let resultsName = uniqueName(resultsSheet, taken: &taken)
        let identity = Dictionary(sheetNames.map { ($0, $0) }, uniquingKeysWith: { a, _ in a })
        let (results, links) = resultsTable(findings, name: resultsName, sheetNames: identity, file: file)
        try WorkbookPatcher.write(WorkbookPatch(marks: marks, addedSheet: results, addedSheetLinks: links),
                                  from: file, to: output, refusingToOverwrite: inputs, limits: zipLimits)
    }

    /// Findings with a cell, by sheet and cell.
    static func flaggedCells(_ findings: [Finding]) -> [String: [CellReference: [Finding]]] {
        var result: [String: [CellReference: [Finding]]] = [:]
        for finding in findings {
            if let reference = finding.reference { result[finding.sheet, default: [:]][reference, default: []].append(finding) }
        }
        return result
    }

    /// Red for an error, yellow for a warning; info gets a note only.
    static func fill(for flagged: [Finding]) -> String? {
        guard let worst = flagged.map(\.severity).min(), worst != .info else { return nil }
        return worst == .error ? errorFill : warningFill
    }

    static func note(for flagged: [Finding]) -> String {
        flagged.map { "【\($0.severity.label)】\($0.rule.rawValue)：\($0.message)" }.joined(separator: "\n")
    }

    /// A new workbook of the input's grid (CSV, .xls, or an .xlsx the patcher leaves alone).
    static func rebuild(file: String, findings: [Finding], to output: String, inputs: [String],
                        csv: CSVReadOptions, zipLimits: ZipLimits) throws {
        let source = try Spreadsheet.open(path: file, csv: csv, zipLimits: zipLimits)
        let flagged = flaggedCells(findings)
        var sheets: [Sheet] = []
        var names: [String: String] = [:]
        var taken: Set<String> = []
        var annotations: [Int: XLSXSheetAnnotations] = [:]
        for index in source.sheetNames.indices {
            var sheet = try source.sheet(at: index)
            let original = sheet.name
            let name = uniqueName(validSheetName(original), taken: &taken)
            names[original] = name
            sheet.name = name
            sheet.layout = SheetLayout()

            let byCell = flagged[original] ?? [:]
            for position in sheet.cells.indices {
                guard let color = byCell[sheet.cells[position].reference].flatMap(fill(for:)) else { continue }
                var style = sheet.cells[position].style ?? CellStyle()
                style.fill = CellStyle.Fill(color: color)
                sheet.cells[position].style = style
            }
            annotations[index] = XLSXSheetAnnotations(comments: byCell.map { reference, flagged in
                XLSXComment(cell: reference, text: note(for: flagged))
            })
            sheets.append(sheet)
        }
        let resultsName = uniqueName(resultsSheet, taken: &taken)
        let (results, links) = resultsTable(findings, name: resultsName, sheetNames: names, file: file)
        annotations[sheets.count] = XLSXSheetAnnotations(hyperlinks: links)
        sheets.append(results)

        let title = "\(URL(fileURLWithPath: file).lastPathComponent) 校验结果"
        let writer = try XLSXWriter(path: output, options: XLSXWriteOptions(
            compressionLevel: 6, properties: DocumentProperties(title: title, creator: "annex"),
            refusingToOverwrite: inputs + [file]))
        do {
            for (index, sheet) in sheets.enumerated() {
                try writer.beginSheet(name: sheet.name, layout: sheet.layout)
                try writer.appendRow(sheet.cells)
                try writer.endSheet(merged: sheet.merged, annotations: annotations[index] ?? XLSXSheetAnnotations())
            }
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// The 校验结果 sheet: a summary line, a header, one row per finding; the 位置 cell links to the cell.
    static func resultsTable(_ findings: [Finding], name: String, sheetNames: [String: String],
                             file: String) -> (Sheet, [XLSXHyperlink]) {
        let headers = ["序号", "级别", "规则", "位置", "单位", "指标", "口径", "应为", "实为", "说明"]
        let bold = CellStyle(font: .init(bold: true))
        let header = CellStyle(font: .init(bold: true), fill: .init(color: "FFD9D9D9"), border: .all(.thin))
        var cells: [Cell] = [Cell(reference: CellReference(row: 0, column: 0),
                                  value: .string("\(URL(fileURLWithPath: file).lastPathComponent)：\(findings.isEmpty ? "未发现问题" : FindingReport.summary(findings))"),
                                  style: bold)]
        for (column, text) in headers.enumerated() {
            cells.append(Cell(reference: CellReference(row: 1, column: column), value: .string(text), style: header))
        }
        var links: [XLSXHyperlink] = []
        for (index, finding) in findings.enumerated() {
            let row = index + 2
            let place = finding.cell.isEmpty ? finding.sheet : "\(finding.sheet)!\(finding.cell)"
            let fill: CellStyle.Fill? = finding.severity == .error ? .init(color: errorFill)
                : finding.severity == .warning ? .init(color: warningFill) : nil
            let texts = [String(index + 1), finding.severity.label, finding.rule.rawValue, place, finding.unit,
                         finding.indicator, finding.measure, finding.expected, finding.actual, finding.message]
            for (column, text) in texts.enumerated() where !text.isEmpty {
                var style = CellStyle(border: .all(.thin))
                if column == 1 { style.fill = fill }
                if column == 3 { style.font = .init(color: "FF0563C1") }
                let value: CellValue = column == 0 ? .number(text) : .string(text)
                cells.append(Cell(reference: CellReference(row: row, column: column), value: value, style: style))
            }
            let target = sheetNames[finding.sheet] ?? finding.sheet
            let cell = finding.reference ?? CellReference(row: 0, column: 0)
            links.append(XLSXHyperlink(cell: CellReference(row: row, column: 3),
                                       location: XLSXHyperlink.location(sheet: target, cell: cell),
                                       tooltip: "转到 \(place)"))
        }
        let widths: [Int: Double] = [0: 6, 1: 6, 2: 22, 3: 22, 4: 12, 5: 36, 6: 12, 7: 14, 8: 14, 9: 90]
        let layout = SheetLayout(columnWidths: widths, freezeAt: CellReference(row: 2, column: 0))
        return (Sheet(name: name, cells: cells, layout: layout), links)
    }

    /// A sheet name Excel accepts: none of `[ ] : * ? / \`, no leading or trailing `'`, 1–31 characters.
    static func validSheetName(_ name: String) -> String {
        var result = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 })
        while result.hasPrefix("'") { result.removeFirst() }
        while result.hasSuffix("'") { result.removeLast() }
        if result.count > 31 { result = String(result.prefix(31)) }
        return result.isEmpty ? "Sheet" : result
    }

    static func uniqueName(_ name: String, taken: inout Set<String>) -> String {
        var candidate = name
        var counter = 2
        while taken.contains(candidate.lowercased()) {
            let suffix = "(\(counter))"
            candidate = String(name.prefix(31 - suffix.count)) + suffix
            counter += 1
        }
        taken.insert(candidate.lowercased())
        return candidate
    }
}
