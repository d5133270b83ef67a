// annex-bench: the annex side of Benchmarks/bench.py, through the public library API only.
//
//   annex-bench read FILE           every cell of every sheet (.xlsx or .csv) through row views, counted
//   annex-bench read-cells FILE     the same through materialized Cells
//   annex-bench write OUT.xlsx ROWS the benchmark workbook (same layout and values as Benchmarks/lxw_write.c)
//
// Reading counts cells instead of printing them, so that the measurement is the reader and not the
// JSON text of `annex dump` (which the benchmark reports too, to /dev/null).
import AnnexIO
#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    FileHandle.standardError(message)
    exit(2)
}

enum FileHandle {
    static func standardError(_ text: String) {
        var line = text + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}

/// Every cell through the row views (`SheetSource.readRows`), touching each value's text so that
/// the values are really produced: shared strings resolved, numbers in canonical form, dates in ISO.
func read(_ path: String) throws {
    let source = try Spreadsheet.open(path: path)
    var cells = 0
    var textBytes = 0
    var merged = 0
    for index in source.sheetNames.indices {
        merged += try source.readRows(at: index) { row in
            cells += row.count
            for position in 0..<row.count { textBytes += row[position].text.count }
        }.count
    }
    print("\(cells) cells, \(textBytes) bytes of values, \(merged) merged ranges")
}

/// The same through materialized `Cell`s (`SheetSource.readSheet`), for comparison.
func readCells(_ path: String) throws {
    let source = try Spreadsheet.open(path: path)
    var cells = 0
    var textBytes = 0
    var merged = 0
    for index in source.sheetNames.indices {
        merged += try source.readSheet(at: index) { row in
            cells += row.count
            for cell in row { textBytes += cell.value.text.utf8.count }
        }.count
    }
    print("\(cells) cells, \(textBytes) bytes of values, \(merged) merged ranges")
}

let districts = ["东湖区", "西湖区", "青云谱区", "青山湖区", "新建区", "红谷滩区",
                 "南昌县", "进贤县", "安义县", "经开区", "高新区", "市本级"]

func write(_ path: String, rows: Int) throws {
    let border = CellStyle.Border.all(.thin)
    let title = CellStyle(font: .init(size: 16, bold: true), alignment: .init(horizontal: .center))
    let head = CellStyle(font: .init(bold: true), border: border,
                         alignment: .init(horizontal: .center, vertical: .center, wrapText: true))
    let body = CellStyle(border: border)
    func text(_ row: Int, _ column: Int, _ value: String, _ style: CellStyle? = nil) -> Cell {
        Cell(reference: CellReference(row: row, column: column), value: .string(value), style: style)
    }
    let writer = try XLSXWriter(path: path)
    try writer.beginSheet(name: "社会保险二")
    try writer.appendRow([text(0, 0, "附件4")])
    try writer.appendRow([text(1, 0, "2023年7月社会保险二主要指标完成情况", title)])
    try writer.appendRow([text(2, 0, "单位：万人、万元")])
    var header = [text(3, 0, "项目/单位", head), text(3, 1, "企业职工基本养老保险", head), text(3, 11, "失业保险", head)]
    try writer.appendRow(header)
    let groups = [("参保人数", 1, 3), ("基金收入", 4, 6), ("基金支出", 7, 10), ("参保人数", 11, 13), ("基金收入", 14, 16), ("基金支出", 17, 19)]
    header = groups.map { text(4, $0.1, $0.0, head) }
    try writer.appendRow(header)
    let leaves = ["目标任务", "累计完成", "占全年任务", "同比"]
    header = groups.flatMap { group in (group.1...group.2).map { text(5, $0, leaves[$0 - group.1], head) } }
    try writer.appendRow(header)
    var merged = [CellRange("A2:T2")!, CellRange("A4:A6")!, CellRange("B4:K4")!, CellRange("L4:T4")!]
    merged += groups.map { CellRange(first: CellReference(row: 4, column: $0.1), last: CellReference(row: 4, column: $0.2)) }

    var row: [Cell] = []
    row.reserveCapacity(20)
    for i in 0..<rows {
        let r = 6 + i
        row.removeAll(keepingCapacity: true)
        row.append(text(r, 0, districts[i % 12] + String(i % 997), body))
        for c in 1..<20 {
            let h = UInt32(truncatingIfNeeded: i) &* 2_654_435_761 &+ UInt32(c) &* 40503
            let k = h % 100
            let reference = CellReference(row: r, column: c)
            if k == 0 {
                row.append(Cell(reference: reference, value: .string("-"), style: body))
            } else if k == 1 {
                row.append(Cell(reference: reference, value: .string("无"), style: body))
            } else if c % 2 == 1 {
                row.append(Cell(reference: reference, value: .number(String(h % 100_000)), style: body))
            } else {
                let cents = h % 10_000_000
                let fraction = cents % 100
                let text = String(cents / 100) + (fraction < 10 ? ".0" : ".") + String(fraction)
                row.append(Cell(reference: reference, value: .number(text), numberFormat: "0.00", style: body))
            }
        }
        try writer.appendRow(row)
    }
    try writer.endSheet(merged: merged)
    try writer.finish()
}

let arguments = CommandLine.arguments
do {
    switch arguments.count > 1 ? arguments[1] : "" {
    case "read" where arguments.count == 3:
        try read(arguments[2])
    case "read-cells" where arguments.count == 3:
        try readCells(arguments[2])
    case "write" where arguments.count == 4:
        guard let rows = Int(arguments[3]), rows >= 0 else { fail("ROWS must be a count") }
        try write(arguments[2], rows: rows)
    default:
        fail("usage: annex-bench read FILE | annex-bench read-cells FILE | annex-bench write OUT.xlsx ROWS")
    }
} catch {
    fail("annex-bench: \(error)")
}
