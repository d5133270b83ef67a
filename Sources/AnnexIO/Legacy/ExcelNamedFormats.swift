/// The names Excel writes for its built-in number formats in SpreadsheetML (`ss:Format="Percent"`)
/// and in its HTML export (`mso-number-format:"Short Date"`).
enum ExcelNamedFormats {
    /// The format code of a named format (nil for General); anything else is a custom code, written
    /// as in .xlsx, and returned as it is.
    static func code(forFormat format: String) -> String? {
        switch format {
        case "General", "General Number": return nil
        case "General Date": return "yyyy/m/d h:mm"
        case "Long Date": return "yyyy\"年\"m\"月\"d\"日\""
        case "Medium Date": return "dd-mmm-yy"
        case "Short Date": return "yyyy/m/d"
        case "Long Time": return "h:mm:ss"
        case "Medium Time": return "h:mm AM/PM"
        case "Short Time": return "h:mm"
        case "Currency": return "\"¥\"#,##0.00"
        case "Euro Currency": return "[$€-2] #,##0.00"
        case "Fixed": return "0.00"
        case "Standard": return "#,##0.00"
        case "Percent": return "0.00%"
        case "Scientific": return "0.00E+00"
        case "Yes/No": return "\"Yes\";\"Yes\";\"No\""
        case "True/False": return "\"True\";\"True\";\"False\""
        case "On/Off": return "\"On\";\"On\";\"Off\""
        default: return format
        }
    }
}
