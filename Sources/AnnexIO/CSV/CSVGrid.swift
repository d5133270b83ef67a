/// CSV as a Grid: reading a file into a `Sheet` and writing a `Sheet` out.
public enum CSVGrid {
    /// Reads a whole CSV file as one sheet (see `CSVSheetSource` for how fields become cells).
    public static func readSheet(path: String, options: CSVReadOptions = CSVReadOptions()) throws -> Sheet {
        try CSVSheetSource(path: path, options: options).sheet(at: 0)
    }

    /// Writes `sheet` to `path` as a dense grid (see `CSVWriter.write(_:)`), atomically.
    public static func write(_ sheet: Sheet, to path: String, options: CSVWriteOptions = CSVWriteOptions(),
                             refusingToOverwrite inputs: [String] = []) throws {
        try CSVWriter.write(sheet, to: path, options: options, refusingToOverwrite: inputs)
    }

    /// Whether CSV text is read as a number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?` with at most 15 significant
    /// digits (all digits after leading zeros, so that the text survives a round trip through a double).
    /// Leading-zero codes (`0012`), thousands separators, exponents, `+`, `.5` and `5.` stay text.
    public static func isPlainDecimal(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isPlainDecimal($0) }
    }

    /// `isPlainDecimal` on UTF-8 bytes.
    @inline(__always)
    public static func isPlainDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        guard n > 0, let p = bytes.baseAddress else { return false }
        let zero = UInt8(ascii: "0")
        let sign = p[0] == UInt8(ascii: "-") ? 1 : 0
        var i = sign
        guard i < n, p[i] &- zero < 10 else { return false }
        let zeroInteger = p[i] == zero
        i &+= 1
        if !zeroInteger {
            while i < n, p[i] &- zero < 10 { i &+= 1 }
        }
        var fractionStart = n
        if i < n {
            guard p[i] == UInt8(ascii: "."), i &+ 1 < n else { return false }   // not `0012`, `5.`
            i &+= 1
            fractionStart = i
            while i < n, p[i] &- zero < 10 { i &+= 1 }
            guard i == n else { return false }
        }
        // Significant digits: all of them, or after a zero integer part those from the first non-zero
        // fraction digit on. Counted only when there could be more than 15.
        let digits = n &- sign &- (fractionStart < n ? 1 : 0)
        if digits <= 15 { return true }
        guard zeroInteger else { return false }
        var firstSignificant = fractionStart
        while firstSignificant < n, p[firstSignificant] == zero { firstSignificant &+= 1 }
        return n &- firstSignificant <= 15
    }

    /// The base name of a path without its extension: `a/b/附件1.csv` → `附件1`; `.csv` → `.csv`.
    public static func sheetName(forPath path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        if let slash = bytes.lastIndex(of: UInt8(ascii: "/")) { bytes.removeSubrange(...slash) }
        if let dot = bytes.lastIndex(of: UInt8(ascii: ".")), dot > 0 { bytes.removeSubrange(dot...) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
