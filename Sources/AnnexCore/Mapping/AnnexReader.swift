import Foundation

/// Reads annex-layout files: every sheet of a workbook (or the CSV) is matched against the
/// templates, or against the one named, and read into observations.
public struct AnnexReader: Sendable {
    public var library: TemplateLibrary
    public var options: TableReader.Options
    public var csv: CSVReadOptions
    public var zipLimits: ZipLimits

    public init(library: TemplateLibrary, options: TableReader.Options = .init(),
                csv: CSVReadOptions = CSVReadOptions(unprotectFormulas: true), zipLimits: ZipLimits = ZipLimits()) {
        self.library = library
        self.options = options
        self.csv = csv
        self.zipLimits = zipLimits
    }

    /// The best-matching table template for a sheet, if any reaches the acceptance score.
    public func recognize(_ sheet: Sheet) -> (Template, HeaderMatch)? {
        recognize(GridIndex(sheet))
    }

    func recognize(_ grid: GridIndex) -> (Template, HeaderMatch)? {
        // Ranked by header score, then by whether the title reads as the template's (several budget
        // tables share one header), then by the number of header cells matched.
        var best: (template: Template, match: HeaderMatch, rank: (Double, Int, Int))?
        for template in library.templates where template.kind == .table {
            guard let match = HeaderMatch.find(template, in: grid), match.score >= HeaderMatch.acceptance else { continue }
            let title = LineMatch(template: template, grid: grid, above: match.origin.row).titleFound
            let rank = (match.score, title ? 1 : 0, match.matched)
            if best == nil || rank > best!.rank { best = (template, match, rank) }
        }
        return best.map { ($0.template, $0.match) }
    }

    /// The best-matching form template (项目支出绩效目标表 …) for a sheet: two thirds of its labels, group
    /// labels and indicator-table header in place; the title line breaks ties.
    func recognizeForm(_ grid: GridIndex) -> (Template, [FormMatch])? {
        var best: (template: Template, instances: [FormMatch], rank: (Double, Int, Int))?
        for template in library.templates where template.kind == .form {
            guard let found = FormReader.recognize(template, in: grid), let first = found.accepted.first else { continue }
            let rank = (first.score, found.title ? 1 : 0, first.matched)
            if best == nil || rank > best!.rank { best = (template, found.accepted, rank) }
        }
        return best.map { ($0.template, $0.instances) }
    }

    /// A sheet to recognise and read: whole, unless its first `GridIndex.keyedRows` rows hold no known
    /// layout, then just those rows. A layout is recognised from its header, which is searched in the
    /// first 60 rows (a form by its first instance there), so a long sheet in no known layout — a
    /// person-level register of 100,000 rows in a folder of returns — is refused after 80 rows instead
    /// of being held in memory whole. The rows read first are read again when the layout is known.
    func sheetToRecognize(_ source: SheetSource, at index: Int) throws -> Sheet {
        struct EnoughRows: Error {}
        var cells: [Cell] = []
        var merged: [CellRange] = []
        var complete = true
        do {
            merged = try source.readSheet(at: index) { row in
                if let first = row.first, first.reference.row >= GridIndex.keyedRows { throw EnoughRows() }
                cells += row
            }
        } catch is EnoughRows {
            complete = false
        }
        let first = Sheet(name: source.sheetNames[index], cells: cells, merged: merged)
        if complete { return first }
        // (Nothing in the first rows: not a layout either, but the sheet is not empty; read it whole so
        // that it is reported as what it is.)
        let grid = GridIndex(first)
        guard cells.isEmpty || recognizeForm(grid) != nil || recognize(grid) != nil else { return first }
        return try source.sheet(at: index)
    }

