/// The worksheet elements of a protected sheet with validated input, in CT_Worksheet's order:
/// `<sheetProtection>` right after `<sheetData>`, `<dataValidations>` after the merges.
enum XLSXSheetProtection {
    /// Protected without a password; selecting, formatting columns and rows stays allowed so the
    /// sheet can be read and printed as usual.
    static let element = #"<sheetProtection sheet="1" objects="1" scenarios="1" formatColumns="0" formatRows="0"/>"#

    static func dataValidations(_ validations: [DataValidation]) -> String {
        guard !validations.isEmpty else { return "" }
        var xml = #"<dataValidations count="\#(validations.count)">"#
        for validation in validations {
            xml += #"<dataValidation type="custom" errorStyle="stop""#
            if validation.allowsBlank { xml += #" allowBlank="1""# }
            xml += #" showInputMessage="1" showErrorMessage="1""#
            // Excel limits the titles to 32 characters and the messages to 255.
            for (name, text, limit) in [("errorTitle", validation.errorTitle, 32), ("error", validation.error, 255),
                                        ("promptTitle", validation.promptTitle, 32), ("prompt", validation.prompt, 255)]
            where !text.isEmpty {
                xml += #" \#(name)="\#(XLSXCommentParts.escape(String(text.prefix(limit))))""#
            }
            xml += #" sqref="\#(validation.range.first):\#(validation.range.last)">"#
            xml += "<formula1>\(XLSXCommentParts.escape(validation.formula))</formula1></dataValidation>"
        }
        return xml + "</dataValidations>"
    }
}
