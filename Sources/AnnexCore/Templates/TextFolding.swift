import Foundation

/// Text normalisation for matching what districts type against what templates print: header text
/// with line breaks and extra spaces, full-width letters and digits, “”/"" and （）/() variants.
public enum TextFolding {
    /// All white space removed (SPEC.md: indicator text "with all white space removed").
    public static func removingWhitespace(_ text: String) -> String {
        String(text.unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "\u{3000}" }.map(Character.init))
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
    /// brackets unified, letters lower-cased.
    public static func matchKey(_ text: String) -> String {
        var result = removingWhitespace(foldingWidth(text))
        for (from, to) in [("“", "\""), ("”", "\""), ("‘", "'"), ("’", "'"), ("【", "["), ("】", "]"), ("：", ":")] {
            result = result.replacingOccurrences(of: from, with: to)
        }
        return result.lowercased()
    }
}