    /// Reads a file. With `templateID`, every selected sheet must be in that layout; without, each
    /// sheet is recognised and sheets in no known layout are skipped — unless none is recognised,
    /// which is an error naming the closest template and its differing header cells.
    public func read(file: String, templateID: String? = nil, sheetName: String? = nil) throws -> [TableReading] {
        let source = try Spreadsheet.open(path: file, csv: csv, zipLimits: zipLimits)
        let indices = try sheetName.map { [try source.sheetIndex(named: $0)] } ?? Array(source.sheetNames.indices)
        let named = try templateID.map { try library.template($0) }
        /// A sheet in no known layout: skipped while another sheet is read.
        struct Unrecognized: Error { var error: AnnexError }
        let results = readSharingPeriods(source, file: file, indices: indices) { reader, index -> TableReading? in
            let sheet = named == nil ? try reader.sheetToRecognize(source, at: index) : try source.sheet(at: index)
            if sheet.cells.isEmpty { return nil }
            if let named {
                do {
                    return try reader.read(sheet, file: file, template: named)
                } catch let error as AnnexError where sheetName == nil && indices.count > 1 {
                    // Other sheets of a workbook may hold other tables; remember why this one failed.
                    throw Unrecognized(error: error)
                }
            }
            guard let reading = try reader.readRecognized(sheet, file: file) else {
                throw Unrecognized(error: reader.unrecognized(sheet, grid: GridIndex(sheet), file: file))
            }
            return reading
        }
        var readings: [TableReading] = []
        var firstMismatch: AnnexError?
        for result in results {
            switch result {
            case .success(let reading):
                if let reading { readings.append(reading) }
            case .failure(let skipped as Unrecognized):
                if firstMismatch == nil { firstMismatch = skipped.error }
            case .failure(let error):
                throw error
            }
        }
        if readings.isEmpty {
            throw firstMismatch ?? AnnexError(file: file, reason: "没有找到任何表格（工作表都是空的）")
        }
        return readings
    }

    /// Reads the sheets at `indices` (with `read`, given a reader whose options carry the period
    /// hints) in two rounds: first every sheet whose title or name dates it, then those that neither
    /// does, with the periods of the first round as the workbook's, before the file name and the
    /// document's `annex.period` (SPEC.md: the order of period sources). Results in `indices` order.
    func readSharingPeriods(_ source: SheetSource, file: String, indices: [Int],
                            read: (AnnexReader, Int) throws -> TableReading?) -> [Result<TableReading?, Error>] {
        var reader = self
        reader.options.hints.fileName = file.split(separator: "/").last.map(String.init)
        reader.options.hints.document = source.documentProperties["annex.period"]
        reader.options.hints.deferring = true
        var results: [Int: Result<TableReading?, Error>] = [:]
        var deferred: [Int] = []
        for index in indices {
            do {
                results[index] = .success(try read(reader, index))
            } catch is PeriodDeferred {
                deferred.append(index)
            } catch {
                results[index] = .failure(error)
            }
        }
        if !deferred.isEmpty {
            reader.options.hints.workbook = results.values.compactMap { try? $0.get()?.period }
            reader.options.hints.deferring = false
            for index in deferred {
                results[index] = Result { try read(reader, index) }
            }
        }
        return indices.map { results[$0]! }
    }

    /// A sheet in a named layout.
    func read(_ sheet: Sheet, file: String, template: Template) throws -> TableReading {
        template.kind == .form
            ? try FormReader.read(sheet, file: file, template: template, options: options)
            : try TableReader.read(sheet, file: file, template: template, library: library, options: options)
    }

    /// A sheet in whichever layout it is in (forms first); nil when no layout matches.
    public func readRecognized(_ sheet: Sheet, file: String) throws -> TableReading? {
        let grid = GridIndex(sheet)
        if let (template, instances) = recognizeForm(grid) {
            return try FormReader.read(grid, file: file, template: template, instances: instances, options: options)
        }
        if let (template, match) = recognize(grid) {
            return try TableReader.read(grid, file: file, template: template, match: match, library: library, options: options)
        }
        return nil
    }

    /// Why a sheet is in no known layout: the closest template and its differing header cells.
    func unrecognized(_ sheet: Sheet, grid: GridIndex, file: String) -> AnnexError {
        var closest: (AnnexError, Double)?
        for template in library.templates where template.kind == .table {
            if let match = HeaderMatch.find(template, in: grid), match.score > (closest?.1 ?? 0) {
                closest = (TableReader.headerError(sheet: sheet, file: file, template: template, grid: grid), match.score)
            }
        }
        for template in library.templates where template.kind == .form {
            if let best = FormReader.recognize(template, in: grid)?.best, best.score > (closest?.1 ?? 0) {
                closest = (FormReader.mismatchError(sheet: sheet, file: file, template: template, best: best), best.score)
            }
        }
        if let (error, _) = closest {
            return AnnexError(file: file, location: error.location,
                              reason: "无法识别表格格式；最接近的是" + error.reason.replacingOccurrences(of: "表头与", with: ""))
        }
        let tables = library.templates.filter { $0.kind == .table }.count
        return AnnexError(file: file, location: "工作表“\(sheet.name)”",
                          reason: "无法识别表格格式：没有一个模板的表头与之相符（已比较 \(tables) 个模板；用 annex templates 查看，或用 --templates 加入新格式）")
    }
}
