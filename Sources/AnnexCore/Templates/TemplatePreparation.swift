import Foundation

extension Template {
    /// What reading derives from a template's definition (see `prepared`).
    final class Prepared {
        /// The header cells whose range parses, in template order.
        let headerCells: [(range: CellRange, text: String, pattern: HeaderText)]
        let headerWidth: Int
        let valueColumns: [ValueColumn]
        /// The `lines` as `LineMatch` reads them.
        let lines: [LineMatch.Pattern]
        /// The `lines` as forms read them.
        let linePatterns: LinePatterns
        /// A form's fixed texts and fields; nil for a table or an incomplete form.
        let formLayout: FormLayout?
        /// `TextFolding.matchKey` of each footnote.
        let footnoteKeys: Set<String>

        init(_ template: Template) {
            headerCells = (template.header?.cells ?? []).compactMap { cell in
                CellRange(cell.range).map { ($0, cell.text, HeaderText(template: cell.text)) }
            }
            let width = template.header == nil
                ? template.width ?? 0
                : headerCells.map(\.range.last.column).max().map { $0 + 1 } ?? 0
            headerWidth = width
            valueColumns = template.header == nil ? [] : Self.valueColumns(template, headerCells: headerCells, width: width)
            lines = template.lines.compactMap(LineMatch.Pattern.init)
            linePatterns = LinePatterns(template)
            formLayout = FormLayout(template)
            footnoteKeys = Set(template.footnotes.map(TextFolding.matchKey))
        }

        /// Each column's path is the header cells covering it, top to bottom; a cell spanning every
        /// header row is a single-level column (measure empty).
        private static func valueColumns(_ template: Template, headerCells: [(range: CellRange, text: String, pattern: HeaderText)],
                                         width: Int) -> [ValueColumn] {
            var columns: [ValueColumn] = []
            for column in template.keyColumns.count..<max(template.keyColumns.count, width) {
                let covering = headerCells
                    .filter { ($0.range.first.column...$0.range.last.column).contains(column) }
                    .sorted { $0.range.first.row < $1.range.first.row }
                let texts = covering.map { TextFolding.removingWhitespace($0.text) }
                guard let leaf = texts.last else { continue }
                let single = covering.count == 1
                let indicator = single ? leaf : texts.dropLast().joined(separator: " / ")
                let measure = single ? "" : leaf
                columns.append(ValueColumn(column: column, indicator: indicator, measure: measure,
                                           format: template.format(indicator: indicator, measure: measure)))
            }
            return columns
        }
    }

    /// Holds a template's `Prepared`, made on first use; copies of the template share it.
    final class Preparation: @unchecked Sendable {
        private let lock = NSLock()
        private var made: Prepared?

        func prepared(_ template: Template) -> Prepared {
            lock.lock()
            defer { lock.unlock() }
            if let made { return made }
            let prepared = Prepared(template)
            made = prepared
            return prepared
        }
    }
}
