/// OOXML namespaces and relationship types in both conformance classes: Transitional
/// (`schemas.openxmlformats.org`) and Strict (`purl.oclc.org/ooxml`, ISO/IEC 29500 Strict).
enum OOXMLNamespace {
    static func isSpreadsheetML(_ uri: UnsafePointer<UInt8>?) -> Bool {
        guard let uri else { return false }
        let s = String(cString: uri)
        return s == "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
            || s == "http://purl.oclc.org/ooxml/spreadsheetml/main"
    }

    static func isRelationships(_ uri: String) -> Bool {
        uri == "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
            || uri == "http://purl.oclc.org/ooxml/officeDocument/relationships"
    }

    /// Relationship types end in the same word in both classes (`.../worksheet`).
    static func relationshipKind(_ type: String) -> String {
        // The last non-empty segment, as `split(separator: "/").last` gives it, without the split.
        var end = type.endIndex
        while end > type.startIndex, type[type.index(before: end)] == "/" { end = type.index(before: end) }
        let start = type[..<end].lastIndex(of: "/").map(type.index(after:)) ?? type.startIndex
        return String(type[start..<end])
    }
}
