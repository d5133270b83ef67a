import Foundation

/// Text normalisation for matching what districts type against what templates print: header text
/// with line breaks and extra spaces, full-width letters and digits, “”/"" and （）/() variants.
public enum TextFolding {
    /// All white space removed (SPEC.md: indicator text "with all white space removed").
    public static func removingWhitespace(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isWhitespace) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !isWhitespace(scalar) { scalars.append(scalar) }
        return String(scalars)
    }

    /// `Unicode.Scalar.Properties.isWhitespace`, without the property lookup for the scalars a sheet is
    /// mostly made of (ASCII, CJK ideographs and punctuation): reading calls this for every cell.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x3000: true
        case 0...0x7F, 0x3001...0x303F, 0x4E00...0x9FFF, 0xFF01...0xFFEF: false
        default: scalar.properties.isWhitespace
        }
    }

    /// Full-width ASCII (！ to ～, U+FF01-FF5E) and the ideographic space folded to ASCII.
    public static func foldingWidth(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF01...0xFF5E: scalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            case 0x3000: scalars.append(" ")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// The key two header texts are compared by: width folded, white space removed, quotes and
    /// brackets unified, letters lower-cased. One pass over the scalars: recognition computes it for
    /// every header cell of every template at every candidate origin.
    public static func matchKey(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            var value = scalar.value
            if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }          // full-width ASCII
            if isWhitespace(scalar) { continue }
            switch value {
            case 0x201C, 0x201D: value = 0x22                                   // “ ” → "
            case 0x2018, 0x2019: value = 0x27                                   // ‘ ’ → '
            case 0x3010: value = 0x5B                                           // 【 → [
            case 0x3011: value = 0x5D                                           // 】 → ]
            case 0x41...0x5A: value += 0x20                                     // A-Z
            default:
                // (CJK ideographs and punctuation have no case: no property lookup for them.)
                if value >= 0x80, !(0x3001...0x303F).contains(value), !(0x4E00...0x9FFF).contains(value),
                   scalar.properties.changesWhenLowercased {
                    scalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                    continue
                }
            }
            scalars.append(Unicode.Scalar(value)!)
        }
        return String(scalars)
    }
}
